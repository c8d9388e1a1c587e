// The lab verbs' command lines: what each option fills in, what is refused and with which
// exit code (2: usage), without starting anything.

#include <sstream>

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include "cli_test_support.hpp"
#include "run_tool.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/lab_commands.hpp"

using namespace wolfpack::tool;
using namespace wolfpack::tool::testing;

TEST_CASE("up parses every option and the defaults leave the lab's settings alone") {
  auto o = parse_with<up_options>(
      add_up_command,
      {"up",          "--nodes",   "3",           "--dir", "/tmp/lab",       "--name",
       "demo",        "--demo",    "--base-port", "7100",  "--heartbeat-ms", "100",
       "--threshold", "4",         "--quorum",    "disk",  "--foreground",   "--timeout",
       "20",          "--clussvc", "/x/clussvc"});
  CHECK(o.nodes == 3);
  CHECK(o.dir == "/tmp/lab");
  CHECK(o.name == "demo");
  CHECK(o.demo);
  CHECK(o.base_port == 7100);
  CHECK(o.heartbeat_ms == 100);
  CHECK(o.threshold == 4);
  CHECK(o.quorum == "disk");
  CHECK(o.foreground);
  CHECK(o.timeout_s == 20);
  CHECK(o.clussvc == "/x/clussvc");

  auto d = parse_with<up_options>(add_up_command, {"up"});
  CHECK(d.dir == "wolfpack-lab");
  CHECK(d.nodes == 0);
  CHECK(d.name.empty());
  CHECK(d.base_port == 0);
  CHECK(d.heartbeat_ms == 0);
  CHECK(d.quorum.empty());
  CHECK(d.timeout_s == 60);
  CHECK_FALSE(d.demo);
  CHECK_FALSE(d.foreground);
}

TEST_CASE("the other lab verbs parse their arguments and --dir defaults to ./wolfpack-lab") {
  auto s = parse_with<status_options>(add_status_command, {"status", "--json"});
  CHECK(s.json);
  CHECK(s.dir == "wolfpack-lab");
  auto d = parse_with<down_options>(add_down_command, {"down", "--dir", "x", "--timeout", "5"});
  CHECK(d.dir == "x");
  CHECK(d.timeout_s == 5);
  auto n = parse_with<node_options>(add_node_command, {"node", "freeze", "node2", "--dir", "x"});
  CHECK(n.action == "freeze");
  CHECK(n.node == "node2");
  CHECK(n.dir == "x");
  auto p = parse_with<partition_options>(add_partition_command, {"partition", "node1,node2/node3"});
  CHECK(p.spec == "node1,node2/node3");
  auto h = parse_with<heal_options>(add_heal_command, {"heal", "--dir", "y"});
  CHECK(h.dir == "y");
  auto l = parse_with<delay_options>(add_delay_command, {"delay", "node3", "250"});
  CHECK(l.node == "node3");
  CHECK(l.delay_ms == 250);
}

TEST_CASE("lab verbs refuse bad arguments with exit code 2, naming the problem") {
  auto quorum = run_args({"up", "--nodes", "3", "--quorum", "coin"});
  CHECK(quorum.code == exit_usage);
  CHECK(mentions(quorum.err, "--quorum"));
  auto nodes = run_args({"up", "--nodes", "0"});
  CHECK(nodes.code == exit_usage);
  CHECK(mentions(nodes.err, "--nodes"));
  CHECK(run_args({"up", "--nodes", "65"}).code == exit_usage);
  CHECK(run_args({"up", "--nodes", "2", "--colour", "red"}).code == exit_usage);
  auto action = run_args({"node", "reboot", "node1"});
  CHECK(action.code == exit_usage);
  CHECK(mentions(action.err, "reboot"));
  CHECK(run_args({"node", "stop"}).code == exit_usage);  // NODE is required
  CHECK(run_args({"partition"}).code == exit_usage);
  CHECK(run_args({"delay", "node1"}).code == exit_usage);
  CHECK(run_args({"delay", "node1", "-5"}).code == exit_usage);
  auto name = run_args({"up", "--nodes", "1", "--name", "a/b", "--dir", "/nonexistent/lab"});
  CHECK(name.code == exit_usage);
  CHECK(mentions(name.err, "lab name"));
}

TEST_CASE("verbs that need a lab say there is none, exit 1") {
  const std::string dir = "/nonexistent/wolfpack-lab-test";
  for (const std::vector<std::string>& args : {std::vector<std::string>{"status", "--dir", dir},
                                               {"down", "--dir", dir},
                                               {"node", "stop", "node1", "--dir", dir},
                                               {"partition", "node1/node2", "--dir", dir},
                                               {"heal", "--dir", dir},
                                               {"delay", "node1", "10", "--dir", dir}}) {
    auto r = run_args(args);
    INFO(args.front() << ": " << r.err);
    CHECK(r.code == exit_failed);
    CHECK(mentions(r.err, "no lab in " + dir));
    CHECK(mentions(r.err, "wolfpack up"));
  }
}

TEST_CASE("up without a clussvc to run says so and exits 1 before touching DIR") {
  auto r = run_args({"up", "--nodes", "1", "--dir", "/nonexistent/wolfpack-lab-test", "--clussvc",
                     "/nonexistent/clussvc"});
  CHECK(r.code == exit_failed);
  CHECK(mentions(r.err, "clussvc '/nonexistent/clussvc' is not a file"));
  // A usage error wins: it does not depend on the build.
  auto both = run_args(
      {"up", "--dir", "/nonexistent/wolfpack-lab-test", "--clussvc", "/nonexistent/clussvc"});
  CHECK(both.code == exit_usage);
  CHECK(mentions(both.err, "--nodes"));
}

TEST_CASE("wolfpack --help lists the lab verbs") {
  auto r = run_args({"--help"});
  for (const char* verb : {"up", "status", "down", "node", "partition", "heal", "delay"})
    CHECK(mentions(r.out, verb));
  auto up = run_args({"up", "--help"});
  CHECK(mentions(up.out, "--base-port"));
  CHECK(mentions(up.out, "--foreground"));
}

TEST_CASE("lab names must make a file name and a cluster name") {
  CHECK(check_lab_name("lab"));
  CHECK(check_lab_name("lab-2.test_x"));
  CHECK_FALSE(check_lab_name(""));
  CHECK_FALSE(check_lab_name("a/b"));
  CHECK_FALSE(check_lab_name("..x"));
  CHECK_FALSE(check_lab_name("a b"));
  CHECK_FALSE(check_lab_name(std::string(65, 'a')));
}

TEST_CASE("plan_lab: a new lab gets node1..nodeN under DIR, a secret file and the defaults") {
  up_options o;
  o.nodes = 3;
  auto lab = plan_lab(o, std::nullopt, "/labs/a", "/bin/clussvc");
  REQUIRE(lab);
  CHECK(lab->name == "lab");
  CHECK(lab->dir == "/labs/a");
  CHECK(lab->secret_file == "/labs/a/secret");
  CHECK(lab->settings.clussvc == "/bin/clussvc");
  CHECK(lab->settings.heartbeat_ms == 1000);
  CHECK(lab->settings.threshold == 5);
  CHECK(lab->settings.quorum.empty());
  REQUIRE(lab->nodes.size() == 3);
  CHECK(lab->nodes[2].name == "node3");
  CHECK(lab->nodes[2].state_dir == "/labs/a/node3");
  CHECK(lab->nodes[2].pid == 0);

  up_options none;
  CHECK(mentions(plan_lab(none, std::nullopt, "/labs/a", "c").error(), "--nodes"));
  up_options ports;
  ports.nodes = 3;
  ports.base_port = 65532;
  CHECK(mentions(plan_lab(ports, std::nullopt, "/labs/a", "c").error(), "65535"));
}

TEST_CASE(
    "plan_lab: an existing lab restarts as it was, grows, and refuses what its "
    "databases would not survive") {
  up_options first;
  first.nodes = 2;
  first.name = "red";
  first.base_port = 7100;
  first.quorum = "majority";
  auto planned = plan_lab(first, std::nullopt, "/labs/r", "c");
  REQUIRE(planned);
  std::optional<lab_state> old = *planned;
  old->nodes[0].pid = 123;  // recorded, dead (up checked that nothing runs)
  old->nodes[0].api = "127.0.0.1:7101";
  old->faults["node1"] = node_faults{{"node2"}, 10, true};

  up_options again;  // no --nodes, --name or ports: the lab's
  again.heartbeat_ms = 200;
  auto lab = plan_lab(again, old, "/labs/r", "c2");
  REQUIRE(lab);
  CHECK(lab->name == "red");
  CHECK(lab->nodes.size() == 2);
  CHECK(lab->nodes[0].pid == 0);
  CHECK(lab->nodes[0].api == "127.0.0.1:7101");
  CHECK(lab->faults.empty());
  CHECK(lab->settings.base_port == 7100);
  CHECK(lab->settings.quorum == "majority");
  CHECK(lab->settings.heartbeat_ms == 200);
  CHECK(lab->settings.clussvc == "c2");

  up_options grow;
  grow.nodes = 4;
  auto bigger = plan_lab(grow, old, "/labs/r", "c");
  REQUIRE(bigger);
  CHECK(bigger->nodes.size() == 4);
  CHECK(bigger->nodes[3].name == "node4");

  up_options fewer;
  fewer.nodes = 1;
  CHECK(mentions(plan_lab(fewer, old, "/labs/r", "c").error(), "has 2 nodes"));
  up_options renamed;
  renamed.name = "blue";
  CHECK(mentions(plan_lab(renamed, old, "/labs/r", "c").error(), "cluster 'red'"));
  up_options moved;
  moved.base_port = 8000;
  CHECK(mentions(plan_lab(moved, old, "/labs/r", "c").error(), "--base-port 7100"));
}
