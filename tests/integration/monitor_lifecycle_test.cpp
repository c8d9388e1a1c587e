// Online and offline through a real resrcmon and the Dummy plugin: synchronous and pending,
// PendingTimeout, failing Online, parallelism between resources, Terminate during Online.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include <wolfpack/winerror.h>
#include <nlohmann/json.hpp>

#include "integration_support.hpp"
#include "monitor_fixture.hpp"

using namespace wolfpack::testing;
using nlohmann::json;
using strings = std::vector<std::string>;

namespace {

std::function<bool(const json&)> with_state(const std::string& state) {
  return [state](const json& e) { return e.value("state", "") == state; };
}

// The state event that made `resource` enter `state`, among everything received.
json state_event(const monitor_fixture& m, const std::string& resource, const std::string& state) {
  auto i = find_event(m.events(), "state", resource, with_state(state));
  REQUIRE_M(m, i);
  return m.events()[*i];
}

}  // namespace

TEST_CASE("synchronous online and offline go through the pending states", "[monitor][lifecycle]") {
  monitor_fixture m;
  m.load_dummy();
  open_resource(m, "r1", {{"OnlineDelayMs", 300}, {"OfflineDelayMs", 200}}, timing());

  const auto t0 = std::chrono::steady_clock::now();
  auto online = m.request(online_cmd("r1"));
  const auto online_ms = ms_since(t0);
  CHECK(online.value("ok", false));
  CHECK(online.value("exec", "") == "completed");
  CHECK(online.value("entry", "") == "Online");
  CHECK(online.value("status", -1) == ERROR_SUCCESS);
  // A synchronous Online is answered when the entry point returns, after its delay.
  CHECK(online_ms >= 250);
  REQUIRE_M(m, m.wait_state("r1", "Online"));

  const auto t1 = std::chrono::steady_clock::now();
  auto offline = m.request(offline_cmd("r1"));
  CHECK(offline.value("ok", false));
  CHECK(offline.value("status", -1) == ERROR_SUCCESS);
  CHECK(ms_since(t1) >= 150);
  REQUIRE_M(m, m.wait_state("r1", "Offline"));

  CHECK_M(m, state_sequence(m.events(), "r1") ==
                 strings{"Offline", "OnlinePending", "Online", "OfflinePending", "Offline"});
  const json pending = state_event(m, "r1", "OnlinePending");
  CHECK(pending.value("code", -1) == 129);
  CHECK(pending.value("previous", "") == "Offline");
  const json up = state_event(m, "r1", "Online");
  CHECK(up.value("code", -1) == 2);
  CHECK(up.value("previous", "") == "OnlinePending");
  const json going = state_event(m, "r1", "OfflinePending");
  CHECK(going.value("code", -1) == 130);
  CHECK(going.value("previous", "") == "Online");
}

TEST_CASE("pending online and offline report through SetResourceStatus",
          "[monitor][lifecycle][pending]") {
  monitor_fixture m;
  m.load_dummy();
  const auto calls = m.dir() / "calls.jsonl";
  open_resource(m, "p1",
                {{"Pending", 1},
                 {"OnlineDelayMs", 400},
                 {"PendingProgressMs", 100},
                 {"OfflineDelayMs", 300},
                 {"CallLog", calls.string()}},
                timing());

  const auto t0 = std::chrono::steady_clock::now();
  auto online = m.request(online_cmd("p1"));
  // ERROR_IO_PENDING counts as ok: the call ran and the resource will report.
  CHECK(online.value("ok", false));
  CHECK(online.value("status", -1) == ERROR_IO_PENDING);
  CHECK(online.value("exec", "") == "completed");
  REQUIRE_M(m, m.wait_state("p1", "Online"));
  CHECK(ms_since(t0) >= 350);

  const auto t1 = std::chrono::steady_clock::now();
  auto offline = m.request(offline_cmd("p1"));
  CHECK(offline.value("ok", false));
  CHECK(offline.value("status", -1) == ERROR_IO_PENDING);
  REQUIRE_M(m, m.wait_state("p1", "Offline"));
  CHECK(ms_since(t1) >= 250);

  CHECK_M(m, state_sequence(m.events(), "p1") ==
                 strings{"Offline", "OnlinePending", "Online", "OfflinePending", "Offline"});
  CHECK_M(m, !find_event(m.events(), "operation", "p1"));

  const auto lines = read_call_log(calls);
  INFO(describe_call_log(lines));
  auto on = find_line(lines, call_of("p1", "Online"));
  REQUIRE(on);
  CHECK(find_line(lines, call_of("p1", "Offline"), *on));
  CHECK_FALSE(find_line(lines, call_of("p1", "Terminate")));
}

TEST_CASE("pending online without progress reports", "[monitor][lifecycle][pending]") {
  monitor_fixture m;
  m.load_dummy();
  open_resource(m, "p2", {{"Pending", 1}, {"OnlineDelayMs", 200}}, timing());
  auto online = m.request(online_cmd("p2"));
  CHECK(online.value("status", -1) == ERROR_IO_PENDING);
  REQUIRE_M(m, m.wait_state("p2", "Online"));
  CHECK_M(m, state_sequence(m.events(), "p2") == strings{"Offline", "OnlinePending", "Online"});
}

TEST_CASE("PendingTimeout fails a pending Online that never finishes",
          "[monitor][lifecycle][pending]") {
  monitor_fixture m;
  m.load_dummy();
  const auto calls = m.dir() / "calls.jsonl";
  open_resource(m, "slow", {{"Pending", 1}, {"OnlineDelayMs", 60000}, {"CallLog", calls.string()}},
                timing(600000, 600000, 500));

  const auto t0 = std::chrono::steady_clock::now();
  auto online = m.request(online_cmd("slow"));
  CHECK(online.value("status", -1) == ERROR_IO_PENDING);

  auto op = m.wait_for(is_event("operation", "slow"));
  REQUIRE_M(m, op);
  CHECK(ms_since(t0) >= 450);
  CHECK(op->value("entry", "") == "Online");
  CHECK(op->value("exec", "") == "timed_out");
  CHECK(op->value("pending_timeout_ms", 0) == 500);

  auto failed = m.wait_state("slow", "Failed");
  REQUIRE_M(m, failed);
  CHECK(failed->value("exec", "") == "timed_out");
  CHECK(failed->value("code", -1) == 4);

  // Failing a resource means Terminate, which stops the Dummy's worker.
  auto term = wait_call_log(calls, call_of("slow", "Terminate"));
  INFO(describe_call_log(read_call_log(calls)));
  REQUIRE_M(m, term);
  CHECK_M(m, !find_event(m.events(), "state", "slow", with_state("Online")));
}

TEST_CASE("progress reports re-arm PendingTimeout", "[monitor][lifecycle][pending]") {
  monitor_fixture m;
  m.load_dummy();
  // 1.5 s in all, but a report every 100 ms: no gap comes near the 500 ms timeout.
  open_resource(m, "steady", {{"Pending", 1}, {"OnlineDelayMs", 1500}, {"PendingProgressMs", 100}},
                timing(600000, 600000, 500));
  const auto t0 = std::chrono::steady_clock::now();
  auto online = m.request(online_cmd("steady"));
  CHECK(online.value("status", -1) == ERROR_IO_PENDING);
  REQUIRE_M(m, m.wait_state("steady", "Online"));
  // It really was pending for longer than the timeout.
  CHECK(ms_since(t0) >= 1400);
  CHECK_M(m, !find_event(m.events(), "operation", "steady"));
  CHECK_M(m, !find_event(m.events(), "state", "steady", with_state("Failed")));
}

TEST_CASE("an Online that returns an error fails the resource", "[monitor][lifecycle]") {
  monitor_fixture m;
  m.load_dummy();

  SECTION("synchronous: Online returns the error") {
    open_resource(m, "bad", {{"OnlineError", ERROR_ACCESS_DENIED}}, timing());
    auto online = m.request(online_cmd("bad"));
    CHECK_FALSE(online.value("ok", true));
    CHECK(online.value("exec", "") == "completed");
    CHECK(online.value("status", -1) == ERROR_ACCESS_DENIED);
    REQUIRE(online.contains("error"));
    CHECK(online["error"].value("code", -1) == ERROR_ACCESS_DENIED);
    REQUIRE_M(m, m.wait_state("bad", "Failed"));
  }
  SECTION("pending: the worker reports ClusterResourceFailed") {
    open_resource(m, "bad",
                  {{"OnlineError", ERROR_ACCESS_DENIED}, {"Pending", 1}, {"OnlineDelayMs", 100}},
                  timing());
    auto online = m.request(online_cmd("bad"));
    CHECK(online.value("ok", false));
    CHECK(online.value("status", -1) == ERROR_IO_PENDING);
    REQUIRE_M(m, m.wait_state("bad", "Failed"));
  }
  CHECK_M(m, state_sequence(m.events(), "bad") == strings{"Offline", "OnlinePending", "Failed"});
}

TEST_CASE("a slow Online of one resource does not hold up another",
          "[monitor][lifecycle][threads]") {
  monitor_fixture m;
  m.load_dummy();
  open_resource(m, "A", {{"OnlineDelayMs", 3000}}, timing());
  open_resource(m, "B", json::object(), timing());

  const auto t0 = std::chrono::steady_clock::now();
  m.send(online_cmd("A"));  // synchronous: A's Online sits in the plugin for 3 s
  m.send(online_cmd("B"));
  REQUIRE_M(m, m.wait_state("B", "Online"));
  const auto b_ms = ms_since(t0);
  REQUIRE_M(m, m.wait_state("A", "Online"));
  INFO("B online after " << b_ms << " ms");
  const auto a_at = find_event(m.events(), "state", "A", with_state("Online"));
  const auto b_at = find_event(m.events(), "state", "B", with_state("Online"));
  REQUIRE(a_at);
  REQUIRE(b_at);
  CHECK_M(m, *b_at < *a_at);
  CHECK(ms_since(t0) >= 2900);  // A really took its 3 s
}

TEST_CASE("terminate during an Online in progress", "[monitor][lifecycle][terminate]") {
  monitor_fixture m;
  m.load_dummy();
  const auto calls = m.dir() / "calls.jsonl";

  SECTION("pending Online: the worker is stopped") {
    open_resource(m, "t1", {{"Pending", 1}, {"OnlineDelayMs", 60000}, {"CallLog", calls.string()}},
                  timing());
    auto online = m.request(online_cmd("t1"));
    CHECK(online.value("status", -1) == ERROR_IO_PENDING);
    REQUIRE_M(m, m.wait_state("t1", "OnlinePending"));

    auto term = m.request({{"type", "terminate"}, {"resource", "t1"}});
    CHECK(term.value("ok", false));
    CHECK(term.value("state", "") == "Offline");
  }
  SECTION("synchronous Online: Terminate overlaps it; Online returns ERROR_OPERATION_ABORTED") {
    open_resource(m, "t1", {{"OnlineDelayMs", 60000}, {"CallLog", calls.string()}}, timing());
    const auto online_id = m.send(online_cmd("t1"));
    // Terminate must not wait for the Online call that is sitting in the plugin.
    REQUIRE_M(m, wait_call_log(calls, call_of("t1", "Online")));
    auto term = m.request({{"type", "terminate"}, {"resource", "t1"}});
    CHECK(term.value("ok", false));
    CHECK(term.value("state", "") == "Offline");
    auto online = m.wait_for([&](const json& e) {
      return e.value("type", "") == "response" && e.value("id", -1) == online_id;
    });
    REQUIRE_M(m, online);
    CHECK_FALSE(online->value("ok", true));
    CHECK(online->value("status", -1) == ERROR_OPERATION_ABORTED);
  }

  REQUIRE_M(m, m.wait_state("t1", "Offline"));
  const auto lines = read_call_log(calls);
  INFO(describe_call_log(lines));
  auto on = find_line(lines, call_of("t1", "Online"));
  REQUIRE(on);
  CHECK(find_line(lines, call_of("t1", "Terminate"), *on));

  auto status = m.request({{"type", "status"}});
  auto entry = status_entry(status, "t1");
  REQUIRE(entry);
  CHECK(entry->value("state", "") == "Offline");
  CHECK_M(m, !find_event(m.events(), "state", "t1", with_state("Online")));

  // The resource is usable again once its parameters no longer make Online wait.
  auto set = m.request(
      {{"type", "set_properties"}, {"resource", "t1"}, {"parameters", {{"OnlineDelayMs", 0}}}});
  REQUIRE(set.value("ok", false));
  auto again = m.request(online_cmd("t1"));
  CHECK(again.value("ok", false));
  CHECK_M(m, m.wait_state("t1", "Online"));
}
