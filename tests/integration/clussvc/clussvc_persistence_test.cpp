// A node restarted on its state directory: the configuration is all there, the groups that
// were online come back online, and a group the administrator took offline stays offline.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "clussvc_fixture.hpp"

using namespace wolfpack::itest;

namespace {

json private_props(clussvc_node& n, const std::string& r) {
  return n.get("/resources/" + r + "/private").at("properties");
}

std::size_t count_state_events(const std::vector<json>& events, const std::string& resource,
                               const std::string& state) {
  return count_events(events, resource_state_is(resource, state));
}

}  // namespace

TEST_CASE("a restarted node brings its persistent groups back online", "[clussvc][persistence]") {
  clussvc_fixture f;
  auto& n = f.node();
  const auto calls = f.file("calls.jsonl");
  const std::vector<std::string> priv = {"CallLog=" + calls.string(), "Pending=1",
                                         "OnlineDelayMs=50"};
  create_dummy_chain(n, "Web", {"W1", "W2"}, priv);  // online, stays online
  create_dummy_chain(n, "Db", {"D1"}, priv);         // online, then offline by the admin
  create_dummy_chain(n, "Idle", {"I1"}, priv);       // never online
  f.cli_ok({"res", "W1", "/prop", "RestartThreshold=4"});
  const auto description = f.cli({"res", "W1", "/prop", "Description=front end"});
  CHECK(description.exit_code == 0);
  f.cli_ok({"group", "Web", "/online", "/wait:20"});
  f.cli_ok({"group", "Db", "/online", "/wait:20"});
  f.cli_ok({"group", "Db", "/offline", "/wait:20"});
  REQUIRE(n.group_state("Web") == "Online");
  REQUIRE(n.group_state("Db") == "Offline");
  const auto before = n.get("/cluster");
  const auto groups_before = n.get("/groups");
  const auto resources_before = n.get("/resources");

  const auto st = n.stop();
  INFO("clussvc " << st.to_string());
  REQUIRE(st.success());
  CHECK(n.leftover_monitors().empty());
  const auto stopped_at = read_call_log(calls).size();

  n.start();
  CHECK(n.wait_group_state("Web", "Online", 15s));
  CHECK(n.resource_state("W1") == "Online");
  CHECK(n.resource_state("W2") == "Online");

  // Everything that was configured is still there.
  const auto after = n.get("/cluster");
  CHECK(after.at("name") == "itest");
  CHECK(after.at("db_seq").get<std::uint64_t>() >= before.at("db_seq").get<std::uint64_t>());
  // GET /groups and /resources answer {"groups": [...]} / {"resources": [...]}.
  auto names = [](const json& answer) {
    const json& list = answer.is_object() && answer.size() == 1 ? answer.begin().value() : answer;
    std::vector<std::string> v;
    for (const auto& o : list) {
      v.push_back(o.at("name").get<std::string>());
    }
    std::sort(v.begin(), v.end());
    return v;
  };
  CHECK(names(n.get("/groups")) == names(groups_before));
  CHECK(names(n.get("/resources")) == names(resources_before));
  CHECK(n.get("/resources/W2/dependencies").at("dependencies") == json::array({"W1"}));
  const auto w1 = n.get("/resources/W1/properties").at("properties");
  CHECK(w1.at("RestartThreshold").at("value") == 4);
  if (description.exit_code == 0) {
    CHECK(w1.at("Description").at("value") == "front end");
  }
  CHECK(private_props(n, "W1").at("OnlineDelayMs").at("value") == 50);
  CHECK(private_props(n, "D1").at("CallLog").at("value") == calls.string());

  // What was offline stays offline: no online was even attempted since the start.
  auto ev = n.events(0);
  ev.drain(500ms);
  INFO("events since the restart:\n" << ev.dump());
  CHECK(n.group_state("Db") == "Offline");
  CHECK(n.group_state("Idle") == "Offline");
  CHECK(n.resource_state("D1") == "Offline");
  CHECK(n.resource_state("I1") == "Offline");
  CHECK(count_state_events(ev.events(), "D1", "OnlinePending") == 0);
  CHECK(count_state_events(ev.events(), "I1", "OnlinePending") == 0);
  CHECK(n.get("/groups/Db/properties").at("properties").at("PersistentState").at("value") == 0);
  CHECK(n.get("/groups/Web/properties").at("properties").at("PersistentState").at("value") == 1);
  const auto lines = read_call_log(calls);
  const std::vector<json> restart(lines.begin() + static_cast<std::ptrdiff_t>(stopped_at),
                                  lines.end());
  CHECK(calls_of(restart, "Online") == std::vector<std::string>{"W1", "W2"});

  // Taken offline by the administrator now, Web stays offline across the next restart, and
  // Db, brought online, comes back.
  f.cli_ok({"group", "Web", "/offline", "/wait:20"});
  f.cli_ok({"group", "Db", "/online", "/wait:20"});
  REQUIRE(n.stop().success());
  n.start();
  CHECK(n.wait_group_state("Db", "Online", 15s));
  auto ev2 = n.events(0);
  ev2.drain(500ms);
  INFO("events since the second restart:\n" << ev2.dump());
  CHECK(n.group_state("Web") == "Offline");
  CHECK(count_state_events(ev2.events(), "W1", "OnlinePending") == 0);
  CHECK(count_state_events(ev2.events(), "W2", "OnlinePending") == 0);
}

TEST_CASE("a node killed outright comes back with its configuration and online groups",
          "[clussvc][persistence]") {
  clussvc_fixture f;
  auto& n = f.node();
  create_dummy_chain(n, "G", {"A", "B"});
  f.cli_ok({"group", "G", "/online", "/wait:20"});
  const auto seq = n.db_seq();
  n.kill();
  CHECK_FALSE(n.running());
  n.start();
  CHECK(n.db_seq() >= seq);
  CHECK(n.wait_group_state("G", "Online", 15s));
  CHECK(n.resource_state("A") == "Online");
  CHECK(n.resource_state("B") == "Online");
}
