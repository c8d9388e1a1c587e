// The File Marker example (sample_resources/example_cpp), written with the C++ layer of
// wolfpack/plugin.hpp: in the harness (`resrcmon --standalone`) and under a monitor driven
// over the protocol for its property control codes.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <wolfpack/clusapi.h>
#include <wolfpack/winerror.h>
#include <nlohmann/json.hpp>

#include "file_remover.hpp"
#include "integration_support.hpp"
#include "monitor_fixture.hpp"
#include "property_list_codec.hpp"
#include "property_list_controls.hpp"

using namespace wolfpack::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* const marker_type = "File Marker";

std::vector<std::string> marker_args(const std::string& name, std::vector<std::string> more,
                                     const std::string& type = marker_type) {
  return harness_args(plugin_path("wp_example_cpp"), type, name, std::move(more));
}

std::optional<std::uint32_t> online_result(const harness_run& run) {
  for (const auto& l : run.lines) {
    if (l.value("type", "") == "call" && l.value("entry", "") == "Online")
      return l.value("result", 0u);
  }
  return std::nullopt;
}

void load(monitor_fixture& m) {
  auto r = m.request({{"type", "load_type"},
                      {"resource_type", marker_type},
                      {"plugin", plugin_path("wp_example_cpp").string()}});
  REQUIRE_M(m, r.value("ok", false));
}

}  // namespace

TEST_CASE("example C++ plugin: online creates the file, offline removes it", "[sdk][harness]") {
  temp_dir dir;
  const auto marker = dir.path() / "marker";
  // Watch the file from outside while the harness holds the resource online.
  std::atomic<bool> seen{false};
  std::atomic<bool> stop{false};
  fs::perms seen_perms = fs::perms::none;
  std::thread watcher([&] {
    while (!stop && !seen) {
      std::error_code ec;
      const auto st = fs::status(marker, ec);
      if (!ec && fs::is_regular_file(st)) {
        seen_perms = st.permissions();
        seen = true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  auto run = run_harness(
      marker_args("fm1", {"--param", "Path=" + marker.string(), "--param", "Mode=384", "--hold",
                          "0.5", "--looks-alive-ms", "100", "--is-alive-ms", "150"}));
  stop = true;
  watcher.join();
  INFO(describe(run));
  CHECK(run.status.exited());
  CHECK(run.status.code == 0);
  CHECK(online_result(run) == 0u);
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("Offline"));
  CHECK_FALSE(run.has_state("Failed"));
  CHECK(has_log(run.lines, "created " + marker.string()));
  CHECK(seen);
  CHECK(seen_perms == (fs::perms::owner_read | fs::perms::owner_write));  // 0600
  CHECK_FALSE(fs::exists(marker));                                        // Offline removed it
}

TEST_CASE("example C++ plugin: the second type name and a pending Online", "[sdk][harness]") {
  temp_dir dir;
  const auto marker = dir.path() / "pending";
  const auto started = std::chrono::steady_clock::now();
  auto run = run_harness(marker_args("fm2",
                                     {"--param", "Path=" + marker.string(), "--param",
                                      "DelayMs=300", "--hold", "0.2", "--looks-alive-ms", "100"},
                                     "Example C++"));
  INFO(describe(run));
  CHECK(run.status.code == 0);
  CHECK(online_result(run) == static_cast<std::uint32_t>(ERROR_IO_PENDING));
  CHECK(run.has_state("OnlinePending"));
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("Offline"));
  CHECK(has_log(run.lines, "Online of fm2 pending for 300 ms."));
  CHECK(has_log(run.lines, "after the delay"));
  CHECK(ms_since(started) >= 300);
  CHECK_FALSE(fs::exists(marker));
}

TEST_CASE("example C++ plugin: removing the file fails the resource", "[sdk][harness]") {
  temp_dir dir;
  const auto marker = dir.path() / "victim";
  // Online creates it; it is taken away 150 ms later.
  file_remover remover(marker, std::chrono::milliseconds(150), std::chrono::seconds(10));
  const auto t0 = std::chrono::steady_clock::now();
  auto run = run_harness(marker_args("fm3", {"--param", "Path=" + marker.string(), "--hold", "10",
                                             "--looks-alive-ms", "50", "--is-alive-ms", "1000"}));
  INFO(describe(run));
  CHECK(remover.join());
  CHECK(run.status.code == 1);
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("Failed"));
  CHECK(has_log(run.lines, "is gone"));
  CHECK(ms_since(t0) < 5000);  // LooksAlive FALSE ran IsAlive at once
}

TEST_CASE("example C++ plugin: a missing Path fails Online and says which property",
          "[sdk][harness]") {
  auto run = run_harness(marker_args("fm4", {"--hold", "0.2"}));
  INFO(describe(run));
  CHECK(run.status.code == 1);
  CHECK(run.has_state("Failed"));
  CHECK(online_result(run) == static_cast<std::uint32_t>(ERROR_FILE_NOT_FOUND));
  CHECK(has_log(run.lines, "property Path: required, not set"));
}

TEST_CASE("example C++ plugin: a stored value out of range fails Online", "[sdk][harness]") {
  temp_dir dir;
  auto run = run_harness(marker_args(
      "fm5", {"--param", "Path=" + (dir.path() / "x").string(), "--param", "Mode=4096"}));
  INFO(describe(run));
  CHECK(run.status.code == 1);
  CHECK(online_result(run) == static_cast<std::uint32_t>(ERROR_INVALID_PARAMETER));
  CHECK(has_log(run.lines, "property Mode: 4096 is outside 0..511"));
}

TEST_CASE("example C++ plugin: private properties and their formats", "[sdk][monitor][control]") {
  temp_dir dir;
  monitor_fixture m;
  load(m);
  open_resource(m, "fm6", {{"Path", (dir.path() / "m").string()}}, timing(), marker_type);

  auto validate = [&](const property_list_builder& b) {
    return m.resource_control("fm6", CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES, b.bytes())
        .value("status", -1);
  };

  SECTION("VALIDATE: types, ranges, unknown names, the type's own check") {
    CHECK(validate(property_list_builder().dword("Mode", 0755)) == ERROR_SUCCESS);
    CHECK(validate(property_list_builder().dword("Mode", 01000)) == ERROR_INVALID_PARAMETER);
    CHECK(validate(property_list_builder().dword("DelayMs", 3600001)) == ERROR_INVALID_PARAMETER);
    CHECK(validate(property_list_builder().sz("Mode", "0644")) ==
          ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH);
    CHECK(validate(property_list_builder().dword("Path", 1)) ==
          ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH);
    CHECK(validate(property_list_builder().sz("Nope", "x")) == ERROR_INVALID_PARAMETER);
    CHECK(validate(property_list_builder().sz("Path", "relative/file")) == ERROR_INVALID_PARAMETER);
    REQUIRE_M(m, m.wait_for([](const json& e) {
      return e.value("type", "") == "log" &&
             e.value("message", "").find("not an absolute path") != std::string::npos;
    }));
  }
  SECTION("SET writes to the database; GET reads it back with the defaults") {
    auto set = m.resource_control("fm6", CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES,
                                  property_list_builder().dword("DelayMs", 25).bytes());
    CHECK_M(m, set.value("status", -1) == ERROR_SUCCESS);
    REQUIRE_M(m, m.wait_for([](const json& e) {
      return e.value("type", "") == "registry" && e.value("name", "") == "DelayMs";
    }));
    const auto list = resource_property_list(m, "fm6", CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES);
    CHECK(find_property(list, "DelayMs")->values[0].as_dword() == 25u);
    CHECK(find_property(list, "Mode")->values[0].as_dword() == 0644u);
    CHECK(find_property(list, "Path")->values[0].as_string() == (dir.path() / "m").string());
    auto bad = m.resource_control("fm6", CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES,
                                  property_list_builder().dword("Mode", 070000).bytes());
    CHECK(bad.value("status", -1) == ERROR_INVALID_PARAMETER);
  }
  SECTION("the type's property formats and its own VALIDATE") {
    const auto list = type_property_list(m, marker_type,
                                         CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS);
    REQUIRE(list.size() == 3);
    CHECK(find_property(list, "Path")->values[0].as_word() == CLUSPROP_FORMAT_SZ);
    CHECK(find_property(list, "Mode")->values[0].as_word() == CLUSPROP_FORMAT_DWORD);
    CHECK(find_property(list, "DelayMs")->values[0].as_word() == CLUSPROP_FORMAT_DWORD);
    CHECK(m.type_control(marker_type, CLUSCTL_RESOURCE_TYPE_VALIDATE_PRIVATE_PROPERTIES,
                         property_list_builder().sz("DelayMs", "1").bytes())
              .value("status", -1) == ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH);
  }
}

TEST_CASE("example C++ plugin: Terminate during a pending Online", "[sdk][monitor]") {
  temp_dir dir;
  const auto marker = dir.path() / "never";
  monitor_fixture m;
  load(m);
  open_resource(m, "fm7", {{"Path", marker.string()}, {"DelayMs", 60000}}, timing(), marker_type);
  m.send({{"type", "online"}, {"resource", "fm7"}});
  REQUIRE_M(m, m.wait_state("fm7", "OnlinePending"));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  const auto started = std::chrono::steady_clock::now();
  auto term = m.request({{"type", "terminate"}, {"resource", "fm7"}});
  CHECK_M(m, term.value("ok", false));
  CHECK(ms_since(started) < 2000);
  CHECK_FALSE(m.wait_state("fm7", "Online", 300ms).has_value());
  CHECK_FALSE(fs::exists(marker));
}
