// PersistentState across restarts of the node, and shutdown (in_shutdown).
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

std::uint32_t persistent(const fake_node& f, const std::string& path) {
  return f.core().database().get_dword(path, "PersistentState", 0xDEAD);
}

// A node started from what `before` has in its database, as if its process were restarted.
std::unique_ptr<fake_node> restarted(const fake_node& before) {
  return std::make_unique<fake_node>(
      fake_node_options{.tree = before.core().database(), .seq = before.core().database_seq()});
}

}  // namespace

TEST_CASE("a group online when the node stopped comes back online by itself",
          "[node_core][persistent]") {
  fake_node f;
  make_online_chain(f);
  const auto g = group_id(f, "G");
  const auto a = resource_id(f, "A");
  const auto c = resource_id(f, "C");
  CHECK(persistent(f, "Groups\\" + g) == 1);
  CHECK(persistent(f, "Resources\\" + a) == 1);
  CHECK(persistent(f, "Resources\\" + c) == 1);

  auto next = restarted(f);
  next->start();
  // No API call: the resources are opened and brought online in dependency order.
  CHECK(next->command_trace(on_off) == strings{"online A", "online B", "online C"});
  CHECK(next->group_state("G") == g_online);
  CHECK(next->resource_state("A") == r_online);
  CHECK(next->resource_state("B") == r_online);
  CHECK(next->resource_state("C") == r_online);
  CHECK(next->core().database_seq() == f.core().database_seq());
  CHECK(next->db_writes().empty());
  check_event_stream(*next);

  SECTION("after an offline they stay offline on the next start") {
    CHECK(next->api("POST", "/groups/G/offline").status == 202);
    CHECK(next->group_state("G") == g_offline);
    CHECK(persistent(*next, "Groups\\" + g) == 0);
    CHECK(persistent(*next, "Resources\\" + a) == 0);
    auto third = restarted(*next);
    third->start();
    third->advance(60000);
    CHECK(third->command_trace(on_off).empty());
    CHECK(third->group_state("G") == g_offline);
    CHECK(third->resource_state("A") == r_offline);
    CHECK(third->resource_state("C") == r_offline);
  }

  SECTION("a resource taken offline alone stays offline; the rest comes back") {
    CHECK(next->api("POST", "/resources/C/offline").status == 202);
    CHECK(persistent(*next, "Resources\\" + c) == 0);
    CHECK(persistent(*next, "Resources\\" + a) == 1);
    CHECK(persistent(*next, "Groups\\" + g) == 1);
    auto third = restarted(*next);
    third->start();
    CHECK(third->command_trace(on_off) == strings{"online A", "online B"});
    CHECK(third->group_state("G") == g_partial_online);
  }
}

TEST_CASE("shutdown takes resources offline dependents first, then exits",
          "[node_core][shutdown]") {
  fake_node f;
  make_online_chain(f);
  const auto a = resource_id(f, "A");
  const auto seq = f.core().database_seq();
  const auto from = f.command_log().size();

  SECTION("straight through") {
    f.shutdown();
    CHECK(f.command_trace(on_off, from) == strings{"offline C", "offline B", "offline A"});
    REQUIRE(f.exit());
    CHECK(f.exit()->code == 0);
    CHECK(f.resource_state("A") == r_offline);
  }

  SECTION("the exit waits for the last Offline") {
    f.hold_resource("A");
    f.shutdown();
    CHECK(f.command_trace(on_off, from) == strings{"offline C", "offline B", "offline A"});
    CHECK(!f.exit());
    // While shutting down, nothing new may start.
    auto refused = f.api("POST", "/groups/G/online");
    CHECK(refused.status == 503);
    CHECK(refused.error_code() == 5073);  // ERROR_CLUSTER_NODE_SHUTTING_DOWN
    f.hold_resource("A", false);
    f.release_held();
    REQUIRE(f.exit());
    CHECK(f.exit()->code == 0);
  }

  // PersistentState is left as it was: the group comes back with the node.
  CHECK(f.core().database_seq() == seq);
  CHECK(persistent(f, "Resources\\" + a) == 1);
  auto next = restarted(f);
  next->start();
  CHECK(next->group_state("G") == g_online);
}

TEST_CASE("shutdown with a failed resource and a dead monitor still exits",
          "[node_core][shutdown]") {
  fake_node f;
  make_online_chain(f);
  SECTION("a failed resource") {
    set_properties(f, "B", {{"RestartAction", 0}});
    REQUIRE(f.inject_failure("B"));
    f.shutdown();
    REQUIRE(f.exit());
    CHECK(f.exit()->code == 0);
    CHECK(f.resource_state("A") == r_offline);
  }
  SECTION("the monitor is gone") {
    f.kill_monitor("default", "crashed");
    f.shutdown();
    REQUIRE(f.exit());
    CHECK(f.exit()->code == 0);
    // Its restart timers were cancelled.
    f.advance(1000);
    CHECK(f.commands_of("online").size() == 3);
  }
}

TEST_CASE("shutdown waits for database writes in flight", "[node_core][shutdown]") {
  fake_node f;
  make_chain(f);
  f.hold_db();
  const auto id = f.api_async("POST", "/groups", {{"name", "H"}});
  f.run_until_idle();
  CHECK(!f.response(id));
  f.shutdown();
  CHECK(!f.exit());
  f.release_db();
  REQUIRE(f.response(id));
  CHECK(f.response(id)->status == 201);
  REQUIRE(f.exit());
  CHECK(f.exit()->code == 0);
}

TEST_CASE("a database write that fails stops the node", "[node_core][database]") {
  fake_node f;
  f.start();
  f.fail_next_db_write("disk full");
  f.api_async("POST", "/groups", {{"name", "H"}});
  f.run_until_idle();
  REQUIRE(f.exit());
  CHECK(f.exit()->code == 1);
  CHECK(f.exit()->reason.find("disk full") != std::string::npos);
}

// SPEC 4.2: a resource's PersistentState "falls back to the group's PersistentState when
// absent". A resource created in a group that is persistently online has no PersistentState
// of its own, so it comes back with its group when the node restarts.
TEST_CASE("a resource without PersistentState follows its group's", "[node_core][persistent]") {
  fake_node f;
  make_online_chain(f);
  create_resource(f, "D", "G");
  const auto d = resource_id(f, "D");
  REQUIRE(persistent(f, "Resources\\" + d) == 0xDEAD);  // absent
  auto next = restarted(f);
  next->start();
  CHECK(next->resource_state("D") == r_online);
  CHECK(next->group_state("G") == g_online);
}
