#include <catch2/catch.hpp>

#include "options.hpp"

using wolfpack::monitor::parse_param;

TEST_CASE("harness parameter values are typed by their look or by an explicit type", "[options]") {
  std::string name, error;
  nlohmann::json v;
  REQUIRE(parse_param("OnlineDelayMs=250", name, v, error));
  REQUIRE(name == "OnlineDelayMs");
  REQUIRE(v == nlohmann::json{{"type", "DWORD"}, {"value", 250}});
  REQUIRE(parse_param("FailFile=/tmp/x", name, v, error));
  REQUIRE(v["type"] == "SZ");
  REQUIRE(parse_param("Mask=0xFF", name, v, error));
  REQUIRE(v["value"] == 255);
  REQUIRE(parse_param("Big:qword=5000000000", name, v, error));
  REQUIRE(v["type"] == "QWORD");
  REQUIRE(parse_param("Names:multi_sz=a,b,c", name, v, error));
  REQUIRE(v["value"] == nlohmann::json::array({"a", "b", "c"}));
  REQUIRE(parse_param("Blob:binary=01,ff", name, v, error));
  REQUIRE(v["value"] == "01ff");
  REQUIRE(parse_param("Code:sz=123", name, v, error));
  REQUIRE(v["type"] == "SZ");
}

TEST_CASE("bad harness parameter values are refused with the parameter named", "[options]") {
  std::string name, error;
  nlohmann::json v;
  REQUIRE_FALSE(parse_param("NoEquals", name, v, error));
  REQUIRE_FALSE(parse_param("=5", name, v, error));
  REQUIRE_FALSE(parse_param("X:dword=5000000000", name, v, error));
  REQUIRE(error.find("X") != std::string::npos);
  REQUIRE_FALSE(parse_param("X:float=1.5", name, v, error));
  REQUIRE_FALSE(parse_param("X:binary=0g", name, v, error));
}
