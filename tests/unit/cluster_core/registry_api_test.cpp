// The cluster registry's view of the database (docs/api.md "Cluster registry"): reads of
// any key, writes as global updates, and registry_policy's refusals, which change nothing.
#include <string>

#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wolfpack/sim/fake_node.hpp"

using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

nlohmann::json value_of(const nlohmann::json& key_view, const std::string& name) {
  for (const auto& v : key_view["values"]) {
    if (v["name"] == name)
      return {{"type", v["type"]}, {"value", v["value"]}};
  }
  return nullptr;
}

void check_refused(fake_node& f, const std::string& method, const std::string& path,
                   const nlohmann::json& body, int status, std::uint32_t code,
                   const std::string& words) {
  const auto seq = f.core().database_seq();
  const auto events = f.events().size();
  auto r = f.api(method, path, body);
  INFO(method << " " << path << " " << body.dump() << " -> " << r.status << " " << r.body.dump());
  CHECK(r.status == status);
  CHECK(r.error_code() == code);
  CHECK_THAT(r.body["error"]["message"].get<std::string>(), Catch::Contains(words));
  CHECK(f.core().database_seq() == seq);
  CHECK(f.events().size() == events);
}

nlohmann::json put_value(const std::string& key, const std::string& name,
                         const nlohmann::json& value) {
  return {{"key", key}, {"name", name}, {"value", value}};
}

}  // namespace

TEST_CASE("the registry reads every key of the database in the MSCS hive layout",
          "[node_core][api][registry]") {
  fake_node f;
  make_chain(f);
  const auto a = resource_id(f, "A");

  auto root = f.api("GET", "/registry");
  REQUIRE(root.status == 200);
  CHECK(root.body["key"] == "");
  for (const char* container : {"Groups", "Resources", "ResourceTypes", "Nodes"}) {
    INFO(container);
    CHECK(std::find(root.body["subkeys"].begin(), root.body["subkeys"].end(), container) !=
          root.body["subkeys"].end());
  }

  auto key = f.api("GET", "/registry?key=Resources\\" + a);
  REQUIRE(key.status == 200);
  CHECK(value_of(key.body, "Name") == nlohmann::json{{"type", "SZ"}, {"value", "A"}});
  CHECK(value_of(key.body, "Type") == nlohmann::json{{"type", "SZ"}, {"value", "Dummy"}});
  // Names ignore case, as in the registry.
  CHECK(f.api("GET", "/registry?key=resources\\" + a).status == 200);

  auto groups = f.api("GET", "/registry?key=Groups");
  REQUIRE(groups.status == 200);
  CHECK(groups.body["subkeys"] == nlohmann::json::array({group_id(f, "G")}));

  check_refused(f, "GET", "/registry?key=Nope\\Key", {}, 404, 2, "does not exist");
  check_refused(f, "GET", "/registry?key=A\\\\B", {}, 400, 161, "empty component");
}

TEST_CASE("an application's own keys and values are written as global updates",
          "[node_core][api][registry]") {
  fake_node f;
  make_chain(f);
  f.clear_events();

  auto made = f.api("POST", "/registry/keys", {{"key", "MyApp\\Settings"}});
  REQUIRE(made.status == 201);
  CHECK(made.body["created"] == true);
  CHECK(f.events_of("REGISTRY_NAME", "MyApp\\Settings").size() == 1);
  auto again = f.api("POST", "/registry/keys", {{"key", "myapp\\settings"}});
  CHECK(again.status == 200);
  CHECK(again.body["created"] == false);

  const auto seq = f.core().database_seq();
  auto set = f.api("PUT", "/registry/values",
                   put_value("MyApp\\Settings", "Level", {{"type", "DWORD"}, {"value", 3}}));
  REQUIRE(set.status == 200);
  CHECK(f.core().database_seq() == seq + 1);
  auto events = f.events_of("REGISTRY_VALUE", "MyApp\\Settings");
  REQUIRE(events.size() == 1);
  CHECK(events[0]["filter"] == 0x40);
  CHECK(events[0]["value"] == "Level");
  auto read = f.api("GET", "/registry?key=MyApp\\Settings");
  CHECK(value_of(read.body, "Level") == nlohmann::json{{"type", "DWORD"}, {"value", 3}});

  // The same value again is no update.
  CHECK(f.api("PUT", "/registry/values",
              put_value("MyApp\\Settings", "Level", {{"type", "DWORD"}, {"value", 3}}))
            .status == 200);
  CHECK(f.core().database_seq() == seq + 1);

  // A key with subkeys stays, as with RegDeleteKey.
  check_refused(f, "DELETE", "/registry/keys?key=MyApp", {}, 403, 5, "has subkeys");

  CHECK(f.api("DELETE", "/registry/values?key=MyApp\\Settings&name=level").status == 200);
  check_refused(f, "DELETE", "/registry/values?key=MyApp\\Settings&name=Level", {}, 404, 2,
                "has no value 'Level'");
  CHECK(f.api("DELETE", "/registry/keys?key=MyApp\\Settings").status == 200);
  CHECK(f.api("DELETE", "/registry/keys?key=MyApp").status == 200);
  check_refused(f, "GET", "/registry?key=MyApp", {}, 404, 2, "does not exist");
  check_refused(f, "PUT", "/registry/values",
                put_value("MyApp", "Level", {{"type", "DWORD"}, {"value", 1}}), 404, 1018,
                "has been deleted");
}

TEST_CASE("registry writes to what the cluster service keeps are refused and change nothing",
          "[node_core][api][registry]") {
  fake_node f;
  make_chain(f);
  const auto a = "Resources\\" + resource_id(f, "A");
  const auto g = "Groups\\" + group_id(f, "G");
  const nlohmann::json sz{{"type", "SZ"}, {"value", "x"}};

  check_refused(f, "PUT", "/registry/values", put_value(a, "Type", sz), 403, 5,
                "kept by the cluster service");
  check_refused(f, "PUT", "/registry/values", put_value(a, "name", sz), 403, 5,
                "kept by the cluster service");
  check_refused(f, "PUT", "/registry/values",
                put_value(g, "Contains", {{"type", "MULTI_SZ"}, {"value", {"x"}}}), 403, 5,
                "kept by the cluster service");
  check_refused(f, "DELETE", "/registry/values?key=" + a + "&name=DependsOn", {}, 403, 5,
                "kept by the cluster service");
  check_refused(f, "PUT", "/registry/values", put_value("", "ClusterName", sz), 403, 5,
                "kept by the cluster service");
  check_refused(f, "POST", "/registry/keys", {{"key", "Resources\\new-id"}}, 403, 5,
                "through the cluster API");
  check_refused(f, "POST", "/registry/keys", {{"key", "Groups\\new-id\\Sub"}}, 403, 5,
                "through the cluster API");
  check_refused(f, "DELETE", "/registry/keys?key=" + a, {}, 403, 5, "through the cluster API");
  check_refused(f, "DELETE", "/registry/keys?key=Resources", {}, 403, 5, "cannot be deleted");
  check_refused(f, "PUT", "/registry/values", put_value("Resources", "X", sz), 403, 5,
                "not values of its own");

  // A common property written as a value: the property write's checks.
  check_refused(f, "PUT", "/registry/values",
                put_value(a, "RestartAction", {{"type", "DWORD"}, {"value", 7}}), 400, 87,
                "RestartAction");
  check_refused(f, "PUT", "/registry/values", put_value(a, "RestartThreshold", sz), 400, 5895,
                "RestartThreshold");
  // Bad input.
  check_refused(f, "PUT", "/registry/values",
                put_value("MyApp", "V", {{"type", "WORD"}, {"value", 1}}), 400, 87, "WORD");
  check_refused(f, "PUT", "/registry/values", {{"key", "MyApp"}, {"name", "V"}}, 400, 87, "value");
  check_refused(f, "POST", "/registry/keys", {{"key", "A\\\\B"}}, 400, 161, "empty component");
  check_refused(f, "DELETE", "/registry/values?key=" + a, {}, 400, 87, "'name'");
}

TEST_CASE("common and private properties written through the registry reach the objects",
          "[node_core][api][registry]") {
  fake_node f;
  make_chain(f);
  const auto a = "Resources\\" + resource_id(f, "A");

  auto set = f.api("PUT", "/registry/values",
                   put_value(a, "restartthreshold", {{"type", "DWORD"}, {"value", 7}}));
  REQUIRE(set.status == 200);
  CHECK(set.body["name"] == "RestartThreshold");  // as the property tables spell it
  auto props = f.api("GET", "/resources/A/properties");
  CHECK(props.body["properties"]["RestartThreshold"]["value"] == 7);

  auto priv = f.api("PUT", "/registry/values",
                    put_value(a + "\\Parameters", "Custom", {{"type", "SZ"}, {"value", "v"}}));
  REQUIRE(priv.status == 200);
  auto privs = f.api("GET", "/resources/A/private");
  CHECK(privs.body["properties"]["Custom"]["value"] == "v");
}
