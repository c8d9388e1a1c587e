// One node with the OCF Agent plugin (sample_resources/ocf): a group holding an OCF
// heartbeat/Dummy resource goes online and offline through the `cluster` CLI. Skipped when
// Debian's resource-agents (which provides heartbeat/Dummy) is not installed.

#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <string>

#include "clussvc_fixture.hpp"

using namespace wolfpack::itest;
namespace fs = std::filesystem;

TEST_CASE("a group with an OCF heartbeat/Dummy resource goes online and offline",
          "[clussvc][ocf]") {
  std::error_code ec;
  if (!fs::exists("/usr/lib/ocf/resource.d/heartbeat/Dummy", ec)) {
    // Catch2 v2 has no SKIP: ctest reports this marker as skipped (SKIP_REGEX).
    std::cout << "WOLFPACK-TEST-SKIPPED: heartbeat/Dummy is not installed (Debian package "
                 "resource-agents)\n";
    return;
  }
  clussvc_fixture f;
  auto& n = f.node();
  const fs::path state = f.file("dummy.state");

  const auto types = f.cli_ok({"restype"});
  {
    INFO(types.describe());
    REQUIRE(types.out.find("OCF Agent") != std::string::npos);  // found in build/plugins
  }
  f.cli_ok({"group", "Web", "/create"});
  f.cli_ok({"res", "Dummy1", "/create", "/group:Web", "/type:OCF Agent"});
  // The node validates the values in the resource's monitor: meta-data and validate-all.
  n.set_private("Dummy1",
                {"Agent=heartbeat/Dummy", "Parameters=state=" + state.string() + ":multistr",
                 "LogFile=" + f.file("dummy.log").string()});
  const auto priv = f.cli_ok({"res", "Dummy1", "/priv"});
  {
    INFO(priv.describe());
    CHECK(priv.out.find("heartbeat/Dummy") != std::string::npos);
    CHECK(priv.out.find("state=" + state.string()) != std::string::npos);
  }
  // A bad agent is refused by the plugin's validation, naming the property.
  const auto bad = f.cli({"res", "Dummy1", "/priv", "Agent=nobody/Nothing"});
  {
    INFO(bad.describe());
    CHECK(bad.exit_code != 0);
  }

  const auto on = f.cli({"group", "Web", "/online", "/wait:60"}, std::chrono::seconds(90));
  INFO(on.describe());
  CHECK(on.exit_code == 0);
  REQUIRE(n.wait_resource_state("Dummy1", "Online", std::chrono::seconds(30)));
  CHECK(n.wait_group_state("Web", "Online", std::chrono::seconds(30)));
  CHECK(fs::exists(state));  // the agent's start ran

  const auto off = f.cli({"group", "Web", "/offline", "/wait:60"}, std::chrono::seconds(90));
  INFO(off.describe());
  CHECK(off.exit_code == 0);
  REQUIRE(n.wait_resource_state("Dummy1", "Offline", std::chrono::seconds(30)));
  CHECK(n.wait_group_state("Web", "Offline", std::chrono::seconds(30)));
  CHECK_FALSE(fs::exists(state));  // the agent's stop ran
}
