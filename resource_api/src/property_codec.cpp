// The insides of the property-table ResUtil functions (property_codec.hpp).
#include "property_codec.hpp"

#include <cstring>

#include "resutil_support.hpp"

namespace wolfpack::detail {

// ---- reading a property list in place ------------------------------------------------------

// Walks a whole list; every length is checked against `size` before it is used.
list_status walk_list(const void* buffer, std::size_t size, std::vector<raw_property>& out) {
  const auto* base = static_cast<const std::uint8_t*>(buffer);
  if (base == nullptr)
    return list_status::malformed;
  if (size < sizeof(DWORD))
    return list_status::truncated;
  const DWORD count = wolfpack::proplist_detail::get_dword(base);
  std::size_t at = sizeof(DWORD);
  for (DWORD i = 0; i < count; ++i) {
    if (size - at < 2 * sizeof(DWORD))
      return list_status::truncated;
    if (wolfpack::proplist_detail::get_dword(base + at) != CLUSPROP_SYNTAX_NAME)
      return list_status::malformed;
    const std::size_t name_length = wolfpack::proplist_detail::get_dword(base + at + sizeof(DWORD));
    at += 2 * sizeof(DWORD);
    if (wolfpack::align_clusprop(name_length) > size - at)
      return list_status::truncated;
    if (name_length < sizeof(WCHAR) || name_length % sizeof(WCHAR) != 0)
      return list_status::malformed;
    raw_property property;
    property.name.resize(name_length / sizeof(WCHAR));
    std::memcpy(property.name.data(), base + at, name_length);
    if (property.name.back() != L'\0')
      return list_status::malformed;
    property.name.resize(property.name.find(L'\0'));
    at += wolfpack::align_clusprop(name_length);
    for (;;) {
      if (size - at < sizeof(DWORD))
        return list_status::truncated;
      const DWORD syntax = wolfpack::proplist_detail::get_dword(base + at);
      if (syntax == CLUSPROP_SYNTAX_ENDMARK) {
        at += sizeof(DWORD);
        break;
      }
      if (syntax == CLUSPROP_SYNTAX_NAME)
        return list_status::malformed;  // the end mark is missing
      if (size - at < 2 * sizeof(DWORD))
        return list_status::truncated;
      raw_value value;
      value.syntax = syntax;
      value.length = wolfpack::proplist_detail::get_dword(base + at + sizeof(DWORD));
      at += 2 * sizeof(DWORD);
      if (wolfpack::align_clusprop(value.length) > size - at)
        return list_status::truncated;
      value.data = base + at;
      at += wolfpack::align_clusprop(value.length);
      property.values.push_back(value);
    }
    if (property.values.empty())
      return list_status::malformed;
    out.push_back(std::move(property));
  }
  return list_status::ok;
}

DWORD list_error(list_status s) {
  return s == list_status::truncated ? ERROR_INSUFFICIENT_BUFFER : ERROR_INVALID_DATA;
}

// ---- one property's value, whatever its format -------------------------------------------

bool is_string_format(DWORD f) {
  return f == CLUSPROP_FORMAT_SZ || f == CLUSPROP_FORMAT_EXPAND_SZ;
}
bool is_buffer_format(DWORD f) {
  return f == CLUSPROP_FORMAT_MULTI_SZ || f == CLUSPROP_FORMAT_BINARY;
}
bool is_qword_format(DWORD f) {
  return f == CLUSPROP_FORMAT_ULARGE_INTEGER || f == CLUSPROP_FORMAT_LARGE_INTEGER;
}
bool supported_format(DWORD f) {
  return f == CLUSPROP_FORMAT_DWORD || f == CLUSPROP_FORMAT_LONG || is_string_format(f) ||
         is_buffer_format(f) || is_qword_format(f);
}

DWORD registry_type(DWORD format) {
  switch (format) {
    case CLUSPROP_FORMAT_DWORD:
    case CLUSPROP_FORMAT_LONG:
      return REG_DWORD;
    case CLUSPROP_FORMAT_SZ:
      return REG_SZ;
    case CLUSPROP_FORMAT_EXPAND_SZ:
      return REG_EXPAND_SZ;
    case CLUSPROP_FORMAT_MULTI_SZ:
      return REG_MULTI_SZ;
    case CLUSPROP_FORMAT_ULARGE_INTEGER:
    case CLUSPROP_FORMAT_LARGE_INTEGER:
      return REG_QWORD;
    default:
      return REG_BINARY;
  }
}

// The registry bytes of a value.
bytes registry_bytes(const typed_value& v) {
  bytes out;
  if (v.format == CLUSPROP_FORMAT_DWORD || v.format == CLUSPROP_FORMAT_LONG) {
    out.resize(sizeof(DWORD));
    std::memcpy(out.data(), &v.dw, sizeof(DWORD));
  } else if (is_qword_format(v.format)) {
    out.resize(sizeof(std::uint64_t));
    std::memcpy(out.data(), &v.qw, sizeof(std::uint64_t));
  } else if (is_string_format(v.format)) {
    out.resize((v.text.size() + 1) * sizeof(WCHAR), 0);
    std::memcpy(out.data(), v.text.c_str(), v.text.size() * sizeof(WCHAR));
  } else {
    out = v.data;
  }
  return out;
}

// Range checks of DWORD, LONG and the large integers (both bounds 0: no range).
DWORD check_range(const RESUTIL_PROPERTY_ITEM& item, const typed_value& v) {
  if (item.Format == CLUSPROP_FORMAT_DWORD || item.Format == CLUSPROP_FORMAT_LONG) {
    if (item.Minimum == 0 && item.Maximum == 0)
      return ERROR_SUCCESS;
    const bool is_signed =
        item.Format == CLUSPROP_FORMAT_LONG || (item.Flags & RESUTIL_PROPITEM_SIGNED) != 0;
    if (is_signed) {
      const auto value = static_cast<LONG>(v.dw);
      if (value < static_cast<LONG>(item.Minimum) || value > static_cast<LONG>(item.Maximum))
        return ERROR_INVALID_PARAMETER;
    } else if (v.dw < item.Minimum || v.dw > item.Maximum) {
      return ERROR_INVALID_PARAMETER;
    }
    return ERROR_SUCCESS;
  }
  if (item.Format == CLUSPROP_FORMAT_ULARGE_INTEGER && item.ULargeIntData != nullptr) {
    const auto& r = *item.ULargeIntData;
    if ((r.Minimum.QuadPart != 0 || r.Maximum.QuadPart != 0) &&
        (v.qw < r.Minimum.QuadPart || v.qw > r.Maximum.QuadPart)) {
      return ERROR_INVALID_PARAMETER;
    }
  }
  if (item.Format == CLUSPROP_FORMAT_LARGE_INTEGER && item.LargeIntData != nullptr) {
    const auto& r = *item.LargeIntData;
    const auto value = static_cast<std::int64_t>(v.qw);
    if ((r.Minimum.QuadPart != 0 || r.Maximum.QuadPart != 0) &&
        (value < r.Minimum.QuadPart || value > r.Maximum.QuadPart)) {
      return ERROR_INVALID_PARAMETER;
    }
  }
  return ERROR_SUCCESS;
}

bool terminated_string(const raw_value& v) {
  if (v.length < sizeof(WCHAR) || v.length % sizeof(WCHAR) != 0)
    return false;
  WCHAR last;
  std::memcpy(&last, v.data + v.length - sizeof(WCHAR), sizeof last);
  return last == L'\0';
}

// A list value checked against its table item: ERROR_INVALID_PARAMETER for another format
// (SZ and EXPAND_SZ stand for each other) or out of range, ERROR_INVALID_DATA when the
// bytes do not make a value of the format.
DWORD value_from_list(const RESUTIL_PROPERTY_ITEM& item, const raw_value& raw, typed_value& v) {
  const WORD f = raw.format();
  const bool format_ok = f == item.Format || (is_string_format(f) && is_string_format(item.Format));
  if (!format_ok)
    return ERROR_INVALID_PARAMETER;
  v.format = static_cast<WORD>(item.Format);
  if (item.Format == CLUSPROP_FORMAT_DWORD || item.Format == CLUSPROP_FORMAT_LONG) {
    if (raw.length != sizeof(DWORD))
      return ERROR_INVALID_DATA;
    std::memcpy(&v.dw, raw.data, sizeof(DWORD));
  } else if (is_qword_format(item.Format)) {
    if (raw.length != sizeof(std::uint64_t))
      return ERROR_INVALID_DATA;
    std::memcpy(&v.qw, raw.data, sizeof(std::uint64_t));
  } else if (is_string_format(item.Format)) {
    if (!terminated_string(raw))
      return ERROR_INVALID_DATA;
    v.text.assign(reinterpret_cast<const WCHAR*>(raw.data));
  } else if (item.Format == CLUSPROP_FORMAT_MULTI_SZ) {
    if (!terminated_string(raw))
      return ERROR_INVALID_DATA;
    v.data.assign(raw.data, raw.data + raw.length);
  } else {
    v.data.assign(raw.data, raw.data + raw.length);
  }
  return check_range(item, v);
}

// The item's default, as the table gives it.
typed_value default_value(const RESUTIL_PROPERTY_ITEM& item) {
  typed_value v;
  v.format = static_cast<WORD>(item.Format);
  if (item.Format == CLUSPROP_FORMAT_DWORD || item.Format == CLUSPROP_FORMAT_LONG) {
    v.dw = item.Default;
  } else if (item.Format == CLUSPROP_FORMAT_ULARGE_INTEGER) {
    v.qw = item.ULargeIntData ? item.ULargeIntData->Default.QuadPart : 0;
  } else if (item.Format == CLUSPROP_FORMAT_LARGE_INTEGER) {
    v.qw = item.LargeIntData ? static_cast<std::uint64_t>(item.LargeIntData->Default.QuadPart) : 0;
  } else if (is_string_format(item.Format)) {
    v.has_pointer = item.lpDefault != nullptr;
    if (v.has_pointer)
      v.text = static_cast<const WCHAR*>(item.lpDefault);
  } else {
    // MULTI_SZ and BINARY defaults: lpDefault holding Minimum bytes.
    v.has_pointer = item.lpDefault != nullptr && item.Minimum != 0;
    if (v.has_pointer) {
      const auto* p = static_cast<const std::uint8_t*>(item.lpDefault);
      v.data.assign(p, p + item.Minimum);
    }
  }
  return v;
}

namespace {

// The key that holds an item's value: the key itself, or its KeyName subkey.
class item_key {
 public:
  item_key(HKEY key, const RESUTIL_PROPERTY_ITEM& item, bool create) {
    if (item.KeyName == nullptr) {
      key_ = key;
      return;
    }
    status_ = create ? static_cast<DWORD>(ClusterRegCreateKey(key, item.KeyName, 0, KEY_ALL_ACCESS,
                                                              nullptr, &opened_, nullptr))
                     : static_cast<DWORD>(ClusterRegOpenKey(key, item.KeyName, KEY_READ, &opened_));
    key_ = opened_;
  }
  ~item_key() {
    if (opened_ != nullptr)
      ClusterRegCloseKey(opened_);
  }
  item_key(const item_key&) = delete;
  item_key& operator=(const item_key&) = delete;
  HKEY get() const { return key_; }
  DWORD status() const { return status_; }

 private:
  HKEY key_ = nullptr;
  HKEY opened_ = nullptr;
  DWORD status_ = ERROR_SUCCESS;
};

}  // namespace

// The item's value from the cluster database. ERROR_FILE_NOT_FOUND when absent;
// ERROR_INVALID_PARAMETER when stored with a type the format cannot take.
DWORD value_from_registry(HKEY key, const RESUTIL_PROPERTY_ITEM& item, typed_value& v) {
  item_key k(key, item, false);
  if (k.status() != ERROR_SUCCESS)
    return k.status();
  DWORD type = REG_NONE;
  bytes data;
  const DWORD status = query_value(k.get(), item.Name, type, data);
  if (status != ERROR_SUCCESS)
    return status;
  v.format = static_cast<WORD>(item.Format);
  if (item.Format == CLUSPROP_FORMAT_DWORD || item.Format == CLUSPROP_FORMAT_LONG) {
    if (type != REG_DWORD || data.size() != sizeof(DWORD))
      return ERROR_INVALID_PARAMETER;
    std::memcpy(&v.dw, data.data(), sizeof(DWORD));
  } else if (is_qword_format(item.Format)) {
    if (type != REG_QWORD || data.size() != sizeof(std::uint64_t))
      return ERROR_INVALID_PARAMETER;
    std::memcpy(&v.qw, data.data(), sizeof(std::uint64_t));
  } else if (is_string_format(item.Format)) {
    if (type != REG_SZ && type != REG_EXPAND_SZ)
      return ERROR_INVALID_PARAMETER;
    v.text = string_from_bytes(data);
  } else if (item.Format == CLUSPROP_FORMAT_MULTI_SZ) {
    if (type != REG_MULTI_SZ)
      return ERROR_INVALID_PARAMETER;
    v.data = std::move(data);
  } else {
    v.data = std::move(data);
  }
  return ERROR_SUCCESS;
}

// Writes the item's value unless the database already holds exactly these bytes.
DWORD value_to_registry(HKEY key, const RESUTIL_PROPERTY_ITEM& item, const typed_value& v,
                        bool force_write) {
  item_key k(key, item, true);
  if (k.status() != ERROR_SUCCESS)
    return k.status();
  const bytes wanted = registry_bytes(v);
  const DWORD wanted_type = registry_type(item.Format);
  DWORD type = REG_NONE;
  bytes current;
  if (!force_write && query_value(k.get(), item.Name, type, current) == ERROR_SUCCESS &&
      type == wanted_type && current == wanted) {
    return ERROR_SUCCESS;
  }
  return write_value(k.get(), item.Name, wanted_type, wanted.data(), wanted.size());
}

// ---- parameter block fields ----------------------------------------------------------------

// The pointer field of a string or buffer item (nullptr for other formats).
void* pointer_field(const BYTE* block, const RESUTIL_PROPERTY_ITEM& item) {
  if (!is_string_format(item.Format) && !is_buffer_format(item.Format))
    return nullptr;
  return load<void*>(block, item.Offset);
}

typed_value value_from_block(const BYTE* block, const RESUTIL_PROPERTY_ITEM& item) {
  typed_value v;
  v.format = static_cast<WORD>(item.Format);
  if (item.Format == CLUSPROP_FORMAT_DWORD || item.Format == CLUSPROP_FORMAT_LONG) {
    v.dw = load<DWORD>(block, item.Offset);
  } else if (is_qword_format(item.Format)) {
    v.qw = load<std::uint64_t>(block, item.Offset);
  } else if (is_string_format(item.Format)) {
    const auto* text = static_cast<const WCHAR*>(load<void*>(block, item.Offset));
    v.has_pointer = text != nullptr;
    if (text != nullptr)
      v.text = text;
  } else {
    const auto* p = static_cast<const std::uint8_t*>(load<void*>(block, item.Offset));
    const auto size = load<DWORD>(block, item.Offset + sizeof(void*));
    v.has_pointer = p != nullptr;
    if (p != nullptr)
      v.data.assign(p, p + size);
  }
  return v;
}

// Puts a value into the block; a string or buffer already there is LocalFree'd and
// replaced by a LocalAlloc'd copy.
DWORD value_to_block(BYTE* block, const RESUTIL_PROPERTY_ITEM& item, const typed_value& v) {
  if (item.Format == CLUSPROP_FORMAT_DWORD || item.Format == CLUSPROP_FORMAT_LONG) {
    store(block, item.Offset, v.dw);
    return ERROR_SUCCESS;
  }
  if (is_qword_format(item.Format)) {
    store(block, item.Offset, v.qw);
    return ERROR_SUCCESS;
  }
  void* copy = nullptr;
  if (v.has_pointer) {
    copy = is_string_format(item.Format)
               ? static_cast<void*>(local_string(v.text))
               : static_cast<void*>(local_bytes(v.data.data(), v.data.size()));
    if (copy == nullptr)
      return ERROR_NOT_ENOUGH_MEMORY;
  }
  LocalFree(load<void*>(block, item.Offset));
  store(block, item.Offset, copy);
  if (is_buffer_format(item.Format))
    store(block, item.Offset + sizeof(void*),
          static_cast<DWORD>(v.has_pointer ? v.data.size() : 0));
  return ERROR_SUCCESS;
}

// ---- tables ------------------------------------------------------------------------------

const RESUTIL_PROPERTY_ITEM* find_item(const RESUTIL_PROPERTY_ITEM* table, std::wstring_view name) {
  if (table == nullptr)
    return nullptr;
  for (const RESUTIL_PROPERTY_ITEM* item = table; item->Name != nullptr; ++item) {
    if (names_equal(item->Name, name))
      return item;
  }
  return nullptr;
}

// A value's entries in a property list (EXPAND_SZ adds its expansion, as Windows does).
void add_to_list(wolfpack::property_list_builder& list, const std::wstring& name,
                 const typed_value& v) {
  switch (v.format) {
    case CLUSPROP_FORMAT_DWORD:
      list.add_dword(name, v.dw);
      break;
    case CLUSPROP_FORMAT_LONG:
      list.add_long(name, static_cast<LONG>(v.dw));
      break;
    case CLUSPROP_FORMAT_ULARGE_INTEGER:
      list.add_ularge(name, v.qw);
      break;
    case CLUSPROP_FORMAT_LARGE_INTEGER:
      list.add_large(name, static_cast<std::int64_t>(v.qw));
      break;
    case CLUSPROP_FORMAT_SZ:
      list.add_sz(name, v.text);
      break;
    case CLUSPROP_FORMAT_EXPAND_SZ:
      list.add_expand_sz(name, v.text, expand_environment(v.text));
      break;
    case CLUSPROP_FORMAT_MULTI_SZ:
      list.add_property(
          name, wolfpack::value_list_builder().add_value(CLUSPROP_SYNTAX_LIST_VALUE_MULTI_SZ,
                                                         v.data.data(), v.data.size()));
      break;
    default:
      list.add_binary(name, v.data);
      break;
  }
}

namespace {

void add_detail(wolfpack::value_list_builder& out, DWORD type, WORD format, const void* data,
                std::size_t size) {
  out.add_value(CLUSPROP_SYNTAX_VALUE(type, format), data, size);
}

}  // namespace

wolfpack::value_list_builder format_details(const RESUTIL_PROPERTY_ITEM& item) {
  wolfpack::value_list_builder d;
  const auto format = static_cast<WORD>(item.Format);
  const typed_value v = default_value(item);
  if (v.has_pointer) {
    switch (format) {
      case CLUSPROP_FORMAT_DWORD:
      case CLUSPROP_FORMAT_LONG:
        add_detail(d, WP_CLUSPROP_TYPE_DEFAULT, format, &v.dw, sizeof v.dw);
        break;
      case CLUSPROP_FORMAT_ULARGE_INTEGER:
      case CLUSPROP_FORMAT_LARGE_INTEGER:
        add_detail(d, WP_CLUSPROP_TYPE_DEFAULT, format, &v.qw, sizeof v.qw);
        break;
      case CLUSPROP_FORMAT_SZ:
      case CLUSPROP_FORMAT_EXPAND_SZ: {
        const auto text = wolfpack::proplist_detail::sz_bytes(v.text);
        add_detail(d, WP_CLUSPROP_TYPE_DEFAULT, format, text.data(), text.size());
        break;
      }
      default:
        add_detail(d, WP_CLUSPROP_TYPE_DEFAULT, format, v.data.data(), v.data.size());
        break;
    }
  }
  // Both bounds 0 mean "no range" in a table.
  if ((format == CLUSPROP_FORMAT_DWORD || format == CLUSPROP_FORMAT_LONG) &&
      (item.Minimum != 0 || item.Maximum != 0)) {
    add_detail(d, WP_CLUSPROP_TYPE_MINIMUM, format, &item.Minimum, sizeof item.Minimum);
    add_detail(d, WP_CLUSPROP_TYPE_MAXIMUM, format, &item.Maximum, sizeof item.Maximum);
  }
  // A large integer's range: both 64-bit bounds, stored the same way signed or not.
  std::optional<std::pair<std::uint64_t, std::uint64_t>> large;
  if (format == CLUSPROP_FORMAT_ULARGE_INTEGER && item.ULargeIntData != nullptr)
    large = {item.ULargeIntData->Minimum.QuadPart, item.ULargeIntData->Maximum.QuadPart};
  if (format == CLUSPROP_FORMAT_LARGE_INTEGER && item.LargeIntData != nullptr) {
    large = {static_cast<std::uint64_t>(item.LargeIntData->Minimum.QuadPart),
             static_cast<std::uint64_t>(item.LargeIntData->Maximum.QuadPart)};
  }
  if (large && (large->first != 0 || large->second != 0)) {
    add_detail(d, WP_CLUSPROP_TYPE_MINIMUM, format, &large->first, sizeof large->first);
    add_detail(d, WP_CLUSPROP_TYPE_MAXIMUM, format, &large->second, sizeof large->second);
  }
  // A signed DWORD keeps its format (clients read it as a DWORD) and says how to read it.
  const bool signed_dword =
      format == CLUSPROP_FORMAT_DWORD && (item.Flags & RESUTIL_PROPITEM_SIGNED) != 0;
  const DWORD flags =
      ((item.Flags & RESUTIL_PROPITEM_REQUIRED) != 0 ? WP_CLUSPROP_FLAG_REQUIRED : 0u) |
      ((item.Flags & RESUTIL_PROPITEM_READ_ONLY) != 0 ? WP_CLUSPROP_FLAG_READ_ONLY : 0u) |
      (signed_dword ? WP_CLUSPROP_FLAG_SIGNED : 0u);
  if (flags != 0)
    add_detail(d, WP_CLUSPROP_TYPE_FLAGS, CLUSPROP_FORMAT_DWORD, &flags, sizeof flags);
  return d;
}

// A caller's output buffer, the Win32 way: ERROR_MORE_DATA with *required set when small.
DWORD hand_out(const bytes& data, void* out, DWORD out_size, LPDWORD returned, LPDWORD required) {
  *returned = 0;
  *required = 0;
  if (data.size() > 0xFFFFFFFFu)
    return ERROR_INVALID_DATA;
  if (out == nullptr || out_size < data.size()) {
    *required = static_cast<DWORD>(data.size());
    return ERROR_MORE_DATA;
  }
  std::memcpy(out, data.data(), data.size());
  *returned = static_cast<DWORD>(data.size());
  return ERROR_SUCCESS;
}

// Reads a table's properties into a list: stored values, else defaults; a string or
// buffer with neither is left out.
DWORD table_to_list(HKEY key, const RESUTIL_PROPERTY_ITEM* table,
                    wolfpack::property_list_builder& list) {
  return for_each_item(table, [&](const RESUTIL_PROPERTY_ITEM& item) -> DWORD {
    typed_value v;
    const DWORD status = stored_or_default(key, item, v);
    if (status == ERROR_SUCCESS && v.has_pointer)
      add_to_list(list, item.Name, v);
    return status;
  });
}

DWORD stored_or_default(HKEY key, const RESUTIL_PROPERTY_ITEM& item, typed_value& v) {
  if (!supported_format(item.Format))
    return ERROR_INVALID_PARAMETER;
  const DWORD status = value_from_registry(key, item, v);
  if (status == ERROR_FILE_NOT_FOUND) {
    v = default_value(item);
    return ERROR_SUCCESS;
  }
  return status;
}

// A registry value as a property value of the format its type implies; false when the
// bytes cannot be one (a DWORD that is not 4 bytes).
bool value_from_registry_data(DWORD type, bytes data, typed_value& v) {
  switch (type) {
    case REG_DWORD:
      if (data.size() != sizeof(DWORD))
        return false;
      v.format = CLUSPROP_FORMAT_DWORD;
      std::memcpy(&v.dw, data.data(), sizeof(DWORD));
      return true;
    case REG_QWORD:
      if (data.size() != sizeof(std::uint64_t))
        return false;
      v.format = CLUSPROP_FORMAT_ULARGE_INTEGER;
      std::memcpy(&v.qw, data.data(), sizeof(std::uint64_t));
      return true;
    case REG_SZ:
    case REG_EXPAND_SZ:
      v.format = type == REG_SZ ? CLUSPROP_FORMAT_SZ : CLUSPROP_FORMAT_EXPAND_SZ;
      v.text = string_from_bytes(data);
      return true;
    case REG_MULTI_SZ:
      v.format = CLUSPROP_FORMAT_MULTI_SZ;
      v.data = std::move(data);
      return true;
    default:
      v.format = CLUSPROP_FORMAT_BINARY;
      v.data = std::move(data);
      return true;
  }
}

// The values of `key` that no table item names, as property-list entries.
DWORD value_names(HKEY key, std::vector<std::wstring>& names) {
  std::vector<WCHAR> name(256);
  for (DWORD index = 0;; ++index) {
    DWORD cch = static_cast<DWORD>(name.size());
    DWORD status = ClusterRegEnumValue(key, index, name.data(), &cch, nullptr, nullptr, nullptr);
    if (status == ERROR_MORE_DATA) {
      name.resize(cch + 1);
      cch = static_cast<DWORD>(name.size());
      status = ClusterRegEnumValue(key, index, name.data(), &cch, nullptr, nullptr, nullptr);
    }
    if (status == ERROR_NO_MORE_ITEMS)
      return ERROR_SUCCESS;
    if (status != ERROR_SUCCESS)
      return status;
    names.emplace_back(name.data(), cch);
  }
}

DWORD unknown_properties(HKEY key, const RESUTIL_PROPERTY_ITEM* table, bytes& entries,
                         DWORD& count) {
  std::vector<std::wstring> names;
  const DWORD status = value_names(key, names);
  if (status != ERROR_SUCCESS)
    return status;
  for (const std::wstring& value_name : names) {
    // The unnamed (default) value is no property.
    if (value_name.empty())
      continue;
    const RESUTIL_PROPERTY_ITEM* item = find_item(table, value_name);
    if (item != nullptr && item->KeyName == nullptr)
      continue;
    DWORD type = REG_NONE;
    bytes data;
    if (query_value(key, value_name.c_str(), type, data) != ERROR_SUCCESS)
      continue;  // deleted meanwhile
    typed_value v;
    if (!value_from_registry_data(type, std::move(data), v))
      continue;
    wolfpack::property_list_builder one;
    add_to_list(one, value_name, v);
    entries.insert(entries.end(), one.bytes().begin() + sizeof(DWORD), one.bytes().end());
    ++count;
  }
  return ERROR_SUCCESS;
}

// Checks a whole list against a table. `values` gets, per known property, its item and
// value, in list order (a later duplicate wins when applied).
DWORD verify_list(const RESUTIL_PROPERTY_ITEM* table, BOOL allow_unknown, const void* list,
                  DWORD size, checked_values& values) {
  std::vector<raw_property> properties;
  const list_status s = walk_list(list, size, properties);
  if (s != list_status::ok)
    return list_error(s);
  for (const raw_property& p : properties) {
    const RESUTIL_PROPERTY_ITEM* item = find_item(table, p.name);
    if (item == nullptr) {
      if (allow_unknown)
        continue;
      return ERROR_INVALID_PARAMETER;
    }
    if ((item->Flags & RESUTIL_PROPITEM_READ_ONLY) != 0 || !supported_format(item->Format))
      return ERROR_INVALID_PARAMETER;
    typed_value v;
    const DWORD status = value_from_list(*item, p.values.front(), v);
    if (status != ERROR_SUCCESS)
      return status;
    values.emplace_back(item, std::move(v));
  }
  return ERROR_SUCCESS;
}

DWORD apply_to_block(BYTE* block, const checked_values& values) {
  for (const auto& [item, v] : values) {
    const DWORD status = value_to_block(block, *item, v);
    if (status != ERROR_SUCCESS)
      return status;
  }
  return ERROR_SUCCESS;
}

// A list value's registry form, for properties no table describes.
std::optional<std::pair<DWORD, bytes>> unknown_to_registry(const raw_value& v) {
  bytes data(v.data, v.data + v.length);
  switch (v.format()) {
    case CLUSPROP_FORMAT_DWORD:
    case CLUSPROP_FORMAT_LONG:
      if (v.length != sizeof(DWORD))
        return std::nullopt;
      return std::make_pair(static_cast<DWORD>(REG_DWORD), data);
    case CLUSPROP_FORMAT_ULARGE_INTEGER:
    case CLUSPROP_FORMAT_LARGE_INTEGER:
      if (v.length != sizeof(std::uint64_t))
        return std::nullopt;
      return std::make_pair(static_cast<DWORD>(REG_QWORD), data);
    case CLUSPROP_FORMAT_SZ:
    case CLUSPROP_FORMAT_EXPAND_SZ:
    case CLUSPROP_FORMAT_MULTI_SZ:
      if (!terminated_string(v))
        return std::nullopt;
      return std::make_pair(registry_type(v.format()), data);
    default:
      return std::make_pair(static_cast<DWORD>(REG_BINARY), data);
  }
}

void free_block(BYTE* out, const BYTE* in, const RESUTIL_PROPERTY_ITEM* table) {
  for (const RESUTIL_PROPERTY_ITEM* item = table; item->Name != nullptr; ++item) {
    void* p = pointer_field(out, *item);
    if (p == nullptr)
      continue;
    if (in == nullptr || p != pointer_field(in, *item))
      LocalFree(p);
    store<void*>(out, item->Offset, nullptr);
  }
}

}  // namespace wolfpack::detail
