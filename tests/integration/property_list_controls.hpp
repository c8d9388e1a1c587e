#pragma once

// Control codes whose output is a property list (GET_PRIVATE_PROPERTIES, the property
// formats), asked the way Windows callers ask them: once with no buffer (ERROR_MORE_DATA
// and the size needed), then with that size. Each step is a REQUIRE, so a failing test
// stops there with the response in its message.

#include <cstdint>
#include <string>
#include <vector>

#include "monitor_fixture.hpp"
#include "property_list_codec.hpp"

namespace wolfpack::testing {

std::vector<parsed_property> resource_property_list(monitor_fixture& m, const std::string& resource,
                                                    std::uint32_t code);
std::vector<parsed_property> type_property_list(monitor_fixture& m, const std::string& type,
                                                std::uint32_t code);

}  // namespace wolfpack::testing
