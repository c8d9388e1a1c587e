#pragma once

// NAME=VALUE lists (Generic Application's Environment, OCF Agent's Parameters), kept as
// MULTI_SZ values.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wolfpack::samples {

using name_value_list = std::vector<std::pair<std::string, std::string>>;

// The pairs, or nullopt with `error` naming the bad entry: an entry without '=', an empty
// name, or a name that is not [A-Za-z_][A-Za-z0-9_]* (a name the environment can carry).
std::optional<name_value_list> parse_name_values(const std::vector<std::wstring>& entries,
                                                 std::string* error = nullptr);

}  // namespace wolfpack::samples
