#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "wolfpack/cluster_cli/command_line.hpp"
#include "wolfpack/cluster_cli/property_value.hpp"

using namespace wolfpack::cluster_cli;
using nlohmann::json;

namespace {

json typed(const std::string& setting, std::optional<std::string_view> current = std::nullopt) {
  auto s = parse_property_setting(setting);
  REQUIRE(s.ok());
  auto v = to_typed_value(*s, current);
  INFO(setting);
  if (!v)
    FAIL(v.error());
  return *v;
}

std::string error_of(const std::string& setting,
                     std::optional<std::string_view> current = std::nullopt) {
  auto s = parse_property_setting(setting);
  REQUIRE(s.ok());
  auto v = to_typed_value(*s, current);
  REQUIRE_FALSE(v.ok());
  return v.error();
}

}  // namespace

TEST_CASE("explicit formats give their types", "[cluster_cli][property_value]") {
  CHECK(typed("A=0:dword") == json::parse(R"({"type":"DWORD","value":0})"));
  CHECK(typed("A=4294967295:dword") == json::parse(R"({"type":"DWORD","value":4294967295})"));
  CHECK(typed("A=0xFFFFFFFF:dword") == json::parse(R"({"type":"DWORD","value":4294967295})"));
  CHECK(typed("A=-2147483648:dword") == json::parse(R"({"type":"DWORD","value":2147483648})"));
  CHECK(typed("A=18446744073709551615:ularge") ==
        json::parse(R"({"type":"QWORD","value":18446744073709551615})"));
  CHECK(typed("A=x,y:string") == json::parse(R"({"type":"SZ","value":"x,y"})"));
  CHECK(typed("A=:string") == json::parse(R"({"type":"SZ","value":""})"));
  CHECK(typed("A=^%windir^%:expandstr") ==
        json::parse(R"({"type":"EXPAND_SZ","value":"^%windir^%"})"));
  CHECK(typed(R"(A="string value 1", "string value 2":multistr)") ==
        json::parse(R"({"type":"MULTI_SZ","value":["string value 1","string value 2"]})"));
  CHECK(typed("A=12,0xab,255:binary") == json::parse(R"({"type":"BINARY","value":"0cabff"})"));
  CHECK(typed("A=:binary") == json::parse(R"({"type":"BINARY","value":""})"));
}

TEST_CASE("without a format the current type decides", "[cluster_cli][property_value]") {
  CHECK(typed("A=7", "DWORD") == json::parse(R"({"type":"DWORD","value":7})"));
  CHECK(typed("A=7", "SZ") == json::parse(R"({"type":"SZ","value":"7"})"));
  CHECK(typed("A=7", "QWORD") == json::parse(R"({"type":"QWORD","value":7})"));
  CHECK(typed("A=a,b", "MULTI_SZ") == json::parse(R"({"type":"MULTI_SZ","value":["a","b"]})"));
  CHECK(typed("A=1,2", "BINARY") == json::parse(R"({"type":"BINARY","value":"0102"})"));
  CHECK(typed("A=%x%", "EXPAND_SZ") == json::parse(R"({"type":"EXPAND_SZ","value":"%x%"})"));
  // A property the node does not list: one number is a DWORD, anything else a string.
  CHECK(typed("A=0x20") == json::parse(R"({"type":"DWORD","value":32})"));
  CHECK(typed("A=1,2") == json::parse(R"({"type":"SZ","value":"1,2"})"));
  CHECK(typed("A=hello") == json::parse(R"({"type":"SZ","value":"hello"})"));
}

TEST_CASE("bad values name the property", "[cluster_cli][property_value]") {
  CHECK(error_of("A=4294967296:dword") ==
        "Property 'A': '4294967296' is not a DWORD (0 to 4294967295, or 0x hex).");
  CHECK(error_of("A=1,2:dword") == "Property 'A': the dword format takes one value, got 2.");
  CHECK(error_of("A=:dword") == "Property 'A': a value must be specified.");
  CHECK(error_of("A=x", "DWORD") ==
        "Property 'A': 'x' is not a DWORD (0 to 4294967295, or 0x hex).");
  CHECK(error_of("A=-1:ularge") == "Property 'A': '-1' is not an unsigned 64-bit number.");
  CHECK(error_of("A=1,256:binary") == "Property 'A': '256' is not a byte (0 to 255, or 0x hex).");
}
