// The common properties of cluster objects (SPEC.md 6.6): names, types, defaults, ranges and
// whether an administrator may write them. One table per object kind; the API validates
// writes against it and shows reads through it, the resource manager reads effective values
// through it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "wolfpack/common/result.hpp"
#include "wolfpack/common/typed_value.hpp"

namespace wolfpack::cluster {

enum class object_kind { cluster, node, group, resource, resource_type, network, netinterface };

// "cluster", "node", "group", "resource", "resource type", "network", "network interface":
// how error messages name the kind.
std::string_view to_string(object_kind kind);

// One accepted value of an enumerated DWORD property, with the name MSCS gives it
// (RestartAction 2 is "ClusterResourceRestartNotify").
struct property_choice {
  std::uint64_t value;
  std::string_view name;
};

struct property_spec {
  std::string_view name;  // as MSCS spells it: "RestartThreshold"
  value_type type;
  // The value reported when none is stored; nullopt: no default (the property is absent
  // from a read until it is set, like Description).
  std::optional<typed_value> default_value = std::nullopt;
  std::uint64_t min = 0;              // DWORD/QWORD only, inclusive
  std::uint64_t max = 0xFFFFFFFFull;  // DWORD/QWORD only, inclusive
  bool read_only = false;             // a write is refused (RO in SPEC 6.6, with exceptions)
  // A value with a meaning of its own, accepted even outside [min, max] or the choices
  // (0xFFFFFFFF: "use the type's value" for LooksAlivePollInterval, "no window" for
  // FailbackWindowStart, "never retry" for RetryPeriodOnFailure, ...).
  std::optional<std::uint64_t> special = std::nullopt;
  // Stored in the database but maintained by the service, never written through properties
  // (Name goes through rename, Type is set at creation, ...). Shown read-only.
  bool maintained = false;
  // When not empty, the only values accepted (besides `special`): an enumeration such as
  // RestartAction or group Priority. min/max still describe the smallest and largest.
  std::span<const property_choice> choices = {};
};

// Every common property of the kind, in a fixed order (names sorted ignoring case).
std::span<const property_spec> common_properties(object_kind kind);

// The spec of `name` (ignoring case), or nullptr when the kind has no such common property.
const property_spec* find_common_property(object_kind kind, std::string_view name);

// Win32 codes the validation answers with (docs/api.md):
//   ERROR_UNKNOWN_PROPERTY 1608                      no such common property
//   ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH 5895  wrong type (a DWORD where an SZ belongs)
//   ERROR_INVALID_PARAMETER 87                       out of range / not one of the choices
//   ERROR_ACCESS_DENIED 5                            read-only or maintained
// Named here without the winerror.h macros, which would collide with these names.
inline constexpr std::uint32_t error_unknown_property = 1608;
inline constexpr std::uint32_t error_property_data_type_mismatch = 5895;
inline constexpr std::uint32_t error_invalid_parameter = 87;
inline constexpr std::uint32_t error_access_denied = 5;

struct property_error {
  std::uint32_t code = 0;
  std::string message;  // names the object kind, the property and what was wrong
};

// A write that passed the checks: the name as the spec spells it and the value to store.
struct checked_property {
  std::string name;
  typed_value value;
};

// Checks that `value` may be written to common property `name` of an object of `kind`. A
// DWORD given for a QWORD property is widened. Rules between two properties (such as
// RetryPeriodOnFailure >= RestartPeriod) are checked by check_property_set below.
[[nodiscard]] std::variant<checked_property, property_error> check_common_property(
    object_kind kind, std::string_view name, const typed_value& value);

// The type and value checks of check_common_property without the access check, for values
// the service itself stores through `spec` (MonitorProcessId, LastOperationStatusCode, a
// node's versions): ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH or ERROR_INVALID_PARAMETER.
// A DWORD given for a QWORD property is widened here too.
[[nodiscard]] std::variant<checked_property, property_error> check_property_value(
    object_kind kind, const property_spec& spec, const typed_value& value);

// Checks rules between properties on the values an object would have after a write
// (`effective`: every common property's stored value or default, by spec name). Today:
// a resource's RetryPeriodOnFailure (unless 0xFFFFFFFF) must be >= its RestartPeriod;
// FailbackWindowStart and FailbackWindowEnd are both "none" or both set.
[[nodiscard]] std::optional<property_error> check_property_set(object_kind kind,
                                                               const property_map& effective);

}  // namespace wolfpack::cluster
