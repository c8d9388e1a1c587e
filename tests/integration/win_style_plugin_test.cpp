// The plugin SDK's proof (issue 7, section 5): tests/plugins/win_style_resource.c is
// Windows resource DLL source (windows.h, resapi.h, tchar.h, DllMain, a property table
// over a parameter block, a ClusWorker for a pending Online, LogEvent with FormatMessage
// inserts, a Terminate returning DWORD, two types from one Startup) built unchanged. Here
// it runs in the harness and under a monitor driven over the protocol.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <wolfpack/clusapi.h>
#include <wolfpack/winerror.h>
#include <nlohmann/json.hpp>

#include "integration_support.hpp"
#include "monitor_fixture.hpp"
#include "property_list_codec.hpp"
#include "property_list_controls.hpp"

using namespace wolfpack::testing;
using nlohmann::json;

namespace {

const char* const win_style_type = "Win Style";
const char* const mirror_type = "Win Style Mirror";

std::string plugin() {
  return test_plugin_path("win_style_resource").string();
}

std::vector<std::string> win_style_args(const std::string& type, const std::string& name,
                                        std::vector<std::string> more) {
  return harness_args(plugin(), type, name, std::move(more));
}

std::size_t count_calls(const harness_run& run, const std::string& entry) {
  std::size_t n = 0;
  for (const auto& l : run.lines) {
    if (l.value("type", "") == "call" && l.value("entry", "") == entry)
      ++n;
  }
  return n;
}

void load(monitor_fixture& m, const std::string& type) {
  auto r = m.request({{"type", "load_type"}, {"resource_type", type}, {"plugin", plugin()}});
  REQUIRE_M(m, r.value("ok", false));
}

std::vector<parsed_property> get_private(monitor_fixture& m, const std::string& resource) {
  return resource_property_list(m, resource, CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES);
}

}  // namespace

TEST_CASE("win-style plugin: both types come online through a ClusWorker and go offline",
          "[sdk][harness]") {
  for (const char* type : {win_style_type, mirror_type}) {
    INFO("type " << type);
    auto run = run_harness(win_style_args(
        type, "ws1",
        {"--param", "Path=/srv/data", "--param", "StepMs=20", "--param", "OnlineSteps=4", "--hold",
         "0.4", "--looks-alive-ms", "100", "--is-alive-ms", "150"}));
    INFO(describe(run));
    CHECK(run.status.exited());
    CHECK(run.status.code == 0);
    CHECK(run.has_state("OnlinePending"));
    CHECK(run.has_state("Online"));
    CHECK(run.has_state("Offline"));
    CHECK_FALSE(run.has_state("Failed"));
    CHECK(count_calls(run, "LooksAlive") >= 2);
    CHECK(count_calls(run, "IsAlive") >= 1);
    // FormatMessage inserts: %1 (string), %2!u!, %3!u!, %4!d!.
    CHECK(has_log(run.lines, "Online of ws1 pending: 4 steps of 20 ms, bias 0."));
    CHECK(has_log(run.lines, "ws1 is online at /srv/data (" + std::string(type) + ")."));
    CHECK(has_log(run.lines, "Startup for type '" + std::string(type) + "'"));
  }
}

TEST_CASE("win-style plugin: a type name it does not serve is refused by name", "[sdk][harness]") {
  // Matched exactly: a trailing space makes another type.
  auto run = run_harness(win_style_args("Win Style ", "ws2", {"--param", "Path=/srv/data"}));
  INFO(describe(run));
  CHECK(run.status.code == 2);
  CHECK(run.stderr_text.find("does not serve resource type \"Win Style \"") != std::string::npos);
  CHECK(run.stderr_text.find("ERROR_CLUSTER_RESNAME_NOT_FOUND") != std::string::npos);
}

TEST_CASE("win-style plugin: a missing required property fails Online with its name",
          "[sdk][harness]") {
  auto run = run_harness(win_style_args(win_style_type, "ws3", {"--hold", "0.2"}));
  INFO(describe(run));
  CHECK(run.status.code == 1);
  CHECK(run.has_state("Failed"));
  CHECK(has_log(run.lines, "Unable to read the 'Path' property. Error: 2."));
}

TEST_CASE("win-style plugin: progress reports keep a long pending Online alive", "[sdk][monitor]") {
  monitor_fixture m;
  load(m, win_style_type);
  // Six reports 100 ms apart outlast a 300 ms PendingTimeout only because each one has a
  // new CheckPoint.
  open_resource(m, "ws4", {{"Path", "/srv/a"}, {"OnlineSteps", 6}, {"StepMs", 100}},
                timing(600000, 600000, 300), win_style_type);
  m.send({{"type", "online"}, {"resource", "ws4"}});
  REQUIRE_M(m, m.wait_state("ws4", "Online", 10s));
  CHECK(find_event(m.events(), "operation", "ws4") == std::nullopt);
  CHECK(state_sequence(m.events(), "ws4") ==
        std::vector<std::string>{"Offline", "OnlinePending", "Online"});
}

TEST_CASE("win-style plugin: Terminate while pending stops the worker", "[sdk][monitor]") {
  monitor_fixture m;
  load(m, win_style_type);
  open_resource(m, "ws5", {{"Path", "/srv/a"}, {"OnlineSteps", 50}, {"StepMs", 100}}, timing(),
                win_style_type);
  m.send({{"type", "online"}, {"resource", "ws5"}});
  REQUIRE_M(m, m.wait_state("ws5", "OnlinePending"));
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  const auto started = std::chrono::steady_clock::now();
  auto term = m.request({{"type", "terminate"}, {"resource", "ws5"}});
  CHECK_M(m, term.value("ok", false));
  CHECK(term.value("state", "") == "Offline");
  CHECK(ms_since(started) < 2000);  // ClusWorkerTerminate waited one step at most
  REQUIRE_M(m, m.wait_for([](const json& e) {
    return e.value("type", "") == "log" &&
           e.value("message", "").find("ws5 terminated.") != std::string::npos;
  }));
  // The worker saw the request at its next step and reported nothing more.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK_FALSE(m.wait_state("ws5", "Online", 200ms).has_value());
  CHECK(has_log(m.events(), "Online of ws5 abandoned at step"));
}

TEST_CASE("win-style plugin: private properties through ResUtil", "[sdk][monitor][control]") {
  monitor_fixture m;
  load(m, win_style_type);
  open_resource(m, "ws6", {{"Path", "/srv/a"}, {"Extra", "kept"}}, timing(), win_style_type);

  SECTION("GET: stored values, table defaults and unknown values") {
    auto list = get_private(m, "ws6");
    const auto* path = find_property(list, "Path");
    REQUIRE(path);
    CHECK(path->values[0].as_string() == "/srv/a");
    const auto* steps = find_property(list, "OnlineSteps");
    REQUIRE(steps);
    CHECK(steps->values[0].syntax == CLUSPROP_SYNTAX_LIST_VALUE_DWORD);
    CHECK(steps->values[0].as_dword() == 3u);
    CHECK(find_property(list, "Serial")->values[0].as_dword() == 7u);
    REQUIRE(find_property(list, "Extra"));
    CHECK(find_property(list, "Extra")->values[0].as_string() == "kept");
  }
  SECTION("VALIDATE: ranges, signed ranges, read-only, types, the DLL's own path check") {
    auto validate = [&](const property_list_builder& b) {
      return m.resource_control("ws6", CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES, b.bytes())
          .value("status", -1);
    };
    CHECK(validate(property_list_builder().dword("OnlineSteps", 50)) == ERROR_SUCCESS);
    CHECK(validate(property_list_builder().dword("OnlineSteps", 51)) == ERROR_INVALID_PARAMETER);
    CHECK(validate(property_list_builder().dword("Bias", static_cast<std::uint32_t>(-10))) ==
          ERROR_SUCCESS);
    CHECK(validate(property_list_builder().dword("Bias", static_cast<std::uint32_t>(-11))) ==
          ERROR_INVALID_PARAMETER);
    CHECK(validate(property_list_builder().dword("Serial", 8)) == ERROR_INVALID_PARAMETER);
    CHECK(validate(property_list_builder().dword("Path", 8)) == ERROR_INVALID_PARAMETER);
    CHECK(validate(property_list_builder().sz("Path", "bad|path")) == ERROR_INVALID_PARAMETER);
    CHECK(validate(property_list_builder().sz("Unknown", "x")) == ERROR_SUCCESS);
    auto truncated = property_list_builder().dword("OnlineSteps", 5).bytes();
    truncated.resize(truncated.size() - 6);
    CHECK(m.resource_control("ws6", CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES, truncated)
              .value("status", -1) == ERROR_INSUFFICIENT_BUFFER);
  }
  SECTION("SET: written to the cluster database, read back, refused when invalid") {
    auto set =
        m.resource_control("ws6", CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES,
                           property_list_builder().dword("OnlineSteps", 5).sz("Note", "n").bytes());
    CHECK_M(m, set.value("status", -1) == ERROR_SUCCESS);
    REQUIRE_M(m, m.wait_for([](const json& e) {
      return e.value("type", "") == "registry" && e.value("name", "") == "OnlineSteps";
    }));
    auto list = get_private(m, "ws6");
    CHECK(find_property(list, "OnlineSteps")->values[0].as_dword() == 5u);
    REQUIRE(find_property(list, "Note"));  // an unknown property is stored too
    auto bad = m.resource_control("ws6", CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES,
                                  property_list_builder().dword("StepMs", 0).bytes());
    CHECK(bad.value("status", -1) == ERROR_INVALID_PARAMETER);
    CHECK(find_property(get_private(m, "ws6"), "StepMs")->values[0].as_dword() == 50u);
  }
  SECTION("the type's property formats") {
    const auto list = type_property_list(m, win_style_type,
                                         CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS);
    REQUIRE(list.size() == 5);
    CHECK(find_property(list, "Path")->values[0].as_word() == CLUSPROP_FORMAT_SZ);
    CHECK(find_property(list, "Bias")->values[0].as_word() == CLUSPROP_FORMAT_DWORD);
  }
}
