#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wolfpack::monitor {

// Parses a harness --param: NAME=VALUE (a number is a DWORD, anything else a string) or
// NAME:TYPE=VALUE with TYPE one of dword, qword, sz, expand_sz, multi_sz (comma separated),
// binary (hex). Returns the typed value JSON, or an error naming the parameter.
bool parse_param(const std::string& text, std::string& name, nlohmann::json& value,
                 std::string& error);

}  // namespace wolfpack::monitor
