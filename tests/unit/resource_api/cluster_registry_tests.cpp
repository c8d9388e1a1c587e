// ClusterReg* as a plugin calls them (the C functions), over a registry_tree.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "wolfpack/clusapi.h"
#include "wolfpack/registry_tree.hpp"

using namespace wolfpack;

namespace {

struct observed {
  std::wstring key_path;
  std::wstring name;
  bool deleted = false;
  reg_value value;
};

DWORD sz_size(const wchar_t* s) {
  return static_cast<DWORD>((std::wcslen(s) + 1) * sizeof(WCHAR));
}

LONG set_sz(HKEY key, const wchar_t* name, const wchar_t* value) {
  return static_cast<LONG>(
      ClusterRegSetValue(key, name, REG_SZ, reinterpret_cast<const BYTE*>(value), sz_size(value)));
}

LONG set_dword(HKEY key, const wchar_t* name, DWORD value) {
  return static_cast<LONG>(ClusterRegSetValue(key, name, REG_DWORD,
                                              reinterpret_cast<const BYTE*>(&value), sizeof value));
}

}  // namespace

TEST_CASE("open, create and close keys", "[cluster_registry]") {
  registry_tree tree;
  HKEY root = tree.root();
  REQUIRE(root != nullptr);

  HKEY params = reinterpret_cast<HKEY>(1);
  CHECK(ClusterRegOpenKey(root, L"Parameters", KEY_READ, &params) == ERROR_FILE_NOT_FOUND);
  CHECK(params == nullptr);

  DWORD disposition = 0;
  REQUIRE(ClusterRegCreateKey(root, L"Parameters", 0, KEY_ALL_ACCESS, nullptr, &params,
                              &disposition) == ERROR_SUCCESS);
  CHECK(disposition == REG_CREATED_NEW_KEY);
  CHECK(tree.key_exists(L"Parameters"));

  HKEY again = nullptr;
  REQUIRE(ClusterRegCreateKey(root, L"PARAMETERS", 0, KEY_ALL_ACCESS, nullptr, &again,
                              &disposition) == ERROR_SUCCESS);
  CHECK(disposition == REG_OPENED_EXISTING_KEY);
  CHECK(again != params);  // a new handle to the same key

  HKEY opened = nullptr;
  REQUIRE(ClusterRegOpenKey(root, L"parameters", KEY_READ, &opened) == ERROR_SUCCESS);

  // Several levels at once, and NULL/"" for "this key".
  HKEY deep = nullptr;
  REQUIRE(ClusterRegCreateKey(root, L"A\\B\\C", 0, KEY_ALL_ACCESS, nullptr, &deep, nullptr) ==
          ERROR_SUCCESS);
  CHECK(tree.key_exists(L"A\\B\\C"));
  HKEY self = nullptr;
  REQUIRE(ClusterRegOpenKey(params, nullptr, KEY_READ, &self) == ERROR_SUCCESS);
  REQUIRE(set_dword(self, L"Via", 1) == ERROR_SUCCESS);
  CHECK(tree.get_value(L"Parameters", L"Via").has_value());
  HKEY bad = nullptr;
  CHECK(ClusterRegOpenKey(root, L"\\Parameters", KEY_READ, &bad) == ERROR_BAD_PATHNAME);

  for (HKEY h : {params, again, opened, deep, self})
    CHECK(ClusterRegCloseKey(h) == ERROR_SUCCESS);
  // Closed handles are detected, not dereferenced.
  CHECK(ClusterRegCloseKey(params) == ERROR_INVALID_HANDLE);
  DWORD type = 0;
  CHECK(ClusterRegQueryValue(params, L"Via", &type, nullptr, nullptr) == ERROR_INVALID_HANDLE);
  CHECK(set_dword(opened, L"x", 1) == ERROR_INVALID_HANDLE);

  // Closing the root is harmless; it stays usable.
  CHECK(ClusterRegCloseKey(root) == ERROR_SUCCESS);
  CHECK(ClusterRegOpenKey(root, L"Parameters", KEY_READ, &opened) == ERROR_SUCCESS);
  CHECK(ClusterRegCloseKey(opened) == ERROR_SUCCESS);
}

TEST_CASE("NULL, unknown and garbage handles and pointers", "[cluster_registry]") {
  registry_tree tree;
  HKEY key = nullptr;
  CHECK(ClusterRegOpenKey(nullptr, L"x", KEY_READ, &key) == ERROR_INVALID_HANDLE);
  CHECK(ClusterRegCloseKey(nullptr) == ERROR_INVALID_HANDLE);
  CHECK(ClusterRegCloseKey(reinterpret_cast<HKEY>(0xdeadbeef)) == ERROR_INVALID_HANDLE);
  CHECK(ClusterRegQueryInfoKey(reinterpret_cast<HKEY>(0x10), nullptr, nullptr, nullptr, nullptr,
                               nullptr, nullptr, nullptr) == ERROR_INVALID_HANDLE);

  CHECK(ClusterRegOpenKey(tree.root(), L"x", KEY_READ, nullptr) == ERROR_INVALID_PARAMETER);
  CHECK(ClusterRegCreateKey(tree.root(), L"x", 0, KEY_ALL_ACCESS, nullptr, nullptr, nullptr) ==
        ERROR_INVALID_PARAMETER);
  CHECK(ClusterRegDeleteKey(tree.root(), nullptr) == ERROR_INVALID_PARAMETER);
  CHECK(ClusterRegSetValue(tree.root(), L"v", REG_BINARY, nullptr, 4) == ERROR_INVALID_PARAMETER);
  REQUIRE(set_dword(tree.root(), L"v", 5) == ERROR_SUCCESS);
  BYTE buffer[8];
  CHECK(ClusterRegQueryValue(tree.root(), L"v", nullptr, buffer, nullptr) ==
        ERROR_INVALID_PARAMETER);
  DWORD cch = 4;
  CHECK(ClusterRegEnumValue(tree.root(), 0, nullptr, &cch, nullptr, nullptr, nullptr) ==
        ERROR_INVALID_PARAMETER);
  CHECK(ClusterRegEnumKey(tree.root(), 0, nullptr, &cch, nullptr) == ERROR_INVALID_PARAMETER);

  // A tree's handles die with it.
  HKEY root = nullptr;
  HKEY sub = nullptr;
  {
    registry_tree short_lived;
    root = short_lived.root();
    REQUIRE(ClusterRegCreateKey(root, L"P", 0, KEY_ALL_ACCESS, nullptr, &sub, nullptr) ==
            ERROR_SUCCESS);
  }
  CHECK(set_dword(root, L"x", 1) == ERROR_INVALID_HANDLE);
  CHECK(set_dword(sub, L"x", 1) == ERROR_INVALID_HANDLE);
  CHECK(ClusterRegCloseKey(sub) == ERROR_INVALID_HANDLE);
}

TEST_CASE("set and query values with Win32 buffer rules", "[cluster_registry]") {
  registry_tree tree;
  HKEY params = nullptr;
  REQUIRE(ClusterRegCreateKey(tree.root(), L"Parameters", 0, KEY_ALL_ACCESS, nullptr, &params,
                              nullptr) == ERROR_SUCCESS);
  REQUIRE(set_sz(params, L"Path", L"/srv/data") == ERROR_SUCCESS);
  REQUIRE(set_dword(params, L"Retries", 3) == ERROR_SUCCESS);

  // The host sees exactly the bytes the plugin wrote.
  CHECK(*tree.get_value(L"Parameters", L"Path") == make_sz(L"/srv/data"));
  CHECK(as_dword(*tree.get_value(L"Parameters", L"Retries")) == 3u);

  DWORD type = 0;
  DWORD size = 0;
  // NULL data: the size, and success.
  CHECK(ClusterRegQueryValue(params, L"Path", &type, nullptr, &size) == ERROR_SUCCESS);
  CHECK(type == REG_SZ);
  CHECK(size == sz_size(L"/srv/data"));

  // Short buffer: ERROR_MORE_DATA and the size needed.
  std::vector<BYTE> small(4);
  DWORD small_size = static_cast<DWORD>(small.size());
  CHECK(ClusterRegQueryValue(params, L"Path", &type, small.data(), &small_size) == ERROR_MORE_DATA);
  CHECK(small_size == size);

  std::vector<BYTE> buffer(size);
  DWORD buffer_size = size;
  REQUIRE(ClusterRegQueryValue(params, L"path", &type, buffer.data(), &buffer_size) ==
          ERROR_SUCCESS);
  CHECK(buffer_size == size);
  CHECK(std::wstring(reinterpret_cast<const wchar_t*>(buffer.data())) == L"/srv/data");

  DWORD retries = 0;
  DWORD retries_size = sizeof retries;
  REQUIRE(ClusterRegQueryValue(params, L"RETRIES", &type, reinterpret_cast<BYTE*>(&retries),
                               &retries_size) == ERROR_SUCCESS);
  CHECK(type == REG_DWORD);
  CHECK(retries == 3);

  CHECK(ClusterRegQueryValue(params, L"Missing", &type, nullptr, &size) == ERROR_FILE_NOT_FOUND);

  // Overwriting keeps one value; the default (unnamed) value is a value like any other.
  REQUIRE(set_dword(params, L"retries", 4) == ERROR_SUCCESS);
  CHECK(tree.values(L"Parameters").size() == 2);
  REQUIRE(set_sz(params, nullptr, L"default") == ERROR_SUCCESS);
  CHECK(as_sz(*tree.get_value(L"Parameters", L"")) == std::wstring(L"default"));

  // An empty value.
  REQUIRE(ClusterRegSetValue(params, L"Empty", REG_BINARY, nullptr, 0) == ERROR_SUCCESS);
  size = 99;
  CHECK(ClusterRegQueryValue(params, L"Empty", &type, buffer.data(), &size) == ERROR_SUCCESS);
  CHECK(size == 0);
  CHECK(type == REG_BINARY);
  ClusterRegCloseKey(params);
}

TEST_CASE("host values are visible to the plugin", "[cluster_registry]") {
  registry_tree tree;
  tree.set_value(L"Parameters", L"Port", make_dword(8080));
  HKEY params = nullptr;
  REQUIRE(ClusterRegOpenKey(tree.root(), L"Parameters", KEY_READ, &params) == ERROR_SUCCESS);
  DWORD port = 0;
  DWORD size = sizeof port;
  CHECK(ClusterRegQueryValue(params, L"Port", nullptr, reinterpret_cast<BYTE*>(&port), &size) ==
        ERROR_SUCCESS);
  CHECK(port == 8080);
  tree.set_value(L"Parameters", L"Port", make_dword(9090));  // a later host write is seen too
  CHECK(ClusterRegQueryValue(params, L"Port", nullptr, reinterpret_cast<BYTE*>(&port), &size) ==
        ERROR_SUCCESS);
  CHECK(port == 9090);
  ClusterRegCloseKey(params);
}

TEST_CASE("enumerate values and keys to ERROR_NO_MORE_ITEMS", "[cluster_registry]") {
  registry_tree tree;
  HKEY root = tree.root();
  REQUIRE(set_dword(root, L"First", 1) == ERROR_SUCCESS);
  REQUIRE(set_sz(root, L"SecondValue", L"two") == ERROR_SUCCESS);

  std::vector<std::wstring> names;
  for (DWORD i = 0;; ++i) {
    wchar_t name[64];
    DWORD cch = 64;
    DWORD type = 0;
    BYTE data[64];
    DWORD cb = sizeof data;
    const DWORD rc = ClusterRegEnumValue(root, i, name, &cch, &type, data, &cb);
    if (rc == ERROR_NO_MORE_ITEMS)
      break;
    REQUIRE(rc == ERROR_SUCCESS);
    CHECK(cch == std::wcslen(name));  // characters, without the terminator
    names.emplace_back(name);
    if (names.back() == L"First") {
      CHECK(type == REG_DWORD);
      CHECK(cb == 4);
    }
  }
  CHECK(names == std::vector<std::wstring>{L"First", L"SecondValue"});

  // A short name buffer: ERROR_MORE_DATA and the length needed (without the terminator).
  wchar_t tiny[4];
  DWORD cch = 4;
  CHECK(ClusterRegEnumValue(root, 1, tiny, &cch, nullptr, nullptr, nullptr) == ERROR_MORE_DATA);
  CHECK(cch == std::wcslen(L"SecondValue"));
  // A short data buffer: ERROR_MORE_DATA and the byte size; NULL data gives the size.
  wchar_t name[32];
  cch = 32;
  BYTE data[2];
  DWORD cb = sizeof data;
  CHECK(ClusterRegEnumValue(root, 1, name, &cch, nullptr, data, &cb) == ERROR_MORE_DATA);
  CHECK(cb == sz_size(L"two"));
  cch = 32;
  cb = 0;
  CHECK(ClusterRegEnumValue(root, 1, name, &cch, nullptr, nullptr, &cb) == ERROR_SUCCESS);
  CHECK(cb == sz_size(L"two"));

  HKEY k = nullptr;
  REQUIRE(ClusterRegCreateKey(root, L"Parameters", 0, KEY_ALL_ACCESS, nullptr, &k, nullptr) ==
          ERROR_SUCCESS);
  ClusterRegCloseKey(k);
  REQUIRE(ClusterRegCreateKey(root, L"Checkpoints", 0, KEY_ALL_ACCESS, nullptr, &k, nullptr) ==
          ERROR_SUCCESS);
  ClusterRegCloseKey(k);
  std::vector<std::wstring> keys;
  for (DWORD i = 0;; ++i) {
    wchar_t key_name[64];
    DWORD key_cch = 64;
    FILETIME written{};
    const LONG rc = ClusterRegEnumKey(root, i, key_name, &key_cch, &written);
    if (rc == ERROR_NO_MORE_ITEMS)
      break;
    REQUIRE(rc == ERROR_SUCCESS);
    CHECK(key_cch == std::wcslen(key_name));
    CHECK(written.dwHighDateTime != 0);  // set, and after 1601
    keys.emplace_back(key_name);
  }
  CHECK(keys == std::vector<std::wstring>{L"Parameters", L"Checkpoints"});
  cch = 3;
  CHECK(ClusterRegEnumKey(root, 0, tiny, &cch, nullptr) == ERROR_MORE_DATA);
  CHECK(cch == std::wcslen(L"Parameters"));

  DWORD subkeys = 0, max_subkey = 0, values = 0, max_value_name = 0, max_value = 0, sd = 99;
  FILETIME written{};
  REQUIRE(ClusterRegQueryInfoKey(root, &subkeys, &max_subkey, &values, &max_value_name, &max_value,
                                 &sd, &written) == ERROR_SUCCESS);
  CHECK(subkeys == 2);
  CHECK(max_subkey == std::wcslen(L"Checkpoints"));
  CHECK(values == 2);
  CHECK(max_value_name == std::wcslen(L"SecondValue"));
  CHECK(max_value == sz_size(L"two"));
  CHECK(sd == 0);
  CHECK(written.dwHighDateTime != 0);
}

TEST_CASE("delete values and keys", "[cluster_registry]") {
  registry_tree tree;
  HKEY root = tree.root();
  REQUIRE(set_dword(root, L"Gone", 1) == ERROR_SUCCESS);
  CHECK(ClusterRegDeleteValue(root, L"GONE") == ERROR_SUCCESS);
  CHECK(ClusterRegDeleteValue(root, L"Gone") == ERROR_FILE_NOT_FOUND);
  DWORD size = 0;
  CHECK(ClusterRegQueryValue(root, L"Gone", nullptr, nullptr, &size) == ERROR_FILE_NOT_FOUND);

  HKEY leaf = nullptr;
  REQUIRE(ClusterRegCreateKey(root, L"A\\B", 0, KEY_ALL_ACCESS, nullptr, &leaf, nullptr) ==
          ERROR_SUCCESS);
  CHECK(ClusterRegDeleteKey(root, L"A") == ERROR_ACCESS_DENIED);  // has a subkey
  CHECK(ClusterRegDeleteKey(root, L"Missing") == ERROR_FILE_NOT_FOUND);
  CHECK(ClusterRegDeleteKey(root, L"a\\b") == ERROR_SUCCESS);
  CHECK_FALSE(tree.key_exists(L"A\\B"));
  // An open handle to a deleted key reports it.
  CHECK(set_dword(leaf, L"x", 1) == ERROR_KEY_DELETED);
  CHECK(ClusterRegCloseKey(leaf) == ERROR_SUCCESS);
  CHECK(ClusterRegDeleteKey(root, L"A") == ERROR_SUCCESS);
  CHECK(tree.subkeys(L"").empty());
}

TEST_CASE("the observer sees plugin writes, not host writes", "[cluster_registry]") {
  registry_tree tree;
  std::vector<observed> seen;
  tree.set_observer(
      [&](const std::wstring& key_path, const std::wstring& name, const reg_value* value) {
        observed o;
        o.key_path = key_path;
        o.name = name;
        o.deleted = value == nullptr;
        if (value)
          o.value = *value;
        // The observer may read the tree (no lock is held while it runs).
        if (value)
          CHECK(tree.get_value(key_path, name) == *value);
        seen.push_back(o);
      });

  tree.set_value(L"Parameters", L"HostOnly", make_dword(1));
  tree.replace_values(L"Parameters", {{L"HostOnly", make_dword(2)}});
  tree.delete_value(L"Parameters", L"HostOnly");
  CHECK(seen.empty());

  HKEY params = nullptr;
  REQUIRE(ClusterRegOpenKey(tree.root(), L"parameters", KEY_ALL_ACCESS, &params) == ERROR_SUCCESS);
  REQUIRE(set_dword(params, L"Counter", 7) == ERROR_SUCCESS);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].key_path == L"Parameters");  // the stored spelling
  CHECK(seen[0].name == L"Counter");
  CHECK_FALSE(seen[0].deleted);
  CHECK(seen[0].value == make_dword(7));

  REQUIRE(set_dword(tree.root(), L"AtRoot", 1) == ERROR_SUCCESS);
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].key_path == L"");

  REQUIRE(ClusterRegDeleteValue(params, L"COUNTER") == ERROR_SUCCESS);
  REQUIRE(seen.size() == 3);
  CHECK(seen[2].name == L"Counter");
  CHECK(seen[2].deleted);

  HKEY sub = nullptr;
  REQUIRE(ClusterRegCreateKey(params, L"Sub\\Leaf", 0, KEY_ALL_ACCESS, nullptr, &sub, nullptr) ==
          ERROR_SUCCESS);
  CHECK(seen.size() == 3);  // creating a key writes no value
  REQUIRE(set_dword(sub, L"a", 1) == ERROR_SUCCESS);
  REQUIRE(set_dword(sub, L"b", 2) == ERROR_SUCCESS);
  REQUIRE(seen.size() == 5);
  CHECK(seen[4].key_path == L"Parameters\\Sub\\Leaf");
  // Deleting a key deletes its values, each reported.
  REQUIRE(ClusterRegDeleteKey(params, L"Sub\\Leaf") == ERROR_SUCCESS);
  REQUIRE(seen.size() == 7);
  CHECK(seen[5].key_path == L"Parameters\\Sub\\Leaf");
  CHECK(seen[5].deleted);
  CHECK(seen[6].name == L"b");

  ClusterRegCloseKey(sub);
  ClusterRegCloseKey(params);
}

TEST_CASE("an observer that throws does not fail the write", "[cluster_registry]") {
  registry_tree tree;
  tree.set_observer([](const std::wstring&, const std::wstring&, const reg_value*) { throw 42; });
  CHECK(set_dword(tree.root(), L"v", 1) == ERROR_SUCCESS);
  CHECK(tree.get_value(L"", L"v").has_value());
}

TEST_CASE("plugin threads write concurrently", "[cluster_registry]") {
  registry_tree tree;
  std::atomic<int> notifications{0};
  tree.set_observer(
      [&](const std::wstring&, const std::wstring&, const reg_value*) { ++notifications; });
  constexpr int threads = 4;
  constexpr int writes = 200;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&tree, t] {
      HKEY key = nullptr;
      if (ClusterRegCreateKey(tree.root(), L"Parameters", 0, KEY_ALL_ACCESS, nullptr, &key,
                              nullptr) != ERROR_SUCCESS) {
        return;
      }
      for (int i = 0; i < writes; ++i) {
        const std::wstring name = L"t" + std::to_wstring(t) + L"_" + std::to_wstring(i % 10);
        set_dword(key, name.c_str(), static_cast<DWORD>(i));
        DWORD size = 0;
        ClusterRegQueryValue(key, name.c_str(), nullptr, nullptr, &size);
      }
      ClusterRegCloseKey(key);
    });
  }
  for (auto& w : workers)
    w.join();
  CHECK(notifications == threads * writes);
  CHECK(tree.values(L"Parameters").size() == threads * 10);
}
