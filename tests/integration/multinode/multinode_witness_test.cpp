// Node and witness majority with real processes: two nodes and a File Share Witness (or a
// Physical Disk) survive the loss of either node, a 1|1 partition leaves exactly the side that
// holds the witness running, a frozen holder loses the witness to the other node (and, thawed,
// makes no call into the groups that moved), and SetClusterQuorumResource refuses what cannot
// be a witness. docs/semantics.md, "Witness".

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <wolfpack/http/percent_encoding.hpp>

#include "../lab_journal_check.hpp"
#include "multinode_fixture.hpp"

using namespace wolfpack::itest;
using wolfpack::testing::lab_dir_scope;
namespace fs = std::filesystem;

namespace {

// The witness: `type` is "File Share Witness" (a folder in the test's directory) or
// "Physical Disk" (a disk of the lab's storage), created in "Cluster Group" and made the
// quorum resource through `via`.
void configure_witness(multinode_cluster& c, const std::string& via, const std::string& type) {
  auto& n = c.node(via);
  if (n.api("GET", "/groups/Cluster%20Group").status != 200)
    api_ok(n, "POST", "/groups", json{{"name", "Cluster Group"}});
  api_ok(n, "POST", "/resources",
         json{{"name", "Witness"}, {"group", "Cluster Group"}, {"type", type}});
  json parameters;
  if (type == "Physical Disk") {
    parameters = {{"Signature", 0xC1A5}, {"DiskArbInterval", 1}};
  } else {
    const auto share = c.dir() / "witness-share";
    fs::create_directories(share);
    parameters = {{"SharePath", share.string()}, {"ArbitrationDelay", 0}};
  }
  // The plugin validates private properties, so the resource must be open on the group's
  // owner first: it is soon after it was created.
  REQUIRE(wait_until(
      [&] {
        return n.api("PUT", "/resources/Witness/private", json{{"properties", parameters}})
                   .status == 200;
      },
      15s));
  const auto answer = api_ok(n, "PUT", "/cluster/quorum", json{{"resource", "Witness"}});
  CHECK(answer.at("type") == "NodeAndWitnessMajority");
  CHECK(answer.at("resource") == "Witness");
  CHECK(answer.at("votes") == 3);
}

// Who `observer` says holds the witness ("" for nobody, or when it does not answer).
std::string holder(multinode_cluster& c, const std::string& observer) {
  try {
    const auto r = c.node(observer).api("GET", "/cluster/quorum", nullptr, 2s);
    if (r.status != 200 || !r.body.contains("holder") || !r.body["holder"].is_string())
      return {};
    return r.body["holder"].get<std::string>();
  } catch (const std::exception&) {
    return {};  // not answering (stopped, frozen)
  }
}

// Waits until every observer names the same holder (`expected`, when given); that holder.
std::string wait_holder(multinode_cluster& c, const std::vector<std::string>& observers,
                        const std::string& expected = {}) {
  std::string h;
  wait_until(
      [&] {
        h = holder(c, observers.front());
        if (h.empty() || (!expected.empty() && h != expected))
          return false;
        for (const auto& o : observers) {
          if (holder(c, o) != h)
            return false;
        }
        return true;
      },
      30s);
  return h;
}

std::string other(const std::string& name) {
  return name == "node1" ? "node2" : "node1";
}

void online_group(multinode_cluster& c, const std::string& group, const std::string& owner,
                  const std::vector<std::string>& resources, const fs::path& log) {
  create_dummy_group(c.node(owner), group, resources, log);
  api_ok(c.node(owner), "POST", "/groups/" + group + "/online", json::object());
  REQUIRE(c.wait_group_online(group, c.names()) == owner);
}

// Two nodes in a lab directory (the disk witness's storage) with `type` as the witness, and
// who took it.
struct witness_cluster {
  temp_dir lab;
  lab_dir_scope scope{lab.path()};
  multinode_cluster c{2};
  std::string holder;
  std::filesystem::path log = c.file("calls.jsonl");

  explicit witness_cluster(const std::string& type) {
    configure_witness(c, "node1", type);
    holder = wait_holder(c, c.names());
  }
};

}  // namespace

TEST_CASE("two nodes and a witness (file share or disk) survive the loss of either node",
          "[multinode][witness]") {
  // The crash of the holder is where the two differ most: the disk's new holder must break
  // a reservation nobody defends any more (challenge, then wait out the defense).
  const std::string type = GENERATE(as<std::string>{}, "File Share Witness", "Physical Disk");
  INFO("witness: " << type);
  witness_cluster w(type);
  auto& c = w.c;
  const auto& log = w.log;
  // The locker (node1) takes the witness while nobody holds it.
  REQUIRE(w.holder == "node1");
  online_group(c, "G1", "node1", {"A1"}, log);
  online_group(c, "G2", "node2", {"B1"}, log);
  std::map<std::string, std::string> peer;
  for (const auto& n : c.names())
    peer[n] = c.node(n).peer_address();

  SECTION("the holder crashes: the other node wins the witness and runs both groups") {
    const auto killed = std::chrono::steady_clock::now();
    c.kill("node1");
    INFO(c.describe_group("G1"));
    REQUIRE(c.wait_group_online("G1", {"node2"}, {"node1"}, 30s) == "node2");
    WARN("G1 online on node2 " << ms_since(killed) << " ms after kill -9 of the witness holder");
    CHECK(holder(c, "node2") == "node2");
    CHECK(c.wait_group_online("G2", {"node2"}) == "node2");
    CHECK(c.wait_killed_monitors_gone());

    // node1 comes back and joins; node2 hands the witness to the locker, node1.
    c.start("node1", std::nullopt, peer["node1"]);
    REQUIRE(c.wait_one_view(c.names(), 60s));
    CHECK(wait_holder(c, c.names(), "node1") == "node1");

    // Now the other node is lost: node1 keeps quorum with the witness and takes G2.
    c.kill("node2");
    REQUIRE(c.wait_group_online("G2", {"node1"}, {"node2"}, 30s) == "node1");
    CHECK(c.wait_group_online("G1", {"node1"}) == "node1");
    CHECK(holder(c, "node1") == "node1");
  }

  SECTION("the other node crashes: the holder keeps quorum and takes its group") {
    c.kill("node2");
    REQUIRE(c.wait_group_online("G2", {"node1"}, {"node2"}, 30s) == "node1");
    CHECK(c.wait_group_online("G1", {"node1"}) == "node1");
    CHECK(holder(c, "node1") == "node1");
    // G1 never went down on the holder: one Online of A1 in the whole log.
    const auto calls = read_call_log(log);
    INFO(dump_calls(calls, false));
    CHECK(std::count_if(calls.begin(), calls.end(), [](const json& l) {
            return l.value("resource", "") == "A1" && l.value("entry", "") == "Online";
          }) == 1);
  }
  CHECK(c.conflicting_epochs() == "");
}

TEST_CASE("a 1|1 partition with a witness: only the holder's side runs groups",
          "[multinode][witness]") {
  witness_cluster w("Physical Disk");
  auto& c = w.c;
  const auto& log = w.log;
  const auto h = w.holder;
  REQUIRE_FALSE(h.empty());
  const auto loser = other(h);
  // The group starts on the node that will lose: it must stop it, the holder must take it.
  online_group(c, "G", loser, {"R1", "R2"}, log);

  c.set_faults("node1", {"node2"});
  c.set_faults("node2", {"node1"});
  INFO(c.describe_group("G"));
  REQUIRE(c.wait_group_online("G", {h}, {loser}, 30s) == h);
  const auto calls_taken = read_call_log(log);
  const auto first = first_call(calls_taken, h, "R1", "Online");
  REQUIRE(first);
  const auto taken_ns = first->value("mono_ns", std::int64_t{0});
  // The losing side has no quorum: its own node is not Up in what it answers.
  REQUIRE(wait_until(
      [&] {
        const auto v = c.view(loser);
        return v && v->node_states.count(loser) && v->node_states.at(loser) != "Up";
      },
      15s));
  // Time for the loser to have made calls, had it kept running the group.
  REQUIRE(wait_until(
      [&] {
        const auto calls = read_call_log(log);
        return std::count_if(calls.begin(), calls.end(), [&](const json& l) {
                 return l.value("node", "") == h && l.value("entry", "") == "LooksAlive" &&
                        l.value("mono_ns", std::int64_t{0}) > taken_ns;
               }) >= 10;
      },
      10s));
  const auto calls = read_call_log(log);
  INFO(dump_calls(calls, false));
  for (const auto& r : {"R1", "R2"})
    CHECK(calls_after_loss(calls, loser, r, taken_ns).empty());
  CHECK(holder(c, h) == h);

  c.set_faults("node1", {});
  c.set_faults("node2", {});
  REQUIRE(c.wait_one_view(c.names(), 30s));
  CHECK(c.wait_group_online("G", c.names()) == h);
  CHECK(c.conflicting_epochs() == "");
}

TEST_CASE("a frozen witness holder loses the witness and, thawed, rejoins without a double run",
          "[multinode][witness]") {
  witness_cluster w("File Share Witness");
  auto& c = w.c;
  const auto& log = w.log;
  const auto h = w.holder;
  REQUIRE(h == "node1");
  online_group(c, "G", h, {"R1"}, log);

  const auto frozen_ns = mono_now_ns();
  c.freeze(h);
  REQUIRE(c.wait_group_online("G", {"node2"}, {h}, 40s) == "node2");
  CHECK(holder(c, "node2") == "node2");
  const auto taken = first_call(read_call_log(log), "node2", "R1", "Online", frozen_ns);
  REQUIRE(taken);
  c.thaw(h);
  REQUIRE(c.wait_one_view(c.names(), 60s));
  // node2 hands the witness back to the locker.
  CHECK(wait_holder(c, c.names(), "node1") == "node1");
  const auto calls = read_call_log(log);
  INFO(dump_calls(calls, false));
  CHECK(calls_after_loss(calls, h, "R1", taken->value("mono_ns", std::int64_t{0})).empty());
  CHECK(c.conflicting_epochs() == "");
}

TEST_CASE("SetClusterQuorumResource refuses what cannot be a witness and guards the witness",
          "[multinode][witness][api]") {
  temp_dir lab;
  lab_dir_scope scope(lab.path());
  multinode_cluster c(2);
  auto& n = c.node("node1");
  const auto none = api_ok(n, "GET", "/cluster/quorum");
  CHECK(none.at("type") == "NodeMajority");
  CHECK(none.at("resource").is_null());
  CHECK(none.at("votes") == 2);

  const auto missing = n.api("PUT", "/cluster/quorum", json{{"resource", "Nope"}});
  CHECK(missing.body.at("error").at("code") == 5007);
  CHECK(n.api("PUT", "/cluster/quorum", json{{"resource", 3}}).status == 400);
  CHECK(n.api("PUT", "/cluster/quorum", json::object()).status == 400);

  api_ok(n, "POST", "/groups", json{{"name", "Cluster Group"}});
  api_ok(n, "POST", "/resources",
         json{{"name", "Address"}, {"group", "Cluster Group"}, {"type", "IP Address"}});
  const auto address = n.api("PUT", "/cluster/quorum", json{{"resource", "Address"}});
  CHECK(address.body.at("error").at("code") == 5021);  // ERROR_NOT_QUORUM_CAPABLE
  CHECK(address.body.at("error").at("message").get<std::string>().find("IP Address") !=
        std::string::npos);

  configure_witness(c, "node1", "File Share Witness");
  api_ok(n, "POST", "/resources",
         json{{"name", "Other"}, {"group", "Cluster Group"}, {"type", "Dummy"}});
  const auto dep = n.api("POST", "/resources/Other/dependencies", json{{"provider", "Witness"}});
  CHECK(dep.body.at("error").at("code") == 5069);  // ERROR_DEPENDENCY_NOT_ALLOWED
  for (const auto& action : {"online", "offline", "fail"}) {
    const auto r = n.api("POST", std::string("/resources/Witness/") + action, json::object());
    INFO(action << ": " << r.body.dump());
    CHECK(r.body.at("error").at("code") == 5068);  // ERROR_INVALID_OPERATION_ON_QUORUM
  }
  CHECK(n.api("DELETE", "/resources/Witness").body.at("error").at("code") == 5068);
  // Its private properties may change while it is the witness: its type's plugin validates
  // them (whatever node holds it), every node stores them.
  const auto bad =
      n.api("PUT", "/resources/Witness/private", json{{"properties", {{"ArbitrationDelay", 99}}}});
  CHECK(bad.body.at("error").at("code") == 87);  // ERROR_INVALID_PARAMETER: 0..60
  CHECK(bad.body.at("error").at("message").get<std::string>().find("ArbitrationDelay") !=
        std::string::npos);
  const auto props = api_ok(c.node("node2"), "PUT", "/resources/Witness/private",
                            json{{"properties", {{"ArbitrationDelay", 1}}}});
  CHECK(props.at("properties").at("ArbitrationDelay").at("value") == 1);
  CHECK(api_ok(n, "GET", "/resources/Witness/private")
            .at("properties")
            .at("ArbitrationDelay")
            .at("value") == 1);
  // Shown Online on the node that holds it, on every node.
  REQUIRE(wait_holder(c, c.names(), "node1") == "node1");
  for (const auto& name : c.names())
    CHECK(api_ok(c.node(name), "GET", "/resources/Witness").at("state") == "Online");

  // Back to node majority: the resource is an ordinary one again.
  const auto majority = api_ok(n, "PUT", "/cluster/quorum", json{{"resource", ""}});
  CHECK(majority.at("type") == "NodeMajority");
  CHECK(api_ok(c.node("node2"), "GET", "/cluster/quorum").at("type") == "NodeMajority");
  api_ok(n, "DELETE", "/resources/Other");
  api_ok(n, "POST", "/resources/Witness/online", json::object());
  CHECK(wait_until([&] { return n.resource_state("Witness") == "Online"; }, 15s));
}

TEST_CASE("a node with an old database cannot form the cluster with the witness alone",
          "[multinode][witness]") {
  witness_cluster w("File Share Witness");
  auto& c = w.c;
  REQUIRE(w.holder == "node1");
  std::map<std::string, std::string> peer;
  for (const auto& n : c.names())
    peer[n] = c.node(n).peer_address();

  // node2 goes; node1 goes on with the witness and commits an update node2 does not have.
  REQUIRE(c.node("node2").stop().success());
  REQUIRE(c.wait_one_view({"node1"}, 30s));
  api_ok(c.node("node1"), "PUT", "/groups/Cluster%20Group/properties",
         json{{"properties", {{"Description", "written while node2 was down"}}}});
  REQUIRE(c.node("node1").stop().success());

  // node2 alone wins the free witness, but the witness record names node1: no cluster.
  c.start("node2", std::nullopt, peer["node2"]);
  const auto log = c.node("node2").state_dir() / "clussvc.log";
  REQUIRE(wait_until(
      [&] { return read_file(log).find("a partition in time") != std::string::npos; }, 30s));
  const auto alone = c.view("node2");
  REQUIRE(alone);
  CHECK(alone->node_states.at("node2") != "Up");

  // node1 comes back: one cluster, with the update.
  c.start("node1", std::nullopt, peer["node1"]);
  REQUIRE(c.wait_one_view(c.names(), 60s));
  const auto props = api_ok(c.node("node2"), "GET", "/groups/Cluster%20Group/properties");
  CHECK(props.at("properties").at("Description").at("value") == "written while node2 was down");
}
