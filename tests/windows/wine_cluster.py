"""clussvc.exe and cluster.exe under Wine: the cluster half of the Windows smoke test.

`node` runs one clussvc.exe and drives a group of Dummy resources with cluster.exe; `lab`
runs a two-node lab with wolfpack.exe, as on Linux (`wolfpack up`, `wolfpack node kill`,
`wolfpack down`), and kills the owner of a group. Every wait has a deadline; every process
started here is ended before returning, and a process the test did not end on purpose (a
monitor outliving its node) is a failure.
"""

import hmac
import sys
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


class SmokeFailure(Exception):
    pass


def api_key_for(secret_hex: str) -> str:
    # As cluster_transport::api_key_for: HMAC-SHA256 under the secret's bytes, over a fixed
    # label. Python's value is what clussvc.exe's BCrypt must agree with, or the API refuses.
    return hmac.new(bytes.fromhex(secret_hex), b"wolfpack cluster API key, version 1",
                    "sha256").hexdigest()


def wait_until(what: str, check, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise SmokeFailure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


def processes_mentioning(text: str) -> list:
    """Unix pids whose command line names `text` (Wine shows the Windows command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(int(entry.name))
    return found


class Session:
    """The binaries, the Wine environment and a scratch directory of one check."""

    def __init__(self, wine: Path, env: dict, bindir: Path, workdir: Path, windows_path):
        self.wine = wine
        self.env = dict(env)
        self.bindir = bindir
        self.windows_path = windows_path
        # A name no other process mentions: monitors are found by it.
        self.dir = workdir / f"run-{secrets.token_hex(4)}"
        self.dir.mkdir(parents=True)
        self.nodes = {}  # name -> Node
        self.lab_down = None  # takes a lab started by wolfpack.exe down, while it runs
        self.log = []    # cluster.exe commands and outputs, for the failure report

    def exe(self, name: str) -> str:
        return str(self.bindir / f"{name}.exe")

    def cluster(self, address: str, *args, expect_ok=True) -> str:
        command = [str(self.wine), self.exe("cluster"), f"/cluster:{address}", *args]
        return self.run_exe("cluster", command, expect_ok)

    def run_exe(self, name: str, command: list, expect_ok=True) -> str:
        # Output through a file, not a pipe: a wineserver or a node that a Wine process starts
        # inherits the descriptor, and a pipe would not reach its end while they run.
        output = self.dir / f"{name}.out"
        with open(output, "w") as out:
            code = subprocess.run(command, env=self.env, stdin=subprocess.DEVNULL, stdout=out,
                                  stderr=subprocess.STDOUT, timeout=120).returncode
        text = output.read_text(errors="replace")
        self.log.append(f"$ {name} {' '.join(command[2:])}  (exit {code})\n{text}")
        if expect_ok and code != 0:
            raise SmokeFailure(f"{name} {' '.join(command[2:])} exited with {code}:\n{text}")
        return text

    def cleanup(self) -> list:
        """Ends every process of this session; returns the pids that had to be killed."""
        for node in self.nodes.values():
            node.kill()
        if self.lab_down:
            try:
                self.lab_down()
            except (SmokeFailure, OSError, subprocess.TimeoutExpired):
                pass  # what is left is killed below
        killed = []
        try:
            wait_until("the monitors to exit", lambda: not processes_mentioning(self.dir.name),
                       15)
        except SmokeFailure:
            for pid in processes_mentioning(self.dir.name):
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                except ProcessLookupError:
                    pass
        return killed

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class Api:
    """A node's HTTP API, as Python sees it: None for any answer that is not JSON."""

    def __init__(self, address: str, key: str = None):
        self.address = address
        self.key = key

    def get(self, path: str):
        request = urllib.request.Request(f"http://{self.address}{path}")
        if self.key:
            request.add_header("Authorization", f"Bearer {self.key}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError):
            return None

    def group(self, group: str):
        body = self.get(f"/groups/{group}")
        return (body.get("owner"), body.get("state")) if body else (None, None)

    def node_states(self) -> dict:
        body = self.get("/nodes")
        return {n["name"]: n["state"] for n in body["nodes"]} if body else {}


class Node:
    """One clussvc.exe, its state directory and its API."""

    def __init__(self, session: Session, name: str, extra: list):
        self.session = session
        self.name = name
        self.state_dir = session.dir / name
        self.state_dir.mkdir()
        self.api_address = None
        command = [str(session.wine), session.exe("clussvc"),
                   "--state-dir", session.windows_path(self.state_dir), "--node", name,
                   "--cluster-name", "wine", "--listen", "127.0.0.1:0",
                   "--api-listen", "127.0.0.1:0",
                   "--log-level", "info", *extra]
        self.output = open(self.state_dir / "clussvc.out", "w")
        self.process = subprocess.Popen(command, env=session.env, stdout=self.output,
                                        stderr=subprocess.STDOUT)
        session.nodes[name] = self

    def endpoint_file(self, name: str):
        path = self.state_dir / name
        text = path.read_text() if path.exists() else ""
        return text.strip() if text.endswith("\n") else None

    def wait_ready(self, timeout: float = 60) -> str:
        def ready():
            if self.process.poll() is not None:
                raise SmokeFailure(f"{self.name}'s clussvc.exe exited with "
                                   f"{self.process.returncode}:\n{self.tail()}")
            return self.endpoint_file("api.endpoint")
        self.api_address = wait_until(f"{self.name}'s API", ready, timeout)
        return self.api_address

    def kill(self):
        # Killed, never asked: Wine turns no POSIX signal into a console event. The node's
        # monitors end their resources and exit by themselves once their parent is gone.
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.output.close()

    def tail(self, lines: int = 30) -> str:
        text = ""
        for name in ("clussvc.out", "clussvc.log"):
            path = self.state_dir / name
            if path.exists():
                content = path.read_text(errors="replace").splitlines()[-lines:]
                text += f"--- {name}\n" + "\n".join(content) + "\n"
        return text


def has_line(output: str, pattern: str) -> bool:
    return re.search(r"(^|\n)" + pattern + r"(\n|$)", output) is not None


def expect_line(output: str, pattern: str, what: str):
    if not has_line(output, pattern):
        raise SmokeFailure(f"{what}: no line matching {pattern!r} in:\n{output}")


def single_node(session: Session) -> str:
    node = Node(session, "node1", [])
    address = node.wait_ready()
    c = lambda *args: session.cluster(address, *args)  # noqa: E731
    c("group", "G", "/create")
    c("res", "R1", "/create", "/group:G", "/type:Dummy")
    c("res", "R2", "/create", "/group:G", "/type:Dummy")
    c("res", "R2", "/adddep:R1")
    expect_line(c("restype"), r"Dummy +Dummy", "cluster restype")
    expect_line(c("node"), r"node1 +[0-9]+ +Up", "cluster node")
    expect_line(c("group", "G", "/online", "/wait:60"), r"G +node1 +Online", "group /online")
    listing = c("res")
    for r in ("R1", "R2"):
        expect_line(listing, rf"{r} +G +node1 +Online", "cluster res")
    # The resources went Online in a resrcmon.exe that clussvc.exe started.
    monitors = [pid for pid in processes_mentioning(session.dir.name)
                if pid != node.process.pid]
    if not monitors:
        raise SmokeFailure("no resrcmon.exe of the node is running")
    expect_line(c("res", "R2", "/listdep"), r"R1 +G +node1 +Online", "res /listdep")
    expect_line(c("group", "G", "/offline", "/wait:60"), r"G +node1 +Offline", "group /offline")
    expect_line(c("group"), r"G +node1 +Offline", "cluster group")
    expect_line(c("group", "G", "/online", "/wait:60"), r"G +node1 +Online", "group /online")
    processes(session, address)
    client = clusapi_client(session, node, address)
    return (f"clussvc.exe at {address}: group G (R1 <- R2) online, offline and online again; "
            "Generic Application and Generic Script started and stopped their processes; "
            f"through libclusapi.dll, {client}")


def clusapi_client(session: Session, node, address: str) -> str:
    """The C client of libclusapi (tests/integration/clusapi), cross-built: the same program
    the Linux tree runs, against clussvc.exe through libclusapi.dll."""
    if session.clusapi_test is None:
        raise SmokeFailure("no clusapi_c_test.exe given")
    home = session.dir / "wolfpack-home"
    (home / "clusters").mkdir(parents=True)
    (home / "clusters" / "clusapi-lab.json").write_text(json.dumps(
        {"name": "clusapi-lab", "nodes": [{"name": "node1", "api": address}]}))
    env = dict(session.env)
    env["WOLFPACK_HOME"] = session.windows_path(home)
    env["WOLFPACK_CLUSTER"] = address
    env["WINEPATH"] = session.windows_path(session.bindir)  # libclusapi.dll
    output = session.dir / "clusapi_c_test.out"
    with open(output, "w") as out:
        code = subprocess.run([str(session.wine), str(session.clusapi_test), address,
                               "clusapi-lab", "node1", "wine"], env=env,
                              stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                              timeout=180).returncode
    text = output.read_text(errors="replace")
    session.log.append(f"$ clusapi_c_test.exe {address} clusapi-lab node1 wine  (exit {code})\n"
                       f"{text}")
    if code != 0 or " 0 failed" not in text:
        raise SmokeFailure(f"clusapi_c_test.exe exited with {code}:\n{text}")
    return text.strip().splitlines()[-1]


def processes(session: Session, address: str) -> None:
    """Generic Application and Generic Script (wp_genapp.dll, wp_genscript.dll) run their
    processes through CreateProcess and a job object."""
    c = lambda *args: session.cluster(address, *args)  # noqa: E731
    may_fail = lambda *args: session.cluster(address, *args, expect_ok=False)  # noqa: E731
    # A ping with a reply timeout of its own (-w) names this run's pings: a ping leaked by a
    # failed run is no confusion, and is killed at the end (see finally).
    wait_ms = 1000 + secrets.randbelow(8999)
    long_ping = f"-n 617 -w {wait_ms} 127.0.0.1"
    started_ping = f"-n 619 -w {wait_ms} 127.0.0.1"
    try:
        processes_run(session, c, may_fail, long_ping, started_ping)
    finally:
        for pid in processes_mentioning(f"-w {wait_ms} 127.0.0.1"):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def processes_run(session: Session, c, may_fail, long_ping: str, started_ping: str) -> None:
    c("group", "Apps", "/create")
    c("res", "Pinger", "/create", "/group:Apps", "/type:Generic Application")
    # One ping a second: a process that runs until Offline stops it.
    c("res", "Pinger", "/priv", f"CommandLine=ping.exe {long_ping}",
      "CurrentDirectory=" + session.windows_path(session.dir))
    c("res", "Pinger", "/prop", "RestartAction=0")
    expect_line(c("res", "Pinger", "/online", "/wait:30"), r"Pinger +Apps +node1 +Online",
                "res /online of a Generic Application")
    wait_until("ping.exe to run", lambda: processes_mentioning(long_ping), 30)
    expect_line(c("res", "Pinger", "/offline", "/wait:60"), r"Pinger +Apps +node1 +Offline",
                "res /offline of a Generic Application")
    wait_until("ping.exe to end", lambda: not processes_mentioning(long_ping), 30)
    # A process that ends by itself is a failure of the resource.
    c("res", "Pinger", "/priv", "CommandLine=ping.exe -n 1 127.0.0.1")
    may_fail("res", "Pinger", "/online", "/wait:30")
    wait_until("the Generic Application whose process ended to fail",
               lambda: has_line(c("res", "Pinger"), r"Pinger +Apps +node1 +Failed"), 30)
    # What the application started dies with it, even after the application itself ended:
    # cmd.exe starts ping.exe in the background and exits; the failed resource is terminated,
    # and its job (ping.exe included) with it.
    c("res", "Pinger", "/priv", f"CommandLine=cmd.exe /d /c start /b ping.exe {started_ping}")
    may_fail("res", "Pinger", "/online", "/wait:30")
    wait_until("cmd.exe to start ping.exe", lambda: processes_mentioning(started_ping), 30)
    wait_until("the application whose cmd.exe ended to fail",
               lambda: has_line(c("res", "Pinger"), r"Pinger +Apps +node1 +Failed"), 30)
    wait_until("the ping.exe it started to end with it",
               lambda: not processes_mentioning(started_ping), 30)

    # A batch file for every entry point; its exit code is the answer.
    script = session.dir / "entry.cmd"
    calls = session.dir / "calls.txt"
    script.write_text("@echo off\r\n"
                      f'echo %1>> "{session.windows_path(calls)}"\r\n'
                      'if /i "%1"=="online" if exist "%~dp0refuse" exit /b 5\r\n'
                      "exit /b 0\r\n")
    c("res", "Scripted", "/create", "/group:Apps", "/type:Generic Script")
    c("res", "Scripted", "/priv", "ScriptFilePath=" + session.windows_path(script))
    c("res", "Scripted", "/prop", "RestartAction=0")
    expect_line(c("res", "Scripted", "/online", "/wait:30"), r"Scripted +Apps +node1 +Online",
                "res /online of a Generic Script")
    expect_line(c("res", "Scripted", "/offline", "/wait:30"), r"Scripted +Apps +node1 +Offline",
                "res /offline of a Generic Script")
    verbs = calls.read_text().split()
    for verb in ("online", "offline"):
        if verb not in verbs:
            raise SmokeFailure(f"the script was not run for {verb}: {verbs}")
    (session.dir / "refuse").write_text("")
    may_fail("res", "Scripted", "/online", "/wait:30")
    expect_line(c("res", "Scripted"), r"Scripted +Apps +node1 +Failed",
                "a Generic Script whose online exits 5")


def wolfpack(session: Session, *args) -> str:
    return session.run_exe("wolfpack", [str(session.wine), session.exe("wolfpack"), *args])


def two_nodes(session: Session) -> str:
    lab = session.dir / "lab"
    at = ["--dir", session.windows_path(lab)]
    # The lab registers itself here, and cluster.exe finds it by name.
    session.env["WOLFPACK_HOME"] = session.windows_path(session.dir / "home")
    started = time.monotonic()
    # A File Share Witness (wp_fsw.dll, the lab registry's Windows side) gives two nodes a
    # third vote: either survives the other's loss.
    wolfpack(session, "up", "--nodes", "2", "--heartbeat-ms", "200", "--quorum", "share", *at)
    up_s = time.monotonic() - started
    session.lab_down = lambda: wolfpack(session, "down", *at)
    secret = (lab / "secret").read_text().strip()
    key = api_key_for(secret)
    # wolfpack.exe and clussvc.exe derive the API key with BCrypt, Python with OpenSSL: the
    # printed key must be Python's, and the nodes must answer Python's requests.
    printed = wolfpack(session, "api-key", *at).strip()
    if printed != key:
        raise SmokeFailure(f"wolfpack.exe api-key printed {printed!r}, Python derived {key}")
    apis = {n["name"]: Api(n["api"], key)
            for n in json.loads((lab / "lab.json").read_text())["nodes"]}
    node1 = apis["node1"]
    wait_until("both nodes Up in node1's view",
               lambda: node1.node_states() == {"node1": "Up", "node2": "Up"}, 60)
    expect_line(wolfpack(session, "status", *at), r"  node2 +running \([0-9]+\) .* Up .*",
                "wolfpack status")

    c = lambda *args: session.cluster("lab", *args)  # noqa: E731
    # Each node records its network interface (GetAdaptersAddresses finds the adapter of
    # 127.0.0.1): one network, one interface per node.
    wait_until("one network with both nodes' interfaces",
               lambda: [len(n["interfaces"]) for n in node1.get("/networks")["networks"]] == [2],
               30)
    expect_line(c("network"), r"Cluster Network 1 +Up", "cluster network")
    expect_line(c("/quorum"), r"Witness +Node and File Share Majority( +node[12])?", "cluster /quorum")
    # The lab registry under Windows (LockFileEx): an address claimed by one IP Address
    # resource cannot be claimed by a second.
    ip = ["Address=10.9.9.9", "SubnetMask=255.255.255.0", "Network=Cluster Network 1"]
    for group in ("Web", "Web2"):
        c("group", group, "/create")
        c("res", f"{group} IP", "/create", f"/group:{group}", "/type:IP Address")
        c("res", f"{group} IP", "/priv", *ip)
    expect_line(c("res", "Web IP", "/online", "/wait:30"), r"Web IP +Web +node[12] +Online",
                "res /online of the first IP Address")
    session.cluster("lab", "res", "Web2 IP", "/online", "/wait:30", expect_ok=False)
    expect_line(c("res", "Web2 IP"), r"Web2 IP +Web2 +node[12] +Failed",
                "the second claim of 10.9.9.9")
    c("group", "G", "/create")
    c("res", "R1", "/create", "/group:G", "/type:Dummy")
    expect_line(c("group", "G", "/online", "/wait:60"), r"G +node1 +Online", "group /online")
    expect_line(c("group", "G", "/moveto:node2", "/wait:60"), r"G +node2 +Online",
                "group /moveto:node2")
    wait_until("node1 to see G Online on node2", lambda: node1.group("G") == ("node2", "Online"),
               30)

    killed = time.monotonic()
    wolfpack(session, "node", "kill", "node2", *at)
    wait_until("G Online on node1 after node2's clussvc.exe was killed",
               lambda: node1.group("G") == ("node1", "Online"), 90)
    failover_s = time.monotonic() - killed
    wait_until("node2 Down in node1's view", lambda: node1.node_states().get("node2") == "Down",
               30)
    expect_line(c("group", "G"), r"G +node1 +Online", "cluster group after the failover")
    expect_line(c("netint"), r"node2 +Cluster Network 1 +Unavailable",
                "cluster netint after the failover")
    # The killed node's monitors end their resources and exit by themselves.
    wait_until("node2's resrcmon.exe to exit",
               lambda: not processes_mentioning(f"{session.dir.name}\\lab\\node2\\"), 30)
    # An orderly stop: platform::request_stop reaches node1's clussvc.exe, which exits 0.
    session.lab_down = None
    expect_line(wolfpack(session, "down", *at), r"  node1: clussvc \(pid [0-9]+\) exited with code 0",
                "wolfpack down")
    return (f"wolfpack.exe up of two nodes in {up_s:.1f} s; G moved to node2, then Online on "
            f"node1 {failover_s:.1f} s after `wolfpack node kill node2`; down exited 0")


def run(kind: str, wine: Path, env: dict, bindir: Path, workdir: Path, windows_path,
        clusapi_test: Path = None) -> int:
    session = Session(wine, env, bindir, workdir, windows_path)
    session.clusapi_test = clusapi_test
    started = time.monotonic()
    error = None
    try:
        summary = {"node": single_node, "lab": two_nodes}[kind](session)
    except (SmokeFailure, OSError, subprocess.TimeoutExpired) as e:
        error = str(e)
    killed = session.cleanup()
    if killed and error is None:
        error = f"processes still running at the end, killed: {killed}"
    if error is not None:
        report = "\n".join(session.log[-12:])
        nodes = "".join(f"=== {n.name}\n{n.tail()}" for n in session.nodes.values())
        print(f"{kind} under Wine: {error}\ncluster.exe calls:\n{report}\n{nodes}",
              file=sys.stderr)
        return 1
    session.remove()
    print(f"{summary}; {time.monotonic() - started:.1f} s")
    return 0
