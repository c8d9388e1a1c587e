// POST /resources/R/control and /resourcetypes/T/control carry a client's control code to a
// monitor (ClusterResourceControl, ClusterResourceTypeControl), and "validate_only" turns a
// property PUT into VALIDATE_*_PROPERTIES (docs/api.md).
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/sim/fake_node.hpp"

using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

TEST_CASE("a resource control code reaches the plugin and its answer comes back",
          "[node_core][control]") {
  fake_node f;
  f.start();
  create_group(f, "G");
  create_resource(f, "A", "G");
  nlohmann::json sent;
  f.set_control_hook([&](const std::string&, std::uint32_t code, const nlohmann::json& command) {
    sent = command;
    if (code == CLUSCTL_RESOURCE_GET_CLASS_INFO) {
      return std::optional<nlohmann::json>{
          {{"ok", false}, {"exec", "completed"}, {"status", 234}, {"bytes_returned", 8}}};
    }
    return std::optional<nlohmann::json>{{{"ok", true},
                                          {"exec", "completed"},
                                          {"status", 0},
                                          {"bytes_returned", 4},
                                          {"out", "00000000"}}};
  });

  auto r = f.api("POST", "/resources/A/control",
                 {{"code", CLUSCTL_RESOURCE_GET_CHARACTERISTICS}, {"in", "0102"}, {"out_size", 4}});
  INFO(r.body.dump());
  CHECK(r.status == 200);
  CHECK(r.body == nlohmann::json{{"status", 0}, {"bytes_returned", 4}, {"out", "00000000"}});
  CHECK(sent["code"] == CLUSCTL_RESOURCE_GET_CHARACTERISTICS);
  CHECK(sent["in"] == "0102");
  CHECK(sent["out_size"] == 4);

  // The plugin's own status, ERROR_MORE_DATA with the size it needs, is the answer, not an
  // API error.
  r = f.api("POST", "/resources/A/control", {{"code", CLUSCTL_RESOURCE_GET_CLASS_INFO}});
  CHECK(r.status == 200);
  CHECK(r.body["status"] == 234);
  CHECK(r.body["bytes_returned"] == 8);
}

TEST_CASE("what a client may not send through /control", "[node_core][control]") {
  fake_node f;
  f.start();
  create_group(f, "G");
  create_resource(f, "A", "G");
  const auto check_refused = [&](const std::string& path, std::uint32_t code) {
    auto r = f.api("POST", path, {{"code", code}});
    INFO(path << " " << code << " " << r.body.dump());
    CHECK(r.status == 405);
    CHECK(r.error_code() == 1);  // ERROR_INVALID_FUNCTION
  };
  check_refused("/resources/A/control", CLUSCTL_GROUP_GET_NAME);   // another object's code
  check_refused("/resources/A/control", CLUSCTL_RESOURCE_DELETE);  // an internal notification
  check_refused("/resources/A/control", CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES);
  check_refused("/resources/A/control", CLUSCTL_RESOURCE_SET_COMMON_PROPERTIES);
  check_refused("/resourcetypes/Dummy/control", CLUSCTL_RESOURCE_GET_NAME);
  check_refused("/resourcetypes/Dummy/control", CLUSCTL_RESOURCE_TYPE_VALIDATE_COMMON_PROPERTIES);
  CHECK(f.commands_of("resource_control").empty());

  auto r = f.api("POST", "/resources/A/control",
                 {{"code", CLUSCTL_RESOURCE_GET_FLAGS}, {"out_size", 2 << 20}});
  CHECK(r.error_code() == 87);
  r = f.api("POST", "/resources/A/control", {{"code", -1}});
  CHECK(r.error_code() == 87);
  r = f.api("POST", "/resources/A/control", nlohmann::json::object());
  CHECK(r.error_code() == 87);
  r = f.api("GET", "/resources/A/control");
  CHECK(r.error_code() == 1);
  r = f.api("POST", "/resources/Nope/control", {{"code", CLUSCTL_RESOURCE_GET_FLAGS}});
  CHECK(r.error_code() == 5007);  // ERROR_RESOURCE_NOT_FOUND
}

TEST_CASE("a resource control waits for the Open, a monitor that cannot open it is 5006",
          "[node_core][control]") {
  fake_node f;
  f.start();
  create_group(f, "G");
  f.set_auto_ready(false);
  f.kill_monitor("default", "crashed");
  create_resource(f, "A", "G");
  const auto id = f.api_async("POST", "/resources/A/control",
                              {{"code", CLUSCTL_RESOURCE_GET_CHARACTERISTICS}, {"out_size", 4}});
  f.run_until_idle();
  CHECK(!f.response(id));
  f.kill_monitor("default", "crashed again");
  REQUIRE(f.response(id));
  CHECK(f.response(id)->error_code() == 5006);  // ERROR_RESOURCE_NOT_AVAILABLE
}

TEST_CASE("a resource type control loads the type's plugin in the default monitor",
          "[node_core][control]") {
  fake_node f;
  f.start();
  f.set_type_control_out("Dummy", CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO, "0000000000000000");
  auto r = f.api("POST", "/resourcetypes/Dummy/control",
                 {{"code", CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO}, {"out_size", 8}});
  INFO(r.body.dump());
  CHECK(r.status == 200);
  CHECK(r.body["status"] == 0);
  CHECK(r.body["out"] == "0000000000000000");
  CHECK(!f.commands_of("load_type").empty());
  r = f.api("POST", "/resourcetypes/Nope/control",
            {{"code", CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO}});
  CHECK(r.error_code() == 5078);  // ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND
}

TEST_CASE("validate_only checks a property write and stores nothing", "[node_core][control]") {
  fake_node f;
  f.start();
  create_group(f, "G");
  create_resource(f, "A", "G");
  const auto seq = f.core().database_seq();

  auto r = f.api("PUT", "/resources/A/properties",
                 {{"properties", {{"RestartThreshold", 9}}}, {"validate_only", true}});
  CHECK(r.status == 200);
  r = f.api("PUT", "/resources/A/properties",
            {{"properties", {{"RestartAction", 9}}}, {"validate_only", true}});
  CHECK(r.error_code() == 87);
  r = f.api("PUT", "/groups/G/properties",
            {{"properties", {{"FailoverThreshold", 4}}}, {"validate_only", true}});
  CHECK(r.status == 200);
  CHECK(f.core().database_seq() == seq);
  CHECK(f.api("GET", "/groups/G/properties").body["properties"]["FailoverThreshold"]["value"] != 4);

  // Private properties: the plugin validates, and SET is never sent.
  r = f.api("PUT", "/resources/A/private",
            {{"properties", {{"Pending", 1}}}, {"validate_only", true}});
  CHECK(r.status == 200);
  std::vector<std::uint32_t> codes;
  for (const auto& c : f.commands_of("resource_control", "A"))
    codes.push_back(c.command["code"].get<std::uint32_t>());
  CHECK(codes == std::vector<std::uint32_t>{CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES});
  CHECK(f.core().database_seq() == seq);
  CHECK(f.api("GET", "/resources/A/private").body["properties"].empty());
  r = f.api("PUT", "/resources/A/private",
            {{"properties", {{"Pending", 1}}}, {"validate_only", "yes"}});
  CHECK(r.error_code() == 87);
}

TEST_CASE("a control answered with a frame the core cannot read fails, and its monitor restarts",
          "[node_core][control][monitor]") {
  // The callback of the command would have thrown reading the answer, after the command was
  // taken off the waiting list: the client was never answered. Now the answer is checked
  // first, the monitor is restarted, and the command fails with it.
  fake_node_options o;
  o.unreadable_is_error = false;
  fake_node f(o);
  f.start();
  create_group(f, "G");
  create_resource(f, "A", "G");
  bool broken = true;
  f.set_control_hook([&](const std::string&, std::uint32_t, const nlohmann::json&) {
    if (broken)
      return std::optional<nlohmann::json>{{{"ok", true}, {"exec", "completed"}, {"status", "x"}}};
    return std::optional<nlohmann::json>{
        {{"ok", true}, {"exec", "completed"}, {"status", 0}, {"bytes_returned", 0}}};
  });
  auto r = f.api("POST", "/resources/A/control",
                 {{"code", CLUSCTL_RESOURCE_GET_CHARACTERISTICS}, {"out_size", 4}});
  INFO(r.body.dump());
  CHECK(r.status / 100 != 2);
  CHECK(r.body.dump().find("restarted") != std::string::npos);
  CHECK(f.restarted_monitors() == std::vector<std::string>{"default"});
  CHECK(f.logged("member 'status' must be a count (an integer of 0 or more), not a string"));
  // The new monitor answers.
  broken = false;
  r = f.api("POST", "/resources/A/control",
            {{"code", CLUSCTL_RESOURCE_GET_CHARACTERISTICS}, {"out_size", 4}});
  CHECK(r.status == 200);
}
