// object_index::indexes: which database ops can change the index. The core rebuilds the index
// only after an update with such an op, so a wrong "no" here would leave lookups stale.
#include <catch2/catch.hpp>

#include "object_index.hpp"

using namespace wolfpack;
using namespace wolfpack::cluster;
using wolfpack::typed_value;

namespace {

db_op set(const std::string& path, const std::string& name) {
  return db_op::set_value(path, name, typed_value::sz("x"));
}

}  // namespace

TEST_CASE("object_index: ops on objects' keys and on the values it reads rebuild the index",
          "[index]") {
  CHECK(object_index::indexes(db_op::create_key("Groups\\g1")));
  CHECK(object_index::indexes(db_op::delete_key("Resources\\r1")));
  CHECK(object_index::indexes(db_op::create_key("Nodes")));
  CHECK(object_index::indexes(db_op::delete_key("")));
  CHECK(object_index::indexes(set("Groups\\g1", "Name")));
  CHECK(object_index::indexes(set("groups\\g1", "CONTAINS")));  // case does not matter
  CHECK(object_index::indexes(set("Groups\\g1", "PreferredOwners")));
  CHECK(object_index::indexes(set("Resources\\r1", "Type")));
  CHECK(object_index::indexes(set("Resources\\r1", "DependsOn")));
  CHECK(object_index::indexes(set("Resources\\r1", "PossibleOwners")));
  CHECK(object_index::indexes(db_op::delete_value("Resources\\r1", "Name")));
  CHECK(object_index::indexes(set("Nodes\\2", "NodeName")));
  CHECK(object_index::indexes(set("ResourceTypes\\Dummy", "DllName")));
}

TEST_CASE("object_index: properties, owners, states and parameters do not", "[index]") {
  CHECK_FALSE(object_index::indexes(set("Groups\\g1", "Description")));
  CHECK_FALSE(object_index::indexes(set("Groups\\g1", "OwnerNode")));
  CHECK_FALSE(object_index::indexes(set("Resources\\r1", "PersistentState")));
  CHECK_FALSE(object_index::indexes(set("Resources\\r1\\Parameters", "Name")));
  CHECK_FALSE(object_index::indexes(db_op::create_key("Resources\\r1\\Parameters")));
  CHECK_FALSE(object_index::indexes(set("", "GumEpoch")));
  CHECK_FALSE(object_index::indexes(set("Nodes\\2", "Address")));
  CHECK_FALSE(object_index::indexes(set("Quorum", "Name")));
  CHECK_FALSE(object_index::indexes(db_op::create_key("Quorum\\x")));
}
