// The `cluster` CLI against a real node: listings in cluster.exe's layout, properties with
// their type letters and read-only marks, waiting for a pending state to settle.

#include <catch2/catch.hpp>

#include <signal.h>

#include <regex>
#include <string>
#include <vector>

#include "../lab_journal_check.hpp"
#include "clussvc_fixture.hpp"

using namespace wolfpack::itest;

namespace {

bool has_line(const std::string& out, const std::string& pattern) {
  return std::regex_search(out, std::regex("(^|\n)" + pattern + "(\n|$)"));
}

}  // namespace

TEST_CASE("the CLI lists objects and properties as cluster.exe does", "[clussvc][cli]") {
  clussvc_fixture f;
  auto& n = f.node();
  create_dummy_chain(n, "G", {"A", "B"});
  n.set_private("A", {"OnlineDelayMs=20", "CallLog=/dev/null"});
  f.cli_ok({"res", "A", "/prop", "RestartThreshold=3"});

  const auto groups = f.cli_ok({"group"});
  {
    INFO(groups.describe());
    CHECK(has_line(groups.out, "Listing status for all available resource groups:"));
    CHECK(has_line(groups.out, "G +node1 +Offline"));
  }

  const auto res = f.cli_ok({"res", "B"});
  {
    INFO(res.describe());
    CHECK(has_line(res.out, "Listing status for resource 'B':"));
    CHECK(has_line(res.out, "B +G +node1 +Offline"));
  }

  const auto deps = f.cli_ok({"res", "B", "/listdep"});
  {
    INFO(deps.describe());
    CHECK(has_line(deps.out, "A +G +node1 +Offline"));
  }

  const auto nodes = f.cli_ok({"node"});
  {
    INFO(nodes.describe());
    CHECK(has_line(nodes.out, "node1 +[0-9]+ +Up"));
  }

  const auto types = f.cli_ok({"restype"});
  {
    INFO(types.describe());
    CHECK(has_line(types.out, "Dummy +Dummy"));
  }

  const auto props = f.cli_ok({"res", "A", "/prop"});
  {
    INFO(props.describe());
    CHECK(has_line(props.out, "Listing properties for 'A':"));
    CHECK(has_line(props.out, "D  A +RestartThreshold +3 \\(0x3\\)"));
    CHECK(has_line(props.out, "D  A +PendingTimeout +180000 \\(0x2bf20\\)"));
    // Read-only properties: the type letter, then R.
    CHECK(has_line(props.out, "SR A +Name +A"));
    CHECK(has_line(props.out, "SR A +Type +Dummy"));
    CHECK(props.out.find("<Unknown Type>") == std::string::npos);
  }

  const auto priv = f.cli_ok({"res", "A", "/priv"});
  {
    INFO(priv.describe());
    CHECK(has_line(priv.out, "Listing private properties for 'A':"));
    CHECK(has_line(priv.out, "D  A +OnlineDelayMs +20 \\(0x14\\)"));
    CHECK(has_line(priv.out, "S  A +CallLog +/dev/null"));
  }
}

TEST_CASE("the CLI waits for a pending online and reports a timeout", "[clussvc][cli]") {
  clussvc_fixture f;
  auto& n = f.node();
  create_dummy_chain(n, "G", {"Slow"}, {"Pending=1", "OnlineDelayMs=3000"});
  const auto on = f.cli({"res", "Slow", "/online", "/wait:1"});
  {
    INFO(on.describe());
    CHECK(on.exit_code == cli_exit_code(1460));
    CHECK(on.err.find(system_error_line(1460)) != std::string::npos);
    CHECK(has_line(on.out, "Slow +G +node1 +Online Pending"));
  }
  CHECK(n.wait_resource_state("Slow", "Online", 10s));
  const auto again = f.cli({"res", "Slow", "/online", "/wait:5"});
  {
    INFO(again.describe());
    CHECK(again.exit_code == 0);
    CHECK(has_line(again.out, "Slow +G +node1 +Online"));
  }
}

TEST_CASE("a resource whose online is under way reads as pending, not settled", "[clussvc][cli]") {
  clussvc_fixture f;
  auto& n = f.node();
  create_dummy_chain(n, "G", {"X"});
  const auto monitors = n.monitor_pids("default");
  REQUIRE(monitors.size() == 1);
  // The monitor is stopped (SIGSTOP): the online is asked for and stays under way.
  REQUIRE(::kill(monitors[0], SIGSTOP) == 0);
  struct resume {
    int pid;
    ~resume() { ::kill(pid, SIGCONT); }
  } guard{monitors[0]};
  const auto r = n.api("POST", "/resources/X/online");
  CHECK(r.status == 202);
  CHECK(r.body.value("state", "") != "Offline");
  CHECK(n.resource_state("X") != "Offline");
  const auto on = f.cli({"res", "X", "/online", "/wait:1"});
  {
    INFO(on.describe());
    CHECK(on.exit_code == cli_exit_code(1460));
    CHECK(on.err.find(system_error_line(1460)) != std::string::npos);
    CHECK(has_line(on.out, "X +G +node1 +Online Pending"));
  }
  REQUIRE(::kill(monitors[0], SIGCONT) == 0);
  CHECK(n.wait_resource_state("X", "Online", 10s));
}

TEST_CASE("the cluster, nodes, groups and types keep private properties: /priv sets and lists",
          "[clussvc][cli]") {
  clussvc_fixture f;
  f.cli_ok({"group", "G", "/create"});
  // Empty at first, with the listing's heading.
  const auto empty = f.cli_ok({"/priv"});
  {
    INFO(empty.describe());
    CHECK(has_line(empty.out, "Listing private properties for '.*':"));
  }
  f.cli_ok({"/priv", "Site=lab", "Level=2"});
  f.cli_ok({"node", "node1", "/priv", "Rack=A7"});
  f.cli_ok({"group", "G", "/priv", "Tier=gold"});
  f.cli_ok({"restype", "Dummy", "/priv", "Note=for tests"});

  const auto cluster = f.cli_ok({"/priv"});
  {
    INFO(cluster.describe());
    CHECK(has_line(cluster.out, "S  .* +Site +lab"));
    CHECK(has_line(cluster.out, "D  .* +Level +2 \\(0x2\\)"));
  }
  const auto node = f.cli_ok({"node", "node1", "/priv"});
  {
    INFO(node.describe());
    CHECK(has_line(node.out, "S  node1 +Rack +A7"));
  }
  const auto group = f.cli_ok({"group", "G", "/priv"});
  {
    INFO(group.describe());
    CHECK(has_line(group.out, "S  G +Tier +gold"));
  }
  const auto type = f.cli_ok({"restype", "Dummy", "/priv"});
  {
    INFO(type.describe());
    CHECK(has_line(type.out, "S  Dummy +Note +for tests"));
  }

  // /usedefault removes one; one that is not there is an error that names it.
  f.cli_ok({"group", "G", "/priv:Tier", "/usedefault"});
  CHECK(f.cli_ok({"group", "G", "/priv"}).out.find("Tier") == std::string::npos);
  const auto missing = f.cli({"group", "G", "/priv:Tier", "/usedefault"});
  INFO(missing.describe());
  CHECK(missing.exit_code != 0);
  CHECK(missing.err.find("no private property 'Tier'") != std::string::npos);
  // The values are in the database, where the API shows them.
  CHECK(f.node().get("/nodes/node1/private").at("properties").at("Rack").at("value") == "A7");
  // One property named twice (case aside), or a name no value can have: refused, nothing
  // written.
  f.cli_ok({"group", "G", "/priv", "Tier=gold"});
  const json twice = {{"properties", {{"TIER", "silver"}, {"Tier", nullptr}}}};
  const auto dup = f.node().api("PUT", "/groups/G/private", twice);
  CHECK(dup.status == 400);
  CHECK(dup.body.dump().find("given twice") != std::string::npos);
  const json nul = {{"properties", {{std::string("A\0B", 3), 1}}}};
  CHECK(f.node().api("PUT", "/groups/G/private", nul).status == 400);
  CHECK(f.node().get("/groups/G/private").at("properties").at("Tier").at("value") == "gold");
}

TEST_CASE("res /maint puts a Physical Disk in and out of maintenance mode and shows it",
          "[clussvc][cli][lab]") {
  // The lab directory (the disk's storage) before the node and its monitors start.
  temp_dir lab;
  wolfpack::testing::lab_dir_scope scope(lab.path());
  clussvc_fixture f;
  auto& n = f.node();
  create_dummy_chain(n, "G", {"A"});
  f.cli_ok({"res", "Disk", "/create", "/group:G", "/type:Physical Disk"});
  f.cli_ok({"res", "Disk", "/priv", "Signature=0x5A5A", "DiskArbInterval=1"});
  f.cli_ok({"res", "Disk", "/online", "/wait:30"});

  const auto on = f.cli_ok({"res", "Disk", "/maint:on"});
  {
    INFO(on.describe());
    CHECK(has_line(on.out, "Putting resource 'Disk' in maintenance mode\\.\\.\\."));
    CHECK(has_line(on.out, "Maintenance mode of resource 'Disk': On"));
  }
  CHECK(
      has_line(f.cli_ok({"res", "Disk", "/maint"}).out, "Maintenance mode of resource 'Disk': On"));
  const auto off = f.cli_ok({"res", "Disk", "/maintenancemode:OFF"});
  {
    INFO(off.describe());
    CHECK(has_line(off.out, "Maintenance mode of resource 'Disk': Off"));
  }

  // Not a storage resource: the plugin says so, and the CLI explains.
  const auto dummy = f.cli({"res", "A", "/maint:on"});
  {
    INFO(dummy.describe());
    CHECK(dummy.exit_code == 1);
    CHECK(dummy.err.find("only storage class resources have one") != std::string::npos);
  }
  const auto bad = f.cli({"res", "Disk", "/maint:sideways"});
  {
    INFO(bad.describe());
    CHECK(bad.exit_code == 87);
    CHECK(bad.err.find("the value is on or off") != std::string::npos);
  }
}
