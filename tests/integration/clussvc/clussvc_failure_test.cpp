// Failures: a resource that keeps failing is restarted RestartThreshold times and then fails
// its group (no other node to fail over to); a monitor process that dies is restarted and
// its resources come back, and one in its own monitor (SeparateMonitor) takes nobody else
// with it.

#include <catch2/catch.hpp>

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "clussvc_fixture.hpp"

using namespace wolfpack::itest;

TEST_CASE("a failing resource is restarted RestartThreshold times, then fails its group",
          "[clussvc][failure][restart]") {
  clussvc_fixture f;
  auto& n = f.node();
  const auto calls = f.file("calls.jsonl");
  const auto fail_file = f.file("r.fail");
  // R fails whenever its fail file exists; S is an independent resource of the same group.
  create_dummy_chain(n, "G", {"R"}, {"CallLog=" + calls.string()});
  create_dummy_chain(n, "G", {"S"}, {"CallLog=" + calls.string()});
  n.set_private("R", {"FailFile=" + fail_file.string()});
  f.cli_ok({"res", "R", "/prop", "LooksAlivePollInterval=100", "IsAlivePollInterval=100",
            "RestartThreshold=2", "RestartPeriod=600000", "RestartDelay=100", "RestartAction=2"});
  const auto props = n.get("/resources/R/properties").at("properties");
  CHECK(props.at("RestartThreshold").at("value") == 2);
  CHECK(props.at("RestartPeriod").at("value") == 600000);
  CHECK(props.at("LooksAlivePollInterval").at("value") == 100);

  f.cli_ok({"group", "G", "/online", "/wait:20"});
  REQUIRE(n.group_state("G") == "Online");
  const auto before = read_call_log(calls);

  auto ev = n.events();
  { std::ofstream touch(fail_file); }
  const auto group_failed = ev.wait_for(group_state_is("G", "Failed"), 20s);
  INFO("events:\n" << ev.dump());
  REQUIRE(group_failed);
  // Nothing more happens to R: it stays Failed (the next retry is RetryPeriodOnFailure,
  // an hour, away).
  CHECK_FALSE(ev.wait_for(resource_state_is("R", "OnlinePending"), 1500ms));

  const auto& events = ev.events();
  // The first failure and two restarts, each failing again; the third failure gives up.
  CHECK(count_events(events, resource_state_is("R", "Failed")) == 3);
  CHECK(count_events(events, resource_state_is("R", "Online")) == 2);
  CHECK(count_events(events, resource_state_is("R", "OnlinePending")) == 2);
  const auto first_failure = find_event(events, resource_state_is("R", "Failed"));
  REQUIRE(first_failure);
  CHECK(!events[*first_failure].value("reason", "").empty());
  // The group is held Failed: R stays Failed, the other resources are taken offline.
  CHECK(n.resource_state("R") == "Failed");
  CHECK(n.resource_state("S") == "Offline");
  CHECK(count_events(events, resource_state_is("S", "Failed")) == 0);
  const auto g = n.get("/groups/G");
  CHECK(g.at("state") == "Failed");
  CHECK(g.at("code") == 2);
  const auto r = n.get("/resources/R");
  CHECK(r.at("code") == 4);
  CHECK(!r.value("reason", "").empty());
  const auto status = f.cli_ok({"group", "G"});
  CHECK(status.out.find("Failed") != std::string::npos);

  // The monitor was asked to bring R online twice more.
  const auto after = read_call_log(calls);
  const std::vector<json> since(after.begin() + static_cast<std::ptrdiff_t>(before.size()),
                                after.end());
  const auto onlines = calls_of(since, "Online");
  CHECK(std::count(onlines.begin(), onlines.end(), "R") == 2);

  // An administrator's online is a fresh start once the cause is gone.
  std::filesystem::remove(fail_file);
  const auto on = f.cli({"group", "G", "/online", "/wait:20"});
  INFO("online: " << on.describe());
  CHECK(on.exit_code == 0);
  CHECK(n.resource_state("R") == "Online");
  CHECK(n.resource_state("S") == "Online");
  CHECK(n.group_state("G") == "Online");
}

TEST_CASE("a group that cannot come online reports it to the CLI", "[clussvc][failure]") {
  clussvc_fixture f;
  auto& n = f.node();
  // Online fails with ERROR_ACCESS_DENIED (5) every time; no restart.
  create_dummy_chain(n, "G", {"R"}, {"OnlineError=5"});
  f.cli_ok({"res", "R", "/prop", "RestartAction=0"});
  const auto on = f.cli({"group", "G", "/online", "/wait:20"});
  INFO(on.describe());
  CHECK(on.exit_code == cli_exit_code(5014));
  CHECK(on.err.find(system_error_line(5014)) != std::string::npos);
  CHECK(n.resource_state("R") == "Failed");
  const auto res = f.cli({"res", "R", "/online", "/wait:20"});
  INFO(res.describe());
  CHECK(res.exit_code == cli_exit_code(5038));
  CHECK(res.err.find(system_error_line(5038)) != std::string::npos);
}

TEST_CASE("a killed monitor is restarted and its resources recover", "[clussvc][monitor]") {
  clussvc_fixture f;
  auto& n = f.node();
  const auto calls = f.file("calls.jsonl");
  create_dummy_chain(n, "G", {"A", "B"}, {"CallLog=" + calls.string()});
  f.cli_ok({"group", "G", "/online", "/wait:20"});
  REQUIRE(n.group_state("G") == "Online");
  CHECK(n.get("/resources/A").at("monitor") == "default");
  const auto old = n.monitor_pids("default");
  REQUIRE(old.size() == 1);

  auto ev = n.events();
  REQUIRE(::kill(old[0], SIGKILL) == 0);
  const auto failed = ev.wait_for(resource_state_is("A", "Failed"), 10s);
  INFO("events:\n" << ev.dump());
  REQUIRE(failed);
  // The reason names the monitor and how it ended.
  const std::string reason = failed->value("reason", "");
  CHECK(reason.find("monitor") != std::string::npos);
  CHECK(reason.find("default") != std::string::npos);

  // A new monitor, and both resources Online again in it.
  CHECK(wait_until(
      [&] {
        const auto now = n.monitor_pids("default");
        return now.size() == 1 && now[0] != old[0];
      },
      10s));
  CHECK(n.wait_resource_state("A", "Online", 15s));
  CHECK(n.wait_resource_state("B", "Online", 15s));
  CHECK(n.wait_group_state("G", "Online", 5s));
  const auto now = n.monitor_pids("default");
  REQUIRE(now.size() == 1);
  // The resources were reopened and brought online in the new monitor, A before B.
  std::vector<std::string> in_new;
  for (const auto& l : read_call_log(calls)) {
    if (l.value("pid", 0) == now[0] && l.value("entry", "") == "Online") {
      in_new.push_back(l.value("resource", ""));
    }
  }
  CHECK(in_new == std::vector<std::string>{"A", "B"});
}

TEST_CASE("a resource in its own monitor fails alone when that monitor dies",
          "[clussvc][monitor]") {
  clussvc_fixture f;
  auto& n = f.node();
  f.cli_ok({"group", "G", "/create"});
  f.cli_ok({"res", "A", "/create", "/group:G", "/type:Dummy"});
  f.cli_ok({"res", "S", "/create", "/group:G", "/type:Dummy", "/separate"});
  const auto s = n.get("/resources/S");
  CHECK(s.at("separate_monitor") == true);
  const std::string monitor = s.at("monitor").get<std::string>();
  CHECK(monitor != "default");
  f.cli_ok({"group", "G", "/online", "/wait:20"});
  REQUIRE(n.group_state("G") == "Online");
  const auto own = n.monitor_pids(monitor);
  const auto shared = n.monitor_pids("default");
  REQUIRE(own.size() == 1);
  REQUIRE(shared.size() == 1);

  auto ev = n.events();
  REQUIRE(::kill(own[0], SIGKILL) == 0);
  REQUIRE(ev.wait_for(resource_state_is("S", "Failed"), 10s));
  CHECK(n.wait_resource_state("S", "Online", 15s));
  CHECK(wait_until(
      [&] {
        const auto now = n.monitor_pids(monitor);
        return now.size() == 1 && now[0] != own[0];
      },
      10s));
  CHECK(n.wait_group_state("G", "Online", 5s));
  ev.drain(300ms);
  INFO("events:\n" << ev.dump());
  CHECK(count_events(ev.events(), [](const json& e) {
          return e.value("kind", "") == "RESOURCE_STATE" && e.value("name", "") == "A";
        }) == 0);
  CHECK(n.monitor_pids("default") == shared);
}

TEST_CASE("a monitor that crashes in a plugin call is restarted and its resource fails",
          "[clussvc][monitor]") {
  clussvc_fixture f;
  auto& n = f.node();
  create_dummy_chain(n, "G", {"A"});
  f.cli_ok({"group", "H", "/create"});
  f.cli_ok({"res", "S", "/create", "/group:H", "/type:Dummy", "/separate"});
  f.cli_ok({"res", "S", "/prop", "LooksAlivePollInterval=100", "RestartThreshold=1",
            "RestartDelay=100"});
  f.cli_ok({"group", "G", "/online", "/wait:20"});
  f.cli_ok({"group", "H", "/online", "/wait:20"});
  const std::string monitor = n.get("/resources/S").at("monitor").get<std::string>();
  const auto first = n.monitor_pids(monitor);
  REQUIRE(first.size() == 1);
  // MonitorProcessId names the process hosting the resource.
  CHECK(n.get("/resources/S/properties").at("properties").at("MonitorProcessId").at("value") ==
        first[0]);

  auto ev = n.events();
  // Takes effect at once: the next LooksAlive poll crashes the monitor (SIGSEGV), and so does
  // every poll after the restart. That poll may come before the answer to the write (slow
  // under the sanitizers): then the write is answered with the monitor's crash.
  const auto set =
      n.api("PUT", "/resources/S/private", json{{"properties", {{"CrashIn", "LooksAlive"}}}});
  INFO("PUT /resources/S/private: " << set.status << " " << set.body.dump());
  CHECK((set.status == 200 || set.body.dump().find("crashed") != std::string::npos));
  const auto failed = ev.wait_for(resource_state_is("S", "Failed"), 10s);
  INFO("events:\n" << ev.dump());
  REQUIRE(failed);
  const std::string reason = failed->value("reason", "");
  CHECK(reason.find(monitor) != std::string::npos);
  CHECK(reason.find("signal 11") != std::string::npos);
  // Restarted once in a new monitor, crashed again: the group is held Failed.
  REQUIRE(ev.wait_for(group_state_is("H", "Failed"), 15s));
  CHECK(count_events(ev.events(), resource_state_is("S", "Online")) == 1);
  CHECK(n.resource_state("S") == "Failed");
  // The monitor is back (for the next administrator's action) and A never noticed.
  CHECK(wait_until(
      [&] {
        const auto now = n.monitor_pids(monitor);
        return now.size() == 1 && now[0] != first[0];
      },
      10s));
  CHECK(count_events(ev.events(), [](const json& e) {
          return e.value("kind", "") == "RESOURCE_STATE" && e.value("name", "") == "A";
        }) == 0);
  CHECK(n.resource_state("A") == "Online");

  // Once the crash is called off, the administrator brings it back.
  n.set_private("S", {"CrashIn="});
  const auto on = f.cli({"group", "H", "/online", "/wait:20"});
  INFO("online: " << on.describe());
  CHECK(on.exit_code == 0);
  CHECK(n.resource_state("S") == "Online");
}

TEST_CASE("a monitor that reports a deadlock is restarted and its resource fails",
          "[clussvc][monitor]") {
  clussvc_fixture f;
  auto& n = f.node();
  f.cli_ok({"group", "H", "/create"});
  f.cli_ok({"res", "S", "/create", "/group:H", "/type:Dummy", "/separate"});
  // Not restarted: the failure alone is looked at.
  f.cli_ok({"res", "S", "/prop", "IsAlivePollInterval=100", "LooksAlivePollInterval=100",
            "DeadlockTimeout=1000", "RestartAction=0"});
  f.cli_ok({"group", "H", "/online", "/wait:20"});
  const std::string monitor = n.get("/resources/S").at("monitor").get<std::string>();
  const auto first = n.monitor_pids(monitor);
  REQUIRE(first.size() == 1);

  auto ev = n.events();
  n.set_private("S", {"HangIn=IsAlive"});
  const auto failed = ev.wait_for(resource_state_is("S", "Failed"), 15s);
  INFO("events:\n" << ev.dump());
  REQUIRE(failed);
  const std::string reason = failed->value("reason", "");
  CHECK(reason.find(monitor) != std::string::npos);
  CHECK(reason.find("deadlock") != std::string::npos);
  CHECK(wait_until(
      [&] {
        const auto now = n.monitor_pids(monitor);
        return now.size() == 1 && now[0] != first[0];
      },
      10s));
  CHECK(n.resource_state("S") == "Failed");
  CHECK_FALSE(ev.wait_for(resource_state_is("S", "OnlinePending"), 1s));
}

TEST_CASE("common properties set while a resource is being opened reach its monitor",
          "[clussvc][monitor][properties]") {
  clussvc_fixture f;
  auto& n = f.node();
  const auto calls = f.file("calls.jsonl");
  // A keeps the Dummy type loaded in the default monitor; S starts in a monitor of its own.
  create_dummy_chain(n, "G", {"A"});
  f.cli_ok({"res", "S", "/create", "/group:G", "/type:Dummy", "/separate"});
  n.set_private("S", {"CallLog=" + calls.string()});
  const auto monitors = n.monitor_pids("default");
  REQUIRE(monitors.size() == 1);
  const int default_monitor = monitors[0];

  // Moving S back to the default monitor while that monitor is stopped (SIGSTOP) leaves S's
  // Open under way until it continues; the poll interval is changed meanwhile.
  REQUIRE(::kill(default_monitor, SIGSTOP) == 0);
  struct resume {
    int pid;
    ~resume() { ::kill(pid, SIGCONT); }
  } guard{default_monitor};
  auto r = n.api("PUT", "/resources/S/properties", {{"properties", {{"SeparateMonitor", 0}}}});
  CHECK(r.status == 200);
  r = n.api("PUT", "/resources/S/properties", {{"properties", {{"LooksAlivePollInterval", 100}}}});
  CHECK(r.status == 200);
  REQUIRE(::kill(default_monitor, SIGCONT) == 0);

  CHECK(wait_until([&] { return n.get("/resources/S").value("monitor", "") == "default"; }, 5s));
  f.cli_ok({"res", "S", "/online", "/wait:20"});
  CHECK(n.wait_resource_state("S", "Online", 10s));
  // The default LooksAlivePollInterval is 5 s: polls every 100 ms show the change arrived.
  auto polls = [&] {
    std::size_t count = 0;
    for (const auto& l : read_call_log(calls)) {
      count += l.value("resource", "") == "S" && l.value("entry", "") == "LooksAlive" &&
               l.value("pid", 0) == default_monitor;
    }
    return count;
  };
  CHECK(wait_until([&] { return polls() >= 3; }, 3s));
  INFO("LooksAlive calls in the default monitor: " << polls());
  CHECK(polls() >= 3);
}

namespace {

// Whether process `pid` has ended: gone, or a zombie nobody reaped yet (its new parent may be
// a container's init that does not reap).
bool process_ended(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!stat || !std::getline(stat, line))
    return true;
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

}  // namespace

TEST_CASE("a node started with --stop-with-parent stops cleanly when its parent is killed",
          "[clussvc][failure]") {
  temp_dir dir;
  const auto state = dir.path() / "node1";
  const auto pid_file = dir.path() / "clussvc.pid";
  // A shell starts the node in the background and waits: SIGKILL of the shell is the crash of
  // a test that started a node.
  const std::string command = "'" + clussvc_path().string() + "' --state-dir '" + state.string() +
                              "' --node node1 --cluster-name parent --listen 127.0.0.1:0 "
                              "--api-listen 127.0.0.1:0 --stop-with-parent "
                              ">/dev/null 2>&1 & echo $! > '" +
                              pid_file.string() + "'; wait";
  auto shell = wolfpack::platform::child_process::spawn("/bin/sh", {"-c", command});
  REQUIRE(shell);
  REQUIRE(wait_until([&] { return std::filesystem::exists(state / "api.endpoint"); }, 20s));
  int pid = 0;
  std::ifstream(pid_file) >> pid;
  REQUIRE(pid > 0);
  REQUIRE_FALSE(process_ended(pid));

  shell->kill();
  shell->wait();
  const bool ended = wait_until([&] { return process_ended(pid); }, 20s);
  if (!ended)
    ::kill(pid, SIGKILL);  // leave nothing behind, whatever the outcome
  CHECK(ended);
  // A clean stop, not a crash: the node logged its way out.
  std::ifstream log(state / "clussvc.log");
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  CHECK(text.find("a clean stop when the parent ends") != std::string::npos);
  CHECK(text.find("shutdown complete") != std::string::npos);
}
