// Requests the node must refuse: dependency cycles and other forbidden dependencies, unknown
// names, names in use, property values of the wrong type or out of range (common ones checked
// by the node, private ones by the Dummy plugin), operations in the wrong state, malformed
// bodies. Each answers the documented error (HTTP status, Win32 code and name; through the
// CLI the exit code and "System error N has occurred") and changes nothing: the database
// (db_seq, db_hash), the event seq and every object read back are as before.

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "clussvc_fixture.hpp"

using namespace wolfpack::itest;

namespace {

const std::vector<std::string> resources = {"A", "B", "C", "X"};
const std::vector<std::string> groups = {"G", "H"};

// Everything a refused request could have changed.
json snapshot(clussvc_node& n) {
  json s;
  const auto cluster = n.get("/cluster");
  s["db_seq"] = cluster.at("db_seq");
  s["db_hash"] = cluster.value("db_hash", json());
  s["event_seq"] = cluster.at("event_seq");
  s["groups"] = n.get("/groups");
  s["resources"] = n.get("/resources");
  s["types"] = n.get("/resourcetypes");
  for (const auto& r : resources) {
    s["r"][r]["properties"] = n.get("/resources/" + r + "/properties");
    s["r"][r]["private"] = n.get("/resources/" + r + "/private");
    s["r"][r]["dependencies"] = n.get("/resources/" + r + "/dependencies");
    s["r"][r]["owners"] = n.get("/resources/" + r + "/owners");
  }
  for (const auto& g : groups) {
    s["g"][g]["properties"] = n.get("/groups/" + g + "/properties");
    s["g"][g]["owners"] = n.get("/groups/" + g + "/owners");
  }
  return s;
}

// G: A <- B <- C (offline; A has OnlineDelayMs=100), H: X (online).
void set_up(clussvc_fixture& f) {
  auto& n = f.node();
  create_dummy_chain(n, "G", {"A", "B", "C"});
  create_dummy_chain(n, "H", {"X"});
  n.set_private("A", {"OnlineDelayMs=100"});
  f.cli_ok({"group", "H", "/online", "/wait:20"});
}

struct api_case {
  std::string method;
  std::string path;
  json body;
  int status;                    // 0: any 4xx
  std::set<unsigned> codes;      // the Win32 code (one of them where the docs leave a choice)
  std::string name;              // "" when several codes are allowed
  std::string message_has = {};  // a word the message must contain (the field named)
};

struct cli_case {
  std::vector<std::string> args;
  unsigned code;
};

}  // namespace

TEST_CASE("refused API requests answer the documented error and change nothing",
          "[clussvc][errors]") {
  clussvc_fixture f;
  auto& n = f.node();
  set_up(f);
  REQUIRE(n.resource_state("X") == "Online");

  const std::vector<api_case> cases = {
      // Dependencies.
      {"POST",
       "/resources/A/dependencies",
       {{"provider", "C"}},
       409,
       {5069},
       "ERROR_DEPENDENCY_NOT_ALLOWED"},
      {"POST",
       "/resources/A/dependencies",
       {{"provider", "A"}},
       409,
       {5069},
       "ERROR_DEPENDENCY_NOT_ALLOWED"},
      {"POST",
       "/resources/X/dependencies",
       {{"provider", "A"}},
       409,
       {5069},
       "ERROR_DEPENDENCY_NOT_ALLOWED"},
      {"POST",
       "/resources/B/dependencies",
       {{"provider", "A"}},
       409,
       {5003},
       "ERROR_DEPENDENCY_ALREADY_EXISTS"},
      {"POST",
       "/resources/B/dependencies",
       {{"provider", "a"}},
       409,
       {5003},
       "ERROR_DEPENDENCY_ALREADY_EXISTS"},
      {"POST",
       "/resources/A/dependencies",
       {{"provider", "Nope"}},
       404,
       {5007},
       "ERROR_RESOURCE_NOT_FOUND"},
      {"POST",
       "/resources/Nope/dependencies",
       {{"provider", "A"}},
       404,
       {5007},
       "ERROR_RESOURCE_NOT_FOUND"},
      {"DELETE", "/resources/A/dependencies/C", nullptr, 404, {5002}, "ERROR_DEPENDENCY_NOT_FOUND"},
      // Unknown names and names in use.
      {"GET", "/groups/Nope", nullptr, 404, {5013}, "ERROR_GROUP_NOT_FOUND"},
      {"POST", "/groups/Nope/online", nullptr, 404, {5013}, "ERROR_GROUP_NOT_FOUND"},
      {"GET", "/resources/Nope", nullptr, 404, {5007}, "ERROR_RESOURCE_NOT_FOUND"},
      {"POST", "/resources/Nope/online", nullptr, 404, {5007}, "ERROR_RESOURCE_NOT_FOUND"},
      {"POST",
       "/resources",
       {{"name", "N"}, {"group", "Nope"}, {"type", "Dummy"}},
       404,
       {5013},
       "ERROR_GROUP_NOT_FOUND"},
      {"POST",
       "/resources",
       {{"name", "N"}, {"group", "G"}, {"type", "NoSuchType"}},
       404,
       {5078},
       "ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND"},
      {"POST", "/groups", {{"name", "G"}}, 409, {5010}, "ERROR_OBJECT_ALREADY_EXISTS"},
      {"POST", "/groups", {{"name", "g"}}, 409, {5010}, "ERROR_OBJECT_ALREADY_EXISTS"},
      {"POST",
       "/resources",
       {{"name", "a"}, {"group", "G"}, {"type", "Dummy"}},
       409,
       {5010},
       "ERROR_OBJECT_ALREADY_EXISTS"},
      {"POST", "/groups/G/rename", {{"name", "H"}}, 409, {5010}, "ERROR_OBJECT_ALREADY_EXISTS"},
      {"POST", "/resources/A/rename", {{"name", "X"}}, 409, {5010}, "ERROR_OBJECT_ALREADY_EXISTS"},
      {"GET", "/nope", nullptr, 404, {1168}, "ERROR_NOT_FOUND"},
      {"DELETE", "/cluster", nullptr, 405, {1}, "ERROR_INVALID_FUNCTION"},
      {"POST", "/cluster/private", nullptr, 405, {1}, "ERROR_INVALID_FUNCTION"},
      {"POST", "/nodes/node1/private", nullptr, 405, {1}, "ERROR_INVALID_FUNCTION"},
      {"DELETE", "/groups/G/private", nullptr, 405, {1}, "ERROR_INVALID_FUNCTION"},
      {"PUT",
       "/groups/G/private",
       {{"properties", {{"", 1}}}},
       400,
       {87},
       "ERROR_INVALID_PARAMETER"},
      {"PUT",
       "/cluster/private",
       {{"properties", {{"Gone", nullptr}}}},
       404,
       {1168},
       "ERROR_NOT_FOUND"},
      // Common properties, checked by the node.
      {"PUT",
       "/resources/A/properties",
       {{"properties", {{"RestartThreshold", "abc"}}}},
       400,
       {5895},
       "ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH"},
      {"PUT",
       "/resources/A/properties",
       {{"properties", {{"RestartAction", 3}}}},
       400,
       {87},
       "ERROR_INVALID_PARAMETER"},
      {"PUT",
       "/resources/A/properties",
       {{"properties", {{"PendingTimeout", 5}}}},
       400,
       {87},
       "ERROR_INVALID_PARAMETER"},
      {"PUT",
       "/resources/A/properties",
       {{"properties", {{"RestartThreshold", 3}, {"RestartAction", 9}}}},
       400,
       {87},
       "ERROR_INVALID_PARAMETER"},
      {"PUT",
       "/resources/A/properties",
       {{"properties", {{"Frobnicate", 1}}}},
       400,
       {1608},
       "ERROR_UNKNOWN_PROPERTY"},
      {"PUT",
       "/resources/A/properties",
       {{"properties", {{"Name", "Z"}}}},
       403,
       {5},
       "ERROR_ACCESS_DENIED"},
      {"PUT",
       "/groups/G/properties",
       {{"properties", {{"FailoverPeriod", 5000}}}},
       400,
       {87},
       "ERROR_INVALID_PARAMETER"},
      {"PUT",
       "/groups/G/properties",
       {{"properties", {{"FailoverThreshold", "x"}}}},
       400,
       {5895},
       "ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH"},
      // Private properties, checked by the Dummy plugin.
      {"PUT",
       "/resources/A/private",
       {{"properties", {{"OnlineDelayMs", "abc"}}}},
       400,
       {5895},
       "ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH"},
      {"PUT",
       "/resources/A/private",
       {{"properties", {{"OnlineDelayMs", 4000000}}}},
       400,
       {87},
       "ERROR_INVALID_PARAMETER",
       "OnlineDelayMs"},
      {"PUT",
       "/resources/A/private",
       {{"properties", {{"OnlineError", 997}}}},
       400,
       {87},
       "ERROR_INVALID_PARAMETER"},
      {"PUT",
       "/resources/A/private",
       {{"properties", {{"Pending", 2}}}},
       400,
       {87},
       "ERROR_INVALID_PARAMETER"},
      {"PUT",
       "/resources/A/private",
       {{"properties", {{"HangIn", "Nowhere"}}}},
       400,
       {87},
       "ERROR_INVALID_PARAMETER"},
      {"PUT",
       "/resources/A/private",
       {{"properties", {{"Frob", 1}}}},
       400,
       {87},
       "ERROR_INVALID_PARAMETER"},
      {"PUT",
       "/resources/A/private",
       {{"properties", {{"OnlineDelayMs", 200}, {"Pending", 7}}}},
       400,
       {87},
       "ERROR_INVALID_PARAMETER"},
      // Operations in the wrong state.
      {"DELETE", "/resources/A", nullptr, 409, {5001}, "ERROR_DEPENDENT_RESOURCE_EXISTS"},
      {"DELETE", "/resources/X", nullptr, 409, {5019}, "ERROR_RESOURCE_ONLINE"},
      {"DELETE", "/groups/G", nullptr, 409, {145}, "ERROR_DIR_NOT_EMPTY"},
      {"POST", "/resources/A/fail", nullptr, 409, {5023}, "ERROR_INVALID_STATE"},
      {"POST", "/groups/G/move", nullptr, 0, {5005}, "ERROR_HOST_NODE_NOT_AVAILABLE"},
      {"POST", "/groups/G/move", {{"node", "node9"}}, 404, {5042}, "ERROR_CLUSTER_NODE_NOT_FOUND"},
      // Bodies: the field is named.
      {"POST", "/groups", {{"name", 5}}, 400, {87, 13}, "", "name"},
      {"POST", "/groups", {{"name", "Z"}, {"color", "red"}}, 400, {87, 13}, "", "color"},
      {"POST", "/resources", {{"name", "Z"}, {"type", "Dummy"}}, 400, {87, 13}, "", "group"},
      {"POST", "/resources/A/dependencies", json::object(), 400, {87, 13}, "", "provider"},
      {"PUT", "/resources/A/properties", {{"properties", 5}}, 400, {87, 13}, "", "properties"},
      {"PUT", "/resources/A/private", {{"props", json::object()}}, 400, {87, 13}, "", "props"},
  };

  for (const auto& c : cases) {
    const auto before = snapshot(n);
    const auto r = n.api(c.method, c.path, c.body);
    INFO(c.method << " " << c.path << " " << c.body.dump() << " -> " << r.status << " "
                  << r.body.dump());
    if (c.status == 0) {
      CHECK(r.status >= 400);
      CHECK(r.status < 500);
    } else {
      CHECK(r.status == c.status);
    }
    REQUIRE(r.body.is_object());
    REQUIRE(r.body.contains("error"));
    const auto& e = r.body.at("error");
    CHECK(c.codes.count(e.value("code", 0u)) == 1);
    if (!c.name.empty()) {
      CHECK(e.value("name", "") == c.name);
    }
    const std::string message = e.value("message", "");
    CHECK(!message.empty());
    if (!c.message_has.empty()) {
      CHECK(message.find(c.message_has) != std::string::npos);
    }
    const auto after = snapshot(n);
    CHECK(after == before);
  }
  CHECK(n.resource_state("X") == "Online");
}

TEST_CASE("refused CLI commands exit with the Win32 code, print it, and change nothing",
          "[clussvc][errors][cli]") {
  clussvc_fixture f;
  auto& n = f.node();
  set_up(f);

  const std::vector<cli_case> cases = {
      {{"res", "A", "/adddep:C"}, 5069},  // a cycle
      {{"res", "A", "/adddep:A"}, 5069},
      {{"res", "X", "/adddep:A"}, 5069},  // another group
      {{"res", "B", "/adddep:A"}, 5003},
      {{"res", "A", "/adddep:Nope"}, 5007},
      {{"res", "Nope", "/adddep:A"}, 5007},
      {{"res", "A", "/removedep:C"}, 5002},
      {{"res", "Nope"}, 5007},
      {{"group", "Nope"}, 5013},
      {{"group", "Nope", "/online"}, 5013},
      {{"res", "N", "/create", "/group:Nope", "/type:Dummy"}, 5013},
      {{"res", "N", "/create", "/group:G", "/type:NoSuchType"}, 5078},
      {{"group", "G", "/create"}, 5010},
      {{"res", "a", "/create", "/group:G", "/type:Dummy"}, 5010},
      {{"res", "A", "/rename:X"}, 5010},
      {{"res", "A", "/prop", "RestartThreshold=abc:string"}, 5895},
      {{"res", "A", "/prop", "RestartAction=3"}, 87},
      {{"res", "A", "/prop", "PendingTimeout=5"}, 87},
      {{"res", "A", "/prop", "RestartThreshold=3", "RestartAction=9"}, 87},
      {{"res", "A", "/prop", "Frobnicate=1"}, 1608},
      {{"res", "A", "/prop", "Name=Z:string"}, 5},
      {{"res", "A", "/priv", "OnlineDelayMs=abc:string"}, 5895},
      {{"res", "A", "/priv", "OnlineDelayMs=4000000"}, 87},
      {{"res", "A", "/priv", "OnlineError=997"}, 87},
      {{"res", "A", "/priv", "HangIn=Nowhere"}, 87},
      {{"res", "A", "/priv", "Frob=1"}, 87},
      {{"res", "A", "/priv", "OnlineDelayMs=200", "Pending=7"}, 87},
      {{"res", "A", "/delete"}, 5001},
      {{"res", "X", "/delete"}, 5019},
      {{"group", "G", "/delete"}, 145},
      {{"res", "A", "/fail"}, 5023},
      {{"group", "G", "/move"}, 5005},
      {{"group", "G", "/moveto:node9"}, 5042},
  };

  for (const auto& c : cases) {
    const auto before = snapshot(n);
    const auto r = n.cli(c.args);
    std::string cmd = "cluster";
    for (const auto& a : c.args) {
      cmd += " " + a;
    }
    INFO(cmd << ": " << r.describe());
    CHECK(r.exit_code == cli_exit_code(c.code));
    CHECK(r.err.find(system_error_line(c.code)) != std::string::npos);
    const auto after = snapshot(n);
    CHECK(after == before);
  }

  // /json: the API's error body on stderr.
  const auto r = n.cli({"res", "A", "/adddep:C", "/json"});
  INFO(r.describe());
  CHECK(r.exit_code == 255);
  const auto body = json::parse(r.err, nullptr, false);
  REQUIRE(body.is_object());
  CHECK(body.at("error").at("code") == 5069);
  CHECK(body.at("error").at("name") == "ERROR_DEPENDENCY_NOT_ALLOWED");
}
