// The restart and failover policy of SPEC 4.3 on one node: RestartThreshold within
// RestartPeriod, RestartDelay, RestartAction 0/1/2, RetryPeriodOnFailure, /fail, and the
// death of a resource monitor.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wolfpack/sim/fake_node.hpp"

using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

using strings = std::vector<std::string>;
const std::set<std::string> on_off{"online", "offline"};

// Virtual time of the first command of `type` for `resource` at or after log index `from`.
std::optional<wolfpack::cluster::time_ms> sent_at(const fake_node& f, const std::string& type,
                                                  const std::string& resource, std::size_t from) {
  const auto& log = f.command_log();
  for (std::size_t i = from; i < log.size(); ++i) {
    if (log[i].type() == type && log[i].resource() == resource)
      return log[i].at;
  }
  return std::nullopt;
}

strings sorted(strings s) {
  std::sort(s.begin(), s.end());
  return s;
}

}  // namespace

TEST_CASE("a failed resource restarts after RestartDelay, its dependents with it",
          "[node_core][restart]") {
  fake_node f;
  make_online_chain(f);
  f.clear_events();
  const auto from = f.command_log().size();
  const auto t0 = f.now();

  REQUIRE(f.inject_failure("B"));
  // B is Failed, C (its dependent) is taken offline, A stays online.
  CHECK(f.resource_state("B") == r_failed);
  CHECK(f.resource_state("C") == r_offline);
  CHECK(f.resource_state("A") == r_online);
  // While the restart is scheduled the group is on its way back: Pending, not Failed.
  CHECK(f.group_state("G") == g_pending);
  CHECK(f.command_trace(on_off, from) == strings{"offline C"});
  CHECK(f.api("GET", "/resources/B").body["reason"] == "IsAlive failed");

  // Nothing before RestartDelay (500 ms).
  f.advance(499);
  CHECK(f.command_trace(on_off, from) == strings{"offline C"});
  f.advance(1);
  CHECK(f.command_trace(on_off, from) == strings{"offline C", "online B", "online C"});
  CHECK(sent_at(f, "online", "B", from) == t0 + 500);
  CHECK(f.resource_state("B") == r_online);
  CHECK(f.resource_state("C") == r_online);
  CHECK(f.group_state("G") == g_online);
  CHECK(f.commands_of("offline", "A").empty());
  CHECK(f.states_of("RESOURCE_STATE", "B") == strings{"Failed", "OnlinePending", "Online"});
  CHECK(f.states_of("GROUP_STATE", "G") == strings{"Pending", "Online"});
  check_event_stream(f);

  SECTION("a second failure within RestartPeriod fails the group (RestartAction 2)") {
    f.advance(1000);
    const auto from2 = f.command_log().size();
    REQUIRE(f.inject_failure("B"));
    f.advance(10000);
    CHECK(f.resource_state("B") == r_failed);
    CHECK(f.resource_state("C") == r_offline);
    CHECK(f.resource_state("A") == r_offline);
    CHECK(f.group_state("G") == g_failed);
    CHECK(f.command_trace(on_off, from2) == strings{"offline C", "offline A"});
    CHECK(f.logged("resource failed more than RestartThreshold times"));
    CHECK(f.logged("group failover"));  // FailoverThreshold (nodes - 1 = 0) is reached at once
    // No other attempt within the default RetryPeriodOnFailure (1 h).
    f.advance(3600000 - 10000 - 1);
    CHECK(f.command_trace({"online"}, from2).empty());
    CHECK(f.group_state("G") == g_failed);
    check_event_stream(f);
  }

  SECTION("a failure after RestartPeriod restarts again") {
    f.advance(900000);  // RestartPeriod since the first failure has passed
    const auto from2 = f.command_log().size();
    REQUIRE(f.inject_failure("B"));
    f.advance(500);
    CHECK(f.command_trace(on_off, from2) == strings{"offline C", "online B", "online C"});
    CHECK(f.group_state("G") == g_online);
  }

  SECTION("an administrator's online starts the count afresh") {
    f.advance(1000);
    REQUIRE(f.inject_failure("B"));
    f.advance(1000);
    REQUIRE(f.group_state("G") == g_failed);
    CHECK(f.api("POST", "/groups/G/online").status == 202);
    CHECK(f.group_state("G") == g_online);
    const auto from2 = f.command_log().size();
    REQUIRE(f.inject_failure("B"));
    f.advance(500);
    CHECK(f.command_trace(on_off, from2) == strings{"offline C", "online B", "online C"});
  }
}

TEST_CASE("a provider added while its dependent waits to restart comes online with it",
          "[node_core][restart]") {
  // Simulator seed 744 (3 nodes, witness): the dependent is wanted online but down, waiting
  // for its own provider's restart, when it is given a new provider that nothing wanted
  // online. MSCS brings a resource's providers online before the resource itself, whatever
  // their PersistentState, so the new provider comes up first instead of holding it down.
  fake_node f;
  make_online_chain(f);
  REQUIRE(f.inject_failure("B"));
  REQUIRE(f.resource_state("C") == r_offline);
  create_resource(f, "D", "G");
  const auto from = f.command_log().size();
  add_dependency(f, "C", "D");
  f.advance(10000);
  CHECK(f.resource_state("D") == r_online);
  CHECK(f.resource_state("C") == r_online);
  CHECK(f.group_state("G") == g_online);
  const auto trace = f.command_trace(on_off, from);
  const auto d = std::find(trace.begin(), trace.end(), "online D");
  const auto c = std::find(trace.begin(), trace.end(), "online C");
  CHECK(c != trace.end());
  CHECK(d < c);
}

TEST_CASE("RetryPeriodOnFailure makes one more attempt after the group failed",
          "[node_core][restart][retry]") {
  fake_node f;
  make_chain(f);
  // RetryPeriodOnFailure must be >= RestartPeriod: both small.
  auto refused =
      f.api("PUT", "/resources/B/properties", {{"properties", {{"RetryPeriodOnFailure", 2000}}}});
  CHECK(refused.status == 400);
  CHECK(refused.error_code() == 87);
  set_properties(f, "B", {{"RestartPeriod", 1000}, {"RetryPeriodOnFailure", 2000}});
  CHECK(!f.commands_of("set_properties", "B").empty());
  REQUIRE(f.api("POST", "/groups/G/online").status == 202);
  REQUIRE(f.group_state("G") == g_online);

  REQUIRE(f.inject_failure("B"));
  f.advance(500);
  REQUIRE(f.resource_state("B") == r_online);
  f.advance(100);  // 600 ms after the first failure: within RestartPeriod
  const auto t_fail = f.now();
  const auto from = f.command_log().size();
  REQUIRE(f.inject_failure("B"));
  f.advance(100);
  CHECK(f.group_state("G") == g_failed);
  CHECK(f.resource_state("A") == r_offline);
  CHECK(f.resource_state("C") == r_offline);
  CHECK(f.command_trace(on_off, from) == strings{"offline C", "offline A"});

  f.advance(2000 - 100 - 1);
  CHECK(f.command_trace({"online"}, from).empty());
  // Failed, but its retry is still to come: not held for an administrator yet.
  CHECK_FALSE(f.core().held_by_policy("B"));
  CHECK_FALSE(f.core().held_by_policy("A"));

  SECTION("the retry brings the group back, providers first") {
    f.advance(1);
    CHECK(f.command_trace(on_off, from) ==
          strings{"offline C", "offline A", "online A", "online B", "online C"});
    CHECK(sent_at(f, "online", "A", from) == t_fail + 2000);
    CHECK(f.group_state("G") == g_online);
    CHECK_FALSE(f.core().held_by_policy("B"));
    CHECK(f.logged("RetryPeriodOnFailure elapsed"));

    // B ran again; when it later exhausts its restarts once more, it gets a retry of its
    // own (the one attempt is per stay in Failed, not per lifetime).
    f.advance(100000);
    REQUIRE(f.inject_failure("B"));
    f.advance(500);
    REQUIRE(f.resource_state("B") == r_online);
    REQUIRE(f.inject_failure("B"));
    f.advance(100);
    REQUIRE(f.group_state("G") == g_failed);
    const auto from2 = f.command_log().size();
    f.advance(2000);
    CHECK(f.command_trace({"online"}, from2) == strings{"online A", "online B", "online C"});
    CHECK(f.group_state("G") == g_online);
  }

  SECTION("if the retry fails through its restarts, the resource stays failed") {
    f.fail_online("B");
    f.advance(1);
    CHECK(f.command_trace(on_off, from) ==
          strings{"offline C", "offline A", "online A", "online B"});
    f.advance(500);  // the restart after the retry's failure fails too
    CHECK(f.command_trace(on_off, from) ==
          strings{"offline C", "offline A", "online A", "online B", "online B", "offline A"});
    CHECK(f.resource_state("B") == r_failed);
    CHECK(f.resource_state("A") == r_offline);
    CHECK(f.group_state("G") == g_failed);
    // Now the policy holds the group down until an administrator acts (what the simulator's
    // liveness check allows).
    CHECK(f.core().held_by_policy("B"));
    CHECK(f.core().held_by_policy("A"));
    const auto from2 = f.command_log().size();
    f.advance(3600000 * 2);
    CHECK(f.command_trace(on_off, from2).empty());
    CHECK(f.timers().empty());
  }
}

TEST_CASE("RestartAction 0 leaves the resource failed", "[node_core][restart]") {
  fake_node f;
  make_chain(f);
  set_properties(f, "B", {{"RestartAction", 0}});
  REQUIRE(f.api("POST", "/groups/G/online").status == 202);
  const auto from = f.command_log().size();
  REQUIRE(f.inject_failure("B"));
  f.advance(3600000 * 2);
  CHECK(f.resource_state("B") == r_failed);
  CHECK(f.resource_state("C") == r_offline);
  CHECK(f.resource_state("A") == r_online);
  CHECK(f.group_state("G") == g_failed);
  CHECK(f.command_trace(on_off, from) == strings{"offline C"});
  CHECK(f.timers().empty());
}

TEST_CASE("RestartAction 1 restarts but does not affect the group", "[node_core][restart]") {
  fake_node f;
  make_chain(f);
  set_properties(f, "B", {{"RestartAction", 1}});
  REQUIRE(f.api("POST", "/groups/G/online").status == 202);
  const auto from = f.command_log().size();
  REQUIRE(f.inject_failure("B"));
  f.advance(500);
  CHECK(f.command_trace(on_off, from) == strings{"offline C", "online B", "online C"});
  REQUIRE(f.group_state("G") == g_online);

  const auto from2 = f.command_log().size();
  REQUIRE(f.inject_failure("B"));
  f.advance(10000);
  // B gave up; C is down since its provider is; A, which does not need B, stays online.
  CHECK(f.resource_state("B") == r_failed);
  CHECK(f.resource_state("C") == r_offline);
  CHECK(f.resource_state("A") == r_online);
  CHECK(f.group_state("G") == g_failed);
  CHECK(f.command_trace(on_off, from2) == strings{"offline C"});
  CHECK(!f.logged("group failover"));
}

TEST_CASE("/fail goes through the restart policy", "[node_core][restart][fail]") {
  fake_node f;
  make_online_chain(f);
  const auto from = f.command_log().size();
  const auto t0 = f.now();

  auto r = f.api("POST", "/resources/B/fail");
  CHECK(r.status == 202);
  CHECK(f.resource_state("B") == r_failed);
  CHECK(f.resource_state("C") == r_offline);
  CHECK(f.resource_state("A") == r_online);
  CHECK(f.command_trace({"online", "offline", "terminate"}, from) ==
        strings{"terminate B", "offline C"});
  // The monitor's Offline after the Terminate does not hide the failure.
  CHECK(f.api("GET", "/resources/B").body["state"] == "Failed");

  f.advance(500);
  CHECK(f.command_trace(on_off, from) == strings{"offline C", "online B", "online C"});
  CHECK(sent_at(f, "online", "B", from) == t0 + 500);
  CHECK(f.group_state("G") == g_online);

  const auto from2 = f.command_log().size();
  CHECK(f.api("POST", "/resources/B/fail").status == 202);
  f.advance(10000);
  CHECK(f.resource_state("B") == r_failed);
  CHECK(f.resource_state("A") == r_offline);
  CHECK(f.resource_state("C") == r_offline);
  CHECK(f.group_state("G") == g_failed);
  CHECK(f.command_trace(on_off, from2) == strings{"offline C", "offline A"});

  // Only an online resource can be failed.
  auto again = f.api("POST", "/resources/B/fail");
  CHECK(again.status == 409);
  CHECK(again.error_code() == 5023);  // ERROR_INVALID_STATE
  check_event_stream(f);
}

TEST_CASE("a monitor that dies fails its resources, they come back when it is ready",
          "[node_core][monitor]") {
  fake_node f;
  make_online_chain(f);
  f.clear_events();
  const auto from = f.command_log().size();

  f.kill_monitor("default", "exited with signal 11");
  for (const auto* name : {"A", "B", "C"}) {
    INFO(name);
    CHECK(f.resource_state(name) == r_failed);
    auto view = f.api("GET", std::string("/resources/") + name);
    CHECK(view.body["reason"] == "resource monitor 'default' ended: exited with signal 11");
    auto ev = f.events_of("RESOURCE_STATE", name);
    REQUIRE(!ev.empty());
    CHECK(ev.front()["state"] == "Failed");
    CHECK(ev.front()["reason"] == "resource monitor 'default' ended: exited with signal 11");
  }
  // Each has a restart scheduled (RestartThreshold 1): the group is on its way back.
  CHECK(f.group_state("G") == g_pending);
  // Nothing can be sent while it is down.
  f.advance(2000);
  CHECK(f.command_trace({}, from).empty());

  f.ready_monitor("default");
  CHECK(sorted(f.command_trace({"load_type", "open"}, from)) ==
        strings{"load_type Dummy", "open A", "open B", "open C"});
  CHECK(f.command_trace({"load_type"}, from) == strings{"load_type Dummy"});
  CHECK(f.command_trace({"load_type", "open"}, from).front() == "load_type Dummy");
  CHECK(f.command_trace(on_off, from) == strings{"online A", "online B", "online C"});
  CHECK(f.group_state("G") == g_online);
  for (const auto* name : {"A", "B", "C"}) {
    REQUIRE(f.monitor_resource("default", name) != nullptr);
    CHECK(f.monitor_resource("default", name)->state == "Online");
  }
  check_event_stream(f);
}

TEST_CASE("a monitor back before RestartDelay waits for the delay", "[node_core][monitor]") {
  fake_node f;
  make_online_chain(f);
  const auto from = f.command_log().size();
  const auto t0 = f.now();
  f.kill_monitor("default", "crashed");
  f.advance(100);
  f.ready_monitor("default");
  CHECK(sorted(f.command_trace({"load_type", "open"}, from)) ==
        strings{"load_type Dummy", "open A", "open B", "open C"});
  CHECK(f.command_trace(on_off, from).empty());
  f.advance(400);
  CHECK(f.command_trace(on_off, from) == strings{"online A", "online B", "online C"});
  CHECK(sent_at(f, "online", "A", from) == t0 + 500);
  CHECK(f.group_state("G") == g_online);
}

TEST_CASE("a monitor that dies in the middle of an online", "[node_core][monitor]") {
  fake_node f;
  make_chain(f);
  f.hold_monitor("default");
  f.api_async("POST", "/groups/G/online");
  f.run_until_idle();
  CHECK(f.held_count() > 0);
  f.kill_monitor("default", "crashed");
  CHECK(f.held_count() == 0);
  // The core never heard of the online starting: A is still wanted online, so it reads
  // OnlinePending until its monitor is back.
  CHECK(f.resource_state("A") == r_online_pending);
  f.hold_monitor("default", false);
  f.ready_monitor("default");
  CHECK(f.group_state("G") == g_online);
}

TEST_CASE("an offline after the group failed puts the failed resource Offline",
          "[node_core][restart]") {
  fake_node f;
  make_online_chain(f);
  REQUIRE(f.inject_failure("B"));
  f.advance(500);
  REQUIRE(f.inject_failure("B"));
  f.advance(100);
  REQUIRE(f.group_state("G") == g_failed);
  const auto from = f.command_log().size();
  CHECK(f.api("POST", "/groups/G/offline").status == 202);
  CHECK(f.command_trace(on_off, from) == strings{"offline B"});
  CHECK(f.resource_state("B") == r_offline);
  CHECK(f.group_state("G") == g_offline);
  // The retry that was scheduled is gone with the failure.
  CHECK(f.timers().empty());
  f.advance(3600000 * 2);
  CHECK(f.command_trace(on_off, from) == strings{"offline B"});
  check_event_stream(f);
}
