#include "property_list_controls.hpp"

#include <catch2/catch.hpp>

#include <functional>

#include <wolfpack/winerror.h>
#include <nlohmann/json.hpp>

#include "integration_support.hpp"

namespace wolfpack::testing {

namespace {

using nlohmann::json;

// `call(out_size)` sends the control code with room for out_size bytes.
std::vector<parsed_property> sized_list(const std::function<json(std::uint32_t)>& call) {
  const json sizing = call(0);
  INFO(sizing.dump());
  REQUIRE(sizing.value("status", 0) == ERROR_MORE_DATA);
  const json full = call(sizing.value("bytes_returned", 0u));
  INFO(full.dump());
  REQUIRE(full.value("ok", false));
  auto list = parse_property_list(from_hex(full.value("out", "")));
  REQUIRE(list);
  return *list;
}

}  // namespace

std::vector<parsed_property> resource_property_list(monitor_fixture& m, const std::string& resource,
                                                    std::uint32_t code) {
  return sized_list(
      [&](std::uint32_t out_size) { return m.resource_control(resource, code, {}, out_size); });
}

std::vector<parsed_property> type_property_list(monitor_fixture& m, const std::string& type,
                                                std::uint32_t code) {
  return sized_list(
      [&](std::uint32_t out_size) { return m.type_control(type, code, {}, out_size); });
}

}  // namespace wolfpack::testing
