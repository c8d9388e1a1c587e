// Private properties go through the resource's plugin: VALIDATE_PRIVATE_PROPERTIES, then
// SET_PRIVATE_PROPERTIES, then the database (docs/api.md).
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/sim/fake_node.hpp"

using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

// The control codes as MSCS numbers them (clusapi.h): resource object (1 << 24), function 34
// (validate, read access) and 33 (set, write access, modifies).
constexpr std::uint32_t validate_code = CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES;
constexpr std::uint32_t set_code = CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES;
static_assert(validate_code == 0x01000089);
static_assert(set_code == 0x01400086);

std::vector<std::uint32_t> control_codes(const fake_node& f, const std::string& resource) {
  std::vector<std::uint32_t> codes;
  for (const auto& c : f.commands_of("resource_control", resource))
    codes.push_back(c.command["code"].get<std::uint32_t>());
  return codes;
}

}  // namespace

TEST_CASE("private properties are validated and set by the plugin before they are stored",
          "[node_core][private]") {
  fake_node f;
  f.start();
  create_group(f, "G");
  create_resource(f, "A", "G");
  std::vector<nlohmann::json> seen;
  f.set_control_hook([&](const std::string&, std::uint32_t, const nlohmann::json& command) {
    seen.push_back(command);
    return std::optional<nlohmann::json>{};
  });

  const auto seq = f.core().database_seq();
  auto r =
      f.api("PUT", "/resources/A/private", {{"properties", {{"Pending", 1}, {"Label", "hello"}}}});
  INFO(r.body.dump());
  CHECK(r.status == 200);
  CHECK(control_codes(f, "A") == std::vector<std::uint32_t>{validate_code, set_code});
  REQUIRE(seen.size() == 2);
  // Both carry the same property list (hex), which holds the values.
  CHECK(seen[0]["in"] == seen[1]["in"]);
  CHECK(!seen[0]["in"].get<std::string>().empty());
  CHECK(seen[0]["resource"] == "A");

  CHECK(r.body["properties"]["Pending"] == nlohmann::json({{"type", "DWORD"}, {"value", 1}}));
  CHECK(r.body["properties"]["Label"] == nlohmann::json({{"type", "SZ"}, {"value", "hello"}}));
  CHECK(f.core().database_seq() == seq + 1);
  auto stored = f.api("GET", "/resources/A/private");
  CHECK(stored.body["properties"]["Pending"]["value"] == 1);
  CHECK(f.events_of("RESOURCE_PROPERTY", "A").size() == 1);
}

TEST_CASE("a plugin that refuses private properties: 400 with its message, nothing stored",
          "[node_core][private]") {
  fake_node f;
  f.start();
  create_group(f, "G");
  create_resource(f, "A", "G");
  f.set_control_hook([](const std::string&, std::uint32_t code, const nlohmann::json&) {
    if (code != validate_code)
      return std::optional<nlohmann::json>{};
    return std::optional<nlohmann::json>{nlohmann::json{{"ok", false},
                                                        {"exec", "completed"},
                                                        {"status", 87},
                                                        {"messages", {"Pending must be 0 or 1"}}}};
  });
  const auto seq = f.core().database_seq();
  const auto events = f.events().size();
  auto r = f.api("PUT", "/resources/A/private", {{"properties", {{"Pending", 7}}}});
  INFO(r.body.dump());
  CHECK(r.status == 400);
  CHECK(r.error_code() == 87);
  CHECK(r.body["error"]["message"].get<std::string>().find("Pending must be 0 or 1") !=
        std::string::npos);
  // SET is never sent, nothing is stored.
  CHECK(control_codes(f, "A") == std::vector<std::uint32_t>{validate_code});
  CHECK(f.core().database_seq() == seq);
  CHECK(f.events().size() == events);
  CHECK(f.api("GET", "/resources/A/private").body["properties"].empty());
}

TEST_CASE("a private property write waits for the resource's Open", "[node_core][private]") {
  fake_node f;
  f.start();
  create_group(f, "G");
  f.set_auto_ready(false);  // the runtime has not restarted it yet
  f.kill_monitor("default", "crashed");
  create_resource(f, "A", "G");
  const auto seq = f.core().database_seq();
  const auto id = f.api_async("PUT", "/resources/A/private", {{"properties", {{"Pending", 1}}}});
  f.run_until_idle();
  CHECK(!f.response(id));
  CHECK(f.commands_of("resource_control").empty());

  SECTION("the monitor comes back: the write goes through") {
    f.ready_monitor("default");
    REQUIRE(f.response(id));
    CHECK(f.response(id)->status == 200);
    CHECK(f.api("GET", "/resources/A/private").body["properties"]["Pending"]["value"] == 1);
  }
  SECTION("the monitor dies again before the Open: 5006, nothing stored") {
    f.kill_monitor("default", "crashed again");
    REQUIRE(f.response(id));
    CHECK(f.response(id)->status == 409);
    CHECK(f.response(id)->error_code() == 5006);  // ERROR_RESOURCE_NOT_AVAILABLE
    CHECK(f.core().database_seq() == seq);
  }
}

TEST_CASE("the monitor dying during a private property write answers the request",
          "[node_core][private]") {
  fake_node f;
  f.start();
  create_group(f, "G");
  create_resource(f, "A", "G");
  f.hold_monitor("default");
  const auto seq = f.core().database_seq();
  const auto id = f.api_async("PUT", "/resources/A/private", {{"properties", {{"Pending", 1}}}});
  f.run_until_idle();
  CHECK(!f.response(id));
  f.kill_monitor("default", "crashed");
  REQUIRE(f.response(id));
  CHECK(f.response(id)->status >= 400);
  CHECK(f.response(id)->error_code() == 1726);  // RPC_S_CALL_FAILED
  CHECK(f.core().database_seq() == seq);
}
