// Health polling through a real resrcmon: a failed LooksAlive leads at once to IsAlive, and
// only IsAlive decides; IsAlive alone finds a failure when LooksAlive is not due.

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "integration_support.hpp"
#include "monitor_fixture.hpp"

using namespace wolfpack::testing;
using nlohmann::json;

TEST_CASE("a LooksAlive failure is confirmed by IsAlive at once", "[monitor][polling]") {
  monitor_fixture m;
  m.load_dummy();
  const auto calls = m.dir() / "calls.jsonl";
  const auto fail_file = m.dir() / "fail-now";
  // IsAlive is due only after 10 minutes: a failure within seconds can only come through
  // LooksAlive FALSE -> IsAlive at once.
  open_resource(m, "watched", {{"FailFile", fail_file.string()}, {"CallLog", calls.string()}},
                timing(200, 600000));
  REQUIRE(m.request({{"type", "online"}, {"resource", "watched"}}).value("ok", false));
  REQUIRE_M(m, m.wait_state("watched", "Online"));

  // Polling is running and the resource is healthy.
  REQUIRE_M(m, wait_call_log(calls, call_of("watched", "LooksAlive")));
  CHECK_M(m, !find_event(m.events(), "poll_failed", "watched"));

  const auto t0 = std::chrono::steady_clock::now();
  std::ofstream(fail_file) << "fail\n";
  auto failed = m.wait_state("watched", "Failed", std::chrono::seconds(3));
  const auto fail_ms = ms_since(t0);
  INFO("Failed after " << fail_ms << " ms");
  REQUIRE_M(m, failed);

  const auto la = find_event(m.events(), "poll_failed", "watched",
                             [](const json& e) { return e.value("entry", "") == "LooksAlive"; });
  const auto ia = find_event(m.events(), "poll_failed", "watched",
                             [](const json& e) { return e.value("entry", "") == "IsAlive"; });
  REQUIRE_M(m, la);
  REQUIRE_M(m, ia);
  CHECK_M(m, *la < *ia);

  // Failing means Terminate, after the IsAlive that failed.
  REQUIRE_M(m, wait_call_log(calls, call_of("watched", "Terminate")));
  const auto lines = read_call_log(calls);
  INFO(describe_call_log(lines));
  const auto is_alive = find_line(lines, call_of("watched", "IsAlive"));
  REQUIRE(is_alive);
  CHECK(find_line(lines, call_of("watched", "Terminate"), *is_alive));
}

TEST_CASE("IsAlive alone fails a resource (FailAfterMs)", "[monitor][polling]") {
  monitor_fixture m;
  m.load_dummy();
  const auto calls = m.dir() / "calls.jsonl";
  // LooksAlive is never due; IsAlive runs every 200 ms and turns FALSE 300 ms after Online.
  open_resource(m, "aging", {{"FailAfterMs", 300}, {"CallLog", calls.string()}},
                timing(600000, 200));
  REQUIRE(m.request({{"type", "online"}, {"resource", "aging"}}).value("ok", false));
  REQUIRE_M(m, m.wait_state("aging", "Online"));
  auto failed = m.wait_state("aging", "Failed");
  REQUIRE_M(m, failed);

  const auto ia = find_event(m.events(), "poll_failed", "aging",
                             [](const json& e) { return e.value("entry", "") == "IsAlive"; });
  CHECK_M(m, ia);
  CHECK_M(m, !find_event(m.events(), "poll_failed", "aging",
                         [](const json& e) { return e.value("entry", "") == "LooksAlive"; }));
  REQUIRE_M(m, wait_call_log(calls, call_of("aging", "Terminate")));
  const auto lines = read_call_log(calls);
  INFO(describe_call_log(lines));
  CHECK_FALSE(find_line(lines, call_of("aging", "LooksAlive")));
  CHECK(find_line(lines, call_of("aging", "IsAlive")));
}
