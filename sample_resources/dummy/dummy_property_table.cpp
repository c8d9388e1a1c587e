#include "dummy_property_table.hpp"

#include "dummy_entry_point.hpp"

namespace wolfpack::dummy {

namespace {

constexpr std::string_view entry_point_list =
    "Open, Close, Online, Offline, Terminate, LooksAlive, IsAlive, Arbitrate, Release, "
    "ResourceControl, ResourceTypeControl";

property_problem problem(DWORD status, const property_info& property, const std::string& what) {
  return {status, "property " + name_utf8(property) + ": " + what};
}

}  // namespace

std::string name_utf8(const property_info& property) {
  return to_utf8(property.name);
}

const property_info* find_property(wide_string_view name) {
  for (const auto& property : property_table) {
    if (iequals_ascii(name, property.name))
      return &property;
  }
  return nullptr;
}

std::optional<property_problem> check_value(const property_info& property,
                                            const typed_value& value) {
  if (property.kind == property_kind::dword) {
    const DWORD* number = std::get_if<DWORD>(&value);
    if (number == nullptr) {
      return problem(ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH, property,
                     "wrong format, expected a DWORD");
    }
    if (*number < property.min || *number > property.max) {
      return problem(ERROR_INVALID_PARAMETER, property,
                     "value " + std::to_string(*number) + " is out of range " +
                         std::to_string(property.min) + ".." + std::to_string(property.max));
    }
    // ERROR_IO_PENDING from a synchronous Online would promise a status report that no
    // worker would ever send.
    if (property.id == property_id::online_error && *number == ERROR_IO_PENDING) {
      return problem(ERROR_INVALID_PARAMETER, property,
                     "value 997 (ERROR_IO_PENDING) is not a failure code");
    }
    return std::nullopt;
  }

  const wide_string* text = std::get_if<wide_string>(&value);
  if (text == nullptr) {
    return problem(ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH, property,
                   "wrong format, expected a string (SZ)");
  }
  if ((property.id == property_id::hang_in || property.id == property_id::crash_in) &&
      !parse_entry_point(*text)) {
    return problem(ERROR_INVALID_PARAMETER, property,
                   "'" + to_utf8(*text) + "' is not an entry point; use one of " +
                       std::string(entry_point_list) + ", or empty");
  }
  return std::nullopt;
}

}  // namespace wolfpack::dummy
