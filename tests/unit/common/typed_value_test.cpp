#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "wolfpack/common/typed_value.hpp"

using nlohmann::json;
using wolfpack::parse_property_map;
using wolfpack::parse_typed_value;
using wolfpack::typed_value;
using wolfpack::value_type;

TEST_CASE("typed values parse and serialise in every type", "[typed_value]") {
  struct example {
    json input;
    typed_value expected;
  };
  for (const auto& [input, expected] : {
           example{json::parse(R"({"type":"DWORD","value":4294967295})"),
                   typed_value::dword(0xFFFFFFFFu)},
           example{json::parse(R"({"type":"QWORD","value":18446744073709551615})"),
                   typed_value::qword(18446744073709551615ull)},
           example{json::parse(R"({"type":"SZ","value":"h\u00e9llo"})"),
                   typed_value::sz("h\xc3\xa9llo")},
           example{json::parse(R"({"type":"EXPAND_SZ","value":"%TEMP%\\x"})"),
                   typed_value::expand_sz("%TEMP%\\x")},
           example{json::parse(R"({"type":"MULTI_SZ","value":["a","b c"]})"),
                   typed_value::multi_sz({"a", "b c"})},
           example{json::parse(R"({"type":"MULTI_SZ","value":[]})"), typed_value::multi_sz({})},
           example{json::parse(R"({"type":"BINARY","value":"00ff10ab"})"),
                   typed_value::binary({0x00, 0xff, 0x10, 0xab})},
           example{json::parse(R"({"type":"BINARY","value":""})"), typed_value::binary({})},
       }) {
    INFO(input.dump());
    auto parsed = parse_typed_value(input);
    REQUIRE(parsed.ok());
    CHECK(*parsed == expected);
    CHECK(wolfpack::to_json(*parsed) == input);
    json implicit = *parsed;
    CHECK(implicit == input);
  }
  CHECK(parse_typed_value(json{{"type", "DWORD"}, {"value", 7}})->as_number() == 7);
  CHECK(parse_typed_value(json::parse(R"({"type":"DWORD","value":5.0})"))->as_number() == 5);
}

TEST_CASE("typed value errors name what is wrong", "[typed_value]") {
  struct example {
    std::string input;
    std::string error;
  };
  for (const auto& [input, error] : {
           example{R"([1])",
                   "typed value must be an object {\"type\":...,\"value\":...}, got an array"},
           example{R"({"value":1})", "typed value has no 'type'"},
           example{R"({"type":1,"value":1})", "typed value 'type' must be a string, got a number"},
           example{
               R"({"type":"WORD","value":1})",
               "unknown type 'WORD' (expected DWORD, QWORD, SZ, EXPAND_SZ, MULTI_SZ or BINARY)"},
           example{
               R"({"type":"dword","value":1})",
               "unknown type 'dword' (expected DWORD, QWORD, SZ, EXPAND_SZ, MULTI_SZ or BINARY)"},
           example{R"({"type":"DWORD"})", "typed value of type DWORD has no 'value'"},
           example{R"({"type":"DWORD","value":1,"extra":2})",
                   "typed value has unexpected field 'extra'"},
           example{R"({"type":"DWORD","value":5000000000})",
                   "DWORD value 5000000000 is out of range"},
           example{R"({"type":"DWORD","value":-1})", "DWORD value -1 is out of range"},
           example{R"({"type":"DWORD","value":1.5})", "DWORD value 1.5 is not an integer"},
           example{R"({"type":"DWORD","value":"5"})",
                   "DWORD value must be a non-negative integer, got a string"},
           example{R"({"type":"QWORD","value":18446744073709551616})",
                   "QWORD value 1.8446744073709552e+19 is out of range"},
           example{R"({"type":"QWORD","value":-5})", "QWORD value -5 is out of range"},
           example{R"({"type":"SZ","value":5})", "SZ value must be a string, got a number"},
           example{R"({"type":"SZ","value":"a\u0000b"})", "SZ value contains a NUL character"},
           example{R"({"type":"EXPAND_SZ","value":null})",
                   "EXPAND_SZ value must be a string, got null"},
           example{R"({"type":"MULTI_SZ","value":"a"})",
                   "MULTI_SZ value must be an array of strings, got a string"},
           example{R"({"type":"MULTI_SZ","value":["a",2]})",
                   "MULTI_SZ element 1 is a number, not a string"},
           example{R"({"type":"MULTI_SZ","value":["a",""]})", "MULTI_SZ element 1 is empty"},
           example{R"({"type":"MULTI_SZ","value":["a\u0000"]})",
                   "MULTI_SZ element 0 contains a NUL character"},
           example{R"({"type":"BINARY","value":[1,2]})",
                   "BINARY value must be a lowercase hex string, got an array"},
           example{R"({"type":"BINARY","value":"abc"})",
                   "BINARY value has an odd number of hex digits (3)"},
           example{R"({"type":"BINARY","value":"00FF"})",
                   "BINARY value has 'F' at position 2; expected lowercase hex digits"},
           example{R"({"type":"BINARY","value":"0g"})",
                   "BINARY value has 'g' at position 1; expected lowercase hex digits"},
       }) {
    INFO(input);
    auto parsed = parse_typed_value(json::parse(input));
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error() == error);
  }
}

TEST_CASE("to_json refuses a typed_value whose storage does not match", "[typed_value]") {
  typed_value broken{value_type::sz, std::uint64_t{5}};
  CHECK_THROWS_AS(wolfpack::to_json(broken), std::logic_error);
  typed_value too_big{value_type::dword, std::uint64_t{1} << 40};
  CHECK_THROWS_AS(wolfpack::to_json(too_big), std::logic_error);
}

TEST_CASE("property maps accept the full form and shorthands", "[typed_value]") {
  auto map = parse_property_map(json::parse(R"({
    "OnlineDelayMs": 5000,
    "Path": "/srv/data",
    "Nodes": ["node1", "node2"],
    "Big": {"type": "QWORD", "value": 5000000000},
    "Cmd": {"type": "EXPAND_SZ", "value": "%WINDIR%"},
    "Blob": {"type": "BINARY", "value": "0a0b"}
  })"));
  REQUIRE(map.ok());
  REQUIRE(map->size() == 6);
  CHECK(map->at("OnlineDelayMs") == typed_value::dword(5000));
  CHECK(map->at("Path") == typed_value::sz("/srv/data"));
  CHECK(map->at("Nodes") == typed_value::multi_sz({"node1", "node2"}));
  CHECK(map->at("Big") == typed_value::qword(5000000000ull));
  CHECK(map->at("Cmd") == typed_value::expand_sz("%WINDIR%"));
  CHECK(map->at("Blob") == typed_value::binary({0x0a, 0x0b}));

  // Serialised in the full form, in name order.
  const json out = wolfpack::to_json(*map);
  CHECK(out["OnlineDelayMs"] == json{{"type", "DWORD"}, {"value", 5000}});
  CHECK(out["Nodes"] == json{{"type", "MULTI_SZ"}, {"value", {"node1", "node2"}}});
  CHECK(parse_property_map(out)->size() == 6);
  CHECK(*parse_property_map(out) == *map);
  CHECK(parse_property_map(json::object())->empty());
}

TEST_CASE("property map errors name the property and the problem", "[typed_value]") {
  struct example {
    std::string input;
    std::string error;
  };
  for (const auto& [input, error] : {
           example{R"([])", "properties must be a JSON object, got an array"},
           example{R"({"OnlineDelayMs": 5000000000})",
                   "property 'OnlineDelayMs': DWORD value 5000000000 is out of range"},
           example{R"({"OnlineDelayMs": -3})",
                   "property 'OnlineDelayMs': DWORD value -3 is out of range"},
           example{R"({"Ratio": 0.5})", "property 'Ratio': DWORD value 0.5 is not an integer"},
           example{
               R"({"Enabled": true})",
               "property 'Enabled': unsupported value (a boolean); expected a number, a string, "
               "an array of strings or {\"type\",\"value\"}"},
           example{R"({"Nothing": null})",
                   "property 'Nothing': unsupported value (null); expected a number, a string, an "
                   "array of strings or {\"type\",\"value\"}"},
           example{R"({"Nodes": ["a", 1]})",
                   "property 'Nodes': MULTI_SZ element 1 is a number, not a string"},
           example{R"({"Blob": {"type": "BINARY", "value": "xyz"}})",
                   "property 'Blob': BINARY value has an odd number of hex digits (3)"},
           example{R"({"Odd": {"kind": "SZ"}})",
                   "property 'Odd': typed value has unexpected field 'kind'"},
           example{R"({"": 1})", "property with an empty name"},
           example{R"({"Path": "a", "PATH": "b"})",
                   "property 'Path': same name as property 'PATH' (names ignore case)"},
       }) {
    INFO(input);
    auto map = parse_property_map(json::parse(input));
    REQUIRE_FALSE(map.ok());
    CHECK(map.error() == error);
  }
}

TEST_CASE("value type names", "[typed_value]") {
  for (auto t : {value_type::dword, value_type::qword, value_type::sz, value_type::expand_sz,
                 value_type::multi_sz, value_type::binary}) {
    CHECK(wolfpack::parse_value_type(wolfpack::to_string(t)) == t);
  }
  CHECK_FALSE(wolfpack::parse_value_type("REG_SZ"));
}
