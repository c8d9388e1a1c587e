#!/usr/bin/env python3
"""Runs the cross-built Windows binaries under Wine, headless and quiet (docs/windows.md).

  wine_smoke.py --wine WINE64 --prefix DIR boot
      Creates the Wine prefix DIR once (wineboot); does nothing when it is already there.
  wine_smoke.py --wine WINE64 --prefix DIR harness --resrcmon EXE --plugin DLL
      Runs `resrcmon.exe --standalone` (the plugin harness) on the Dummy plugin and checks
      that the resource went Online, was polled, went Offline and was closed, exit code 0.

Exit code 0 when the check passed, 1 when it failed, with the reason on stderr.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path


def wine_env(prefix: Path) -> dict:
    env = dict(os.environ)
    # No X and no Wayland: Wine then opens no window and needs no display server.
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    env.update({
        "WINEPREFIX": str(prefix),
        "WINEARCH": "win64",
        # Wine's own diagnostics ("fixme:...") would drown the program's output.
        "WINEDEBUG": "-all",
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
    print(f"Dummy went {' -> '.join(states)} under Wine; {calls.count('LooksAlive')} "
          f"LooksAlive polls; {elapsed:.1f} s")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wine", type=Path, required=True, help="the wine64 loader")
    parser.add_argument("--prefix", type=Path, required=True, help="the Wine prefix to use")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("boot", help="create the prefix unless it exists")
    h = sub.add_parser("harness", help="run the plugin harness on the Dummy plugin")
    h.add_argument("--resrcmon", type=Path, required=True)
    h.add_argument("--plugin", type=Path, required=True)
    args = parser.parse_args()
    return boot(args) if args.command == "boot" else harness(args)


if __name__ == "__main__":
    sys.exit(main())
