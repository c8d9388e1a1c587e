// node_core driven by fake_node: start-up on an empty database, and a group of three
// dependent resources brought online and offline in dependency order (SPEC 4.1, 4.2, 4.4).
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wolfpack/sim/fake_node.hpp"

using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

using strings = std::vector<std::string>;

// Index of the first event matching kind/name/state, or -1.
long event_index(const fake_node& f, const std::string& kind, const std::string& name,
                 const std::string& state) {
  const auto& ev = f.events();
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev[i].value("kind", "") == kind && ev[i].value("name", "") == name &&
        ev[i].value("state", "") == state) {
      return static_cast<long>(i);
    }
  }
  return -1;
}

}  // namespace

TEST_CASE("a node started on an empty database creates the cluster", "[node_core][start]") {
  fake_node f;
  CHECK(f.api("GET", "/cluster").status == 503);  // not started yet: ERROR_CLUSTER_NODE_NOT_READY
  f.start();

  CHECK(f.core().database_seq() == 1);
  REQUIRE(f.db_writes().size() == 1);
  CHECK(f.ensured_monitors() == strings{"default"});
  CHECK(f.monitor_running("default"));
  CHECK(!f.exit());

  auto cluster = f.api("GET", "/cluster");
  REQUIRE(cluster.status == 200);
  CHECK(cluster.body["name"] == "wolfpack");
  CHECK(cluster.body["node"] == "node1");
  CHECK(cluster.body["nodes"] == nlohmann::json::array({"node1"}));
  CHECK(cluster.body["db_seq"] == 1);

  auto nodes = f.api("GET", "/nodes");
  REQUIRE(nodes.status == 200);
  REQUIRE(nodes.body["nodes"].size() == 1);
  CHECK(nodes.body["nodes"][0]["name"] == "node1");
  CHECK(nodes.body["nodes"][0]["state"] == "Up");
  CHECK(nodes.body["nodes"][0]["code"] == 0);

  auto types = f.api("GET", "/resourcetypes");
  REQUIRE(types.status == 200);
  REQUIRE(types.body["resourcetypes"].size() == 1);
  CHECK(types.body["resourcetypes"][0]["name"] == "Dummy");
  CHECK(types.body["resourcetypes"][0]["display_name"] == "Dummy");
  CHECK(types.body["resourcetypes"][0]["dll"] == "/fake/wp_dummy.so");

  CHECK(f.api("GET", "/groups").body["groups"].empty());
  CHECK(f.api("GET", "/resources").body["resources"].empty());
  // Reads change nothing.
  CHECK(f.core().database_seq() == 1);
}

TEST_CASE("a second start of the same database adds nothing", "[node_core][start]") {
  fake_node first;
  first.start();
  fake_node again({.tree = first.core().database(), .seq = first.core().database_seq()});
  again.start();
  CHECK(again.core().database_seq() == 1);
  CHECK(again.db_writes().empty());
  CHECK(again.api("GET", "/nodes").body["nodes"].size() == 1);

  // Another cluster's database is refused.
  fake_node other({.cluster_name = "elsewhere",
                   .tree = first.core().database(),
                   .seq = first.core().database_seq()});
  other.start();
  REQUIRE(other.exit());
  CHECK(other.exit()->code != 0);
  CHECK(other.exit()->reason.find("wolfpack") != std::string::npos);
}

TEST_CASE("a new resource is loaded and opened in the default monitor", "[node_core][monitor]") {
  fake_node f;
  f.start();
  create_group(f, "G");
  create_resource(f, "A", "G");
  create_resource(f, "B", "G");
  // After loading a type the service asks it for its required dependencies and its class.
  CHECK(f.command_trace() == strings{"load_type Dummy", "resource_type_control Dummy",
                                     "resource_type_control Dummy", "open A", "open B"});
  const auto open = f.commands_of("open", "A").at(0).command;
  CHECK(open["resource_type"] == "Dummy");
  CHECK(open["timing"]["pending_timeout_ms"] == 180000);
  CHECK(open["timing"]["looks_alive_ms"] == 5000);
  CHECK(f.resource_state("A") == r_offline);
  CHECK(f.group_state("G") == g_offline);
  auto g = f.api("GET", "/groups/G");
  CHECK(g.body["resources"] == nlohmann::json::array({"A", "B"}));
  CHECK(g.body["state"] == "Offline");
}

TEST_CASE("a group comes online providers first and goes offline dependents first",
          "[node_core][order]") {
  fake_node f;
  make_chain(f);
  f.clear_events();
  const auto from = f.command_log().size();

  SECTION("online waits for each provider to be Online") {
    // A's frames are held: nothing else may start before A reports Online.
    f.hold_resource("A");
    auto id = f.api_async("POST", "/groups/G/online");
    f.run_until_idle();
    auto answer = f.response(id);
    REQUIRE(answer);
    CHECK(answer->status == 202);
    CHECK(f.command_trace({"online", "offline"}, from) == strings{"online A"});
    f.advance(10000);
    CHECK(f.command_trace({"online", "offline"}, from) == strings{"online A"});

    f.release_held(1);  // A: OnlinePending
    CHECK(f.resource_state("A") == r_online_pending);
    CHECK(f.group_state("G") == g_pending);
    CHECK(f.command_trace({"online", "offline"}, from) == strings{"online A"});

    f.hold_resource("A", false);
    f.hold_resource("B");
    f.release_held();  // A: Online, response
    CHECK(f.resource_state("A") == r_online);
    CHECK(f.command_trace({"online", "offline"}, from) == strings{"online A", "online B"});
    CHECK(f.group_state("G") == g_pending);

    f.hold_resource("B", false);
    f.release_held();
    CHECK(f.command_trace({"online", "offline"}, from) ==
          strings{"online A", "online B", "online C"});
    CHECK(f.group_state("G") == g_online);
  }

  SECTION("the whole sequence, events and states") {
    auto r = f.api("POST", "/groups/G/online");
    CHECK(r.status == 202);
    CHECK(f.command_trace({"online", "offline"}, from) ==
          strings{"online A", "online B", "online C"});
    CHECK(f.group_state("G") == g_online);
    auto view = f.api("GET", "/groups/G");
    CHECK(view.body["state"] == "Online");
    CHECK(view.body["persistent_state"] == true);

    for (const auto* name : {"A", "B", "C"}) {
      CHECK(f.states_of("RESOURCE_STATE", name) == strings{"OnlinePending", "Online"});
    }
    // All three read OnlinePending from the request on (B and C waiting for their
    // providers); each Online comes in dependency order.
    CHECK(f.events_of("RESOURCE_STATE", "C").front()["reason"] ==
          "waiting for its providers to come online");
    CHECK(event_index(f, "RESOURCE_STATE", "A", "Online") <
          event_index(f, "RESOURCE_STATE", "B", "Online"));
    CHECK(event_index(f, "RESOURCE_STATE", "B", "Online") <
          event_index(f, "RESOURCE_STATE", "C", "Online"));
    // The group is Pending from the first resource's OnlinePending until the last one's
    // Online, without passing through PartialOnline (SPEC 4.4: resources still on their way
    // online are pending; cluster.exe /wait stops at the first state that is not Pending).
    CHECK(f.states_of("GROUP_STATE", "G") == strings{"Pending", "Online"});
    CHECK(event_index(f, "GROUP_STATE", "G", "Pending") <=
          event_index(f, "RESOURCE_STATE", "A", "OnlinePending") + 1);
    CHECK(event_index(f, "GROUP_STATE", "G", "Online") >
          event_index(f, "RESOURCE_STATE", "C", "Online"));
    check_event_stream(f);

    // Already online: 200 and nothing sent.
    const auto before = f.command_log().size();
    auto again = f.api("POST", "/groups/G/online");
    CHECK(again.status == 200);
    CHECK(f.command_log().size() == before);

    f.clear_events();
    const auto off_from = f.command_log().size();
    auto off = f.api("POST", "/groups/G/offline");
    CHECK(off.status == 202);
    CHECK(f.command_trace({"online", "offline"}, off_from) ==
          strings{"offline C", "offline B", "offline A"});
    for (const auto* name : {"A", "B", "C"}) {
      CHECK(f.states_of("RESOURCE_STATE", name) == strings{"OfflinePending", "Offline"});
    }
    CHECK(event_index(f, "RESOURCE_STATE", "C", "Offline") <
          event_index(f, "RESOURCE_STATE", "B", "Offline"));
    CHECK(event_index(f, "RESOURCE_STATE", "B", "Offline") <
          event_index(f, "RESOURCE_STATE", "A", "Offline"));
    CHECK(f.states_of("GROUP_STATE", "G") == strings{"Pending", "Offline"});
    CHECK(f.group_state("G") == g_offline);
    check_event_stream(f);
    CHECK(f.api("POST", "/groups/G/offline").status == 200);
  }
}

TEST_CASE("offline waits for each dependent to be Offline", "[node_core][order]") {
  fake_node f;
  make_online_chain(f);
  const auto from = f.command_log().size();
  f.hold_resource("C");
  f.api("POST", "/groups/G/offline");
  CHECK(f.command_trace({"online", "offline"}, from) == strings{"offline C"});
  f.advance(5000);
  CHECK(f.command_trace({"online", "offline"}, from) == strings{"offline C"});
  // B still runs (no offline was sent to it) but already reads OfflinePending.
  CHECK(f.resource_state("B") == r_offline_pending);
  CHECK(f.group_state("G") == g_pending);
  f.hold_resource("C", false);
  f.release_held();
  CHECK(f.command_trace({"online", "offline"}, from) ==
        strings{"offline C", "offline B", "offline A"});
  CHECK(f.group_state("G") == g_offline);
}

TEST_CASE("a resource online brings its providers, offline takes its dependents",
          "[node_core][order]") {
  fake_node f;
  make_chain(f);
  const auto from = f.command_log().size();
  auto r = f.api("POST", "/resources/B/online");
  CHECK(r.status == 202);
  CHECK(f.command_trace({"online", "offline"}, from) == strings{"online A", "online B"});
  CHECK(f.resource_state("C") == r_offline);
  CHECK(f.group_state("G") == g_partial_online);
  CHECK(f.api("POST", "/resources/B/online").status == 200);

  const auto from2 = f.command_log().size();
  CHECK(f.api("POST", "/resources/C/online").status == 202);
  CHECK(f.group_state("G") == g_online);
  CHECK(f.api("POST", "/resources/A/offline").status == 202);
  CHECK(f.command_trace({"online", "offline"}, from2) ==
        strings{"online C", "offline C", "offline B", "offline A"});
  CHECK(f.group_state("G") == g_offline);
  check_event_stream(f);
}

TEST_CASE("a failed online leaves the resource Failed and its dependents offline",
          "[node_core][order]") {
  fake_node f;
  make_chain(f);
  set_properties(f, "B", {{"RestartAction", 0}});
  f.fail_online("B");
  const auto from = f.command_log().size();
  CHECK(f.api("POST", "/groups/G/online").status == 202);
  CHECK(f.resource_state("A") == r_online);
  CHECK(f.resource_state("B") == r_failed);
  CHECK(f.resource_state("C") == r_offline);
  CHECK(f.group_state("G") == g_failed);
  f.advance(60000);
  CHECK(f.command_trace({"online", "offline"}, from) == strings{"online A", "online B"});
  auto view = f.api("GET", "/resources/B");
  CHECK(view.body["state"] == "Failed");
  CHECK(view.body["reason"] == "Online returned 31");
  check_event_stream(f);
}

TEST_CASE("a resource that stays OnlinePending keeps the group Pending", "[node_core][pending]") {
  fake_node f;
  make_chain(f);
  f.pend_online("B");
  CHECK(f.api("POST", "/groups/G/online").status == 202);
  f.advance(60000);
  CHECK(f.resource_state("A") == r_online);
  CHECK(f.resource_state("B") == r_online_pending);
  CHECK(f.resource_state("C") == r_online_pending);  // waiting for B
  CHECK(f.group_state("G") == g_pending);
  CHECK(f.commands_of("online", "C").empty());

  SECTION("the plugin reports Online later") {
    f.report_state("B", "Online", r_online, "SetResourceStatus(Online)");
    CHECK(f.group_state("G") == g_online);
    CHECK(f.commands_of("online", "C").size() == 1);
  }
  SECTION("an offline while OnlinePending abandons the pending online") {
    // The documented way: the monitor terminates the pending resource (docs/semantics.md),
    // instead of the service waiting up to PendingTimeout for the Online to end.
    CHECK(f.api("POST", "/groups/G/offline").status == 202);
    CHECK(f.commands_of("offline", "B").size() == 1);
    CHECK(f.resource_state("B") == r_offline);
    CHECK(f.resource_state("A") == r_offline);
    CHECK(f.group_state("G") == g_offline);
    CHECK(f.commands_of("online", "C").empty());
  }
  check_event_stream(f);
}

TEST_CASE("a resource with SeparateMonitor lives in a monitor of its own", "[node_core][monitor]") {
  fake_node f;
  f.start();
  create_group(f, "G");
  auto created =
      f.api("POST", "/resources",
            {{"name", "S"}, {"group", "G"}, {"type", "Dummy"}, {"separate_monitor", true}});
  REQUIRE(created.status == 201);
  create_resource(f, "D", "G");
  const auto sep = "sep-" + created.body["id"].get<std::string>();
  CHECK(f.api("GET", "/resources/S").body["monitor"] == sep);
  CHECK(f.monitor_resource(sep, "S") != nullptr);
  CHECK(f.monitor_resource("default", "S") == nullptr);
  CHECK(f.monitor_resource("default", "D") != nullptr);
  REQUIRE(f.api("POST", "/groups/G/online").status == 202);
  REQUIRE(f.group_state("G") == g_online);

  // Its monitor's death touches only it.
  f.kill_monitor(sep, "deadlock");
  CHECK(f.resource_state("S") == r_failed);
  CHECK(f.resource_state("D") == r_online);
  f.ready_monitor(sep);
  f.advance(500);
  CHECK(f.resource_state("S") == r_online);
  CHECK(f.group_state("G") == g_online);

  // Gone with its last resource.
  REQUIRE(f.api("POST", "/resources/S/offline").status == 202);
  CHECK(f.api("DELETE", "/resources/S").status == 204);
  CHECK(f.stopped_monitors() == strings{sep});
  CHECK(!f.monitor_running(sep));
}

TEST_CASE("a resource its plugin cannot open is Failed and never started", "[node_core][monitor]") {
  fake_node f;
  f.start();
  create_group(f, "G");
  f.fail_open("A");
  create_resource(f, "A", "G");
  CHECK(f.resource_state("A") == r_failed);
  CHECK(f.api("GET", "/resources/A").body["reason"] == "Open failed: Open returned NULL");
  CHECK(f.api("POST", "/groups/G/online").status == 202);
  f.advance(10000);
  CHECK(f.commands_of("online").empty());
  CHECK(f.group_state("G") == g_failed);
}
