// Node names, ports and the clussvc command line the launcher and clussvc agree on.

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <catch2/catch.hpp>

#include "wolfpack/tool/lab_launch.hpp"

using namespace wolfpack::tool;
namespace fs = std::filesystem;

TEST_CASE("lab node names are node1..nodeN, and nothing else parses as one") {
  CHECK(lab_node_name(1) == "node1");
  CHECK(lab_node_name(12) == "node12");
  CHECK(lab_node_index("node7") == 7);
  CHECK(lab_node_index("node64") == 64);
  CHECK_FALSE(lab_node_index("node0"));
  CHECK_FALSE(lab_node_index("node07"));
  CHECK_FALSE(lab_node_index("node"));
  CHECK_FALSE(lab_node_index("node1x"));
  CHECK_FALSE(lab_node_index("Node1"));
}

TEST_CASE("with a base port P node I gets peer P+2(I-1) and API P+2(I-1)+1") {
  CHECK(ports_for(7100, 1).value() == node_ports{7100, 7101});
  CHECK(ports_for(7100, 2).value() == node_ports{7102, 7103});
  CHECK(ports_for(7100, 3).value() == node_ports{7104, 7105});
  // The base port wins over what the node had before.
  CHECK(ports_for(7100, 2, "127.0.0.1:4000", "127.0.0.1:4001").value() == node_ports{7102, 7103});
  CHECK(ports_for(65534, 1).value() == node_ports{65534, 65535});
  CHECK_FALSE(ports_for(65534, 2));
  CHECK_FALSE(ports_for(7100, 0));
}

TEST_CASE("without a base port a new node takes any free port, a known node its old ones") {
  CHECK(ports_for(0, 1).value() == node_ports{0, 0});
  CHECK(ports_for(0, 3, "127.0.0.1:41234", "127.0.0.1:41235").value() == node_ports{41234, 41235});
  CHECK(ports_for(0, 3, "garbage", "").value() == node_ports{0, 0});
}

TEST_CASE("a base port must leave room for every node") {
  CHECK(check_base_port(0, 64));
  CHECK(check_base_port(65500, 18));
  auto st = check_base_port(65500, 19);
  REQUIRE_FALSE(st);
  CHECK(st.error().find("65537") != std::string::npos);
}

TEST_CASE("port_of reads the port of HOST:PORT") {
  CHECK(port_of("127.0.0.1:7100") == 7100);
  CHECK(port_of("[::1]:80") == 80);
  CHECK_FALSE(port_of("127.0.0.1"));
  CHECK_FALSE(port_of("127.0.0.1:"));
  CHECK_FALSE(port_of("127.0.0.1:70000"));
  CHECK_FALSE(port_of("127.0.0.1:12a"));
}

TEST_CASE("the clussvc command line") {
  clussvc_launch l;
  l.state_dir = "/lab/node2";
  l.node = "node2";
  l.cluster_name = "lab";
  l.ports = {7102, 7103};
  l.secret_file = "/lab/secret";
  l.heartbeat_ms = 100;
  l.threshold = 5;
  l.join = {"127.0.0.1:7100"};
  CHECK(clussvc_arguments(l) == std::vector<std::string>{"--state-dir",    "/lab/node2",
                                                         "--node",         "node2",
                                                         "--cluster-name", "lab",
                                                         "--listen",       "127.0.0.1:7102",
                                                         "--api-listen",   "127.0.0.1:7103",
                                                         "--secret-file",  "/lab/secret",
                                                         "--heartbeat-ms", "100",
                                                         "--threshold",    "5",
                                                         "--join",         "127.0.0.1:7100",
                                                         "--log-level",    "info"});
  // node1 forms: no --join; a quorum model only when one was asked for.
  l.join.clear();
  l.quorum = "share";
  l.ports = {0, 0};
  const auto args = clussvc_arguments(l);
  CHECK(std::find(args.begin(), args.end(), "--join") == args.end());
  auto q = std::find(args.begin(), args.end(), "--quorum");
  REQUIRE(q != args.end());
  CHECK(*(q + 1) == "share");
  CHECK(std::find(args.begin(), args.end(), "127.0.0.1:0") != args.end());
}

TEST_CASE("launch_for takes the lab's settings and the node's ports") {
  lab_state lab;
  lab.name = "red";
  lab.secret_file = "/l/secret";
  lab.settings.base_port = 9000;
  lab.settings.heartbeat_ms = 250;
  lab.settings.threshold = 3;
  lab.settings.quorum = "majority";
  lab_node n{"node3", 0, "/l/node3", "", "", {}};
  auto l = launch_for(lab, n, {"127.0.0.1:9000"});
  REQUIRE(l);
  CHECK(l->cluster_name == "red");
  CHECK(l->ports == node_ports{9004, 9005});
  CHECK(l->heartbeat_ms == 250);
  CHECK(l->threshold == 3);
  CHECK(l->quorum == "majority");
  CHECK(l->join == std::vector<std::string>{"127.0.0.1:9000"});
  lab_node bad{"alpha", 0, "/l/alpha", "", "", {}};
  CHECK_FALSE(launch_for(lab, bad, {}));
}

namespace {

fs::path fresh_dir() {
  std::random_device rd;
  auto p = fs::temp_directory_path() / ("wolfpack-lab-launch-test-" + std::to_string(rd()));
  fs::create_directories(p);
  return p;
}

}  // namespace

TEST_CASE("the secret is 64 hex digits, mode 0600, and never overwritten") {
  const auto dir = fresh_dir();
  const auto file = dir / "secret";
  auto made = ensure_secret(file);
  REQUIRE(made);
  CHECK(*made);
  std::string text;
  std::getline(std::ifstream(file), text);
  CHECK(text.size() == 64);
  CHECK(text.find_first_not_of("0123456789abcdef") == std::string::npos);
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto again = ensure_secret(file);
  REQUIRE(again);
  CHECK_FALSE(*again);
  std::string same;
  std::getline(std::ifstream(file), same);
  CHECK(same == text);
  fs::remove_all(dir);
}

TEST_CASE("endpoint files are read once complete") {
  const auto dir = fresh_dir();
  CHECK_FALSE(read_endpoint_file(dir / "api.endpoint"));
  std::ofstream(dir / "half") << "127.0.0.1:71";
  CHECK_FALSE(read_endpoint_file(dir / "half"));
  std::ofstream(dir / "api.endpoint") << "127.0.0.1:7101\n";
  CHECK(read_endpoint_file(dir / "api.endpoint") == "127.0.0.1:7101");
  fs::remove_all(dir);
}
