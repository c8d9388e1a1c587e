// Builders and a parser for the cluster property-list format (clusapi.h, MS-CMRP 2.2.3.10).
// Header-only so that plugins can use it without linking anything.
//
// A value entry is { DWORD syntax; DWORD cbLength; BYTE data[cbLength]; zero padding to a
// DWORD boundary }. A value list is value entries closed by an end mark (the DWORD
// CLUSPROP_SYNTAX_ENDMARK, no length). A property list is a DWORD count, then per property
// a name entry (CLUSPROP_SYNTAX_NAME, cbLength counting the terminating WCHAR) followed by
// its value list. Strings are WCHAR (wchar_t) strings in the platform's width; integers are
// in host (little-endian) order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <cwctype>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wolfpack/clusapi.h"

namespace wolfpack {

constexpr std::size_t align_clusprop(std::size_t n) noexcept {
  return (n + 3) & ~std::size_t{3};
}

namespace proplist_detail {

inline void put_dword(std::vector<std::uint8_t>& out, DWORD value) {
  const auto at = out.size();
  out.resize(at + sizeof value);
  std::memcpy(out.data() + at, &value, sizeof value);
}

inline void put_entry(std::vector<std::uint8_t>& out, DWORD syntax, const void* data,
                      std::size_t size) {
  put_dword(out, syntax);
  put_dword(out, static_cast<DWORD>(size));
  const auto at = out.size();
  out.resize(at + align_clusprop(size), 0);  // zero padding
  if (size != 0)
    std::memcpy(out.data() + at, data, size);
}

inline std::vector<std::uint8_t> sz_bytes(std::wstring_view text) {
  std::vector<std::uint8_t> bytes((text.size() + 1) * sizeof(WCHAR), 0);
  if (!text.empty())
    std::memcpy(bytes.data(), text.data(), text.size() * sizeof(WCHAR));
  return bytes;
}

// Each string terminated, then a final terminator. Empty strings cannot be represented
// and are left out.
inline std::vector<std::uint8_t> multi_sz_bytes(const std::vector<std::wstring>& values) {
  std::wstring joined;
  for (const auto& s : values) {
    if (s.empty())
      continue;
    joined.append(s.c_str());
    joined.push_back(L'\0');
  }
  return sz_bytes(joined);
}

inline DWORD get_dword(const std::uint8_t* p) {
  DWORD value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

inline std::wstring wide_chars(const std::vector<std::uint8_t>& data) {
  std::wstring chars(data.size() / sizeof(WCHAR), L'\0');
  if (!chars.empty())
    std::memcpy(chars.data(), data.data(), chars.size() * sizeof(WCHAR));
  return chars;
}

// For error messages: property names are ASCII in practice; anything else shows as '?'.
inline std::string narrow(std::wstring_view text) {
  std::string out;
  for (const wchar_t c : text)
    out.push_back(static_cast<std::uint32_t>(c) < 0x80 ? static_cast<char>(c) : '?');
  return out;
}

inline bool names_equal(std::wstring_view a, std::wstring_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::towupper(static_cast<std::wint_t>(a[i])) !=
        std::towupper(static_cast<std::wint_t>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace proplist_detail

// ---- building ----------------------------------------------------------------------------

// Value entries, e.g. the answer to CLUSCTL_RESOURCE_GET_REQUIRED_DEPENDENCIES:
//   value_list_builder().add_resclass(CLUS_RESCLASS_STORAGE)
//                       .add_resource_type_name(L"IP Address").add_endmark().bytes()
// Nothing is added implicitly: call add_endmark() to close a value list.
class value_list_builder {
 public:
  value_list_builder& add_value(DWORD syntax, const void* data, std::size_t size) {
    proplist_detail::put_entry(bytes_, syntax, data, size);
    return *this;
  }
  value_list_builder& add_dword(DWORD value, DWORD syntax = CLUSPROP_SYNTAX_LIST_VALUE_DWORD) {
    return add_value(syntax, &value, sizeof value);
  }
  value_list_builder& add_long(LONG value) {
    return add_value(CLUSPROP_SYNTAX_LIST_VALUE_LONG, &value, sizeof value);
  }
  value_list_builder& add_word(WORD value) {
    return add_value(CLUSPROP_SYNTAX_LIST_VALUE_WORD, &value, sizeof value);
  }
  value_list_builder& add_sz(std::wstring_view value,
                             DWORD syntax = CLUSPROP_SYNTAX_LIST_VALUE_SZ) {
    const auto bytes = proplist_detail::sz_bytes(value);
    return add_value(syntax, bytes.data(), bytes.size());
  }
  value_list_builder& add_expand_sz(std::wstring_view value) {
    return add_sz(value, CLUSPROP_SYNTAX_LIST_VALUE_EXPAND_SZ);
  }
  value_list_builder& add_expanded_sz(std::wstring_view value) {
    return add_sz(value, CLUSPROP_SYNTAX_LIST_VALUE_EXPANDED_SZ);
  }
  value_list_builder& add_multi_sz(const std::vector<std::wstring>& values) {
    const auto bytes = proplist_detail::multi_sz_bytes(values);
    return add_value(CLUSPROP_SYNTAX_LIST_VALUE_MULTI_SZ, bytes.data(), bytes.size());
  }
  value_list_builder& add_binary(std::span<const std::uint8_t> value) {
    return add_value(CLUSPROP_SYNTAX_LIST_VALUE_BINARY, value.data(), value.size());
  }
  value_list_builder& add_ularge(std::uint64_t value) {
    return add_value(CLUSPROP_SYNTAX_LIST_VALUE_ULARGE_INTEGER, &value, sizeof value);
  }
  value_list_builder& add_large(std::int64_t value) {
    return add_value(CLUSPROP_SYNTAX_LIST_VALUE_LARGE_INTEGER, &value, sizeof value);
  }
  value_list_builder& add_filetime(FILETIME value) {
    return add_value(CLUSPROP_SYNTAX_LIST_VALUE_FILETIME, &value, sizeof value);
  }
  // A required dependency on any resource of a class.
  value_list_builder& add_resclass(CLUSTER_RESOURCE_CLASS resource_class) {
    const DWORD value = static_cast<DWORD>(resource_class);
    return add_value(CLUSPROP_SYNTAX_RESCLASS, &value, sizeof value);
  }
  // A required dependency on a resource type, named with CLUSPROP_SYNTAX_NAME.
  value_list_builder& add_resource_type_name(std::wstring_view type_name) {
    return add_sz(type_name, CLUSPROP_SYNTAX_NAME);
  }
  value_list_builder& add_endmark() {
    proplist_detail::put_dword(bytes_, CLUSPROP_SYNTAX_ENDMARK);
    return *this;
  }
  // The entries of another list (built without its end mark), in order.
  value_list_builder& add_entries(const value_list_builder& other) {
    bytes_.insert(bytes_.end(), other.bytes_.begin(), other.bytes_.end());
    return *this;
  }

  const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }
  std::size_t size() const noexcept { return bytes_.size(); }

 private:
  std::vector<std::uint8_t> bytes_;
};

// A property list; each add_* writes the name, one value and the end mark, and counts it.
class property_list_builder {
 public:
  property_list_builder() { proplist_detail::put_dword(bytes_, 0); }

  property_list_builder& add_dword(std::wstring_view name, DWORD value) {
    return add_property(name, value_list_builder().add_dword(value));
  }
  property_list_builder& add_long(std::wstring_view name, LONG value) {
    return add_property(name, value_list_builder().add_long(value));
  }
  property_list_builder& add_word(std::wstring_view name, WORD value) {
    return add_property(name, value_list_builder().add_word(value));
  }
  property_list_builder& add_sz(std::wstring_view name, std::wstring_view value) {
    return add_property(name, value_list_builder().add_sz(value));
  }
  property_list_builder& add_expand_sz(std::wstring_view name, std::wstring_view value) {
    return add_property(name, value_list_builder().add_expand_sz(value));
  }
  // The unexpanded value followed by its expansion, as GET_*_PROPERTIES return them.
  property_list_builder& add_expand_sz(std::wstring_view name, std::wstring_view value,
                                       std::wstring_view expanded) {
    return add_property(name, value_list_builder().add_expand_sz(value).add_expanded_sz(expanded));
  }
  property_list_builder& add_multi_sz(std::wstring_view name,
                                      const std::vector<std::wstring>& values) {
    return add_property(name, value_list_builder().add_multi_sz(values));
  }
  property_list_builder& add_binary(std::wstring_view name, std::span<const std::uint8_t> value) {
    return add_property(name, value_list_builder().add_binary(value));
  }
  property_list_builder& add_ularge(std::wstring_view name, std::uint64_t value) {
    return add_property(name, value_list_builder().add_ularge(value));
  }
  property_list_builder& add_large(std::wstring_view name, std::int64_t value) {
    return add_property(name, value_list_builder().add_large(value));
  }
  property_list_builder& add_filetime(std::wstring_view name, FILETIME value) {
    return add_property(name, value_list_builder().add_filetime(value));
  }
  // The name, then the value entries of `values` (built WITHOUT add_endmark), then the
  // end mark.
  property_list_builder& add_property(std::wstring_view name, const value_list_builder& values) {
    const auto name_bytes = proplist_detail::sz_bytes(name);
    proplist_detail::put_entry(bytes_, CLUSPROP_SYNTAX_NAME, name_bytes.data(), name_bytes.size());
    bytes_.insert(bytes_.end(), values.bytes().begin(), values.bytes().end());
    proplist_detail::put_dword(bytes_, CLUSPROP_SYNTAX_ENDMARK);
    const DWORD count = this->count() + 1;
    std::memcpy(bytes_.data(), &count, sizeof count);
    return *this;
  }

  DWORD count() const noexcept { return proplist_detail::get_dword(bytes_.data()); }
  const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

// The answer to the *_PROPERTY_FMTS control codes: per property its name and one
// CLUSPROP_SYNTAX_LIST_VALUE_WORD value holding its CLUSPROP_FORMAT_* (MS-CMRP 3.1.4.3.1.14),
// then the details a tool needs to build a form (default, range, flags; see clusapi.h),
// entries whose syntax is CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_*, format).
class property_format_list_builder {
 public:
  property_format_list_builder& add(std::wstring_view name, WORD format,
                                    const value_list_builder& details = {}) {
    list_.add_property(name, value_list_builder().add_word(format).add_entries(details));
    return *this;
  }
  DWORD count() const noexcept { return list_.count(); }
  const std::vector<std::uint8_t>& bytes() const noexcept { return list_.bytes(); }

 private:
  property_list_builder list_;
};

// ---- parsing ------------------------------------------------------------------------------

struct property_value {
  DWORD syntax = CLUSPROP_SYNTAX_ENDMARK;
  std::vector<std::uint8_t> data;  // cbLength bytes, without the padding

  WORD format() const noexcept { return static_cast<WORD>(syntax & 0xFFFF); }
  WORD type() const noexcept { return static_cast<WORD>(syntax >> 16); }

  // Each accessor: std::nullopt unless the format and the size match.
  std::optional<DWORD> as_dword() const { return fixed<DWORD>(CLUSPROP_FORMAT_DWORD); }
  std::optional<LONG> as_long() const { return fixed<LONG>(CLUSPROP_FORMAT_LONG); }
  std::optional<WORD> as_word() const { return fixed<WORD>(CLUSPROP_FORMAT_WORD); }
  std::optional<std::uint64_t> as_ularge() const {
    return fixed<std::uint64_t>(CLUSPROP_FORMAT_ULARGE_INTEGER);
  }
  std::optional<std::int64_t> as_large() const {
    return fixed<std::int64_t>(CLUSPROP_FORMAT_LARGE_INTEGER);
  }
  std::optional<FILETIME> as_filetime() const { return fixed<FILETIME>(CLUSPROP_FORMAT_FILETIME); }
  // SZ, EXPAND_SZ or EXPANDED_SZ: the text up to the first terminator.
  std::optional<std::wstring> as_sz() const {
    const WORD f = format();
    if (f != CLUSPROP_FORMAT_SZ && f != CLUSPROP_FORMAT_EXPAND_SZ &&
        f != CLUSPROP_FORMAT_EXPANDED_SZ) {
      return std::nullopt;
    }
    if (data.size() % sizeof(WCHAR) != 0)
      return std::nullopt;
    std::wstring text = proplist_detail::wide_chars(data);
    const auto end = text.find(L'\0');
    if (end != std::wstring::npos)
      text.resize(end);
    return text;
  }
  std::optional<std::vector<std::wstring>> as_multi_sz() const {
    if (format() != CLUSPROP_FORMAT_MULTI_SZ || data.size() % sizeof(WCHAR) != 0)
      return std::nullopt;
    const std::wstring chars = proplist_detail::wide_chars(data);
    std::vector<std::wstring> out;
    std::size_t start = 0;
    while (start < chars.size()) {
      auto end = chars.find(L'\0', start);
      if (end == std::wstring::npos)
        end = chars.size();
      if (end == start)
        break;
      out.emplace_back(chars, start, end - start);
      start = end + 1;
    }
    return out;
  }
  std::optional<std::vector<std::uint8_t>> as_binary() const {
    if (format() != CLUSPROP_FORMAT_BINARY)
      return std::nullopt;
    return data;
  }

 private:
  template <typename T>
  std::optional<T> fixed(WORD wanted) const {
    if (format() != wanted || data.size() != sizeof(T))
      return std::nullopt;
    T value;
    std::memcpy(&value, data.data(), sizeof value);
    return value;
  }
};

struct property_entry {
  std::wstring name;
  std::vector<property_value> values;  // one or more, in list order

  // The first value, which is the property's value for all but EXPAND_SZ pairs.
  const property_value& value() const { return values.front(); }
  DWORD syntax() const { return value().syntax; }
  WORD format() const { return value().format(); }
  const std::vector<std::uint8_t>& data() const { return value().data; }
};

struct property_list {
  bool ok = false;
  std::string error;  // when !ok: where and what, e.g. "offset 36: value length 40 exceeds the 12
                      // bytes left"
  std::vector<property_entry> properties;

  // Case-insensitive, as property names are; nullptr if absent.
  const property_entry* find(std::wstring_view name) const {
    for (const auto& p : properties) {
      if (proplist_detail::names_equal(p.name, name))
        return &p;
    }
    return nullptr;
  }
};

struct value_list {
  bool ok = false;
  std::string error;
  std::vector<property_value> values;
  std::size_t consumed = 0;  // bytes up to and including the end mark
};

namespace proplist_detail {

inline std::string at(std::size_t offset, const std::string& what) {
  return "offset " + std::to_string(offset) + ": " + what;
}

// Reads value entries from `offset` through the end mark, never past `size`. Inside a
// property list a CLUSPROP_SYNTAX_NAME entry can only be the next property (the end mark
// is missing); in a plain value list it is a legitimate value (a resource type name).
inline bool read_values(const std::uint8_t* base, std::size_t size, std::size_t& offset,
                        std::vector<property_value>& out, std::string& error,
                        bool names_are_values) {
  for (;;) {
    if (size - offset < sizeof(DWORD)) {
      error = at(offset, "truncated: no end mark");
      return false;
    }
    const DWORD syntax = get_dword(base + offset);
    if (syntax == CLUSPROP_SYNTAX_ENDMARK) {
      offset += sizeof(DWORD);
      return true;
    }
    if (syntax == CLUSPROP_SYNTAX_NAME && !names_are_values) {
      error = at(offset, "property name where a value or the end mark was expected");
      return false;
    }
    if (size - offset < 2 * sizeof(DWORD)) {
      error = at(offset, "truncated value header");
      return false;
    }
    const std::size_t length = get_dword(base + offset + sizeof(DWORD));
    const std::size_t left = size - offset - 2 * sizeof(DWORD);
    if (length > left) {
      error = at(offset, "value length " + std::to_string(length) + " exceeds the " +
                             std::to_string(left) + " bytes left");
      return false;
    }
    if (align_clusprop(length) > left) {
      error = at(offset, "value padding runs past the end of the buffer");
      return false;
    }
    property_value value;
    value.syntax = syntax;
    value.data.assign(base + offset + 2 * sizeof(DWORD),
                      base + offset + 2 * sizeof(DWORD) + length);
    out.push_back(std::move(value));
    offset += 2 * sizeof(DWORD) + align_clusprop(length);
  }
}

}  // namespace proplist_detail

// Parses a value list (value entries through the end mark); bytes after it are left for
// the caller (see `consumed`).
inline value_list parse_value_list(const void* data, std::size_t size) {
  value_list result;
  if (data == nullptr && size != 0) {
    result.error = "no buffer";
    return result;
  }
  std::size_t offset = 0;
  result.ok = proplist_detail::read_values(static_cast<const std::uint8_t*>(data), size, offset,
                                           result.values, result.error, true);
  if (result.ok)
    result.consumed = offset;
  return result;
}

namespace proplist_detail {

inline bool read_property_list(const std::uint8_t* base, std::size_t size, property_list& result) {
  if (base == nullptr || size < sizeof(DWORD)) {
    result.error = at(0, "truncated: no property count");
    return false;
  }
  const DWORD count = get_dword(base);
  // The smallest property: name header + one padded WCHAR, a value header, the end mark.
  constexpr std::size_t smallest_property =
      2 * sizeof(DWORD) + 4 + 2 * sizeof(DWORD) + sizeof(DWORD);
  if (count > (size - sizeof(DWORD)) / smallest_property) {
    result.error = at(0, "property count " + std::to_string(count) + " cannot fit in " +
                             std::to_string(size) + " bytes");
    return false;
  }
  std::size_t offset = sizeof(DWORD);
  result.properties.reserve(count);
  for (DWORD i = 0; i < count; ++i) {
    if (size - offset < 2 * sizeof(DWORD)) {
      result.error = at(offset, "truncated property name header (property " +
                                    std::to_string(i + 1) + " of " + std::to_string(count) + ")");
      return false;
    }
    const DWORD syntax = get_dword(base + offset);
    if (syntax != CLUSPROP_SYNTAX_NAME) {
      result.error =
          at(offset, "expected CLUSPROP_SYNTAX_NAME, found syntax " + std::to_string(syntax));
      return false;
    }
    const std::size_t length = get_dword(base + offset + sizeof(DWORD));
    const std::size_t left = size - offset - 2 * sizeof(DWORD);
    if (length > left || align_clusprop(length) > left) {
      result.error = at(offset, "name length " + std::to_string(length) + " exceeds the " +
                                    std::to_string(left) + " bytes left");
      return false;
    }
    if (length < sizeof(WCHAR) || length % sizeof(WCHAR) != 0) {
      result.error = at(
          offset, "name length " + std::to_string(length) + " is not a whole number of characters");
      return false;
    }
    property_entry entry;
    entry.name.resize(length / sizeof(WCHAR));
    std::memcpy(entry.name.data(), base + offset + 2 * sizeof(DWORD), length);
    if (entry.name.back() != L'\0') {
      result.error = at(offset, "property name is not terminated");
      return false;
    }
    entry.name.resize(entry.name.find(L'\0'));
    offset += 2 * sizeof(DWORD) + align_clusprop(length);
    const std::size_t values_at = offset;
    if (!read_values(base, size, offset, entry.values, result.error, false))
      return false;
    if (entry.values.empty()) {
      result.error = at(values_at, "property has no value");
      return false;
    }
    result.properties.push_back(std::move(entry));
  }
  for (std::size_t i = offset; i < size; ++i) {
    if (base[i] != 0) {
      result.error =
          at(offset, std::to_string(size - offset) + " unexpected bytes after the last property");
      return false;
    }
  }
  return true;
}

}  // namespace proplist_detail

// Parses a whole property list. Bytes after the last property must be zero (padding or a
// stray end mark); anything else is an error, as are a bad count, a missing name, a
// property without a value, and any length that reaches past `size`. On error `ok` is
// false, `error` says where and what, and `properties` is empty.
inline property_list parse_property_list(const void* data, std::size_t size) {
  property_list result;
  result.ok =
      proplist_detail::read_property_list(static_cast<const std::uint8_t*>(data), size, result);
  if (!result.ok)
    result.properties.clear();
  return result;
}

// One property of a *_PROPERTY_FMTS answer. The details are Wolfpack's (clusapi.h,
// WP_CLUSPROP_TYPE_*): absent when the answer has none (a Windows plugin's). The values keep
// their syntax; their format() is the property's, so as_dword() and the like read them.
struct property_format {
  std::wstring name;
  WORD format = CLUSPROP_FORMAT_UNKNOWN;
  std::optional<property_value> default_value;
  std::optional<property_value> minimum;
  std::optional<property_value> maximum;
  DWORD flags = 0;  // WP_CLUSPROP_FLAG_*
};

struct property_format_list {
  bool ok = false;
  std::string error;  // when !ok: which property and what
  std::vector<property_format> formats;
};

// Parses a *_PROPERTY_FMTS answer. Each property's first value must be its format (a
// LIST_VALUE_WORD); entries of types it does not know are skipped, as a client must.
inline property_format_list parse_property_formats(const void* data, std::size_t size) {
  property_format_list result;
  const auto list = parse_property_list(data, size);
  if (!list.ok) {
    result.error = list.error;
    return result;
  }
  for (const auto& p : list.properties) {
    const auto format = p.value().syntax == CLUSPROP_SYNTAX_LIST_VALUE_WORD ? p.value().as_word()
                                                                            : std::optional<WORD>{};
    if (!format) {
      result.error = "property " + proplist_detail::narrow(p.name) +
                     ": the first value is not a LIST_VALUE_WORD format";
      result.formats.clear();
      return result;
    }
    property_format f;
    f.name = p.name;
    f.format = *format;
    for (std::size_t i = 1; i < p.values.size(); ++i) {
      const auto& v = p.values[i];
      switch (v.type()) {
        case WP_CLUSPROP_TYPE_DEFAULT:
          f.default_value = v;
          break;
        case WP_CLUSPROP_TYPE_MINIMUM:
          f.minimum = v;
          break;
        case WP_CLUSPROP_TYPE_MAXIMUM:
          f.maximum = v;
          break;
        case WP_CLUSPROP_TYPE_FLAGS:
          f.flags = v.as_dword().value_or(0);
          break;
        default:
          break;
      }
    }
    result.formats.push_back(std::move(f));
  }
  result.ok = true;
  return result;
}

// Hands a built buffer to a control-code caller with the Win32 convention:
// *returned = the full size; ERROR_MORE_DATA if out is NULL or smaller; else copies it.
inline DWORD copy_out(const std::vector<std::uint8_t>& data, void* out, DWORD out_size,
                      DWORD* returned) {
  if (data.size() > 0xFFFFFFFFu)
    return ERROR_INVALID_DATA;
  const auto size = static_cast<DWORD>(data.size());
  if (returned != nullptr)
    *returned = size;
  if (size == 0)
    return ERROR_SUCCESS;
  if (out == nullptr || out_size < size)
    return ERROR_MORE_DATA;
  std::memcpy(out, data.data(), size);
  return ERROR_SUCCESS;
}

}  // namespace wolfpack
