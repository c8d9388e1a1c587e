// eviction_still_valid (white-box): the locker refuses an eviction of a node that is in its
// view when it orders the update (the node rejoined after the API had found it down).
#include <catch2/catch.hpp>

#include "db_schema.hpp"
#include "node_eviction.hpp"

using namespace wolfpack;
using namespace wolfpack::cluster;

namespace {

object_index two_nodes() {
  db_tree tree;
  for (const auto* id : {"1", "3"}) {
    const auto path = schema::node_path(id);
    REQUIRE(tree.create_key(schema::nodes_key));
    REQUIRE(tree.create_key(path));
    REQUIRE(tree.set_value(path, std::string(schema::node_name),
                           typed_value::sz(std::string("node") + id)));
  }
  object_index index;
  index.rebuild(tree);
  return index;
}

}  // namespace

TEST_CASE("an eviction ordered while the node is a member again is refused, naming it",
          "[node_core][evict]") {
  const auto index = two_nodes();
  const std::vector<db_op> evict{db_op::delete_key(schema::node_path("3")),
                                 db_op::set_value("", "HighestNodeId", typed_value::dword(3))};
  const auto refused = eviction_still_valid(index, evict, {1, 3});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().find("node 'node3' is active again") != std::string::npos);
  // Down in the locker's view: the eviction goes on; other deletions are no evictions.
  CHECK(eviction_still_valid(index, evict, {1}));
  CHECK(eviction_still_valid(index, {db_op::delete_key("Nodes")}, {1, 3}));
  CHECK(eviction_still_valid(index, {db_op::delete_key("Groups\\3")}, {1, 3}));
  CHECK(eviction_still_valid(index, {db_op::delete_key("NODES\\x")}, {1, 3}));
}
