#pragma once

// The private properties of a Dummy resource: names, formats, defaults, ranges, and the
// rule that decides whether one value is acceptable. docs/dummy.md describes the same table.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <wolfpack/resapi.h>

#include "dummy_strings.hpp"

namespace wolfpack::dummy {

enum class property_id : std::size_t {
  online_delay_ms,
  offline_delay_ms,
  pending,
  pending_progress_ms,
  online_error,
  fail_after_ms,
  fail_file,
  hang_in,
  crash_in,
  call_log,
};
inline constexpr std::size_t property_count = 10;

enum class property_kind { dword, sz };

struct property_info {
  property_id id;
  std::wstring_view name;  // as stored under Parameters and shown in property lists
  property_kind kind;
  DWORD default_dword;  // dword properties; string properties default to ""
  DWORD min;            // dword properties: inclusive range
  DWORD max;
};

// Longest delay a Dummy can be told to take: one hour.
inline constexpr DWORD max_delay_ms = 3600000;

inline constexpr std::array<property_info, property_count> property_table{{
    {property_id::online_delay_ms, L"OnlineDelayMs", property_kind::dword, 0, 0, max_delay_ms},
    {property_id::offline_delay_ms, L"OfflineDelayMs", property_kind::dword, 0, 0, max_delay_ms},
    {property_id::pending, L"Pending", property_kind::dword, 0, 0, 1},
    {property_id::pending_progress_ms, L"PendingProgressMs", property_kind::dword, 0, 0,
     max_delay_ms},
    {property_id::online_error, L"OnlineError", property_kind::dword, 0, 0, 0xFFFFFFFF},
    {property_id::fail_after_ms, L"FailAfterMs", property_kind::dword, 0, 0, 0xFFFFFFFF},
    {property_id::fail_file, L"FailFile", property_kind::sz, 0, 0, 0},
    {property_id::hang_in, L"HangIn", property_kind::sz, 0, 0, 0},
    {property_id::crash_in, L"CrashIn", property_kind::sz, 0, 0, 0},
    {property_id::call_log, L"CallLog", property_kind::sz, 0, 0, 0},
}};

inline const property_info& info_of(property_id id) {
  return property_table[static_cast<std::size_t>(id)];
}

// The name in UTF-8, for messages.
std::string name_utf8(const property_info& property);

// Case-insensitive lookup of a property name (Microsoft's property helpers ignore case).
const property_info* find_property(wide_string_view name);

// A property's value: DWORD for DWORD properties, text for SZ ones.
using typed_value = std::variant<DWORD, wide_string>;

// Why a value was refused: a Win32 code and a message that names the property.
struct property_problem {
  DWORD status = ERROR_SUCCESS;
  std::string message;
};

// Checks one value of a known property: its kind (else ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH)
// and its range or spelling (else ERROR_INVALID_PARAMETER).
std::optional<property_problem> check_value(const property_info& property,
                                            const typed_value& value);

}  // namespace wolfpack::dummy
