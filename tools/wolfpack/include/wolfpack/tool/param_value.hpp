#pragma once

// --param NAME=VALUE as the monitor protocol's typed values: a number is a DWORD, anything
// else an SZ; NAME:TYPE=VALUE picks the type (dword, qword, sz, expand_sz, multi_sz with
// comma-separated strings, binary in hex), as `resrcmon --standalone --param` does.

#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>
#include <wolfpack/common/result.hpp>

namespace wolfpack::tool {

// {name, {"type": "DWORD", "value": 5}}
result<std::pair<std::string, nlohmann::json>> parse_param_value(std::string_view text);

}  // namespace wolfpack::tool
