// The insides of the property-table ResUtil functions, shared by the files that implement
// them: property lists read in place, one property's value in any format, its registry and
// parameter-block forms, and the Win32 way of handing a buffer out.
//
// Errors follow Microsoft's documentation: a malformed list is ERROR_INVALID_DATA, a list
// that claims more bytes than it was given ERROR_INSUFFICIENT_BUFFER; an unknown property
// (when not allowed), a read-only one, a value of the wrong format or out of its range is
// ERROR_INVALID_PARAMETER; a buffer too small is ERROR_MORE_DATA with the size needed.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wolfpack/proplist.hpp"
#include "wolfpack/resapi.h"

namespace wolfpack::detail {

using bytes = std::vector<std::uint8_t>;

// ---- reading a property list in place ----------------------------------------------------

enum class list_status { ok, truncated, malformed };

struct raw_value {
  DWORD syntax = 0;
  const std::uint8_t* data = nullptr;
  DWORD length = 0;
  WORD format() const { return static_cast<WORD>(syntax & 0xFFFF); }
};

struct raw_property {
  std::wstring name;
  std::vector<raw_value> values;
};

// Walks a whole list; every length is checked against `size` before it is used.
list_status walk_list(const void* buffer, std::size_t size, std::vector<raw_property>& out);
DWORD list_error(list_status s);
bool terminated_string(const raw_value& v);

// ---- one property's value, whatever its format ---------------------------------------------

struct typed_value {
  WORD format = CLUSPROP_FORMAT_UNKNOWN;
  DWORD dw = 0;             // DWORD, LONG
  std::uint64_t qw = 0;     // ULARGE_INTEGER, LARGE_INTEGER
  std::wstring text;        // SZ, EXPAND_SZ
  bytes data;               // MULTI_SZ (with its terminators), BINARY
  bool has_pointer = true;  // false: a NULL string or buffer
};

bool is_string_format(DWORD f);
bool is_buffer_format(DWORD f);
bool is_qword_format(DWORD f);
// The formats a property table may use.
bool supported_format(DWORD f);
DWORD registry_type(DWORD format);
bytes registry_bytes(const typed_value& v);

// Range checks of DWORD, LONG and the large integers (both bounds 0: no range).
DWORD check_range(const RESUTIL_PROPERTY_ITEM& item, const typed_value& v);
// A list value checked against its table item: ERROR_INVALID_PARAMETER for another format
// (SZ and EXPAND_SZ stand for each other) or out of range, ERROR_INVALID_DATA when the
// bytes do not make a value of the format.
DWORD value_from_list(const RESUTIL_PROPERTY_ITEM& item, const raw_value& raw, typed_value& v);
// The item's default, as the table gives it (MULTI_SZ and BINARY: Minimum bytes).
typed_value default_value(const RESUTIL_PROPERTY_ITEM& item);
// What follows the item's format in a *_PROPERTY_FMTS entry (clusapi.h, WP_CLUSPROP_TYPE_*):
// the default, the range when the table gives one, the required/read-only flags.
wolfpack::value_list_builder format_details(const RESUTIL_PROPERTY_ITEM& item);

// ---- the cluster database ----------------------------------------------------------------

// The item's value, from its KeyName subkey if it has one. ERROR_FILE_NOT_FOUND when
// absent; ERROR_INVALID_PARAMETER when stored with a type the format cannot take.
DWORD value_from_registry(HKEY key, const RESUTIL_PROPERTY_ITEM& item, typed_value& v);
// Writes the item's value unless the database already holds exactly these bytes (or
// always, when force_write).
DWORD value_to_registry(HKEY key, const RESUTIL_PROPERTY_ITEM& item, const typed_value& v,
                        bool force_write = false);
// A registry value as a property value of the format its type implies; false when the
// bytes cannot be one (a DWORD that is not 4 bytes).
bool value_from_registry_data(DWORD type, bytes data, typed_value& v);
// A list value's registry type and bytes, for properties no table describes.
std::optional<std::pair<DWORD, bytes>> unknown_to_registry(const raw_value& v);
// The names of the key's values, in the key's order.
DWORD value_names(HKEY key, std::vector<std::wstring>& names);

// ---- parameter block fields --------------------------------------------------------------

template <typename T>
T load(const BYTE* block, std::size_t offset) {
  T v;
  std::memcpy(&v, block + offset, sizeof v);
  return v;
}

template <typename T>
void store(BYTE* block, std::size_t offset, const T& v) {
  std::memcpy(block + offset, &v, sizeof v);
}

// The pointer field of a string or buffer item (nullptr for other formats).
void* pointer_field(const BYTE* block, const RESUTIL_PROPERTY_ITEM& item);
typed_value value_from_block(const BYTE* block, const RESUTIL_PROPERTY_ITEM& item);
// Puts a value into the block; a string or buffer already there is LocalFree'd and
// replaced by a LocalAlloc'd copy.
DWORD value_to_block(BYTE* block, const RESUTIL_PROPERTY_ITEM& item, const typed_value& v);
// Frees the strings and buffers of `out` that `in` does not share, and clears them.
void free_block(BYTE* out, const BYTE* in, const RESUTIL_PROPERTY_ITEM* table);

// ---- tables and lists --------------------------------------------------------------------

template <typename Fn>
DWORD for_each_item(const RESUTIL_PROPERTY_ITEM* table, Fn&& fn) {
  for (const RESUTIL_PROPERTY_ITEM* item = table; item->Name != nullptr; ++item) {
    const DWORD status = fn(*item);
    if (status != ERROR_SUCCESS)
      return status;
  }
  return ERROR_SUCCESS;
}

// nullptr when absent (or table is nullptr); names compare case-insensitively.
const RESUTIL_PROPERTY_ITEM* find_item(const RESUTIL_PROPERTY_ITEM* table, std::wstring_view name);
// A value's entries in a property list (EXPAND_SZ adds its expansion, as Windows does).
void add_to_list(wolfpack::property_list_builder& list, const std::wstring& name,
                 const typed_value& v);
// A caller's output buffer, the Win32 way: ERROR_MORE_DATA with *required set when small.
DWORD hand_out(const bytes& data, void* out, DWORD out_size, LPDWORD returned, LPDWORD required);
// Reads a table's properties into a list: stored values, else defaults; a string or
// buffer with neither is left out.
DWORD table_to_list(HKEY key, const RESUTIL_PROPERTY_ITEM* table,
                    wolfpack::property_list_builder& list);
// The item's stored value, else its default (has_pointer false for a string or buffer
// with neither).
DWORD stored_or_default(HKEY key, const RESUTIL_PROPERTY_ITEM& item, typed_value& v);
// The values of `key` that no table item names (all of them for a NULL table), as
// property-list entries without the count.
DWORD unknown_properties(HKEY key, const RESUTIL_PROPERTY_ITEM* table, bytes& entries,
                         DWORD& count);

using checked_values = std::vector<std::pair<const RESUTIL_PROPERTY_ITEM*, typed_value>>;
// Checks a whole list against a table. `values` gets, per known property, its item and
// value, in list order (a later duplicate wins when applied).
DWORD verify_list(const RESUTIL_PROPERTY_ITEM* table, BOOL allow_unknown, const void* list,
                  DWORD size, checked_values& values);
DWORD apply_to_block(BYTE* block, const checked_values& values);

}  // namespace wolfpack::detail
