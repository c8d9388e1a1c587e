// The API's refusals (docs/api.md "Errors"): the Win32 code MSCS returns for the case, the
// HTTP status of its class, and nothing changed (no database update, no event).
#include <string>

#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wolfpack/sim/fake_node.hpp"

using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

struct refusal {
  int status;
  std::uint32_t code;
};

// Sends the request and checks it is refused with `expected` and leaves the database and
// the event stream as they were.
void check_refused(fake_node& f, const std::string& method, const std::string& path,
                   const nlohmann::json& body, refusal expected) {
  const auto seq = f.core().database_seq();
  const auto events = f.events().size();
  const auto writes = f.db_writes().size();
  auto r = f.api(method, path, body);
  INFO(method << " " << path << " " << body.dump() << " -> " << r.status << " " << r.body.dump());
  CHECK(r.status == expected.status);
  CHECK(r.error_code() == expected.code);
  REQUIRE(r.body.contains("error"));
  CHECK(r.body["error"]["name"].is_string());
  CHECK(!r.body["error"]["message"].get<std::string>().empty());
  CHECK(f.core().database_seq() == seq);
  CHECK(f.db_writes().size() == writes);
  CHECK(f.events().size() == events);
}

}  // namespace

TEST_CASE("API errors carry the documented code and status and change nothing",
          "[node_core][api][errors]") {
  fake_node f;
  make_chain(f);  // G: A <- B <- C
  create_group(f, "H");
  create_resource(f, "X", "H");
  const nlohmann::json none;

  SECTION("not found") {
    check_refused(f, "GET", "/groups/Nope", none, {404, 5013});  // ERROR_GROUP_NOT_FOUND
    check_refused(f, "POST", "/groups/Nope/online", none, {404, 5013});
    check_refused(f, "DELETE", "/groups/Nope", none, {404, 5013});
    check_refused(f, "GET", "/resources/Nope", none, {404, 5007});  // ERROR_RESOURCE_NOT_FOUND
    check_refused(f, "POST", "/resources/Nope/online", none, {404, 5007});
    check_refused(f, "POST", "/resources/B/dependencies", {{"provider", "Nope"}}, {404, 5007});
    check_refused(f, "POST", "/resources", {{"name", "Y"}, {"group", "Nope"}, {"type", "Dummy"}},
                  {404, 5013});
    check_refused(f, "POST", "/resources", {{"name", "Y"}, {"group", "G"}, {"type", "Nope"}},
                  {404, 5078});  // ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND
    check_refused(f, "GET", "/nodes/Nope", none, {404, 5042});  // ERROR_CLUSTER_NODE_NOT_FOUND
  }

  SECTION("duplicate names") {
    check_refused(f, "POST", "/groups", {{"name", "G"}}, {409, 5010});  // OBJECT_ALREADY_EXISTS
    check_refused(f, "POST", "/groups", {{"name", "g"}}, {409, 5010});  // names ignore case
    check_refused(f, "POST", "/resources", {{"name", "A"}, {"group", "H"}, {"type", "Dummy"}},
                  {409, 5010});
    check_refused(f, "POST", "/groups/H/rename", {{"name", "G"}}, {409, 5010});
    check_refused(f, "POST", "/resources/X/rename", {{"name", "a"}}, {409, 5010});
  }

  SECTION("dependencies") {
    // A cycle: A would depend on C, which depends (through B) on A.
    check_refused(f, "POST", "/resources/A/dependencies", {{"provider", "C"}},
                  {409, 5069});  // ERROR_DEPENDENCY_NOT_ALLOWED
    check_refused(f, "POST", "/resources/A/dependencies", {{"provider", "B"}}, {409, 5069});
    check_refused(f, "POST", "/resources/A/dependencies", {{"provider", "A"}}, {409, 5069});
    // Dependencies stay within one group.
    check_refused(f, "POST", "/resources/X/dependencies", {{"provider", "A"}}, {409, 5069});
    check_refused(f, "POST", "/resources/A/dependencies", {{"provider", "X"}}, {409, 5069});
    // Twice the same.
    check_refused(f, "POST", "/resources/B/dependencies", {{"provider", "A"}},
                  {409, 5003});  // ERROR_DEPENDENCY_ALREADY_EXISTS
    // Removing one that is not there.
    check_refused(f, "DELETE", "/resources/A/dependencies/B", none,
                  {404, 5002});  // ERROR_DEPENDENCY_NOT_FOUND
    check_refused(f, "DELETE", "/resources/C/dependencies/A", none, {404, 5002});
  }

  SECTION("deletes") {
    check_refused(f, "DELETE", "/groups/G", none, {409, 145});  // ERROR_DIR_NOT_EMPTY
    check_refused(f, "DELETE", "/resourcetypes/Dummy", none,
                  {409, 5909});  // ERROR_CLUSTER_RESOURCE_TYPE_BUSY
    check_refused(f, "DELETE", "/resources/A", none,
                  {409, 5001});  // ERROR_DEPENDENT_RESOURCE_EXISTS
    REQUIRE(f.api("POST", "/resources/X/online").status == 202);
    REQUIRE(f.resource_state("X") == r_online);
    check_refused(f, "DELETE", "/resources/X", none, {409, 5019});  // ERROR_RESOURCE_ONLINE
    // Once offline it goes.
    REQUIRE(f.api("POST", "/resources/X/offline").status == 202);
    CHECK(f.api("DELETE", "/resources/X").status == 204);
    CHECK(f.api("DELETE", "/groups/H").status == 204);
    CHECK(f.commands_of("close", "X").size() == 1);
  }

  SECTION("common properties") {
    check_refused(f, "PUT", "/resources/A/properties", {{"properties", {{"Bogus", 1}}}},
                  {400, 1608});  // ERROR_UNKNOWN_PROPERTY
    check_refused(f, "PUT", "/groups/G/properties", {{"properties", {{"RestartAction", 1}}}},
                  {400, 1608});
    check_refused(f, "PUT", "/resources/A/properties", {{"properties", {{"PendingTimeout", "x"}}}},
                  {400, 5895});  // ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH
    check_refused(f, "PUT", "/resources/A/properties",
                  {{"properties", {{"PendingTimeout", {{"type", "SZ"}, {"value", "1000"}}}}}},
                  {400, 5895});
    check_refused(f, "PUT", "/resources/A/properties", {{"properties", {{"PendingTimeout", 5}}}},
                  {400, 87});  // ERROR_INVALID_PARAMETER: below the minimum of 10
    check_refused(f, "PUT", "/resources/A/properties", {{"properties", {{"RestartAction", 3}}}},
                  {400, 87});
    check_refused(f, "PUT", "/resources/A/properties",
                  {{"properties", {{"RetryPeriodOnFailure", 1000}}}},
                  {400, 87});  // below RestartPeriod (900000)
    check_refused(f, "PUT", "/resources/A/properties", {{"properties", {{"Type", "Other"}}}},
                  {403, 5});  // ERROR_ACCESS_DENIED: read-only
    // One bad property spoils the whole write.
    check_refused(f, "PUT", "/resources/A/properties",
                  {{"properties", {{"RestartAction", 1}, {"PendingTimeout", 5}}}}, {400, 87});
    CHECK(f.api("GET", "/resources/A/properties").body["properties"]["RestartAction"]["value"] ==
          2);
  }

  SECTION("request bodies") {
    check_refused(f, "POST", "/groups", {{"name", "K"}, {"bogus", 1}}, {400, 87});
    check_refused(f, "POST", "/groups", {{"name", 5}}, {400, 87});
    check_refused(f, "POST", "/groups", none, {400, 87});
    check_refused(f, "POST", "/groups", nlohmann::json::array(), {400, 87});
    check_refused(f, "POST", "/resources", {{"name", "Y"}, {"group", "G"}}, {400, 87});
    check_refused(f, "POST", "/groups/G/online", {{"bogus", true}}, {400, 87});
    check_refused(f, "PUT", "/resources/A/properties", {{"RestartAction", 1}}, {400, 87});
    check_refused(f, "POST", "/groups", {{"name", ""}}, {400, 87});
  }

  SECTION("a move needs another node") {
    check_refused(f, "POST", "/groups/G/move", none, {409, 5005});  // HOST_NODE_NOT_AVAILABLE
    check_refused(f, "POST", "/groups/G/move", {{"node", "node9"}}, {404, 5042});
  }

  SECTION("routes") {
    check_refused(f, "GET", "/bogus", none, {404, 1168});              // ERROR_NOT_FOUND
    check_refused(f, "PATCH", "/groups/G", none, {405, 1});            // ERROR_INVALID_FUNCTION
    check_refused(f, "POST", "/resources/A/fail", none, {409, 5023});  // offline
  }
}

TEST_CASE("successful writes advance the database seq once each", "[node_core][api]") {
  fake_node f;
  f.start();
  const auto seq = f.core().database_seq();
  create_group(f, "G");
  CHECK(f.core().database_seq() == seq + 1);
  create_resource(f, "A", "G");
  CHECK(f.core().database_seq() == seq + 2);
  CHECK(f.events_of("GROUP_ADDED", "G").size() == 1);
  CHECK(f.events_of("RESOURCE_ADDED", "A").size() == 1);
  // A write with nothing to change still answers, without an update.
  auto same = f.api("PUT", "/resources/A/properties", {{"properties", nlohmann::json::object()}});
  CHECK(same.status == 200);
  CHECK(f.core().database_seq() == seq + 2);
}

TEST_CASE("an answer to a write waits until it is durable", "[node_core][api][database]") {
  fake_node f;
  f.start();
  f.hold_db();
  const auto id = f.api_async("POST", "/groups", {{"name", "G"}});
  f.run_until_idle();
  CHECK(!f.response(id));
  // The change is visible to reads at once (this node applied it).
  CHECK(f.api("GET", "/groups/G").status == 200);
  CHECK(f.held_db_count() == 1);
  f.release_db();
  REQUIRE(f.response(id));
  CHECK(f.response(id)->status == 201);
  CHECK(f.response(id)->body["name"] == "G");
}

TEST_CASE("?by=id addresses an object by its id, across renames", "[node_core][api]") {
  fake_node f;
  make_chain(f);  // G: A <- B <- C
  const auto group_id = f.api("GET", "/groups/G").body.at("id").get<std::string>();
  const auto resource_id = f.api("GET", "/resources/A").body.at("id").get<std::string>();
  const auto node_id = f.api("GET", "/nodes").body.at("nodes").at(0).at("id").get<std::string>();

  REQUIRE(f.api("POST", "/groups/G/rename", {{"name", "G2"}}).status == 200);
  REQUIRE(f.api("POST", "/resources/A/rename", {{"name", "A2"}}).status == 200);
  CHECK(f.api("GET", "/groups/" + group_id + "?by=id").body.at("name") == "G2");
  CHECK(f.api("GET", "/resources/" + resource_id + "/dependencies?by=id").status == 200);
  CHECK(f.api("GET", "/resources/" + resource_id + "?by=id").body.at("name") == "A2");
  CHECK(f.api("GET", "/nodes/" + node_id + "?by=id").body.at("id") == node_id);
  // An action by id changes the object, as by name.
  REQUIRE(f.api("POST", "/groups/" + group_id + "/rename?by=id", {{"name", "G3"}}).status == 200);
  CHECK(f.api("GET", "/groups/G3").body.at("id") == group_id);

  const nlohmann::json none;
  SECTION("an id that names nothing is not found, even when it is some object's name") {
    create_group(f, "00000000-0000-0000-0000-000000000000");
    check_refused(f, "GET", "/groups/00000000-0000-0000-0000-000000000000?by=id", none,
                  {404, 5013});
    check_refused(f, "POST", "/resources/G3/online?by=id", none, {404, 5007});
    check_refused(f, "GET", "/nodes/99?by=id", none, {404, 5042});
    check_refused(f, "GET", "/networks/nope?by=id", none, {404, 5045});
    check_refused(f, "GET", "/netinterfaces/nope?by=id", none, {404, 5047});
  }
  SECTION("only by=id is understood, and only where objects have ids") {
    check_refused(f, "GET", "/groups/G3?by=name", none, {400, 87});
    check_refused(f, "GET", "/groups?by=id", none, {400, 87});
    check_refused(f, "GET", "/resourcetypes/Dummy?by=id", none, {400, 87});
    check_refused(f, "GET", "/netinterfaces?by=id", none, {400, 87});
  }
}
