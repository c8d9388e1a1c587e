"""libclusapi from Python's ctypes, the way FFI clients use clusapi.dll: load the library by
file name, declare the Windows signatures, and read names with the buffer-growing loop.

Usage: clusapi_ctypes_test.py LIBCLUSAPI HOST:PORT NODE
Exits 0 when every check passed; prints what failed otherwise.
"""
import ctypes
import sys

ERROR_SUCCESS = 0
ERROR_ACCESS_DENIED = 5
ERROR_INVALID_HANDLE = 6
ERROR_MORE_DATA = 234
ERROR_NO_MORE_ITEMS = 259
ERROR_IO_PENDING = 997
WAIT_TIMEOUT = 258
INFINITE = 0xFFFFFFFF
INVALID_HANDLE_VALUE = ctypes.c_void_p(-1).value
CLUSTER_CHANGE_GROUP_ADDED = 0x4000
CLUSTER_ENUM_NODE = 1
CLUSTER_ENUM_RESTYPE = 2
CLUSTER_ENUM_GROUP = 8
CLUSTER_RESOURCE_ONLINE = 2
CLUSTER_NODE_ENUM_GROUPS = 2
CLUSCTL_RESOURCE_GET_NAME = 0x01000029
CLUSCTL_RESOURCE_GET_CLASS_INFO = 0x0100000D
REG_SZ = 1
KEY_READ = 0x20019
DWORD = ctypes.c_uint32
HANDLE = ctypes.c_void_p

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAILED:", what, file=sys.stderr)


def load(path):
    lib = ctypes.CDLL(path)
    sig = {
        "OpenCluster": (HANDLE, [ctypes.c_wchar_p]),
        "CloseCluster": (ctypes.c_int, [HANDLE]),
        "ClusterOpenEnum": (HANDLE, [HANDLE, DWORD]),
        "ClusterGetEnumCount": (DWORD, [HANDLE]),
        "ClusterEnum": (DWORD, [HANDLE, DWORD, ctypes.POINTER(DWORD), ctypes.c_wchar_p,
                                ctypes.POINTER(DWORD)]),
        "ClusterCloseEnum": (DWORD, [HANDLE]),
        "CreateClusterGroup": (HANDLE, [HANDLE, ctypes.c_wchar_p]),
        "DeleteClusterGroup": (DWORD, [HANDLE]),
        "CloseClusterGroup": (ctypes.c_int, [HANDLE]),
        "CreateClusterResource": (HANDLE, [HANDLE, ctypes.c_wchar_p, ctypes.c_wchar_p, DWORD]),
        "DeleteClusterResource": (DWORD, [HANDLE]),
        "CloseClusterResource": (ctypes.c_int, [HANDLE]),
        "OnlineClusterResource": (DWORD, [HANDLE]),
        "OfflineClusterResource": (DWORD, [HANDLE]),
        "GetClusterResourceState": (ctypes.c_int, [HANDLE, ctypes.c_wchar_p,
                                                   ctypes.POINTER(DWORD), ctypes.c_wchar_p,
                                                   ctypes.POINTER(DWORD)]),
        "SetClusterResourceName": (DWORD, [HANDLE, ctypes.c_wchar_p]),
        "OpenClusterNode": (HANDLE, [HANDLE, ctypes.c_wchar_p]),
        "CloseClusterNode": (ctypes.c_int, [HANDLE]),
        "ClusterNodeOpenEnum": (HANDLE, [HANDLE, DWORD]),
        "ClusterNodeGetEnumCount": (DWORD, [HANDLE]),
        "ClusterNodeEnum": (DWORD, [HANDLE, DWORD, ctypes.POINTER(DWORD), ctypes.c_wchar_p,
                                    ctypes.POINTER(DWORD)]),
        "ClusterNodeCloseEnum": (DWORD, [HANDLE]),
        "ClusterResourceControl": (DWORD, [HANDLE, HANDLE, DWORD, ctypes.c_void_p, DWORD,
                                           ctypes.c_void_p, DWORD, ctypes.POINTER(DWORD)]),
        "CreateClusterNotifyPort": (HANDLE, [HANDLE, HANDLE, DWORD, ctypes.c_size_t]),
        "GetClusterNotify": (DWORD, [HANDLE, ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(DWORD),
                                     ctypes.c_wchar_p, ctypes.POINTER(DWORD), DWORD]),
        "CloseClusterNotifyPort": (ctypes.c_int, [HANDLE]),
        "GetClusterResourceKey": (HANDLE, [HANDLE, DWORD]),
        # libclusapi exports the cluster registry functions itself, as clusapi.dll does.
        "ClusterRegQueryValue": (ctypes.c_long, [HANDLE, ctypes.c_wchar_p, ctypes.POINTER(DWORD),
                                                 ctypes.c_void_p, ctypes.POINTER(DWORD)]),
        "ClusterRegSetValue": (DWORD, [HANDLE, ctypes.c_wchar_p, DWORD, ctypes.c_void_p, DWORD]),
        "ClusterRegCloseKey": (ctypes.c_long, [HANDLE]),
        # kernel32's part on Windows; found through libclusapi's dependencies here.
        "GetLastError": (DWORD, []),
    }
    for name, (restype, argtypes) in sig.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def enum_names(lib, henum, enum=None):
    """Every (type, name) of an enumeration, growing the buffer on ERROR_MORE_DATA."""
    enum = enum or lib.ClusterEnum
    out = []
    index = 0
    size = 1  # deliberately tiny: every name takes the growing path
    while True:
        buf = ctypes.create_unicode_buffer(size)
        cch = DWORD(size)
        kind = DWORD(0)
        rc = enum(henum, index, ctypes.byref(kind), buf, ctypes.byref(cch))
        if rc == ERROR_MORE_DATA:
            size = cch.value + 1
            continue
        if rc == ERROR_NO_MORE_ITEMS:
            return out
        check(rc == ERROR_SUCCESS, "ClusterEnum returned %d" % rc)
        if rc != ERROR_SUCCESS:
            return out
        check(cch.value == len(buf.value), "ClusterEnum length %d for %r" % (cch.value, buf.value))
        out.append((kind.value, buf.value))
        index += 1
        size = 1


def resource_control(lib, hres, code):
    """The output of a control code: a size query with no buffer, then the read."""
    needed = DWORD(0)
    rc = lib.ClusterResourceControl(hres, None, code, None, 0, None, 0, ctypes.byref(needed))
    check(rc in (ERROR_SUCCESS, ERROR_MORE_DATA), "size query of %#x: %d" % (code, rc))
    buf = ctypes.create_string_buffer(needed.value)
    returned = DWORD(0)
    rc = lib.ClusterResourceControl(hres, None, code, None, 0, buf, needed.value,
                                    ctypes.byref(returned))
    check(rc == ERROR_SUCCESS and returned.value == needed.value, "control %#x: %d" % (code, rc))
    return buf.raw[:returned.value]


def resource_state(lib, hres):
    """State, node and group of a resource, growing both buffers until they fit."""
    node_size, group_size = 1, 1
    while True:
        node, group = ctypes.create_unicode_buffer(node_size), ctypes.create_unicode_buffer(group_size)
        cch_node, cch_group = DWORD(node_size), DWORD(group_size)
        state = lib.GetClusterResourceState(hres, node, ctypes.byref(cch_node), group,
                                            ctypes.byref(cch_group))
        if state == -1 and lib.GetLastError() == ERROR_MORE_DATA:
            node_size, group_size = cch_node.value + 1, cch_group.value + 1
            continue
        return state, node.value, group.value


def registry_string(lib, hkey, name):
    """A REG_SZ value: the size first (NULL data), then a buffer of that size."""
    kind, size = DWORD(0), DWORD(0)
    rc = lib.ClusterRegQueryValue(hkey, name, ctypes.byref(kind), None, ctypes.byref(size))
    check(rc == ERROR_SUCCESS and kind.value == REG_SZ, "size of %s: %d type %d"
          % (name, rc, kind.value))
    buf = ctypes.create_string_buffer(size.value)
    rc = lib.ClusterRegQueryValue(hkey, name, ctypes.byref(kind), buf, ctypes.byref(size))
    check(rc == ERROR_SUCCESS, "ClusterRegQueryValue %s: %d" % (name, rc))
    wide = "utf-32-le" if ctypes.sizeof(ctypes.c_wchar) == 4 else "utf-16-le"
    return buf.raw[:size.value].decode(wide).rstrip("\0")


def check_registry(lib, res):
    hkey = lib.GetClusterResourceKey(res, KEY_READ)
    check(bool(hkey), "GetClusterResourceKey: %d" % lib.GetLastError())
    if not hkey:
        return
    check(registry_string(lib, hkey, "Name") == "ctypes rénamed", "Name in the registry")
    check(registry_string(lib, hkey, "Type") == "Dummy", "Type in the registry")
    text = ctypes.create_unicode_buffer("free text")
    rc = lib.ClusterRegSetValue(hkey, "Type", REG_SZ, text, ctypes.sizeof(text))
    check(rc == ERROR_ACCESS_DENIED, "writing Type is refused: %d" % rc)
    check(lib.ClusterRegCloseKey(hkey) == ERROR_SUCCESS, "ClusterRegCloseKey")


def check_notify_port(lib, cluster):
    """A port hears a group created; a thread blocked in GetClusterNotify(INFINITE) returns
    ERROR_INVALID_HANDLE when another thread closes the port."""
    import threading
    port = lib.CreateClusterNotifyPort(INVALID_HANDLE_VALUE, cluster, CLUSTER_CHANGE_GROUP_ADDED,
                                       42)
    check(bool(port), "CreateClusterNotifyPort: %d" % lib.GetLastError())
    if not port:
        return
    key, kind, cch = ctypes.c_size_t(0), DWORD(0), DWORD(64)
    buf = ctypes.create_unicode_buffer(64)
    check(lib.GetClusterNotify(port, ctypes.byref(key), ctypes.byref(kind), buf, ctypes.byref(cch),
                               0) == WAIT_TIMEOUT, "nothing queued yet")
    group = lib.CreateClusterGroup(cluster, "ctypes nötify")
    cch = DWORD(64)
    rc = lib.GetClusterNotify(port, ctypes.byref(key), ctypes.byref(kind), buf, ctypes.byref(cch),
                              10000)
    check((rc, key.value, kind.value, buf.value) ==
          (ERROR_SUCCESS, 42, CLUSTER_CHANGE_GROUP_ADDED, "ctypes nötify"),
          "notification %r" % ((rc, key.value, kind.value, buf.value),))
    lib.DeleteClusterGroup(group)
    lib.CloseClusterGroup(group)

    result = []

    def wait_forever():
        k, t, c = ctypes.c_size_t(0), DWORD(0), DWORD(64)
        b = ctypes.create_unicode_buffer(64)
        result.append(lib.GetClusterNotify(port, ctypes.byref(k), ctypes.byref(t), b,
                                           ctypes.byref(c), INFINITE))

    waiter = threading.Thread(target=wait_forever)
    waiter.start()
    check(lib.CloseClusterNotifyPort(port) == 1, "CloseClusterNotifyPort")
    waiter.join(10)
    check(not waiter.is_alive() and result == [ERROR_INVALID_HANDLE],
          "the blocked GetClusterNotify returned %r" % (result,))


def main():
    lib_path, address, node_name = sys.argv[1:4]
    lib = load(lib_path)
    cluster = lib.OpenCluster(address)
    if not cluster:
        print("OpenCluster failed:", lib.GetLastError(), file=sys.stderr)
        return 1
    henum = lib.ClusterOpenEnum(cluster, CLUSTER_ENUM_NODE | CLUSTER_ENUM_RESTYPE)
    names = enum_names(lib, henum)
    check(lib.ClusterGetEnumCount(henum) == len(names), "ClusterGetEnumCount")
    check((CLUSTER_ENUM_NODE, node_name) in names, "node %s in %r" % (node_name, names))
    check((CLUSTER_ENUM_RESTYPE, "Dummy") in names, "Dummy in %r" % (names,))
    check(lib.ClusterCloseEnum(henum) == ERROR_SUCCESS, "ClusterCloseEnum")
    check(lib.ClusterCloseEnum(henum) == ERROR_INVALID_HANDLE, "ClusterCloseEnum twice")

    group = lib.CreateClusterGroup(cluster, "ctypes gröup")  # not ASCII on purpose
    check(bool(group), "CreateClusterGroup: %d" % lib.GetLastError())
    res = lib.CreateClusterResource(group, "ctypes résource", "Dummy", 0)
    check(bool(res), "CreateClusterResource: %d" % lib.GetLastError())
    if group and res:
        state, node, grp = resource_state(lib, res)
        check((node, grp) == (node_name, "ctypes gröup"), "state names %r" % ((node, grp),))
        check(lib.SetClusterResourceName(res, "ctypes rénamed") == ERROR_SUCCESS, "rename")
        name = resource_control(lib, res, CLUSCTL_RESOURCE_GET_NAME)
        check(name.decode("utf-32-le" if ctypes.sizeof(ctypes.c_wchar) == 4 else "utf-16-le")
              == "ctypes rénamed\0", "GET_NAME %r" % name)
        check(len(resource_control(lib, res, CLUSCTL_RESOURCE_GET_CLASS_INFO)) == 8, "class info")
        check_registry(lib, res)
        hnode = lib.OpenClusterNode(cluster, node_name)
        nenum = lib.ClusterNodeOpenEnum(hnode, CLUSTER_NODE_ENUM_GROUPS)
        owned = enum_names(lib, nenum, lib.ClusterNodeEnum)
        check((CLUSTER_NODE_ENUM_GROUPS, "ctypes gröup") in owned, "node owns %r" % (owned,))
        check(lib.ClusterNodeGetEnumCount(nenum) == len(owned), "ClusterNodeGetEnumCount")
        check(lib.ClusterNodeCloseEnum(nenum) == ERROR_SUCCESS, "ClusterNodeCloseEnum")
        lib.CloseClusterNode(hnode)
        rc = lib.OnlineClusterResource(res)
        check(rc in (ERROR_SUCCESS, ERROR_IO_PENDING), "OnlineClusterResource %d" % rc)
        import time
        deadline = time.monotonic() + 20
        while resource_state(lib, res)[0] != CLUSTER_RESOURCE_ONLINE and time.monotonic() < deadline:
            time.sleep(0.05)
        check(resource_state(lib, res)[0] == CLUSTER_RESOURCE_ONLINE, "online")
        lib.OfflineClusterResource(res)
        deadline = time.monotonic() + 20
        while lib.DeleteClusterResource(res) != ERROR_SUCCESS and time.monotonic() < deadline:
            time.sleep(0.05)
        check(lib.DeleteClusterGroup(group) == ERROR_SUCCESS, "DeleteClusterGroup")
    if res:
        lib.CloseClusterResource(res)
    if group:
        lib.CloseClusterGroup(group)
    check_notify_port(lib, cluster)
    check(lib.CloseCluster(cluster) == 1, "CloseCluster")
    print("clusapi_ctypes_test: %d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
