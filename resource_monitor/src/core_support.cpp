#include "core_support.hpp"

#include <cstring>

#include <wolfpack/winerror.h>
#include <wolfpack/common/hex.hpp>
#include <wolfpack/common/typed_value.hpp>
#include <wolfpack/reg_codec/typed_reg_value.hpp>
#include <wolfpack/wide_string.hpp>
#include <wolfpack/win_error_names.hpp>

#include "callback_router.hpp"
#include "resource_record.hpp"

namespace wolfpack::monitor {

using nlohmann::json;

std::optional<std::uint64_t> json_uint(const json& v) {
  if (v.is_number_unsigned())
    return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0)
    return static_cast<std::uint64_t>(v.get<std::int64_t>());
  return std::nullopt;
}

bool parse_control_args(const json& c, control_args& out, std::string& error) {
  auto code = c.find("code");
  if (code == c.end() || !json_uint(*code) || *json_uint(*code) > 0xFFFFFFFFull) {
    error = "field 'code' must be a 32-bit unsigned control code";
    return false;
  }
  out.code = static_cast<std::uint32_t>(*json_uint(*code));
  out.in.clear();
  if (auto in = c.find("in"); in != c.end()) {
    if (!in->is_string() || !from_hex(in->get<std::string>(), out.in)) {
      error = "field 'in' must be a string of hexadecimal byte pairs";
      return false;
    }
  }
  out.out_size = 0;
  if (auto size = c.find("out_size"); size != c.end()) {
    if (!json_uint(*size) || *json_uint(*size) > max_control_out_size) {
      error =
          "field 'out_size' must be an integer from 0 to " + std::to_string(max_control_out_size);
      return false;
    }
    out.out_size = static_cast<std::uint32_t>(*json_uint(*size));
  }
  return true;
}

bool parse_timing(const json& t, resource_timing& out, std::string& error) {
  if (!t.is_object()) {
    error = "field 'timing' must be an object";
    return false;
  }
  struct field {
    const char* name;
    std::uint32_t* target;
    std::uint32_t min;
  };
  resource_timing result = out;
  const field fields[] = {
      {"looks_alive_ms", &result.looks_alive_ms, 1},
      {"is_alive_ms", &result.is_alive_ms, 1},
      {"pending_timeout_ms", &result.pending_timeout_ms, 10},
      {"deadlock_timeout_ms", &result.deadlock_timeout_ms, 1000},
  };
  for (const auto& [key, value] : t.items()) {
    const field* f = nullptr;
    for (const auto& candidate : fields) {
      if (key == candidate.name)
        f = &candidate;
    }
    if (f == nullptr) {
      error = "timing: unknown field '" + key + "'";
      return false;
    }
    const auto n = json_uint(value);
    if (!n || *n < f->min || *n > 0xFFFFFFFEull) {
      error =
          "timing." + key + " must be an integer from " + std::to_string(f->min) + " to 4294967294";
      return false;
    }
    *f->target = static_cast<std::uint32_t>(*n);
  }
  out = result;
  return true;
}

bool load_registry_sections(const json& c, wolfpack::registry_tree& tree, std::string& error) {
  for (const char* section : {"common", "parameters"}) {
    auto it = c.find(section);
    if (it == c.end())
      continue;
    auto props = parse_property_map(*it);
    if (!props) {
      error = std::string(section) + ": " + props.error();
      return false;
    }
    const std::wstring key = std::string(section) == "common" ? L"" : L"Parameters";
    std::vector<std::pair<std::wstring, wolfpack::reg_value>> values;
    for (const auto& [name, value] : *props) {
      values.emplace_back(wolfpack::from_utf8(name), wolfpack::to_reg_value(value));
    }
    tree.replace_values(key, std::move(values));
  }
  return true;
}

json reg_value_to_json(const wolfpack::reg_value& v) {
  return to_json(wolfpack::from_reg_value(v));
}

registry_write make_registry_write(std::uint64_t token, const std::wstring& key,
                                   const std::wstring& name, const wolfpack::reg_value* value) {
  registry_write w;
  w.token = token;
  w.key = wolfpack::to_utf8(key);
  w.name = wolfpack::to_utf8(name);
  if (value != nullptr)
    w.value = reg_value_to_json(*value);
  return w;
}

std::wstring widen(const std::string& utf8) {
  return wolfpack::from_utf8(utf8);
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  return hex::encode(bytes);
}

bool from_hex(const std::string& hex, std::vector<std::uint8_t>& out) {
  auto bytes = hex::decode(hex);
  if (!bytes)
    return false;
  out = std::move(*bytes);
  return true;
}

std::string win32_error_name(std::uint32_t code) {
  return wolfpack::win32_error_name(code);
}

}  // namespace wolfpack::monitor
