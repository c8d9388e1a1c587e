// What a monitor does when things go wrong around it: a plugin that hangs or crashes, a
// parent that goes away or stops renewing the lease, commands and frames that make no sense.

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <string>

#include <wolfpack/winerror.h>
#include <nlohmann/json.hpp>
#include <wolfpack/common/frame.hpp>

#include "integration_support.hpp"
#include "monitor_fixture.hpp"
#include "raw_parent.hpp"

using namespace wolfpack::testing;
using nlohmann::json;

namespace {

std::string big_endian_length(std::uint32_t n) {
  return std::string{static_cast<char>(n >> 24), static_cast<char>((n >> 16) & 0xFF),
                     static_cast<char>((n >> 8) & 0xFF), static_cast<char>(n & 0xFF)};
}

bool is_lease_refusal(const json& r) {
  return !r.value("ok", true) && r.value("status", 0) == ERROR_CLUSTER_NODE_NOT_READY;
}

}  // namespace

// ---- deadlock -------------------------------------------------------------------------------

TEST_CASE("a call that hangs past DeadlockTimeout ends the monitor with code 3",
          "[monitor][deadlock]") {
  monitor_fixture m;
  m.load_dummy();
  std::string entry;
  SECTION("hang in Online") {
    entry = "Online";
    open_resource(m, "stuck", {{"HangIn", "Online"}}, timing(600000, 600000, 60000, 1000));
    m.send(online_cmd("stuck"));  // never answered: the call never returns
  }
  SECTION("hang in LooksAlive") {
    entry = "LooksAlive";
    open_resource(m, "stuck", {{"HangIn", "LooksAlive"}}, timing(100, 600000, 60000, 1000));
    REQUIRE(m.request(online_cmd("stuck")).value("ok", false));
    REQUIRE_M(m, m.wait_state("stuck", "Online"));
  }
  auto deadlock = m.wait_for(is_event("deadlock"));
  REQUIRE_M(m, deadlock);
  CHECK(deadlock->value("entry", "") == entry);
  CHECK(deadlock->value("resource", "") == "stuck");
  // The protocol lists resource_type among the deadlock event's fields.
  CHECK((*deadlock)["resource_type"] == "Dummy");
  CHECK(deadlock->value("deadlock_timeout_ms", 0) == 1000);
  CHECK(deadlock->value("elapsed_ms", 0) >= 1000);

  auto st = m.wait_exit();
  REQUIRE_M(m, st);
  INFO(st->to_string());
  CHECK(st->exited());
  CHECK(st->code == 3);
}

// ---- crash ----------------------------------------------------------------------------------

TEST_CASE("a crash in a plugin kills only its own monitor", "[monitor][crash]") {
  monitor_fixture bystander;
  bystander.load_dummy();
  open_resource(bystander, "steady", json::object(), timing(100, 300));
  REQUIRE(bystander.request(online_cmd("steady")).value("ok", false));
  REQUIRE_M(bystander, bystander.wait_state("steady", "Online"));

  monitor_fixture victim;
  victim.load_dummy();
  open_resource(victim, "crasher", {{"CrashIn", "Online"}}, timing());
  victim.send(online_cmd("crasher"));

  auto st = victim.wait_exit();
  REQUIRE_M(victim, st);
  INFO(st->to_string());
  // Killed by the signal it raised; an AddressSanitizer build may exit non-zero instead.
  CHECK((st->signaled() || (st->exited() && st->code != 0)));
  if (st->signaled())
    CHECK(st->code == SIGSEGV);
  const std::string log = victim.log_text();
  CHECK_THAT(log, Catch::Contains("during Online") && Catch::Contains("crasher"));

  // The other monitor still answers and its resource is still up and polled.
  auto status = bystander.request({{"type", "status"}});
  CHECK(status.value("ok", false));
  auto entry = status_entry(status, "steady");
  REQUIRE_M(bystander, entry);
  CHECK(entry->value("state", "") == "Online");
  CHECK(bystander.process().is_running());
  CHECK_M(bystander, state_sequence(bystander.events(), "steady") ==
                         std::vector<std::string>{"Offline", "OnlinePending", "Online"});
}

// ---- parent loss ----------------------------------------------------------------------------

TEST_CASE("losing the parent terminates every resource and exits with code 4",
          "[monitor][parent]") {
  monitor_fixture m;
  m.load_dummy();
  const auto calls = m.dir() / "calls.jsonl";
  open_resource(m, "up", {{"CallLog", calls.string()}}, timing(100, 300));
  open_resource(m, "coming",
                {{"Pending", 1}, {"OnlineDelayMs", 60000}, {"CallLog", calls.string()}}, timing());
  open_resource(m, "idle", {{"CallLog", calls.string()}}, timing());
  REQUIRE(m.request(online_cmd("up")).value("ok", false));
  REQUIRE_M(m, m.wait_state("up", "Online"));
  REQUIRE(m.request(online_cmd("coming")).value("status", 0) == ERROR_IO_PENDING);
  REQUIRE_M(m, m.wait_state("coming", "OnlinePending"));

  m.close_connection();
  auto st = m.wait_exit();
  REQUIRE_M(m, st);
  INFO(st->to_string());
  CHECK(st->exited());
  CHECK(st->code == 4);

  const auto lines = read_call_log(calls);
  INFO(describe_call_log(lines));
  CHECK(find_line(lines, call_of("up", "Terminate")));
  CHECK(find_line(lines, call_of("coming", "Terminate")));
}

// ---- lease ----------------------------------------------------------------------------------

TEST_CASE("a monitor started with --leased calls no plugin until its first renewal",
          "[monitor][lease]") {
  monitor_fixture m({"--leased"});
  const json load{{"type", "load_type"},
                  {"resource_type", "Dummy"},
                  {"plugin", plugin_path("wp_dummy").string()}};
  CHECK_M(m, is_lease_refusal(m.request(load)));
  REQUIRE_M(m, m.request({{"type", "renew_lease"}, {"ms", 60000}}).value("ok", false));
  CHECK_M(m, m.request(load).value("ok", false));
}

TEST_CASE("an expired lease terminates everything and fences the monitor until renewed",
          "[monitor][lease]") {
  monitor_fixture m({"--lease-ms", "800"});
  const auto calls = m.dir() / "calls.jsonl";
  // The lease runs from the monitor's start. Should this machine be too slow to load, open
  // and start within those 800 ms, the step is repeated once on a fresh 800 ms lease, so
  // the scenario stays the same: one lease, never renewed while the resource is online.
  bool renewed = false;
  auto step = [&](json command) {
    auto r = m.request(command);
    if (is_lease_refusal(r) && !renewed) {
      WARN("the 800 ms lease ran out before " << command.value("type", "") << "; renewing it once");
      renewed = true;
      REQUIRE(m.request({{"type", "renew_lease"}, {"ms", 800}}).value("ok", false));
      r = m.request(command);
    }
    REQUIRE_M(m, r.value("ok", false));
  };
  step({{"type", "load_type"},
        {"resource_type", "Dummy"},
        {"plugin", plugin_path("wp_dummy").string()}});
  step({{"type", "open"},
        {"resource", "leased"},
        {"resource_type", "Dummy"},
        {"parameters", {{"CallLog", calls.string()}}},
        {"timing", timing(100, 600000)}});
  step(online_cmd("leased"));
  REQUIRE_M(m, m.wait_state("leased", "Online"));

  auto expired = m.wait_for(is_event("lease_expired"));
  REQUIRE_M(m, expired);
  auto failed = m.wait_state("leased", "Failed");
  REQUIRE_M(m, failed);
  REQUIRE_M(m, wait_call_log(calls, call_of("leased", "Terminate")));

  // Commands that would call into a plugin, other than stopping ones, are refused.
  auto refused_online = m.request(online_cmd("leased"));
  CHECK_M(m, is_lease_refusal(refused_online));
  auto refused_control = m.request({{"type", "resource_control"},
                                    {"resource", "leased"},
                                    {"code", 0x01000081},
                                    {"out_size", 4096}});
  CHECK_M(m, is_lease_refusal(refused_control));
  auto refused_open = m.request({{"type", "open"},
                                 {"resource", "late"},
                                 {"resource_type", "Dummy"},
                                 {"parameters", json::object()},
                                 {"timing", timing()}});
  CHECK_M(m, is_lease_refusal(refused_open));
  auto refused_load = m.request({{"type", "load_type"},
                                 {"resource_type", "CMinimal"},
                                 {"plugin", test_plugin_path("c_minimal").string()}});
  CHECK_M(m, is_lease_refusal(refused_load));
  // Stopping a resource is always allowed.
  auto terminate = m.request({{"type", "terminate"}, {"resource", "leased"}});
  CHECK_M(m, terminate.value("ok", false));
  auto offline = m.request({{"type", "offline"}, {"resource", "leased"}});
  CHECK_M(m, offline.value("ok", false));
  // Five poll intervals go by. A LooksAlive now would find the Dummy terminated and say FALSE,
  // which the monitor would report as poll_failed.
  CHECK_M(m, !m.wait_for(is_event("poll_failed", "leased"), std::chrono::milliseconds(500)));

  {
    const auto lines = read_call_log(calls);
    INFO(describe_call_log(lines));
    const auto last_online = find_last_line(lines, call_of("leased", "Online"));
    REQUIRE(last_online);
    const auto term = find_line(lines, call_of("leased", "Terminate"), *last_online);
    REQUIRE(term);
    CHECK_FALSE(find_line(lines, call_of("leased", "LooksAlive"), *term));
    CHECK_FALSE(find_line(lines, call_of("leased", "IsAlive"), *term));
  }

  // A renewal makes the monitor usable again.
  auto renew = m.request({{"type", "renew_lease"}, {"ms", 60000}});
  REQUIRE_M(m, renew.value("ok", false));
  auto again = m.request(online_cmd("leased"));
  CHECK_M(m, again.value("ok", false));
  REQUIRE_M(m, m.wait_state("leased", "Online"));
  const bool polled_again = wait_until([&] {
    const auto lines = read_call_log(calls);
    const auto last_online = find_last_line(lines, call_of("leased", "Online"));
    return last_online && find_line(lines, call_of("leased", "LooksAlive"), *last_online);
  });
  CHECK_M(m, polled_again);
}

// ---- bad commands ---------------------------------------------------------------------------

TEST_CASE("malformed commands are refused with ERROR_INVALID_PARAMETER naming the field",
          "[monitor][protocol]") {
  monitor_fixture m;
  m.load_dummy();
  open_resource(m, "r1", json::object(), timing());

  struct bad_case {
    json command;
    std::string field;  // short names are looked for in quotes, as in "field 'in' must be"
  };
  const bad_case cases[] = {
      {{{"type", "online"}}, "resource"},
      {{{"type", "online"}, {"resource", 5}}, "resource"},
      {{{"type", "load_type"}, {"resource_type", "X"}}, "plugin"},
      {{{"type", "load_type"}, {"plugin", "/nowhere.so"}}, "resource_type"},
      {{{"type", "open"}, {"resource_type", "Dummy"}}, "resource"},
      {{{"type", "open"},
        {"resource", "r2"},
        {"resource_type", "Dummy"},
        {"timing", {{"looks_alive_ms", "fast"}}}},
       "looks_alive_ms"},
      {{{"type", "open"},
        {"resource", "r2"},
        {"resource_type", "Dummy"},
        {"timing", {{"pending_timeout_ms", 1}}}},
       "pending_timeout_ms"},
      {{{"type", "resource_control"}, {"resource", "r1"}, {"code", "abc"}}, "code"},
      {{{"type", "resource_control"}, {"resource", "r1"}, {"code", 0x01000081}, {"in", "zz"}},
       "'in'"},
      {{{"type", "resource_control"}, {"resource", "r1"}, {"code", 0x01000081}, {"out_size", -1}},
       "out_size"},
      {{{"type", "renew_lease"}, {"ms", -5}}, "'ms'"},
      {{{"type", "set_trace"}, {"calls", "yes"}}, "calls"},
  };
  for (const auto& c : cases) {
    auto r = m.request(c.command);
    INFO(c.command.dump() << " -> " << r.dump());
    CHECK_FALSE(r.value("ok", true));
    CHECK(r.value("status", 0) == ERROR_INVALID_PARAMETER);
    REQUIRE(r.contains("error"));
    CHECK(r["error"].value("code", 0) == ERROR_INVALID_PARAMETER);
    CHECK(r["error"].value("name", "") == "ERROR_INVALID_PARAMETER");
    CHECK_THAT(error_message(r), Catch::Contains(c.field));
  }

  auto unknown = m.request(online_cmd("nobody"));
  CHECK_FALSE(unknown.value("ok", true));
  CHECK(unknown.value("status", 0) == ERROR_RESOURCE_NOT_FOUND);
  CHECK(unknown.value("status", 0) == 5007);
  CHECK(unknown["error"].value("name", "") == "ERROR_RESOURCE_NOT_FOUND");
  CHECK_THAT(error_message(unknown), Catch::Contains("nobody"));

  // None of this harmed the monitor.
  REQUIRE(m.request(online_cmd("r1")).value("ok", false));
  CHECK_M(m, m.wait_state("r1", "Online"));
}

// ---- bad frames -----------------------------------------------------------------------------

TEST_CASE("a bad frame closes the connection and the monitor then acts as if its parent died",
          "[monitor][protocol]") {
  monitor_fixture bystander;  // another monitor, untouched by what happens to the first
  bystander.load_dummy();
  open_resource(bystander, "safe", json::object(), timing(100, 300));
  REQUIRE(bystander.request(online_cmd("safe")).value("ok", false));
  REQUIRE_M(bystander, bystander.wait_state("safe", "Online"));

  raw_parent p;
  const auto calls = p.dir() / "calls.jsonl";
  REQUIRE(p.request({{"type", "load_type"},
                     {"resource_type", "Dummy"},
                     {"plugin", plugin_path("wp_dummy").string()}})
              .value("ok", false));
  REQUIRE(p.request({{"type", "open"},
                     {"resource", "victim"},
                     {"resource_type", "Dummy"},
                     {"parameters", {{"CallLog", calls.string()}}},
                     {"timing", timing(100, 300)}})
              .value("ok", false));
  REQUIRE(p.request(online_cmd("victim")).value("ok", false));
  REQUIRE(p.wait_for([](const json& e) {
    return e.value("type", "") == "state" && e.value("resource", "") == "victim" &&
           e.value("state", "") == "Online";
  }));

  std::string frame;
  SECTION("a length header of 1 GiB") {
    frame = big_endian_length(1u << 30) + "{\"type\":\"status\"}";
  }
  SECTION("a body that is not JSON") {
    frame = big_endian_length(9) + "not json!";
  }
  SECTION("a JSON object without a type") {
    frame = big_endian_length(8) + "{\"id\":1}";
  }
  SECTION("JSON that is not an object") {
    frame = big_endian_length(7) + "[1,2,3]";
  }
  p.send_bytes(frame);  // may fail half-way if the monitor has already hung up: that is fine

  CHECK(p.wait_closed());
  auto st = p.process().wait_for(std::chrono::seconds(10));
  INFO(p.log_text());
  REQUIRE(st);
  INFO(st->to_string());
  CHECK(st->exited());
  CHECK(st->code == 4);
  const auto lines = read_call_log(calls);
  INFO(describe_call_log(lines));
  CHECK(find_line(lines, call_of("victim", "Terminate")));

  auto status = bystander.request({{"type", "status"}});
  auto entry = status_entry(status, "safe");
  REQUIRE_M(bystander, entry);
  CHECK(entry->value("state", "") == "Online");
}
