#pragma once

// A set of Dummy property values, some possibly absent: what the Parameters key holds, or
// what a property list asks to change. Reads and writes the cluster database through
// ClusterReg*, parses and validates property lists, and fills in defaults.

#include <array>
#include <optional>
#include <vector>

#include <wolfpack/resapi.h>

#include "dummy_entry_point.hpp"
#include "dummy_property_table.hpp"
#include "dummy_strings.hpp"

namespace wolfpack::dummy {

// The effective behaviour of one instance: every property, defaults filled in.
struct dummy_settings {
  DWORD online_delay_ms = 0;
  DWORD offline_delay_ms = 0;
  bool pending = false;
  DWORD pending_progress_ms = 0;
  DWORD online_error = 0;
  DWORD fail_after_ms = 0;
  wide_string fail_file;
  entry_point hang_in = entry_point::none;
  entry_point crash_in = entry_point::none;
  wide_string call_log;
};

class dummy_properties {
 public:
  // Reads the values under <resource_key>\Parameters. A missing key or value is absent (its
  // default applies). A stored value of the wrong type or outside its range is left absent
  // and described in problems, one per property, in table order.
  static dummy_properties read(HKEY resource_key, std::vector<property_problem>& problems);

  // Parses (wolfpack/proplist.hpp) and validates a property list (VALIDATE and
  // SET_PRIVATE_PROPERTIES input); a property's first value is its value, a property listed
  // twice takes the last one. Returns ERROR_SUCCESS, ERROR_INVALID_DATA (malformed or
  // truncated list, a DWORD not 4 bytes long, an unterminated string), ERROR_INVALID_PARAMETER
  // (unknown name, value out of range) or ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH
  // (wrong format); problem describes the first refusal, naming the property.
  static DWORD parse(const void* list, DWORD size, dummy_properties& out,
                     property_problem& problem);

  // Writes every present value under <resource_key>\Parameters (creating the key).
  DWORD write(HKEY resource_key, property_problem& problem) const;

  // This set laid over the defaults.
  dummy_settings settings() const;

  // Property list of every property, absent ones with their default.
  std::vector<BYTE> to_property_list() const;

  bool has(property_id id) const { return values_[static_cast<std::size_t>(id)].has_value(); }

 private:
  std::array<std::optional<typed_value>, property_count> values_;
};

// Property-format list of every Dummy property (name + CLUSPROP_FORMAT_*).
std::vector<BYTE> property_format_list();

// MULTI_SZ of every Dummy property name (CLUSCTL_RESOURCE_ENUM_PRIVATE_PROPERTIES).
std::vector<BYTE> property_name_list();

}  // namespace wolfpack::dummy
