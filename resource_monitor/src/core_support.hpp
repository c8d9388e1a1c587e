#pragma once

// Small pieces the monitor core needs to turn JSON commands into plugin calls and back.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <wolfpack/resapi.h>
#include <nlohmann/json.hpp>
#include <wolfpack/registry_tree.hpp>

#include "core_types.hpp"

namespace wolfpack::monitor {

struct resource_timing;

struct control_args {
  std::uint32_t code = 0;
  std::vector<std::uint8_t> in;
  std::uint32_t out_size = 0;
};

inline constexpr std::uint32_t max_control_out_size = 16u << 20;

// A non-negative JSON integer, however the parser typed it.
std::optional<std::uint64_t> json_uint(const nlohmann::json& v);

bool parse_control_args(const nlohmann::json& c, control_args& out, std::string& error);
bool parse_timing(const nlohmann::json& t, resource_timing& out, std::string& error);

// Fills the resource's key from the command's "common" (root values) and "parameters"
// (the Parameters subkey) sections, each a map of property name to typed value.
bool load_registry_sections(const nlohmann::json& c, wolfpack::registry_tree& tree,
                            std::string& error);

registry_write make_registry_write(std::uint64_t token, const std::wstring& key,
                                   const std::wstring& name, const wolfpack::reg_value* value);
nlohmann::json reg_value_to_json(const wolfpack::reg_value& v);

std::wstring widen(const std::string& utf8);
std::string to_hex(std::span<const std::uint8_t> bytes);
bool from_hex(const std::string& hex, std::vector<std::uint8_t>& out);
std::string win32_error_name(std::uint32_t code);

// The callback handed to Arbitrate (routes to callback_router).
PQUORUM_RESOURCE_LOST quorum_lost_callback();

}  // namespace wolfpack::monitor
