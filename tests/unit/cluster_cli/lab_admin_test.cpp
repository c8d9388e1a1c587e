// `cluster /rename:NEW`, `cluster node N /forcecleanup` and `cluster /add:N`: what they send
// and which lab launcher runs they make.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../common/temp_dir.hpp"
#include "fake_api.hpp"

using namespace wolfpack::cluster_cli;
using namespace wolfpack::cluster_cli::test;
using nlohmann::json;

namespace {

// Names unlike the other test files' helpers: the tests compile in unity batches.
std::map<std::string, std::string> admin_lab_env(const wolfpack::test::temp_dir& home) {
  std::filesystem::create_directories(home.path() / "clusters");
  std::ofstream(home.path() / "clusters" / "lab.json")
      << R"({"name":"lab","lab_dir":"/tmp/the-lab","nodes":[{"name":"node1","api":"127.0.0.1:7001"}]})";
  return {{"WOLFPACK_HOME", home.path().string()}};
}

json admin_node(const std::string& name, const std::string& state) {
  return json{{"name", name}, {"id", "3"}, {"state", state}, {"code", 0}};
}

// Records each launcher run; answers `codes` in turn (0 when they run out).
struct launcher_record {
  std::vector<std::vector<std::string>> runs;
  std::vector<int> codes;
  launcher_fn fn() {
    return [this](const std::vector<std::string>& args, std::string&) {
      runs.push_back(args);
      return runs.size() <= codes.size() ? codes[runs.size() - 1] : 0;
    };
  }
};

}  // namespace

TEST_CASE("cluster /rename renames the cluster and moves a lab's registration",
          "[cluster_cli][rename]") {
  wolfpack::test::temp_dir home;
  const auto env = admin_lab_env(home);
  fake_clock clock;
  fake_api api(&clock);
  launcher_record launcher;

  SECTION("a lab: the launcher checks the name, the cluster renames, the launcher registers") {
    api.on("POST", "/cluster/rename", 200, json{{"name", "prod"}, {"previous_name", "lab"}});
    const auto r = run(api, clock, {"/cluster:lab", "/rename:prod"}, env, launcher.fn());
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(api.lines() == std::vector<std::string>{"POST /cluster/rename"});
    CHECK(launcher.runs == std::vector<std::vector<std::string>>{
                               {"rename", "prod", "--dir", "/tmp/the-lab", "--check"},
                               {"rename", "prod", "--dir", "/tmp/the-lab", "--quiet"}});
    CHECK(r.out.find("The cluster 'lab' is now called 'prod'.") != std::string::npos);
  }
  SECTION("a name the lab cannot take: nothing is sent") {
    launcher.codes = {2};
    const auto r = run(api, clock, {"/cluster:lab", "/rename:bad/name"}, env, launcher.fn());
    CHECK(r.code == 123);
    CHECK(api.lines().empty());
    CHECK(launcher.runs.size() == 1);
  }
  SECTION("a launcher that cannot tell is not taken for a refused name") {
    launcher.codes = {1};
    const auto r = run(api, clock, {"/cluster:lab", "/rename:prod"}, env, launcher.fn());
    CHECK(r.code == 31);
    CHECK(api.lines().empty());
  }
  SECTION("the cluster refuses: the registration stays") {
    api.on("POST", "/cluster/rename", 409,
           json{{"error",
                 {{"code", 5010}, {"name", "ERROR_OBJECT_ALREADY_EXISTS"}, {"message", "node"}}}});
    const auto r = run(api, clock, {"/cluster:lab", "/rename:node2"}, env, launcher.fn());
    CHECK(r.code == 5010);
    CHECK(launcher.runs.size() == 1);  // the check only
  }
  SECTION("not a lab: the API alone") {
    api.on("POST", "/cluster/rename", 200, json{{"name", "prod"}, {"previous_name", "lab"}});
    const auto r = run(api, clock, {"/cluster:127.0.0.1:7001", "/rename:prod"}, {}, launcher.fn());
    CHECK(r.code == 0);
    CHECK(launcher.runs.empty());
  }
}

TEST_CASE("node /forcecleanup runs the launcher for an evicted lab node only",
          "[cluster_cli][forcecleanup]") {
  wolfpack::test::temp_dir home;
  const auto env = admin_lab_env(home);
  fake_clock clock;
  fake_api api(&clock);
  launcher_record launcher;

  SECTION("evicted: the launcher cleans it up, /wait bounds the stop") {
    api.on("GET", "/nodes/node3", 404,
           json{{"error",
                 {{"code", 5042}, {"name", "ERROR_CLUSTER_NODE_NOT_FOUND"}, {"message", "no"}}}});
    const auto r = run(api, clock, {"/cluster:lab", "node", "node3", "/forcecleanup", "/wait:0"},
                       env, launcher.fn());
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(launcher.runs ==
          std::vector<std::vector<std::string>>{
              {"node", "cleanup", "node3", "--dir", "/tmp/the-lab", "--timeout", "1"}});
  }
  SECTION("a member is refused, the launcher not run") {
    api.on("GET", "/nodes/node3", 200, admin_node("node3", "Up"));
    const auto r =
        run(api, clock, {"/cluster:lab", "node", "node3", "/forcecleanup"}, env, launcher.fn());
    CHECK(r.code == 5065);
    CHECK(launcher.runs.empty());
  }
  SECTION("not a lab") {
    const auto r = run(api, clock, {"/cluster:127.0.0.1:7001", "node", "node3", "/forcecleanup"},
                       {}, launcher.fn());
    CHECK(r.code == 50);
    CHECK(api.lines().empty());
  }
}

TEST_CASE("cluster /add starts lab nodes that are not members", "[cluster_cli][add]") {
  wolfpack::test::temp_dir home;
  const auto env = admin_lab_env(home);
  fake_clock clock;
  fake_api api(&clock);
  launcher_record launcher;
  const json missing{
      {"error", {{"code", 5042}, {"name", "ERROR_CLUSTER_NODE_NOT_FOUND"}, {"message", "no"}}}};

  SECTION("each node in turn, shown Up") {
    api.on("GET", "/nodes/node3", 404, missing)
        .on("GET", "/nodes/node3", 200, admin_node("node3", "Up"))
        .on("GET", "/nodes/node4", 404, missing)
        .on("GET", "/nodes/node4", 200, admin_node("node4", "Up"));
    const auto r = run(api, clock, {"/cluster:lab", "/add:node3,node4"}, env, launcher.fn());
    INFO(r.err);
    CHECK(r.code == 0);
    REQUIRE(launcher.runs.size() == 2);
    CHECK(launcher.runs[1] == std::vector<std::string>{"node", "start", "node4", "--dir",
                                                       "/tmp/the-lab", "--timeout", "60"});
    CHECK(r.out.find("Adding node 'node4' to the cluster...") != std::string::npos);
  }
  SECTION("a member is refused") {
    api.on("GET", "/nodes/node3", 200, admin_node("node3", "Up"));
    const auto r = run(api, clock, {"/cluster:lab", "/add:node3"}, env, launcher.fn());
    CHECK(r.code == 5065);
    CHECK(launcher.runs.empty());
  }
  SECTION("a launcher that fails is named") {
    api.on("GET", "/nodes/node3", 404, missing);
    launcher.codes = {1};
    const auto r = run(api, clock, {"/cluster:lab", "/add:node3"}, env, launcher.fn());
    CHECK(r.code == 31);
    CHECK(r.err.find("wolfpack node start exited 1") != std::string::npos);
  }
}
