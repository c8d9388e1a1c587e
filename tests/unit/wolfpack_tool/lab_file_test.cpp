// lab.json: what is written reads back the same, and a broken file is named precisely.

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "../common/temp_dir.hpp"
#include "wolfpack/tool/lab.hpp"

using namespace wolfpack::tool;
using nlohmann::json;
using wolfpack::test::temp_dir;
namespace fs = std::filesystem;

namespace {

lab_state sample(const fs::path& dir) {
  lab_state lab;
  lab.dir = dir;
  lab.name = "lab";
  lab.secret_file = dir / "secret";
  lab.settings.clussvc = "/build/bin/clussvc";
  lab.settings.heartbeat_ms = 100;
  lab.settings.threshold = 4;
  lab.settings.quorum = "majority";
  lab.settings.base_port = 7100;
  lab.nodes = {{"node1", 1234, dir / "node1", "127.0.0.1:7101", "127.0.0.1:7100", {}},
               {"node2", 0, dir / "node2", "127.0.0.1:7103", "127.0.0.1:7102", {999}}};
  lab.faults["node1"] = node_faults{{"node2"}, 50, true};
  lab.faults["node2"] = node_faults{{"node1"}, 0, false};
  return lab;
}

std::string error_of(const json& j) {
  auto lab = lab_from_json(j, "/x");
  REQUIRE_FALSE(lab);
  return lab.error();
}

}  // namespace

TEST_CASE("lab.json has the documented shape") {
  const auto j = to_json(sample("/labs/a"));
  CHECK(j["name"] == "lab");
  CHECK(j["secret_file"] == "/labs/a/secret");
  CHECK(j["nodes"][0] == json{{"name", "node1"},
                              {"pid", 1234},
                              {"state_dir", "/labs/a/node1"},
                              {"api", "127.0.0.1:7101"},
                              {"peer", "127.0.0.1:7100"}});
  CHECK(j["nodes"][1]["stale_sessions"] == json::array({999}));
  CHECK(j["faults"]["node1"] == json{{"block", {"node2"}}, {"delay_ms", 50}, {"applied", true}});
  CHECK(j["settings"]["quorum"] == "majority");
  CHECK(j["settings"]["base_port"] == 7100);
}

TEST_CASE("lab.json written and read back is the same lab") {
  temp_dir dir;
  const lab_state lab = sample(dir.path());
  REQUIRE(write_lab(lab));
  CHECK_FALSE(fs::exists(dir.path() / "lab.json.new"));
  auto back = read_lab(dir.path());
  REQUIRE(back);
  REQUIRE(back->has_value());
  CHECK(**back == lab);
}

TEST_CASE("no lab.json is no lab but an unreadable one is a failure naming the file") {
  temp_dir dir;
  auto none = read_lab(dir.path());
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  auto load = load_lab(dir.path());
  REQUIRE_FALSE(load);
  CHECK(load.error().find("no lab in") != std::string::npos);

  std::ofstream(dir.path() / "lab.json") << "{not json";
  auto bad = read_lab(dir.path());
  REQUIRE_FALSE(bad);
  CHECK(bad.error().find("lab.json is not valid JSON") != std::string::npos);
}

TEST_CASE("a broken lab.json names the field") {
  json j = to_json(sample("/x"));
  json no_name = j;
  no_name.erase("name");
  CHECK(error_of(no_name).find("'name' is missing") != std::string::npos);
  json bad_pid = j;
  bad_pid["nodes"][1]["pid"] = "twelve";
  CHECK(error_of(bad_pid).find("nodes[1]: 'pid' has the wrong type") != std::string::npos);
  json twice = j;
  twice["nodes"][1]["name"] = "node1";
  CHECK(error_of(twice).find("'node1' is listed twice") != std::string::npos);
  json stray = j;
  stray["faults"]["node7"] = json{{"block", json::array()}};
  CHECK(error_of(stray).find("node 'node7'") != std::string::npos);
  json block = j;
  block["faults"]["node1"]["block"] = "node2";
  CHECK(error_of(block).find("faults.node1: 'block'") != std::string::npos);
  CHECK(error_of(json::array()).find("object") != std::string::npos);
}

TEST_CASE("optional fields take their defaults, so a minimal lab.json is enough") {
  const json j = {{"name", "lab"},
                  {"secret_file", "/x/secret"},
                  {"nodes", {{{"name", "node1"}, {"state_dir", "/x/node1"}}}}};
  auto lab = lab_from_json(j, "/x");
  REQUIRE(lab);
  CHECK(lab->nodes[0].pid == 0);
  CHECK(lab->settings.heartbeat_ms == 1000);
  CHECK(lab->settings.threshold == 5);
  CHECK(lab->settings.base_port == 0);
  CHECK(lab->faults.empty());
}

TEST_CASE("fault sets: empty and applied means none") {
  lab_state lab = sample("/x");
  CHECK(lab.faults_of("node1").delay_ms == 50);
  lab.set_faults("node1", node_faults{});
  CHECK_FALSE(lab.faults.contains("node1"));
  CHECK(lab.faults_of("node1").empty());
  // Not applied yet (the node was frozen): kept, so thaw hands it over.
  lab.set_faults("node1", node_faults{{}, 0, false});
  CHECK(lab.faults.contains("node1"));
}
