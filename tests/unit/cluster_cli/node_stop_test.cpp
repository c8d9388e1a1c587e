// `cluster node [N] /stop [/wait[:seconds]]`: what it sends, waits for and shows.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <fstream>

#include "../common/temp_dir.hpp"
#include "fake_api.hpp"

using namespace wolfpack::cluster_cli;
using namespace wolfpack::cluster_cli::test;
using nlohmann::json;

namespace {

// Names unlike the other test files' helpers: the tests compile in unity batches.
const std::string stop_lab = "/cluster:127.0.0.1:7001";

json stop_node_object(const std::string& name, const std::string& state) {
  return json{{"name", name}, {"id", "2"}, {"state", state}, {"code", state == "Down" ? 1 : 0}};
}

// Scripts the answers every /stop test needs: node1 answers the command (GET /cluster), and
// `node` accepts the stop.
void script_stop(fake_api& api, const std::string& node, const std::string& id) {
  api.on("GET", "/cluster", 200, json{{"name", "lab"}, {"node", "node1"}});
  api.on("POST", "/nodes/" + node + "/stop", 202,
         json{{"name", node}, {"id", id}, {"state", "Stopping"}});
}

}  // namespace

TEST_CASE("node /stop asks the node to stop its cluster service", "[cluster_cli][stop]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("POST", "/nodes/node2/stop", 202,
         json{{"name", "node2"}, {"id", "2"}, {"state", "Stopping"}});
  const auto r = run(api, clock, {stop_lab, "node", "node2", "/stop"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"POST /nodes/node2/stop"});
  CHECK(r.out == "Stopping the cluster service on node 'node2'...\n\n");
}

TEST_CASE("node /stop /wait polls until the node is Down", "[cluster_cli][stop]") {
  fake_clock clock;
  fake_api api(&clock);
  script_stop(api, "node2", "2");
  api.on("GET", "/nodes/node2", 200, stop_node_object("node2", "Up"))
      .on("GET", "/nodes/node2", 200, stop_node_object("node2", "Down"));
  const auto r = run(api, clock, {stop_lab, "node", "node2", "/stop", "/wait:30"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /cluster", "POST /nodes/node2/stop",
                                                "GET /nodes/node2", "GET /nodes/node2"});
  CHECK(r.out.find("node2") != std::string::npos);
  CHECK(r.out.find("Down") != std::string::npos);
}

TEST_CASE("node /stop /wait on the answering node: its silence means it stopped",
          "[cluster_cli][stop]") {
  fake_clock clock;
  fake_api api(&clock);
  // Without a name: the node that answers (GET /cluster names it), which then goes silent.
  script_stop(api, "node1", "1");
  const auto r = run(api, clock, {stop_lab, "node", "/stop", "/wait"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out ==
        "Stopping the cluster service on node 'node1'...\n"
        "\n"
        "Node 'node1' stopped.\n"
        "\n");
}

TEST_CASE("node /stop /wait:N gives up with a timeout, a down node is an error",
          "[cluster_cli][stop]") {
  fake_clock clock;
  fake_api api(&clock);
  script_stop(api, "node2", "2");
  api.on("GET", "/nodes/node2", 200, stop_node_object("node2", "Up"));
  auto r = run(api, clock, {stop_lab, "node", "node2", "/stop", "/wait:2"});
  CHECK(r.code == 1460);  // ERROR_TIMEOUT
  CHECK(r.err.find("'node2' is not Down after 2 s") != std::string::npos);

  fake_api down(&clock);
  down.on_error("POST", "/nodes/node3/stop", 409, 5050, "ERROR_CLUSTER_NODE_DOWN",
                "node 'node3' is Down: its cluster service is not running here to be stopped");
  r = run(down, clock, {stop_lab, "node", "node3", "/stop"});
  CHECK(r.code == 5050);
  CHECK(r.err.find("not running") != std::string::npos);
  // /stop belongs to nodes, and takes no value.
  r = run(down, clock, {stop_lab, "group", "G", "/stop"});
  CHECK(r.code == 87);
  r = run(down, clock, {stop_lab, "node", "node3", "/stop:now"});
  CHECK(r.code == 87);
}

TEST_CASE("node /stop /wait: silence from a node that is not stopping is an error",
          "[cluster_cli][stop]") {
  fake_clock clock;
  fake_api api(&clock);
  // node1 answers the command and node2 stops: node1 falling silent is no sign of node2.
  script_stop(api, "node2", "2");
  const auto r = run(api, clock, {stop_lab, "node", "node2", "/stop", "/wait"});
  CHECK(r.code == 1225);  // ERROR_CONNECTION_REFUSED: GET /nodes/node2 got no answer
  CHECK(r.out.find("stopped") == std::string::npos);
  // An evicted node (404 while waiting) ends the wait with the node's answer.
  fake_api gone(&clock);
  script_stop(gone, "node2", "2");
  gone.on_error("GET", "/nodes/node2", 404, 5042, "ERROR_CLUSTER_NODE_NOT_FOUND",
                "node 'node2' is not a member of cluster 'lab'");
  const auto evicted = run(gone, clock, {stop_lab, "node", "node2", "/stop", "/wait"});
  CHECK(evicted.code == 5042);
}

TEST_CASE("node /start runs the lab launcher for a lab's node and shows it Up",
          "[cluster_cli][start]") {
  wolfpack::test::temp_dir home;
  std::filesystem::create_directories(home.path() / "clusters");
  std::ofstream(home.path() / "clusters" / "lab.json")
      << R"({"name":"lab","lab_dir":"/tmp/the-lab","nodes":[{"name":"node1","api":"127.0.0.1:7001"}]})";
  const std::map<std::string, std::string> env = {{"WOLFPACK_HOME", home.path().string()}};
  fake_clock clock;
  fake_api api(&clock);
  std::vector<std::string> ran;
  const launcher_fn launcher = [&](const std::vector<std::string>& args, std::string&) {
    ran = args;
    return 0;
  };

  SECTION("a node that is Down: the launcher starts it and waits") {
    api.on("GET", "/nodes/node2", 200, stop_node_object("node2", "Down"))
        .on("GET", "/nodes/node2", 200, stop_node_object("node2", "Up"));
    const auto r =
        run(api, clock, {"/cluster:lab", "node", "node2", "/start", "/wait:30"}, env, launcher);
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(ran == std::vector<std::string>{"node", "start", "node2", "--dir", "/tmp/the-lab",
                                          "--timeout", "30"});
    CHECK(r.out.find("Starting the cluster service on node 'node2'...") != std::string::npos);
    CHECK(r.out.find("Up") != std::string::npos);
  }
  SECTION("a node that runs already is refused, the launcher not run") {
    api.on("GET", "/nodes/node2", 200, stop_node_object("node2", "Up"));
    const auto r = run(api, clock, {"/cluster:lab", "node", "node2", "/start"}, env, launcher);
    CHECK(r.code == 5023);
    CHECK(r.err.find("Node 'node2' is running already.") != std::string::npos);
    CHECK(ran.empty());
  }
  SECTION("a launcher that fails is an error naming it") {
    api.on("GET", "/nodes/node2", 200, stop_node_object("node2", "Down"));
    const auto r = run(api, clock, {"/cluster:lab", "node", "node2", "/start"}, env,
                       [](const std::vector<std::string>&, std::string&) { return 3; });
    CHECK(r.code == 31);
    CHECK(r.err.find("wolfpack node start exited 3") != std::string::npos);
  }
}

TEST_CASE("node /start of a cluster that is no lab says what to do instead",
          "[cluster_cli][start]") {
  fake_clock clock;
  fake_api api(&clock);
  const auto r = run(api, clock, {stop_lab, "node", "node2", "/start"}, {},
                     [](const std::vector<std::string>&, std::string&) { return 0; });
  CHECK(r.code == 50);
  CHECK(r.err.find("otherwise start clussvc on the machine of node 'node2'") != std::string::npos);
  CHECK(api.lines().empty());
  // A name is needed: the node that answers is running.
  const auto unnamed = run(api, clock, {stop_lab, "node", "/start"});
  CHECK(unnamed.code == 87);
}
