// The simulator's checkers on made-up histories: each invariant flags what breaks it and
// lets pass what does not (a checker that never fails proves nothing).
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/sim/end_checks.hpp"
#include "wolfpack/sim/fake_cluster.hpp"
#include "wolfpack/sim/invariants.hpp"
#include "wolfpack/sim/sim_client.hpp"

using namespace wolfpack::cluster;
using namespace wolfpack::cluster::sim;
using wolfpack::typed_value;

namespace {

cluster_call call(time_ms at, std::size_t node, std::size_t process, const std::string& type,
                  const std::string& cause = "command", bool ran = true) {
  cluster_call c;
  c.at = at;
  c.monitor = "default";
  c.resource = "R1";
  c.type = type;
  c.cause = cause;
  c.ran = ran;
  c.node = node;
  c.incarnation = process;
  return c;
}

// A database with group G1 (Description `g1`, none when empty) holding resource R1.
db_tree database(const std::string& g1) {
  db_tree t;
  REQUIRE(t.create_key("Groups\\g-1"));
  REQUIRE(t.set_value("Groups\\g-1", "Name", typed_value::sz("G1")));
  REQUIRE(t.set_value("Groups\\g-1", "Contains", typed_value::multi_sz({"r-1"})));
  if (!g1.empty())
    REQUIRE(t.set_value("Groups\\g-1", "Description", typed_value::sz(g1)));
  REQUIRE(t.create_key("Resources\\r-1"));
  REQUIRE(t.set_value("Resources\\r-1", "Name", typed_value::sz("R1")));
  return t;
}

client_op describe(const std::string& value, time_ms issued, std::optional<time_ms> acked) {
  client_op op;
  op.what = client_op::effect::describe;
  op.object = "group G1";
  op.value = value;
  op.issued = issued;
  op.id = 1;
  if (acked) {
    op.answered = acked;
    op.status = 200;
  }
  return op;
}

client_op create(const std::string& object, time_ms acked) {
  client_op op;
  op.what = client_op::effect::create;
  op.object = object;
  op.issued = acked - 10;
  op.id = 1;
  op.answered = acked;
  op.status = 201;
  return op;
}

}  // namespace

TEST_CASE("split brain: any call but a stop into a resource another process holds",
          "[sim][checks]") {
  fake_cluster cluster;  // never started: split_brain reads only the calls
  invariant_checker checker(cluster);

  SECTION("an online on another node while the first holds it") {
    CHECK_FALSE(checker.split_brain(call(100, 1, 1, "online")));
    const auto v = checker.split_brain(call(150, 2, 1, "online"));
    REQUIRE(v);
    CHECK(v->find("node2#1") != std::string::npos);
    CHECK(v->find("node1#1 had it online since 100") != std::string::npos);
  }
  SECTION("an open, or a control, counts as much as an online") {
    CHECK_FALSE(checker.split_brain(call(100, 1, 1, "online")));
    CHECK(checker.split_brain(call(120, 3, 1, "open")));
    CHECK(checker.split_brain(call(130, 3, 1, "resource_control")));
  }
  SECTION("a later process of the same node is another process") {
    CHECK_FALSE(checker.split_brain(call(100, 1, 1, "online")));
    CHECK(checker.split_brain(call(900, 1, 2, "online")));
  }
  SECTION("stops by others are allowed; after the release the next online is fine") {
    CHECK_FALSE(checker.split_brain(call(100, 1, 1, "online")));
    CHECK_FALSE(checker.split_brain(call(110, 2, 1, "terminate")));
    CHECK_FALSE(checker.split_brain(call(120, 2, 1, "offline")));
    CHECK_FALSE(checker.split_brain(call(130, 2, 1, "close")));
    CHECK_FALSE(checker.split_brain(call(200, 1, 1, "terminate", "lease")));
    CHECK_FALSE(checker.split_brain(call(201, 2, 1, "open")));
    CHECK_FALSE(checker.split_brain(call(201, 2, 1, "online")));
  }
  SECTION("a call in the millisecond of the release overlaps it") {
    CHECK_FALSE(checker.split_brain(call(100, 1, 1, "online")));
    CHECK_FALSE(checker.split_brain(call(200, 1, 1, "offline")));
    CHECK(checker.split_brain(call(200, 2, 1, "online")));
  }
  SECTION("a stop by a node that did not hold the resource orders nothing") {
    // Seed 255: the old owner closed a resource it had never brought online in the
    // millisecond the new owner opened it.
    CHECK_FALSE(checker.split_brain(call(100, 1, 1, "open")));
    CHECK_FALSE(checker.split_brain(call(200, 1, 1, "close")));
    CHECK_FALSE(checker.split_brain(call(200, 2, 1, "open")));
    CHECK_FALSE(checker.split_brain(call(300, 3, 1, "online")));
    CHECK_FALSE(checker.split_brain(call(400, 3, 1, "offline")));
    CHECK_FALSE(checker.split_brain(call(500, 3, 1, "close")));
    CHECK_FALSE(checker.split_brain(call(500, 2, 1, "online")));
  }
  SECTION("a call the monitor refused never reached the plugin") {
    CHECK_FALSE(checker.split_brain(call(100, 1, 1, "online")));
    CHECK_FALSE(checker.split_brain(call(150, 2, 1, "online", "command", false)));
  }
  SECTION("the holder's own calls are fine") {
    CHECK_FALSE(checker.split_brain(call(100, 1, 1, "online")));
    CHECK_FALSE(checker.split_brain(call(150, 1, 1, "resource_control")));
    CHECK_FALSE(checker.split_brain(call(160, 1, 1, "online")));
  }
}

TEST_CASE("acknowledged updates: a lost creation, deletion or Description is found",
          "[sim][checks]") {
  SECTION("the last acknowledged write is there") {
    std::vector<client_op> ops{describe("a", 100, 150), describe("b", 200, 250)};
    CHECK_FALSE(lost_acknowledged(database("b"), ops));
  }
  SECTION("an earlier value after a later acknowledged write was sent") {
    std::vector<client_op> ops{describe("a", 100, 150), describe("b", 200, 250)};
    const auto v = lost_acknowledged(database("a"), ops);
    REQUIRE(v);
    CHECK(v->find("'b'") != std::string::npos);
  }
  SECTION("concurrent writes may land in either order") {
    std::vector<client_op> ops{describe("a", 100, 300), describe("b", 200, 250)};
    CHECK_FALSE(lost_acknowledged(database("a"), ops));
    CHECK_FALSE(lost_acknowledged(database("b"), ops));
  }
  SECTION("a write that was never acknowledged may win or be lost") {
    std::vector<client_op> ops{describe("a", 100, 150), describe("b", 200, std::nullopt)};
    CHECK_FALSE(lost_acknowledged(database("a"), ops));
    CHECK_FALSE(lost_acknowledged(database("b"), ops));
  }
  SECTION("no Description although one was acknowledged") {
    std::vector<client_op> ops{describe("a", 100, 150)};
    CHECK(lost_acknowledged(database(""), ops));
  }
  SECTION("a value nobody wrote") {
    std::vector<client_op> ops{describe("a", 100, 150)};
    CHECK(lost_acknowledged(database("zzz"), ops));
  }
  SECTION("an acknowledged creation that is missing, unless its deletion was asked") {
    std::vector<client_op> ops{create("group G1", 50), create("group G2", 60)};
    CHECK(lost_acknowledged(database(""), ops));
    client_op remove;
    remove.what = client_op::effect::remove;
    remove.object = "group G2";
    remove.issued = 70;
    ops.push_back(remove);
    CHECK_FALSE(lost_acknowledged(database(""), ops));
  }
  SECTION("an acknowledged deletion of an object that exists") {
    client_op remove;
    remove.what = client_op::effect::remove;
    remove.object = "resource R1";
    remove.issued = 70;
    remove.id = 1;
    remove.answered = 80;
    remove.status = 204;
    CHECK(lost_acknowledged(database(""), {remove}));
  }
}
