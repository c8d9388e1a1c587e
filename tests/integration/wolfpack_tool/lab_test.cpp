// The lab launcher end to end: the real wolfpack binary starting real clussvc nodes (with
// their resrcmon monitors) in a scratch directory, with WOLFPACK_HOME pointing into it so
// the user's registrations are never touched. Every test checks that what it started is
// gone at the end, and its fixture kills whatever a failed test left behind.

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <wolfpack/cluster_transport/api_key.hpp>
#include <wolfpack/common/endpoint.hpp>
#include <wolfpack/common/platform/child_process.hpp>
#include <wolfpack/common/platform/process_tree.hpp>
#include <wolfpack/http/client.hpp>
#include <wolfpack/http/event_stream.hpp>

#include "tool_process.hpp"

using namespace wolfpack::testing;
using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;
namespace platform = wolfpack::platform;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

template <typename F>
bool eventually(F done, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end)
      return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

bool mentions(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

// A lab in a scratch directory. Its destructor runs `wolfpack down` and then kills, by
// session, anything the lab's recorded clussvcs still have running.
class test_lab {
 public:
  test_lab() : home_(dir_.path() / "home"), lab_(dir_.path() / "lab") {}
  ~test_lab() {
    try {
      if (fs::exists(lab_ / "lab.json"))
        wolfpack({"down", "--timeout", "10"});
      kill_everything();
    } catch (...) {
      // Cleanup must not throw from a destructor; the kill above is best effort.
    }
  }
  test_lab(const test_lab&) = delete;
  test_lab& operator=(const test_lab&) = delete;

  const fs::path& dir() const { return lab_; }
  const fs::path& home() const { return home_; }
  env_list env() const { return {{"WOLFPACK_HOME", home_.string()}}; }

  process_run wolfpack(std::vector<std::string> args, std::chrono::seconds timeout = 240s) {
    args.push_back("--dir");
    args.push_back(lab_.string());
    return run_wolfpack(args, timeout, env());
  }

  json lab_json() const { return json::parse(slurp(lab_ / "lab.json")); }

  json node(const std::string& name) const {
    const json lab = lab_json();  // kept: the loop must not run over a temporary's member
    for (const auto& n : lab["nodes"]) {
      if (n["name"] == name)
        return n;
    }
    FAIL("no node " << name << " in lab.json");
    return {};
  }

  json status() {
    auto r = wolfpack({"status", "--json"});
    INFO(r.err);
    return json::parse(r.out);
  }

  // The node's clussvc and everything under it, as /proc shows them now.
  std::vector<platform::proc_stat> tree(const std::string& name) const {
    return platform::process_tree(node(name)["pid"].get<int>());
  }

  // Every process of every recorded clussvc, for the "nothing left" checks.
  std::vector<platform::proc_stat> all_processes() const {
    std::vector<platform::proc_stat> all;
    const json lab = lab_json();
    for (const auto& n : lab["nodes"]) {
      for (const auto& p : platform::process_tree(n["pid"].get<int>()))
        all.push_back(p);
    }
    return all;
  }

  json api(const std::string& node_name, const std::string& method, const std::string& target,
           const json* body = nullptr) const {
    auto ep = wolfpack::parse_endpoint("tcp:" + node(node_name)["api"].get<std::string>());
    REQUIRE(ep);
    auto client = wolfpack::http::client::connect(*ep);
    REQUIRE(client);
    client->set_api_key(api_key());
    auto reply = client->request(method, target, body);
    REQUIRE(reply);
    INFO(method << " " << target << ": " << reply->body.dump());
    REQUIRE(reply->status / 100 == 2);
    return reply->body;
  }

  // The key the lab's nodes ask for, from its secret as clussvc derives it.
  std::string api_key() const {
    auto secret = wolfpack::cluster_transport::read_secret_file(lab_ / "secret");
    REQUIRE(secret);
    return wolfpack::cluster_transport::api_key_for(*secret);
  }

  // build/bin/cluster with `args`, WOLFPACK_HOME in the lab's scratch home, plus `extra`.
  process_run cluster(const std::vector<std::string>& args, env_list extra = {}) const {
    env_list e = env();
    e.insert(e.end(), extra.begin(), extra.end());
    return run_process(fs::path(WP_BUILD_DIR) / "bin" / "cluster", args, 60s, e);
  }

  void remember(const std::vector<platform::proc_stat>& processes) {
    seen_.insert(seen_.end(), processes.begin(), processes.end());
  }

 private:
  void kill_everything() {
    if (!fs::exists(lab_ / "lab.json"))
      return;
    auto processes = seen_;
    const json lab = lab_json();
    for (const auto& n : lab["nodes"]) {
      std::vector<int> sessions = {n["pid"].get<int>()};
      if (n.contains("stale_sessions")) {
        for (int s : n["stale_sessions"])
          sessions.push_back(s);
      }
      for (int s : sessions) {
        for (const auto& p : platform::process_tree(s))
          processes.push_back(p);
      }
    }
    platform::signal_tree(0, processes, platform::tree_signal::kill);
  }

  scratch_dir dir_;
  fs::path home_;
  fs::path lab_;
  std::vector<platform::proc_stat> seen_;
};

bool none_running(const std::vector<platform::proc_stat>& processes) {
  return std::none_of(processes.begin(), processes.end(),
                      [](const platform::proc_stat& p) { return platform::still_running(p); });
}

bool all_stopped(const std::vector<platform::proc_stat>& processes, bool stopped) {
  return std::all_of(processes.begin(), processes.end(), [&](const platform::proc_stat& p) {
    auto now = platform::read_proc_stat(p.pid);
    return now && now->stopped() == stopped;
  });
}

const json& status_node(const json& status, const std::string& name) {
  for (const auto& n : status["nodes"]) {
    if (n["name"] == name)
      return n;
  }
  FAIL("no node " << name << " in " << status.dump());
  static const json none;
  return none;
}

}  // namespace

// No semicolons in test names: catch_discover_tests registers them through CMake lists.
TEST_CASE("up --nodes 1 then status freeze thaw and down leave nothing and up again restarts it",
          "[lab]") {
  test_lab lab;
  auto up = lab.wolfpack({"up", "--nodes", "1", "--demo", "--timeout", "120"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(mentions(up.out, "node1"));
  CHECK(mentions(up.out, "api 127.0.0.1:"));

  // lab.json, the secret and the registration `cluster /cluster:lab` reads.
  const json node1 = lab.node("node1");
  CHECK(node1["pid"].get<int>() > 0);
  CHECK(node1["state_dir"] == (lab.dir() / "node1").string());
  const auto secret = slurp(lab.dir() / "secret");
  CHECK(secret.size() == 65);
  CHECK((fs::status(lab.dir() / "secret").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  const json reg = json::parse(slurp(lab.home() / "clusters" / "lab.json"));
  CHECK(reg["nodes"][0]["api"] == node1["api"]);

  // The API asks for the key derived from the secret; the registration carries it (0600), so
  // `cluster /cluster:lab` and /cluster:HOST:PORT of a registered node need nothing more.
  const std::string key = lab.api_key();
  CHECK(reg["api_key"] == key);
  CHECK((fs::status(lab.home() / "clusters" / "lab.json").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  auto printed = lab.wolfpack({"api-key"});
  CHECK(printed.exit_code == 0);
  CHECK(printed.out == key + "\n");
  {
    auto ep = wolfpack::parse_endpoint("tcp:" + node1["api"].get<std::string>());
    REQUIRE(ep);
    auto client = wolfpack::http::client::connect(*ep);
    REQUIRE(client);
    auto refused = client->request("GET", "/groups");
    REQUIRE(refused);
    CHECK(refused->status == 401);
    CHECK(refused->body["error"]["code"] == 5);
    CHECK(mentions(refused->body["error"]["message"].get<std::string>(), "Authorization"));
    client = wolfpack::http::client::connect(*ep);
    REQUIRE(client);
    client->set_api_key(std::string(key.size(), '0'));
    auto wrong = client->request("GET", "/groups");
    REQUIRE(wrong);
    CHECK(wrong->status == 401);
    CHECK(mentions(wrong->body["error"]["message"].get<std::string>(), "not this cluster's"));
    auto events = wolfpack::http::event_stream::open(*ep);
    REQUIRE_FALSE(events);
    CHECK(mentions(events.error(), "HTTP 401"));
    CHECK(wolfpack::http::event_stream::open(*ep, std::nullopt, 5s, key));
  }
  auto by_name = lab.cluster({"/cluster:lab", "group"});
  INFO(by_name.out << by_name.err);
  CHECK(by_name.exit_code == 0);
  CHECK(mentions(by_name.out, "demo1"));
  auto by_address = lab.cluster({"/cluster:" + node1["api"].get<std::string>(), "group"});
  INFO(by_address.out << by_address.err);
  CHECK(by_address.exit_code == 0);
  auto bad_key = lab.cluster({"/cluster:lab", "group"}, {{"WOLFPACK_API_KEY", "nonsense"}});
  INFO(bad_key.out << bad_key.err);
  CHECK(bad_key.exit_code == 5);
  CHECK(mentions(bad_key.out + bad_key.err, "not this cluster's"));

  auto st = lab.status();
  CHECK(status_node(st, "node1")["process"] == "running");
  CHECK(status_node(st, "node1")["state"] == "Up");
  REQUIRE(st["groups"].size() == 1);
  CHECK(st["groups"][0]["name"] == "demo1");
  CHECK(st["groups"][0]["state"] == "Online");

  // The demo group's monitor is part of the node's tree: clussvc and at least one resrcmon.
  const auto tree = lab.tree("node1");
  lab.remember(tree);
  CHECK(tree.size() >= 2);

  auto freeze = lab.wolfpack({"node", "freeze", "node1"});
  INFO(freeze.out << freeze.err);
  REQUIRE(freeze.exit_code == 0);
  CHECK(all_stopped(lab.tree("node1"), true));
  CHECK(status_node(lab.status(), "node1")["process"] == "frozen");

  auto thaw = lab.wolfpack({"node", "thaw", "node1"});
  INFO(thaw.out << thaw.err);
  REQUIRE(thaw.exit_code == 0);
  CHECK(all_stopped(lab.tree("node1"), false));
  CHECK(status_node(lab.status(), "node1")["state"] == "Up");

  auto down = lab.wolfpack({"down"});
  INFO(down.out << down.err);
  REQUIRE(down.exit_code == 0);
  CHECK(none_running(tree));
  CHECK_FALSE(fs::exists(lab.home() / "clusters" / "lab.json"));
  CHECK(lab.node("node1")["pid"] == 0);
  CHECK(lab.wolfpack({"status"}).exit_code == 1);  // a lab, but nothing runs

  // The same cluster again: same secret, the demo group back from the database.
  auto again = lab.wolfpack({"up", "--timeout", "120"});
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(slurp(lab.dir() / "secret") == secret);
  const json groups = lab.api("node1", "GET", "/groups");
  REQUIRE(groups["groups"].size() == 1);
  CHECK(groups["groups"][0]["name"] == "demo1");
  const auto second = lab.all_processes();
  lab.remember(second);
  REQUIRE(lab.wolfpack({"down"}).exit_code == 0);
  CHECK(none_running(second));
}

TEST_CASE("up refuses a running lab naming its pids and node verbs check their node", "[lab]") {
  test_lab lab;
  REQUIRE(lab.wolfpack({"up", "--nodes", "1", "--timeout", "120"}).exit_code == 0);
  lab.remember(lab.all_processes());
  const auto pid = std::to_string(lab.node("node1")["pid"].get<int>());

  auto twice = lab.wolfpack({"up", "--nodes", "1"});
  CHECK(twice.exit_code == 1);
  CHECK(mentions(twice.err, "is running"));
  CHECK(mentions(twice.err, pid));

  auto unknown = lab.wolfpack({"node", "stop", "node7"});
  CHECK(unknown.exit_code == 2);
  CHECK(mentions(unknown.err, "no node 'node7'"));
  auto spec = lab.wolfpack({"partition", "node1/node2"});
  CHECK(spec.exit_code == 2);
  CHECK(mentions(spec.err, "no node 'node2'"));
  auto started = lab.wolfpack({"node", "start", "node1"});
  CHECK(started.exit_code == 1);
  CHECK(mentions(started.err, "already running"));
}

TEST_CASE("node stop and start work and node kill leaves the monitors to down which ends them",
          "[lab]") {
  test_lab lab;
  REQUIRE(lab.wolfpack({"up", "--nodes", "1", "--demo", "--timeout", "120"}).exit_code == 0);
  const auto first = lab.tree("node1");
  lab.remember(first);

  auto stop = lab.wolfpack({"node", "stop", "node1"});
  INFO(stop.out << stop.err);
  REQUIRE(stop.exit_code == 0);
  CHECK(none_running(first));
  CHECK(lab.node("node1")["pid"] == 0);

  auto start = lab.wolfpack({"node", "start", "node1"});
  INFO(start.out << start.err);
  REQUIRE(start.exit_code == 0);
  CHECK(mentions(start.out, "node1 is up"));
  CHECK(status_node(lab.status(), "node1")["state"] == "Up");
  // The demo group comes back with the node (PersistentState), with a monitor.
  REQUIRE(eventually([&] { return lab.tree("node1").size() >= 2; }, 60s));
  const auto second = lab.tree("node1");
  lab.remember(second);

  auto kill = lab.wolfpack({"node", "kill", "node1"});
  INFO(kill.out << kill.err);
  REQUIRE(kill.exit_code == 0);
  CHECK_FALSE(platform::still_running(second.front()));  // the clussvc itself

  auto down = lab.wolfpack({"down"});
  INFO(down.out << down.err);
  REQUIRE(down.exit_code == 0);
  CHECK(none_running(second));
  CHECK_FALSE(lab.lab_json()["nodes"][0].contains("stale_sessions"));
}

TEST_CASE("up --foreground shows the lab and takes it down on SIGINT with exit code 0", "[lab]") {
  test_lab lab;
  scratch_dir io;
  wolfpack::platform::spawn_options opts;
  opts.env = lab.env();
  opts.stdout_path = io.path() / "out";
  opts.stderr_path = io.path() / "err";
  auto child = wolfpack::platform::child_process::spawn(
      fs::path(WP_BUILD_DIR) / "bin" / "wolfpack",
      {"up", "--nodes", "1", "--foreground", "--timeout", "120", "--dir", lab.dir().string()},
      opts);
  REQUIRE(child);
  const bool shown =
      eventually([&] { return mentions(slurp(io.path() / "out"), "Ctrl-C stops the lab"); }, 180s);
  INFO(slurp(io.path() / "out") << slurp(io.path() / "err"));
  REQUIRE(shown);
  CHECK(mentions(slurp(io.path() / "out"), "node1"));
  const auto processes = lab.all_processes();
  lab.remember(processes);
  REQUIRE_FALSE(processes.empty());

  ::kill(child->pid(), SIGINT);
  auto ended = child->wait_for(60s);
  INFO(slurp(io.path() / "out") << slurp(io.path() / "err"));
  REQUIRE(ended);
  CHECK(ended->success());
  CHECK(none_running(processes));
  CHECK(mentions(slurp(io.path() / "out"), "Nothing of the lab is running"));
}

// Needs multi-node clussvc (join, GET/PUT /lab/faults).
TEST_CASE(
    "three nodes: partition and delay and heal reach each node's fault set and frozen nodes "
    "catch up on thaw",
    "[lab][multinode]") {
  test_lab lab;
  auto up =
      lab.wolfpack({"up", "--nodes", "3", "--demo", "--heartbeat-ms", "200", "--timeout", "180"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  lab.remember(lab.all_processes());
  const auto st = lab.status();
  for (const char* n : {"node1", "node2", "node3"})
    CHECK(status_node(st, n)["state"] == "Up");
  std::set<std::string> owners;
  for (const auto& g : st["groups"])
    owners.insert(g["owner"].get<std::string>());
  CHECK(owners == std::set<std::string>{"node1", "node2", "node3"});
  // Their monitors started without a lease (resrcmon --leased): each holds only what its
  // node renewed (docs/semantics.md, "Fencing by lease").
  int leased = 0, unleased = 0;
  for (const auto& p : lab.all_processes()) {
    std::ifstream in("/proc/" + std::to_string(p.pid) + "/cmdline");
    std::string args((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::replace(args.begin(), args.end(), '\0', ' ');
    if (mentions(args, "--monitor-id default"))
      ++(mentions(args, "--leased") ? leased : unleased);
  }
  CHECK(leased == 3);
  CHECK(unleased == 0);

  auto faults = [&](const std::string& n) { return lab.api(n, "GET", "/lab/faults"); };
  auto part = lab.wolfpack({"partition", "node1,node2/node3"});
  INFO(part.out << part.err);
  REQUIRE(part.exit_code == 0);
  CHECK(faults("node1")["block"] == json::array({"node3"}));
  CHECK(faults("node3")["block"] == json::array({"node1", "node2"}));

  REQUIRE(lab.wolfpack({"delay", "node2", "100"}).exit_code == 0);
  CHECK(faults("node2")["delay_ms"] == 100);
  CHECK(faults("node2")["block"] == json::array({"node3"}));

  REQUIRE(lab.wolfpack({"heal"}).exit_code == 0);
  for (const char* n : {"node1", "node2", "node3"})
    CHECK(faults(n)["block"].empty());
  CHECK(faults("node2")["delay_ms"] == 100);

  REQUIRE(lab.wolfpack({"node", "freeze", "node3"}).exit_code == 0);
  auto frozen = lab.wolfpack({"partition", "node1/node3"});
  CHECK(frozen.exit_code == 0);
  CHECK(mentions(frozen.err, "node3 is frozen"));
  CHECK(lab.lab_json()["faults"]["node3"]["applied"] == false);
  REQUIRE(lab.wolfpack({"node", "thaw", "node3"}).exit_code == 0);
  CHECK(lab.lab_json()["faults"]["node3"]["applied"] == true);
  CHECK(faults("node3")["block"] == json::array({"node1"}));

  const auto processes = lab.all_processes();
  lab.remember(processes);
  REQUIRE(lab.wolfpack({"down"}).exit_code == 0);
  CHECK(none_running(processes));
}

TEST_CASE("up --quorum share gives two nodes a file share witness and either node may go",
          "[lab][witness]") {
  test_lab lab;
  auto up = lab.wolfpack(
      {"up", "--nodes", "2", "--quorum", "share", "--heartbeat-ms", "100", "--timeout", "120"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(mentions(up.out, "Quorum: node and witness majority, witness Witness"));
  CHECK(lab.lab_json()["settings"]["quorum"] == "share");
  const auto quorum = lab.api("node1", "GET", "/cluster/quorum");
  CHECK(quorum["type"] == "NodeAndWitnessMajority");
  CHECK(quorum["resource_type"] == "File Share Witness");
  CHECK(fs::is_directory(lab.dir() / "shared" / "witness"));

  // The node that does not hold the witness goes; the other keeps quorum.
  REQUIRE(eventually(
      [&] { return lab.api("node1", "GET", "/cluster/quorum")["holder"].is_string(); }, 30s));
  const std::string holder = lab.api("node1", "GET", "/cluster/quorum")["holder"];
  const std::string other = holder == "node1" ? "node2" : "node1";
  lab.remember(lab.tree(other));
  REQUIRE(lab.wolfpack({"node", "kill", other}).exit_code == 0);
  CHECK(eventually(
      [&] {
        const auto nodes = lab.api(holder, "GET", "/nodes");
        for (const auto& n : nodes["nodes"]) {
          if (n["name"] == holder && n["state"] != "Up")
            return false;
          if (n["name"] == other && n["state"] != "Down")
            return false;
        }
        return true;
      },
      30s));

  // Started again, `up` keeps the witness it has.
  REQUIRE(lab.wolfpack({"down"}).exit_code == 0);
  auto again = lab.wolfpack({"up", "--timeout", "120"});
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(mentions(again.out, "(kept)"));
  REQUIRE(lab.wolfpack({"down"}).exit_code == 0);
}

TEST_CASE("cluster /rename renames a running 3-node lab, which keeps working under the new name",
          "[lab][rename]") {
  test_lab lab;
  auto up = lab.wolfpack({"up", "--nodes", "3", "--timeout", "120"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  lab.remember(lab.all_processes());

  // node3 is down while the cluster is renamed: its database keeps the old name.
  REQUIRE(lab.wolfpack({"node", "stop", "node3"}).exit_code == 0);

  // A name a lab cannot be registered under changes nothing.
  auto bad = lab.cluster({"/cluster:lab", "/rename:bad/name"});
  INFO(bad.out << bad.err);
  CHECK(bad.exit_code == 123);
  CHECK(lab.api("node1", "GET", "/cluster")["name"] == "lab");

  auto renamed = lab.cluster({"/cluster:lab", "/rename:prod"});
  INFO(renamed.out << renamed.err);
  REQUIRE(renamed.exit_code == 0);
  CHECK(mentions(renamed.out, "The cluster 'lab' is now called 'prod'."));
  for (const auto* n : {"node1", "node2"})
    CHECK(lab.api(n, "GET", "/cluster")["name"] == "prod");
  CHECK(lab.lab_json()["name"] == "prod");
  CHECK(fs::exists(lab.home() / "clusters" / "prod.json"));
  CHECK_FALSE(fs::exists(lab.home() / "clusters" / "lab.json"));
  CHECK(lab.cluster({"/cluster:lab", "node"}).exit_code == 2);  // no such registration

  // node3 starts under the new name with its database of the old one: it shares a name with
  // the others on the wire, rejoins and learns the rename.
  auto start = lab.wolfpack({"node", "start", "node3"});
  INFO(start.out << start.err);
  REQUIRE(start.exit_code == 0);
  lab.remember(lab.tree("node3"));
  CHECK(eventually([&] { return lab.api("node3", "GET", "/cluster")["name"] == "prod"; }, 10s));

  // The nodes still talk: a change through one node reaches the others, and all are Up.
  auto made = lab.cluster({"/cluster:prod", "group", "Renamed", "/create"});
  INFO(made.out << made.err);
  REQUIRE(made.exit_code == 0);
  REQUIRE(eventually(
      [&] {
        const auto groups = lab.api("node3", "GET", "/groups");
        return groups.dump().find("Renamed") != std::string::npos;
      },
      10s));
  auto nodes = lab.cluster({"/cluster:prod", "node"});
  INFO(nodes.out);
  CHECK(nodes.exit_code == 0);
  CHECK(std::count(nodes.out.begin(), nodes.out.end(), '\n') >= 3);
  CHECK_FALSE(mentions(nodes.out, "Down"));
  // Logs are flushed on a timer.
  CHECK(eventually(
      [&] {
        return mentions(slurp(lab.dir() / "node2" / "clussvc.log"),
                        "the cluster is now called 'prod'");
      },
      10s));

  // A node stopped and started again comes back into the renamed cluster.
  REQUIRE(lab.wolfpack({"node", "stop", "node2"}).exit_code == 0);
  auto again = lab.wolfpack({"node", "start", "node2"});
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  lab.remember(lab.tree("node2"));
  CHECK(status_node(lab.status(), "node2")["state"] == "Up");
  CHECK(lab.api("node2", "GET", "/cluster")["name"] == "prod");

  // The launcher's own verb, back to the first name; another lab's name is refused.
  fs::create_directories(lab.home() / "clusters");
  std::ofstream(lab.home() / "clusters" / "taken.json") << R"({"name":"taken","nodes":[]})";
  auto taken = lab.wolfpack({"rename", "taken"});
  CHECK(taken.exit_code != 0);
  CHECK(mentions(taken.err, "a cluster named 'taken' is registered already"));
  auto back = lab.wolfpack({"rename", "lab"});
  INFO(back.out << back.err);
  REQUIRE(back.exit_code == 0);
  CHECK(lab.api("node2", "GET", "/cluster")["name"] == "lab");
  CHECK(lab.cluster({"/cluster:lab", "node"}).exit_code == 0);
  // A rename of case alone leaves one registration, under the new spelling.
  REQUIRE(lab.wolfpack({"rename", "LAB"}).exit_code == 0);
  CHECK(fs::exists(lab.home() / "clusters" / "LAB.json"));
  CHECK_FALSE(fs::exists(lab.home() / "clusters" / "lab.json"));
  REQUIRE(lab.wolfpack({"rename", "lab"}).exit_code == 0);

  auto down = lab.wolfpack({"down"});
  INFO(down.out << down.err);
  REQUIRE(down.exit_code == 0);
  CHECK_FALSE(fs::exists(lab.home() / "clusters" / "lab.json"));
}

TEST_CASE("an evicted lab node is cleaned up with node /forcecleanup and added again with /add",
          "[lab][forcecleanup]") {
  test_lab lab;
  auto up = lab.wolfpack({"up", "--nodes", "3", "--timeout", "120"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  lab.remember(lab.all_processes());
  const auto state_dir = lab.dir() / "node3";

  // A member is not cleaned up, and not added again.
  auto member = lab.cluster({"/cluster:lab", "node", "node3", "/forcecleanup"});
  CHECK(member.exit_code != 0);
  CHECK(mentions(member.err, "is a member of the cluster; evict it first"));
  CHECK(lab.wolfpack({"node", "cleanup", "node3"}).exit_code != 0);
  CHECK(lab.cluster({"/cluster:lab", "/add:node3"}).exit_code != 0);
  CHECK(fs::exists(state_dir / "clusdb.sqlite"));

  REQUIRE(lab.cluster({"/cluster:lab", "node", "node3", "/stop", "/wait:30"}).exit_code == 0);
  REQUIRE(lab.cluster({"/cluster:lab", "node", "node3", "/evict"}).exit_code == 0);
  // Evicted, its database still names it a member: started as it is, it is refused at once.
  auto refused = lab.wolfpack({"node", "start", "node3"});
  CHECK(refused.exit_code != 0);
  CHECK(mentions(refused.err, "node3 was evicted from cluster 'lab'"));

  auto cleaned = lab.cluster({"/cluster:lab", "node", "node3", "/forcecleanup", "/wait:20"});
  INFO(cleaned.out << cleaned.err);
  REQUIRE(cleaned.exit_code == 0);
  CHECK_FALSE(fs::exists(state_dir / "clusdb.sqlite"));
  CHECK_FALSE(fs::exists(state_dir / "clusdb.sqlite-wal"));
  CHECK(fs::exists(state_dir / "clussvc.log"));  // the history stays
  CHECK(lab.node("node3")["pid"] == 0);

  auto added = lab.cluster({"/cluster:lab", "/add:node3"});
  INFO(added.out << added.err);
  REQUIRE(added.exit_code == 0);
  lab.remember(lab.tree("node3"));
  CHECK(status_node(lab.status(), "node3")["state"] == "Up");
  // Under a new id: the evicted node's is never given again.
  CHECK(lab.api("node1", "GET", "/nodes/node3")["id"] == "4");
  // Its new database is the cluster's.
  CHECK(eventually(
      [&] {
        return lab.api("node3", "GET", "/cluster")["db_hash"] ==
               lab.api("node1", "GET", "/cluster")["db_hash"];
      },
      10s));

  // Without a lab there is nobody to clean up a node's files.
  auto address = lab.node("node1")["api"].get<std::string>();
  auto elsewhere = lab.cluster({"/cluster:" + address, "node", "node2", "/forcecleanup"},
                               {{"WOLFPACK_HOME", (lab.dir().parent_path() / "nowhere").string()},
                                {"WOLFPACK_API_KEY", lab.api_key()}});
  CHECK(elsewhere.exit_code == 50);
  CHECK(mentions(elsewhere.err, "cleans up a lab's node"));
}

TEST_CASE("a node started with other heartbeat settings is refused by the others, naming them",
          "[lab][timing]") {
  test_lab lab;
  auto up = lab.wolfpack({"up", "--nodes", "3", "--heartbeat-ms", "100", "--timeout", "120"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  lab.remember(lab.all_processes());
  REQUIRE(lab.wolfpack({"node", "stop", "node3"}).exit_code == 0);

  // node3 comes back with a heartbeat of 300 ms: its lease would not be the one the others
  // wait out, so they refuse its connections and it never gets Up.
  auto settings = lab.lab_json();
  settings["settings"]["heartbeat_ms"] = 300;
  std::ofstream(lab.dir() / "lab.json") << settings.dump(2);
  auto start = lab.wolfpack({"node", "start", "node3", "--timeout", "5"});
  INFO(start.out << start.err);
  CHECK(start.exit_code != 0);
  const auto logs = slurp(lab.dir() / "node1" / "clussvc.log") +
                    slurp(lab.dir() / "node2" / "clussvc.log") +
                    slurp(lab.dir() / "node3" / "clussvc.log");
  CHECK(mentions(logs, "incompatible heartbeat settings"));
  CHECK(mentions(logs, "every 300 ms with threshold 5"));

  // With the lab's settings again it rejoins.
  settings["settings"]["heartbeat_ms"] = 100;
  std::ofstream(lab.dir() / "lab.json") << settings.dump(2);
  auto again = lab.wolfpack({"node", "start", "node3"});
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  lab.remember(lab.tree("node3"));
  REQUIRE(lab.wolfpack({"down"}).exit_code == 0);
}
