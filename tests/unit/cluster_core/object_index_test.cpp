// object_index::indexes: which database ops can change the index (the core refreshes the index
// only for such ops, so a wrong "no" here would leave lookups stale), and that refreshing the
// objects an update touched answers as a rebuild from the whole tree.
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "object_index.hpp"
#include "wolfpack/cluster_db/db_update.hpp"

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

namespace {

// Everything the index answers about groups and resources, as text to compare.
std::string describe(const object_index& index) {
  std::string out;
  auto list = [&out](const std::vector<std::string>& ids) {
    for (const auto& id : ids)
      out += id + ",";
    out += ";";
  };
  for (const auto* g : index.groups()) {
    out += "G " + g->id + " " + g->name + ":";
    list(g->resources);
    list(g->preferred_owners);
    list(index.online_order(*g));
    out += "\n";
  }
  for (const auto* r : index.resources()) {
    out += "R " + r->id + " " + r->name + " " + r->type + " in " + r->group + ":";
    list(r->depends_on);
    list(r->dependents);
    list(r->possible_owners);
    const auto* by_name = index.resource_by_name(r->name);
    out += by_name != nullptr ? by_name->id : "?";
    out += "\n";
  }
  for (const auto* n : index.nodes())
    out += "N " + n->id + " " + n->name + "\n";
  for (const auto* t : index.types())
    out += "T " + t->id + " " + t->display_name + "\n";
  return out;
}

// A small deterministic generator, so that a failure names the round that shows it.
struct lcg {
  std::uint64_t state;
  std::uint64_t below(std::uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  }
};

}  // namespace

TEST_CASE("object_index: applying each update answers as rebuilding from the whole tree",
          "[index]") {
  // Few ids and names, so that objects are deleted and created again, share names (a damaged
  // database), depend on resources that do not exist yet, and move between groups; ids are
  // sometimes spelled in another case than the key was created with.
  const std::vector<std::string> rids = {"r1", "r2", "R3", "r4", "r5"};
  const std::vector<std::string> gids = {"g1", "G2", "g3"};
  const std::vector<std::string> names = {"A", "b", "a", "C"};
  auto spelled = [](std::string id, bool upper) {
    for (auto& c : id)
      c = upper ? static_cast<char>(std::toupper(c)) : c;
    return id;
  };
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    lcg random{seed};
    db_tree tree;
    object_index incremental;
    incremental.rebuild(tree);
    for (int round = 0; round < 60; ++round) {
      std::vector<db_op> ops;
      for (auto n = 1 + random.below(3); n > 0; --n) {
        const bool resource = random.below(2) == 0;
        const auto& id =
            resource ? rids[random.below(rids.size())] : gids[random.below(gids.size())];
        const auto path =
            std::string(resource ? "Resources\\" : "Groups\\") + spelled(id, random.below(4) == 0);
        auto pick = [&](const std::vector<std::string>& from) {
          std::vector<std::string> out;
          for (auto k = random.below(3); k > 0; --k)
            out.push_back(from[random.below(from.size())]);
          return out;
        };
        switch (random.below(resource ? 6 : 5)) {
          case 0:
            ops.push_back(db_op::create_key(path));
            break;
          case 1:
            if (tree.key_exists(path))
              ops.push_back(db_op::delete_key(path));
            break;
          case 2:
            ops.push_back(db_op::create_key(path));
            ops.push_back(db_op::set_value(path, "Name", typed_value::sz(names[random.below(4)])));
            break;
          case 3:
            ops.push_back(db_op::create_key(path));
            ops.push_back(db_op::set_value(path, resource ? "DependsOn" : "Contains",
                                           typed_value::multi_sz(pick(rids))));
            break;
          case 4:
            ops.push_back(db_op::create_key("Nodes\\" + std::to_string(1 + random.below(2))));
            ops.push_back(db_op::create_key("ResourceTypes\\Dummy"));
            break;
          default:
            ops.push_back(db_op::create_key(path));
            ops.push_back(db_op::set_value(path, "Type", typed_value::sz("Dummy")));
        }
      }
      db_update update{static_cast<std::uint64_t>(round + 1), ops};
      if (!update.apply(tree))
        continue;
      incremental.apply(tree, ops);
      object_index rebuilt;
      rebuilt.rebuild(tree);
      INFO("seed " << seed << ", round " << round);
      REQUIRE(describe(incremental) == describe(rebuilt));
    }
  }
}
