// owner_change_allowed (white-box): the locker orders a change of a group's owner only when the
// owner gives the group away, or when the owner is not a member of the view it orders in (a
// placement decided before the owner came back is refused).
#include <catch2/catch.hpp>

#include "db_schema.hpp"
#include "placement.hpp"

using namespace wolfpack;
using namespace wolfpack::cluster;

namespace {

std::vector<db_op> give_to(const std::string& group_id, std::uint32_t node) {
  return {db_op::set_value(schema::group_path(group_id), std::string(schema::owner_node),
                           typed_value::sz(std::to_string(node)))};
}

// G belongs to node 3; N (a new group) to nobody yet.
std::uint32_t owner_in_test(const std::string& group_id) {
  return group_id == "G" ? 3 : 0;
}

}  // namespace

TEST_CASE("a group changes owner when its owner gives it away or is not a member",
          "[node_core][failover]") {
  // The owner moves it (or fails it over): allowed, whoever is in the view.
  CHECK(owner_change_allowed(give_to("G", 1), 3, {1, 2, 3}, owner_in_test));
  // The locker places it while its owner is not a member.
  CHECK(owner_change_allowed(give_to("G", 1), 1, {1, 2}, owner_in_test));
  // A new group, and ops that are no owner change, are not this check's business.
  CHECK(owner_change_allowed(give_to("N", 2), 1, {1, 2, 3}, owner_in_test));
  CHECK(owner_change_allowed(
      {db_op::set_value(schema::group_path("G"), "Description", typed_value::sz("x"))}, 1,
      {1, 2, 3}, owner_in_test));
  // A placement decided while node 3 was away, ordered once it is a member again: refused,
  // naming the owner.
  const auto refused = owner_change_allowed(give_to("G", 1), 1, {1, 2, 3}, owner_in_test);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().find("belongs to node 3, a member of the view") != std::string::npos);
  // The name of the value is matched as the registry does, without case.
  CHECK_FALSE(owner_change_allowed(
      {db_op::set_value(schema::group_path("G"), "ownernode", typed_value::sz("2"))}, 2, {1, 2, 3},
      owner_in_test));
}
