#!/usr/bin/env python3
"""Runs the cross-built Windows binaries under Wine, headless and quiet (docs/windows.md).

  wine_smoke.py --wine WINE64 --prefix DIR boot
      Creates the Wine prefix DIR once (wineboot); does nothing when it is already there.
  wine_smoke.py --wine WINE64 --prefix DIR harness --resrcmon EXE --plugin DLL
      Runs `resrcmon.exe --standalone` (the plugin harness) on the Dummy plugin and checks
      that the resource went Online, was polled, went Offline and was closed, exit code 0.

  wine_smoke.py --wine WINE64 --prefix DIR monitor --resrcmon EXE --plugin DLL
      Plays clussvc: listens on TCP loopback (what Windows has instead of a Unix socket),
      starts `resrcmon.exe --connect tcp:127.0.0.1:PORT` and drives one Dummy resource online,
      offline and closed over the monitor protocol (docs/monitor-protocol.md), then shutdown.

  wine_smoke.py --wine WINE64 --prefix DIR crypto --exe WP_CRYPTO_VECTORS_EXE
      Runs the crypto test vectors (RFC 4231, FIPS 180-2) against BCrypt.

  wine_smoke.py --wine WINE64 --prefix DIR node --bindir DIR --workdir DIR
      One clussvc.exe; cluster.exe creates a group of two Dummy resources and takes it online
      and offline (wine_cluster.py).

  wine_smoke.py --wine WINE64 --prefix DIR lab --bindir DIR --workdir DIR
      Two clussvc.exe with a shared secret; cluster.exe moves a group to node2, whose
      clussvc.exe is then killed, and the group comes online on node1 (wine_cluster.py).

  wine_smoke.py skipped REASON
      Says why a check could not be built and exits 77, which ctest reports as skipped.

Exit code 0 when the check passed, 1 when it failed, with the reason on stderr.
"""

import argparse
import ctypes
import json
import os
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import wine_cluster

# ctest's SKIP_RETURN_CODE for the checks whose binaries could not be built.
SKIPPED = 77


def wine_env(prefix: Path) -> dict:
    env = dict(os.environ)
    # No X and no Wayland: Wine then opens no window and needs no display server.
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    env.update({
        "WINEPREFIX": str(prefix),
        "WINEARCH": "win64",
        # Wine's own diagnostics ("fixme:...") would drown the program's output; its errors
        # about the address space stay (see without_address_randomization).
        "WINEDEBUG": "-all,err+virtual",
        # No Mono or Gecko: wineboot would otherwise offer to download them.
        "WINEDLLOVERRIDES": "mscoree,mshtml=",
    })
    return env


def wineserver(wine: Path) -> Path:
    return wine.parent / "wineserver"


def windows_path(path: Path) -> str:
    # A new prefix maps drive Z: to the Unix root, so every absolute path has a Windows name.
    return "Z:" + str(path.resolve()).replace("/", "\\")


def boot(args) -> int:
    prefix = Path(args.prefix)
    if (prefix / "system.reg").exists():
        print(f"wine prefix {prefix} is ready")
        return 0
    prefix.parent.mkdir(parents=True, exist_ok=True)
    env = wine_env(prefix)
    started = time.monotonic()
    run = subprocess.run([str(args.wine), "wineboot", "--init"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=240)
    # wineboot returns before the prefix is written out; the server finishes it.
    subprocess.run([str(wineserver(args.wine)), "-w"], env=env, timeout=240)
    elapsed = time.monotonic() - started
    if run.returncode != 0 or not (prefix / "system.reg").exists():
        print(f"wineboot failed (exit code {run.returncode}):\n{run.stdout}", file=sys.stderr)
        return 1
    print(f"wine prefix {prefix} created in {elapsed:.1f} s")
    return 0


def harness(args) -> int:
    command = [str(args.wine), str(args.resrcmon), "--standalone",
               "--plugin", windows_path(args.plugin), "--type", "Dummy", "--name", "smoke",
               "--hold", "1", "--looks-alive-ms", "200"]
    started = time.monotonic()
    run = subprocess.run(command, env=wine_env(Path(args.prefix)), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, timeout=150)
    elapsed = time.monotonic() - started

    def failed(reason: str) -> int:
        print(f"harness under Wine: {reason}\ncommand: {' '.join(command)}\n"
              f"exit code: {run.returncode}\nstdout:\n{run.stdout}\nstderr:\n{run.stderr}",
              file=sys.stderr)
        return 1

    events = []
    for line in run.stdout.splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            return failed(f"a line of stdout is not JSON: {line!r}")
    if run.returncode != 0:
        return failed("exit code is not 0")
    states = [e["state"] for e in events if e.get("type") == "state"]
    calls = [e["entry"] for e in events if e.get("type") == "call"]
    for state in ("Online", "Offline"):
        if state not in states:
            return failed(f"the resource never reached {state} (states: {states})")
    if "Failed" in states:
        return failed("the resource failed")
    for entry in ("Startup", "Open", "Online", "LooksAlive", "Offline", "Close"):
        if entry not in calls:
            return failed(f"the harness never called {entry} (calls: {sorted(set(calls))})")
    # Open leaves it Offline too: the last state is the one that counts.
    if states[-1] != "Offline":
        return failed(f"the resource did not end Offline (states: {states})")
    # A plugin that crashes (CrashIn: an access violation raised in Online) takes the harness
    # down with a crash line naming the call, and exit code 1: mingw-w64's runtime turns the
    # unhandled exception of any thread into SIGSEGV for the crash handler.
    crash = subprocess.run(command[:-2] + ["--param", "CrashIn=Online"],
                           env=wine_env(Path(args.prefix)), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=150)
    crashes = [json.loads(line) for line in crash.stdout.splitlines()
               if line.startswith('{"type":"crash"')]
    if crash.returncode != 1 or not crashes or crashes[0].get("entry") != "Online" or \
            crashes[0].get("resource") != "smoke" or "during Online" not in crash.stderr:
        run = crash
        return failed("a crash in Online was not reported as one (exit code 1, a crash line "
                      "naming Online and the resource, a line on stderr)")
    print(f"Dummy went {' -> '.join(states)} under Wine; {calls.count('LooksAlive')} "
          f"LooksAlive polls; a crash in Online was reported; {elapsed:.1f} s")
    return 0


class Parent:
    """The parent's end of the monitor protocol: 4-byte big-endian length, then JSON."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.seen = []  # every frame received, for the failure report

    def send(self, message: dict):
        data = json.dumps(message).encode()
        self.sock.sendall(struct.pack(">I", len(data)) + data)

    def receive(self) -> dict:
        header = self._exactly(4)
        message = json.loads(self._exactly(struct.unpack(">I", header)[0]))
        self.seen.append(message)
        return message

    def wait_for(self, what: str, match) -> dict:
        while True:
            message = self.receive()
            if match(message):
                return message
            if message.get("type") == "response" and not message.get("ok", False):
                raise RuntimeError(f"waiting for {what}: a command failed: {message}")
            if message.get("type") == "state" and message.get("state") == "Failed":
                raise RuntimeError(f"waiting for {what}: the resource failed: {message}")

    def call(self, command: dict) -> dict:
        self.send(command)
        response = self.wait_for(f"the answer to {command['type']}",
                                 lambda m: m.get("type") == "response"
                                 and m.get("id") == command["id"])
        if not response.get("ok", False):
            raise RuntimeError(f"{command['type']} failed: {response}")
        return response

    def _exactly(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise RuntimeError("resrcmon closed the connection")
            data += chunk
        return data


def monitor(args) -> int:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(60)
    port = listener.getsockname()[1]
    command = [str(args.wine), str(args.resrcmon), "--connect", f"tcp:127.0.0.1:{port}",
               "--monitor-id", "smoke", "--node", "wine"]
    started = time.monotonic()
    process = subprocess.Popen(command, env=wine_env(Path(args.prefix)),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    parent = None
    try:
        conn, _ = listener.accept()
        conn.settimeout(60)
        parent = Parent(conn)
        hello = parent.receive()
        if hello.get("type") != "hello" or hello.get("monitor_id") != "smoke":
            raise RuntimeError(f"the first frame is not the expected hello: {hello}")
        parent.call({"type": "load_type", "id": 1, "resource_type": "Dummy",
                     "plugin": windows_path(args.plugin)})
        parent.call({"type": "open", "id": 2, "resource": "r1", "resource_type": "Dummy",
                     "parameters": {}, "timing": {"looks_alive_ms": 200, "is_alive_ms": 1000,
                                                  "pending_timeout_ms": 30000,
                                                  "deadlock_timeout_ms": 60000}})
        for step, state in ((3, "Online"), (4, "Offline")):
            parent.send({"type": state.lower(), "id": step, "resource": "r1"})
            parent.wait_for(f"r1 {state}", lambda m, s=state: m.get("type") == "state"
                            and m.get("resource") == "r1" and m.get("state") == s)
        parent.call({"type": "close", "id": 5, "resource": "r1"})
        parent.call({"type": "shutdown", "id": 6})
        code = process.wait(timeout=60)
        if code != 0:
            raise RuntimeError(f"resrcmon exited with code {code} after shutdown, not 0")
    except (OSError, RuntimeError, ValueError, subprocess.TimeoutExpired) as error:
        process.kill()
        output, _ = process.communicate()
        frames = "\n".join(json.dumps(m) for m in parent.seen) if parent else ""
        print(f"monitor under Wine: {error}\ncommand: {' '.join(command)}\n"
              f"frames received:\n{frames}\nresrcmon output:\n{output}", file=sys.stderr)
        return 1
    finally:
        listener.close()
    elapsed = time.monotonic() - started
    print(f"resrcmon.exe over tcp:127.0.0.1:{port} took Dummy r1 online, offline and closed, "
          f"then shut down; {len(parent.seen)} frames; {elapsed:.1f} s")
    return 0


def crypto(args) -> int:
    run = subprocess.run([str(args.wine), str(args.exe)], env=wine_env(Path(args.prefix)),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=120)
    lines = run.stdout.splitlines()
    if run.returncode != 0 or not lines or lines[-1] != "all vectors match":
        print(f"crypto vectors under Wine: exit code {run.returncode}\n{run.stdout}",
              file=sys.stderr)
        return 1
    print(f"BCrypt under Wine: {sum(1 for l in lines if l.startswith('ok'))} checks passed")
    return 0


def unit(args) -> int:
    """A cross-built Catch2 executable (tests/windows/unit): every TEST_CASE must pass."""
    started = time.monotonic()
    env = wine_env(Path(args.prefix))
    # The tests link libwolfpack_resutils.dll, which lives beside the other binaries.
    env["WINEPATH"] = windows_path(args.dll_dir)
    spec = [args.spec] if args.spec else []
    run = subprocess.run([str(args.wine), str(args.exe), *spec], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=540)
    summary = [l for l in run.stdout.splitlines() if l.startswith("All tests passed")
               or l.startswith("test cases:")]
    if run.returncode != 0 or not summary or not summary[-1].startswith("All tests passed"):
        print(f"{args.exe.name} under Wine: exit code {run.returncode}\n{run.stdout}",
              file=sys.stderr)
        return 1
    print(f"{args.exe.name} under Wine: {summary[-1]}; {time.monotonic() - started:.1f} s")
    return 0


def sim_parity(args) -> int:
    """The simulator is the cluster core on virtual time: for the same seed, wolfpack.exe under
    Wine must write the very trace the Linux build writes (same updates, same order, same
    times)."""
    if not args.host_wolfpack.is_file():
        print(f"skipped: no Linux build of wolfpack at {args.host_wolfpack}")
        return SKIPPED
    args.workdir.mkdir(parents=True, exist_ok=True)
    compared = []
    for seed in (3, 7, 11):
        sim = ["sim", "--nodes", "3", "--groups", "4", "--seed", str(seed), "--steps", "80"]
        linux_trace = args.workdir / f"linux-{seed}.jsonl"
        windows_trace = args.workdir / f"windows-{seed}.jsonl"
        subprocess.run([str(args.host_wolfpack), *sim, "--trace", str(linux_trace)],
                       stdout=subprocess.DEVNULL, check=True, timeout=120)
        subprocess.run([str(args.wine), str(args.exe), *sim, "--trace",
                        windows_path(windows_trace)], env=wine_env(Path(args.prefix)),
                       stdout=subprocess.DEVNULL, check=True, timeout=120)
        linux, windows = linux_trace.read_bytes(), windows_trace.read_bytes()
        if linux != windows:
            at = next((i for i, (a, b) in enumerate(zip(linux, windows)) if a != b),
                      min(len(linux), len(windows)))
            line = linux[:at].count(b"\n") + 1
            print(f"seed {seed}: the Windows trace differs from the Linux one at line {line} "
                  f"(byte {at}); both are in {args.workdir}", file=sys.stderr)
            return 1
        compared.append(f"{len(linux.splitlines())} lines")
    print(f"seeds 3, 7, 11: identical traces on Windows and Linux ({', '.join(compared)})")
    return 0


def cluster(args) -> int:
    return wine_cluster.run(args.command, args.wine, wine_env(Path(args.prefix)), args.bindir,
                            args.workdir, windows_path, getattr(args, "clusapi_test", None))


def without_address_randomization() -> None:
    """Debian's Wine 8 ships no wine64-preloader, so nothing reserves the low addresses Wine
    needs before Linux places the loader's heap at random: about once in a few thousand
    starts the heap covers 0x7ffe0000 (the shared user data page), and ntdll exits with code 1
    before the program runs, its one line of explanation silenced by WINEDEBUG=-all (session
    15's CI run failed so). The personality is inherited: every Wine process of the test,
    wineserver and the nodes' children included, starts with the fixed layout."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    addr_no_randomize = 0x0040000
    current = libc.personality(0xFFFFFFFF)
    if current != -1 and not current & addr_no_randomize:
        libc.personality(current | addr_no_randomize)


def main() -> int:
    without_address_randomization()
    if len(sys.argv) >= 2 and sys.argv[1] == "skipped":
        print(f"skipped: {' '.join(sys.argv[2:])}")
        return SKIPPED
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wine", type=Path, required=True, help="the wine64 loader")
    parser.add_argument("--prefix", type=Path, required=True, help="the Wine prefix to use")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("crypto", help="check BCrypt against the test vectors")
    s.add_argument("--exe", type=Path, required=True)
    s = sub.add_parser("sim", help="compare the simulator's traces with the Linux build's")
    s.add_argument("--exe", type=Path, required=True, help="wolfpack.exe")
    s.add_argument("--host-wolfpack", type=Path, required=True, help="the Linux wolfpack")
    s.add_argument("--workdir", type=Path, required=True)
    s = sub.add_parser("exe", help="run a cross-built unit test executable")
    s.add_argument("--exe", type=Path, required=True)
    s.add_argument("--dll-dir", type=Path, required=True, help="where its DLLs are")
    s.add_argument("--spec", help="the Catch2 test spec to run (default: every test)")
    for name, text in (("node", "a single clussvc.exe driven by cluster.exe"),
                       ("lab", "two clussvc.exe and a failover")):
        s = sub.add_parser(name, help=text)
        s.add_argument("--bindir", type=Path, required=True)
        s.add_argument("--workdir", type=Path, required=True)
        if name == "node":
            s.add_argument("--clusapi-test", type=Path, required=True,
                           help="clusapi_c_test.exe, run against the node")
    sub.add_parser("boot", help="create the prefix unless it exists")
    for name, text in (("harness", "run the plugin harness on the Dummy plugin"),
                       ("monitor", "drive the Dummy plugin through resrcmon over TCP")):
        s = sub.add_parser(name, help=text)
        s.add_argument("--resrcmon", type=Path, required=True)
        s.add_argument("--plugin", type=Path, required=True)
    args = parser.parse_args()
    return {"boot": boot, "harness": harness, "monitor": monitor, "crypto": crypto,
            "exe": unit, "sim": sim_parity, "node": cluster, "lab": cluster}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
