// Plugins other than the Dummy in a real resrcmon: a resource type written in C, plugins
// the monitor must refuse, and a plugin that calls back with handles it never received.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <wolfpack/winerror.h>
#include <nlohmann/json.hpp>

#include "integration_support.hpp"
#include "monitor_fixture.hpp"

using namespace wolfpack::testing;
using nlohmann::json;

namespace {

json load(monitor_fixture& m, const std::string& type, const std::filesystem::path& plugin) {
  return m.request({{"type", "load_type"}, {"resource_type", type}, {"plugin", plugin.string()}});
}

}  // namespace

TEST_CASE("a resource type written in C runs in the monitor", "[monitor][plugins][c]") {
  monitor_fixture m;
  auto loaded = load(m, "CMinimal", test_plugin_path("c_minimal"));
  REQUIRE_M(m, loaded.value("ok", false));
  REQUIRE(m.request({{"type", "set_trace"}, {"calls", true}}).value("ok", false));
  open_resource(m, "c1", json::object(), timing(100, 300), "CMinimal");

  REQUIRE(m.request(online_cmd("c1")).value("ok", false));
  REQUIRE_M(m, m.wait_state("c1", "Online"));
  // Both kinds of poll run and say TRUE.
  auto la = m.wait_for([](const json& e) {
    return e.value("type", "") == "call" && e.value("resource", "") == "c1" &&
           e.value("entry", "") == "LooksAlive";
  });
  REQUIRE_M(m, la);
  CHECK(la->value("result", false) == true);
  auto ia = m.wait_for([](const json& e) {
    return e.value("type", "") == "call" && e.value("resource", "") == "c1" &&
           e.value("entry", "") == "IsAlive";
  });
  REQUIRE_M(m, ia);
  CHECK(ia->value("result", false) == true);
  // Its LogEvent reached the parent, attributed to the resource.
  auto logged = m.wait_for([](const json& e) {
    return e.value("type", "") == "log" && e.value("resource", "") == "c1" &&
           e.value("source", "") == "plugin";
  });
  REQUIRE_M(m, logged);
  CHECK_THAT(logged->value("message", ""), Catch::Contains("online"));

  REQUIRE(m.request({{"type", "offline"}, {"resource", "c1"}}).value("ok", false));
  REQUIRE_M(m, m.wait_state("c1", "Offline"));
  auto closed = m.request({{"type", "close"}, {"resource", "c1"}});
  CHECK(closed.value("ok", false));
  auto status = m.request({{"type", "status"}});
  CHECK_FALSE(status_entry(status, "c1"));
  CHECK_M(m, !find_event(m.events(), "poll_failed", "c1"));
}

TEST_CASE("broken plugins are refused by name and fault and harm nothing",
          "[monitor][plugins][bad]") {
  monitor_fixture m;
  const auto fake = m.dir() / "fake.so";
  std::ofstream(fake) << "this is a text file, not a shared library\n";

  struct bad_plugin {
    std::string type;
    std::filesystem::path file;
    std::string fault;
  };
  const std::vector<bad_plugin> plugins = {
      {"NoStartup", test_plugin_path("bad_no_startup"), "Startup"},
      {"BadVersion", test_plugin_path("bad_version"), "version"},
      {"StartupFails", test_plugin_path("bad_startup_fails"), "Startup"},
      {"NullEntry", test_plugin_path("bad_null_entry"), "NULL IsAlive"},
      {"Fake", fake, "not a loadable shared library"},
  };
  for (const auto& p : plugins) {
    REQUIRE(std::filesystem::exists(p.file));
    auto r = load(m, p.type, p.file);
    INFO(p.file.string() << " -> " << r.dump());
    CHECK_FALSE(r.value("ok", true));
    CHECK(r.value("status", 0) != 0);
    const std::string message = error_message(r);
    CHECK_THAT(message, Catch::Contains(p.file.filename().string()));
    CHECK_THAT(message, Catch::Contains(p.fault));
    // The type is not half-loaded: opening a resource of it is refused.
    auto open = m.request({{"type", "open"},
                           {"resource", "of-" + p.type},
                           {"resource_type", p.type},
                           {"parameters", json::object()},
                           {"timing", timing()}});
    CHECK_FALSE(open.value("ok", true));
  }
  {
    auto r = load(m, "StartupFails", test_plugin_path("bad_startup_fails"));
    INFO(r.dump());
    CHECK(r.value("status", 0) == ERROR_GEN_FAILURE);  // Startup's own answer is passed on
  }

  // The monitor still loads a good plugin and runs a resource.
  m.load_dummy();
  open_resource(m, "after", json::object(), timing());
  REQUIRE(m.request(online_cmd("after")).value("ok", false));
  CHECK_M(m, m.wait_state("after", "Online"));
  auto status = m.request({{"type", "status"}});
  REQUIRE(status.contains("resource_types"));
  CHECK(status["resource_types"].size() == 1);
}

TEST_CASE("callbacks with unknown handles are ignored with a warning",
          "[monitor][plugins][stale]") {
  monitor_fixture m;
  auto loaded = load(m, "StaleStatus", test_plugin_path("bad_stale_status"));
  REQUIRE_M(m, loaded.value("ok", false));
  open_resource(m, "s1", json::object(), timing(), "StaleStatus");
  auto online = m.request(online_cmd("s1"));
  CHECK(online.value("ok", false));
  REQUIRE_M(m, m.wait_state("s1", "Online"));

  auto stale_status = m.wait_for([](const json& e) {
    const std::string msg = e.value("message", "");
    return e.value("type", "") == "log" && e.value("level", "") == "warning" &&
           msg.find("SetResourceStatus") != std::string::npos &&
           msg.find("unknown") != std::string::npos;
  });
  CHECK_M(m, stale_status);
  auto stale_log = m.wait_for([](const json& e) {
    const std::string msg = e.value("message", "");
    return e.value("type", "") == "log" && e.value("level", "") == "warning" &&
           msg.find("LogEvent") != std::string::npos && msg.find("unknown") != std::string::npos;
  });
  CHECK_M(m, stale_log);
  // The made-up LogEvent's text itself never reaches the parent as if it came from a resource.
  CHECK_M(m, !find_event(m.events(), "log", "", [](const json& e) {
            return e.value("message", "").find("made-up handle") != std::string::npos;
          }));

  auto status = m.request({{"type", "status"}});
  auto entry = status_entry(status, "s1");
  REQUIRE(entry);
  CHECK(entry->value("state", "") == "Online");
}
