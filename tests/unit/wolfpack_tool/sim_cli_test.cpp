// `wolfpack sim`'s command line: bad arguments are refused naming the argument (exit 2); a
// short run prints the summary and exits 0 when every seed passed.
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli_test_support.hpp"
#include "run_tool.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/sim_command.hpp"

using namespace wolfpack::tool;
using namespace wolfpack::tool::testing;

TEST_CASE("sim: --seeds takes FROM..TO") {
  auto r = parse_seed_range("3..7");
  REQUIRE(r);
  CHECK(r->first == 3);
  CHECK(r->second == 7);
  CHECK_FALSE(parse_seed_range("7..3"));
  CHECK_FALSE(parse_seed_range("7"));
  CHECK_FALSE(parse_seed_range("a..3"));
  CHECK(mentions(parse_seed_range("x").error(), "--seeds"));
}

TEST_CASE("sim refuses bad arguments, naming them") {
  auto faults = run_args({"sim", "--faults", "crash,meteor"});
  CHECK(faults.code == exit_usage);
  CHECK(mentions(faults.err, "--faults"));
  CHECK(mentions(faults.err, "meteor"));

  auto seeds = run_args({"sim", "--seeds", "9..2"});
  CHECK(seeds.code == exit_usage);
  CHECK(mentions(seeds.err, "--seeds"));

  auto both = run_args({"sim", "--seed", "1", "--seeds", "1..2"});
  CHECK(both.code == exit_usage);
  CHECK(mentions(both.err, "--seed"));

  auto length = run_args({"sim", "--steps", "5", "--virtual-seconds", "3"});
  CHECK(length.code == exit_usage);
  CHECK(mentions(length.err, "--steps"));

  auto nodes = run_args({"sim", "--nodes", "0"});
  CHECK(nodes.code == exit_usage);
  CHECK(mentions(nodes.err, "--nodes"));

  auto quorum = run_args({"sim", "--quorum", "disk"});
  CHECK(quorum.code == exit_usage);
  CHECK(mentions(quorum.err, "--quorum"));
}

TEST_CASE("sim runs seeds and prints the summary") {
  auto r = run_args({"sim", "--nodes", "3", "--groups", "2", "--seeds", "1..2", "--steps", "10",
                     "--faults", "none"});
  INFO(r.out << r.err);
  CHECK(r.code == exit_ok);
  CHECK(mentions(r.out, "2 passed, 0 failed"));
}

TEST_CASE("sim runs with a witness") {
  auto r = run_args({"sim", "--nodes", "2", "--groups", "1", "--seeds", "1..2", "--steps", "20",
                     "--faults", "crash,storage", "--quorum", "witness"});
  INFO(r.out << r.err);
  CHECK(r.code == exit_ok);
  CHECK(mentions(r.out, "2 passed, 0 failed"));
}
