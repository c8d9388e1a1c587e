#include "dummy_properties.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>

#include <wolfpack/clusapi.h>
#include <wolfpack/proplist.hpp>

namespace wolfpack::dummy {

namespace {

constexpr const WCHAR* parameters_key_name = L"Parameters";

// One raw value from the database: its registry type and bytes.
struct stored_value {
  DWORD type = 0;
  std::vector<BYTE> data;
};

// ClusterRegQueryValue with a buffer that grows on ERROR_MORE_DATA.
LONG query_value(HKEY key, const WCHAR* name, stored_value& out) {
  out.data.resize(64);
  for (int attempt = 0; attempt < 4; ++attempt) {
    DWORD type = 0;
    DWORD size = static_cast<DWORD>(out.data.size());
    const LONG status = ClusterRegQueryValue(key, name, &type, out.data.data(), &size);
    if (status == ERROR_SUCCESS) {
      out.type = type;
      out.data.resize(size);
      return status;
    }
    if (status != ERROR_MORE_DATA)
      return status;
    out.data.resize(size > out.data.size() ? size : out.data.size() * 2);
  }
  return ERROR_MORE_DATA;
}

// WCHAR text from bytes, up to the first NUL (a missing terminator is tolerated).
wide_string text_of(const std::vector<BYTE>& data) {
  wide_string text(data.size() / sizeof(WCHAR), WCHAR{0});
  if (!text.empty())
    std::memcpy(text.data(), data.data(), text.size() * sizeof(WCHAR));
  const auto end = text.find(WCHAR{0});
  if (end != wide_string::npos)
    text.resize(end);
  return text;
}

bool nul_terminated(const std::vector<std::uint8_t>& data) {
  if (data.size() < sizeof(WCHAR) || data.size() % sizeof(WCHAR) != 0)
    return false;
  WCHAR last = 0;
  std::memcpy(&last, data.data() + data.size() - sizeof(WCHAR), sizeof last);
  return last == 0;
}

std::string hex32(DWORD value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(value));
  return text;
}

property_problem named_problem(DWORD status, const property_info& property,
                               const std::string& what) {
  return {status, "property " + name_utf8(property) + ": " + what};
}

}  // namespace

dummy_properties dummy_properties::read(HKEY resource_key,
                                        std::vector<property_problem>& problems) {
  dummy_properties result;
  HKEY parameters = nullptr;
  const LONG open_status =
      ClusterRegOpenKey(resource_key, parameters_key_name, KEY_READ, &parameters);
  if (open_status == ERROR_FILE_NOT_FOUND)
    return result;
  if (open_status != ERROR_SUCCESS) {
    problems.push_back({static_cast<DWORD>(open_status), "cannot open the Parameters key (error " +
                                                             std::to_string(open_status) +
                                                             "); using defaults"});
    return result;
  }

  for (const auto& property : property_table) {
    const wide_string name(property.name);
    stored_value stored;
    const LONG status = query_value(parameters, name.c_str(), stored);
    if (status == ERROR_FILE_NOT_FOUND)
      continue;
    if (status != ERROR_SUCCESS) {
      problems.push_back(
          named_problem(static_cast<DWORD>(status), property,
                        "stored value cannot be read (error " + std::to_string(status) + ")"));
      continue;
    }
    typed_value value;
    if (stored.type == REG_DWORD && stored.data.size() == sizeof(DWORD)) {
      DWORD number = 0;
      std::memcpy(&number, stored.data.data(), sizeof number);
      value = number;
    } else if (stored.type == REG_SZ || stored.type == REG_EXPAND_SZ) {
      value = text_of(stored.data);
    } else {
      problems.push_back(named_problem(ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH, property,
                                       "stored value has registry type " +
                                           std::to_string(stored.type) + " and " +
                                           std::to_string(stored.data.size()) + " bytes"));
      continue;
    }
    if (auto refused = check_value(property, value)) {
      refused->message += " (stored value)";
      problems.push_back(std::move(*refused));
      continue;
    }
    result.values_[static_cast<std::size_t>(property.id)] = std::move(value);
  }
  ClusterRegCloseKey(parameters);
  return result;
}

DWORD dummy_properties::parse(const void* list, DWORD size, dummy_properties& out,
                              property_problem& problem) {
  out = dummy_properties{};
  const property_list parsed = parse_property_list(list, size);
  if (!parsed.ok) {
    problem = {ERROR_INVALID_DATA, "the property list is malformed (" + parsed.error + ")"};
    return problem.status;
  }
  for (const auto& entry : parsed.properties) {
    const property_info* property = find_property(entry.name);
    if (property == nullptr) {
      problem = {ERROR_INVALID_PARAMETER,
                 "property " + to_utf8(entry.name) + ": unknown property name"};
      return problem.status;
    }
    const DWORD syntax = entry.syntax();
    const std::vector<std::uint8_t>& data = entry.data();
    typed_value value;
    if (property->kind == property_kind::dword && syntax == CLUSPROP_SYNTAX_LIST_VALUE_DWORD) {
      if (data.size() != sizeof(DWORD)) {
        problem =
            named_problem(ERROR_INVALID_DATA, *property,
                          "a DWORD value must be 4 bytes long, not " + std::to_string(data.size()));
        return problem.status;
      }
      DWORD number = 0;
      std::memcpy(&number, data.data(), sizeof number);
      value = number;
    } else if (property->kind == property_kind::sz && syntax == CLUSPROP_SYNTAX_LIST_VALUE_SZ) {
      if (!nul_terminated(data)) {
        problem =
            named_problem(ERROR_INVALID_DATA, *property, "the string value is not NUL-terminated");
        return problem.status;
      }
      value = text_of(data);
    } else {
      problem = named_problem(
          ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH, *property,
          "wrong format (syntax " + hex32(syntax) + "), expected " +
              (property->kind == property_kind::dword ? "CLUSPROP_SYNTAX_LIST_VALUE_DWORD"
                                                      : "CLUSPROP_SYNTAX_LIST_VALUE_SZ"));
      return problem.status;
    }
    if (auto refused = check_value(*property, value)) {
      problem = std::move(*refused);
      return problem.status;
    }
    out.values_[static_cast<std::size_t>(property->id)] = std::move(value);
  }
  problem = {};
  return ERROR_SUCCESS;
}

DWORD dummy_properties::write(HKEY resource_key, property_problem& problem) const {
  HKEY parameters = nullptr;
  DWORD disposition = 0;
  const LONG open_status = ClusterRegCreateKey(resource_key, parameters_key_name, 0, KEY_ALL_ACCESS,
                                               nullptr, &parameters, &disposition);
  if (open_status != ERROR_SUCCESS) {
    problem = {static_cast<DWORD>(open_status),
               "cannot create the Parameters key (error " + std::to_string(open_status) + ")"};
    return problem.status;
  }
  DWORD result = ERROR_SUCCESS;
  for (const auto& property : property_table) {
    const auto& value = values_[static_cast<std::size_t>(property.id)];
    if (!value)
      continue;
    const wide_string name(property.name);
    DWORD status = ERROR_SUCCESS;
    if (const DWORD* number = std::get_if<DWORD>(&*value)) {
      status = ClusterRegSetValue(parameters, name.c_str(), REG_DWORD,
                                  reinterpret_cast<const BYTE*>(number), sizeof(DWORD));
    } else {
      const wide_string& text = std::get<wide_string>(*value);
      status = ClusterRegSetValue(parameters, name.c_str(), REG_SZ,
                                  reinterpret_cast<const BYTE*>(text.c_str()),
                                  static_cast<DWORD>((text.size() + 1) * sizeof(WCHAR)));
    }
    if (status != ERROR_SUCCESS) {
      problem = named_problem(status, property,
                              "cannot be written (error " + std::to_string(status) + ")");
      result = status;
      break;
    }
  }
  ClusterRegCloseKey(parameters);
  return result;
}

dummy_settings dummy_properties::settings() const {
  auto dword = [this](property_id id) {
    const auto& value = values_[static_cast<std::size_t>(id)];
    return value ? std::get<DWORD>(*value) : info_of(id).default_dword;
  };
  auto text = [this](property_id id) {
    const auto& value = values_[static_cast<std::size_t>(id)];
    return value ? std::get<wide_string>(*value) : wide_string{};
  };
  dummy_settings s;
  s.online_delay_ms = dword(property_id::online_delay_ms);
  s.offline_delay_ms = dword(property_id::offline_delay_ms);
  s.pending = dword(property_id::pending) != 0;
  s.pending_progress_ms = dword(property_id::pending_progress_ms);
  s.online_error = dword(property_id::online_error);
  s.fail_after_ms = dword(property_id::fail_after_ms);
  s.fail_file = text(property_id::fail_file);
  s.hang_in = parse_entry_point(text(property_id::hang_in)).value_or(entry_point::none);
  s.crash_in = parse_entry_point(text(property_id::crash_in)).value_or(entry_point::none);
  s.call_log = text(property_id::call_log);
  return s;
}

std::vector<BYTE> dummy_properties::to_property_list() const {
  property_list_builder builder;
  for (const auto& property : property_table) {
    const auto& value = values_[static_cast<std::size_t>(property.id)];
    if (property.kind == property_kind::dword) {
      builder.add_dword(property.name, value ? std::get<DWORD>(*value) : property.default_dword);
    } else {
      builder.add_sz(property.name, value ? std::get<wide_string>(*value) : wide_string{});
    }
  }
  return builder.bytes();
}

std::vector<BYTE> property_format_list() {
  property_format_list_builder builder;
  for (const auto& property : property_table) {
    builder.add(property.name,
                static_cast<WORD>(property.kind == property_kind::dword ? CLUSPROP_FORMAT_DWORD
                                                                        : CLUSPROP_FORMAT_SZ));
  }
  return builder.bytes();
}

std::vector<BYTE> property_name_list() {
  wide_string text;
  for (const auto& property : property_table) {
    text += property.name;
    text.push_back(0);
  }
  text.push_back(0);
  std::vector<BYTE> out(text.size() * sizeof(WCHAR));
  std::memcpy(out.data(), text.data(), out.size());
  return out;
}

}  // namespace wolfpack::dummy
