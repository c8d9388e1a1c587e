#include <catch2/catch.hpp>

#include "wolfpack/tool/param_value.hpp"

using nlohmann::json;
using wolfpack::tool::parse_param_value;

TEST_CASE("a bare number is a DWORD, anything else an SZ") {
  auto d = parse_param_value("OnlineDelayMs=500");
  REQUIRE(d);
  CHECK(d->first == "OnlineDelayMs");
  CHECK(d->second == json{{"type", "DWORD"}, {"value", 500}});
  auto h = parse_param_value("Mask=0x10");
  REQUIRE(h);
  CHECK(h->second["value"] == 16);
  auto s = parse_param_value("FailFile=/tmp/x=y");
  REQUIRE(s);
  CHECK(s->second == json{{"type", "SZ"}, {"value", "/tmp/x=y"}});
}

TEST_CASE("NAME:TYPE=VALUE picks the type") {
  CHECK(parse_param_value("N:sz=5")->second == json{{"type", "SZ"}, {"value", "5"}});
  CHECK(parse_param_value("N:qword=5")->second == json{{"type", "QWORD"}, {"value", 5}});
  CHECK(parse_param_value("N:multi_sz=a,b")->second ==
        json{{"type", "MULTI_SZ"}, {"value", {"a", "b"}}});
  CHECK(parse_param_value("N:binary=0AFF")->second == json{{"type", "BINARY"}, {"value", "0aff"}});
  CHECK(parse_param_value("N:EXPAND_SZ=%TEMP%")->second["type"] == "EXPAND_SZ");
}

TEST_CASE("malformed parameters are refused with a reason") {
  CHECK_FALSE(parse_param_value("novalue"));
  CHECK_FALSE(parse_param_value("=5"));
  CHECK_FALSE(parse_param_value(":dword=5"));
  CHECK(parse_param_value("N:dword=abc").error().find("not a DWORD") != std::string::npos);
  CHECK(parse_param_value("N:binary=abc").error().find("hex") != std::string::npos);
  CHECK(parse_param_value("N:float=1").error().find("unknown type") != std::string::npos);
}
