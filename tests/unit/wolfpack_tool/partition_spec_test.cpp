// `wolfpack partition` specs: sides, who blocks whom, and what a bad spec is told.

#include <catch2/catch.hpp>

#include "cli_test_support.hpp"
#include "wolfpack/tool/partition_spec.hpp"

using namespace wolfpack::tool;
using namespace wolfpack::tool::testing;

namespace {

const std::vector<std::string> nodes = {"node1", "node2", "node3", "node4"};

std::string spec_error(const std::string& spec) {
  auto p = parse_partition(spec, nodes);
  REQUIRE_FALSE(p);
  return p.error();
}

}  // namespace

TEST_CASE("a two-sided partition: each side blocks the other and unnamed nodes are untouched") {
  auto p = parse_partition("node1,node2/node3", nodes);
  REQUIRE(p);
  CHECK(p->sides == std::vector<std::vector<std::string>>{{"node1", "node2"}, {"node3"}});
  const auto blocks = partition_blocks(*p);
  CHECK(blocks.size() == 3);
  CHECK(blocks.at("node1") == std::vector<std::string>{"node3"});
  CHECK(blocks.at("node2") == std::vector<std::string>{"node3"});
  CHECK(blocks.at("node3") == std::vector<std::string>{"node1", "node2"});
  CHECK_FALSE(blocks.contains("node4"));
  CHECK(describe(*p) == "node1, node2 | node3");
}

TEST_CASE("three sides isolate each from the other two and spaces are allowed") {
  auto p = parse_partition("node1 / node2 , node3/node4", nodes);
  REQUIRE(p);
  const auto blocks = partition_blocks(*p);
  CHECK(blocks.at("node1") == std::vector<std::string>{"node2", "node3", "node4"});
  CHECK(blocks.at("node3") == std::vector<std::string>{"node1", "node4"});
  CHECK(blocks.at("node4") == std::vector<std::string>{"node1", "node2", "node3"});
}

TEST_CASE("bad partition specs are refused, saying what is wrong") {
  CHECK(mentions(spec_error("node1,node2"), "one side only"));
  CHECK(mentions(spec_error("node1/"), "side 2 is empty"));
  CHECK(mentions(spec_error("/node1"), "side 1 is empty"));
  CHECK(mentions(spec_error("node1//node2"), "side 2 is empty"));
  CHECK(mentions(spec_error("node1,,node2/node3"), "empty node name"));
  CHECK(mentions(spec_error("node1/node9"), "no node 'node9'"));
  CHECK(mentions(spec_error("node1/node9"), "node1, node2, node3, node4"));
  CHECK(mentions(spec_error("node1,node2/node1"), "'node1' is named twice"));
  CHECK(mentions(spec_error(""), "one side only"));
}
