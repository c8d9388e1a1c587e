// Turns `Name=Value[,Value...][:format]` settings into the typed JSON values of docs/api.md.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_cli/command.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster_cli {

// The full typed form {"type":..., "value":...} for one setting.
//   dword   decimal, 0x hex, or a negative decimal (stored as its 32-bit two's complement, so
//           FailbackWindowStart=-1 is 0xFFFFFFFF)        → DWORD
//   ularge  decimal or 0x hex up to 2^64-1                → QWORD
//   string / expandstr  the whole text (commas included)  → SZ / EXPAND_SZ
//   multistr  the comma-separated values                  → MULTI_SZ
//   binary  comma-separated bytes 0-255 (decimal or hex)  → BINARY
// Without a format, `current_type` (the property's type as the node lists it: "DWORD", "SZ",
// ...) decides; for a property the node does not list, one number is a DWORD and anything
// else a string.
[[nodiscard]] result<nlohmann::json> to_typed_value(const property_setting& setting,
                                                    std::optional<std::string_view> current_type);

// True when some setting has no explicit format, i.e. the current types must be read first.
bool needs_current_types(const std::vector<property_setting>& settings);

}  // namespace wolfpack::cluster_cli
