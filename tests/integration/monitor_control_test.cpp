// Control codes through a real resrcmon: the Dummy's private properties (get, validate, set),
// the type's property formats, and the monitor's default processing of codes a plugin
// declines.

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <wolfpack/clusapi.h>
#include <wolfpack/winerror.h>
#include <nlohmann/json.hpp>

#include "integration_support.hpp"
#include "monitor_fixture.hpp"
#include "property_list_codec.hpp"

using namespace wolfpack::testing;
using nlohmann::json;

namespace {

constexpr std::uint32_t unknown_resource_code =
    CLUSCTL_RESOURCE_CODE(CLCTL_EXTERNAL_CODE(4000, CLUS_ACCESS_READ, CLUS_NO_MODIFY));
constexpr std::uint32_t unknown_type_code =
    CLUSCTL_RESOURCE_TYPE_CODE(CLCTL_EXTERNAL_CODE(4000, CLUS_ACCESS_READ, CLUS_NO_MODIFY));

// Asks once with no buffer (ERROR_MORE_DATA and the size needed), then with that size.
std::vector<parsed_property> get_list(monitor_fixture& m,
                                      const std::function<json(std::uint32_t)>& call) {
  auto sizing = call(0);
  INFO(sizing.dump());
  REQUIRE(sizing.value("status", 0) == ERROR_MORE_DATA);
  const std::uint32_t needed = sizing.value("bytes_returned", 0u);
  REQUIRE(needed > 4);
  auto full = call(needed);
  INFO(full.dump());
  REQUIRE_M(m, full.value("ok", false));
  CHECK(full.value("bytes_returned", 0u) == needed);
  auto list = parse_property_list(from_hex(full.value("out", "")));
  REQUIRE(list);
  return *list;
}

}  // namespace

TEST_CASE("private properties of a Dummy through ResourceControl", "[monitor][control]") {
  monitor_fixture m;
  m.load_dummy();
  open_resource(m, "ctl", {{"OnlineDelayMs", 1234}, {"FailFile", "/tmp/never-there"}}, timing());

  SECTION("GET_PRIVATE_PROPERTIES lists every property with its stored value or default") {
    auto list = get_list(m, [&](std::uint32_t size) {
      return m.resource_control("ctl", CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES, {}, size);
    });
    const auto* delay = find_property(list, "OnlineDelayMs");
    REQUIRE(delay);
    REQUIRE_FALSE(delay->values.empty());
    CHECK(delay->values[0].syntax == CLUSPROP_SYNTAX_LIST_VALUE_DWORD);
    CHECK(delay->values[0].as_dword() == 1234u);
    const auto* fail_file = find_property(list, "FailFile");
    REQUIRE(fail_file);
    REQUIRE_FALSE(fail_file->values.empty());
    CHECK(fail_file->values[0].syntax == CLUSPROP_SYNTAX_LIST_VALUE_SZ);
    CHECK(fail_file->values[0].as_string() == std::string("/tmp/never-there"));
    const auto* pending = find_property(list, "Pending");
    REQUIRE(pending);
    CHECK(pending->values.at(0).as_dword() == 0u);  // not stored: the default
    CHECK(list.size() == 10);
  }

  SECTION("VALIDATE_PRIVATE_PROPERTIES refuses an out-of-range value and names it") {
    const auto in = property_list_builder().dword("OnlineDelayMs", 4'000'000).bytes();
    auto r = m.resource_control("ctl", CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES, in);
    INFO(r.dump());
    CHECK_FALSE(r.value("ok", true));
    CHECK(r.value("exec", "") == "completed");
    CHECK(r.value("status", 0) == ERROR_INVALID_PARAMETER);
    REQUIRE(r.contains("messages"));
    REQUIRE(r["messages"].is_array());
    bool named = false;
    for (const auto& msg : r["messages"])
      named = named || msg.get<std::string>().find("OnlineDelayMs") != std::string::npos;
    CHECK(named);
    // Nothing was stored and no registry write went to the parent.
    CHECK_M(m, !find_event(m.events(), "registry", "ctl"));

    // A valid list passes.
    const auto good = property_list_builder().dword("OnlineDelayMs", 10).sz("HangIn", "").bytes();
    auto ok = m.resource_control("ctl", CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES, good);
    INFO(ok.dump());
    CHECK(ok.value("ok", false));
  }

  SECTION("SET_PRIVATE_PROPERTIES writes the Parameters key through the parent") {
    const auto in = property_list_builder().dword("OnlineDelayMs", 250).bytes();
    auto r = m.resource_control("ctl", CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES, in);
    INFO(r.dump());
    REQUIRE_M(m, r.value("ok", false));
    auto reg = m.wait_for(is_event("registry", "ctl"));
    REQUIRE_M(m, reg);
    CHECK(reg->value("key", "") == "Parameters");
    CHECK(reg->value("name", "") == "OnlineDelayMs");
    REQUIRE(reg->contains("value"));
    const json& value = (*reg)["value"];
    CHECK(((value.is_object() && value.value("type", "") == "DWORD" &&
            value.value("value", 0) == 250) ||
           (value.is_number() && value.get<int>() == 250)));

    // And the plugin reads back what it wrote.
    auto list = get_list(m, [&](std::uint32_t size) {
      return m.resource_control("ctl", CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES, {}, size);
    });
    const auto* delay = find_property(list, "OnlineDelayMs");
    REQUIRE(delay);
    CHECK(delay->values.at(0).as_dword() == 250u);
  }

  SECTION("an unknown code is declined by the Dummy and by the monitor's default") {
    auto r = m.resource_control("ctl", unknown_resource_code, {}, 64);
    INFO(r.dump());
    CHECK_FALSE(r.value("ok", true));
    CHECK(r.value("exec", "") == "completed");
    CHECK(r.value("status", 0) == ERROR_INVALID_FUNCTION);
    CHECK(r.value("out", "x") == "");
  }
}

TEST_CASE("property formats of the Dummy type through ResourceTypeControl", "[monitor][control]") {
  monitor_fixture m;
  m.load_dummy();
  auto list = get_list(m, [&](std::uint32_t size) {
    return m.type_control("Dummy", CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS, {},
                          size);
  });
  CHECK(list.size() == 10);
  auto format_of = [&](const std::string& name) -> std::optional<std::uint16_t> {
    const auto* p = find_property(list, name);
    if (p == nullptr || p->values.empty() ||
        p->values[0].syntax != CLUSPROP_SYNTAX_LIST_VALUE_WORD) {
      return std::nullopt;
    }
    return p->values[0].as_word();
  };
  CHECK(format_of("OnlineDelayMs") == std::uint16_t{CLUSPROP_FORMAT_DWORD});
  CHECK(format_of("Pending") == std::uint16_t{CLUSPROP_FORMAT_DWORD});
  CHECK(format_of("FailFile") == std::uint16_t{CLUSPROP_FORMAT_SZ});
  CHECK(format_of("CallLog") == std::uint16_t{CLUSPROP_FORMAT_SZ});

  auto unknown = m.type_control("Dummy", unknown_type_code, {}, 64);
  INFO(unknown.dump());
  CHECK(unknown.value("exec", "") == "completed");
  CHECK(unknown.value("status", 0) == ERROR_INVALID_FUNCTION);

  auto no_type = m.type_control("NoSuchType",
                                CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS, {}, 64);
  INFO(no_type.dump());
  CHECK_FALSE(no_type.value("ok", true));
  CHECK(no_type.value("status", 0) == ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND);
}

TEST_CASE("the monitor's default processing serves a plugin without ResourceControl",
          "[monitor][control][c]") {
  monitor_fixture m;
  auto loaded = m.request({{"type", "load_type"},
                           {"resource_type", "CMinimal"},
                           {"plugin", test_plugin_path("c_minimal").string()}});
  REQUIRE_M(m, loaded.value("ok", false));
  // CMinimal's table has no ResourceControl: private properties are the Parameters key,
  // served by the monitor as an untyped bag.
  open_resource(m, "bag", {{"Color", "blue"}, {"Size", 7}}, timing(), "CMinimal");
  auto list = get_list(m, [&](std::uint32_t size) {
    return m.resource_control("bag", CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES, {}, size);
  });
  const auto* color = find_property(list, "Color");
  REQUIRE(color);
  CHECK(color->values.at(0).as_string() == std::string("blue"));
  const auto* size = find_property(list, "Size");
  REQUIRE(size);
  CHECK(size->values.at(0).as_dword() == 7u);

  // ENUM_PRIVATE_PROPERTIES is a MULTI_SZ of the names (each terminated, then a final
  // terminator), not a property list.
  auto names = m.resource_control("bag", CLUSCTL_RESOURCE_ENUM_PRIVATE_PROPERTIES, {}, 256);
  INFO(names.dump());
  REQUIRE(names.value("status", 1) == ERROR_SUCCESS);
  const auto bytes = from_hex(names.value("out", ""));
  std::wstring multi(bytes.size() / sizeof(WCHAR), L'\0');
  std::memcpy(multi.data(), bytes.data(), multi.size() * sizeof(WCHAR));
  CHECK(multi == std::wstring(L"Color\0Size\0\0", 12));

  auto unknown = m.resource_control("bag", unknown_resource_code, {}, 64);
  INFO(unknown.dump());
  CHECK(unknown.value("exec", "") == "completed");
  CHECK(unknown.value("status", 0) == ERROR_INVALID_FUNCTION);
}
