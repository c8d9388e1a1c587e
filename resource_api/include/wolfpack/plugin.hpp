// A header-only C++ layer over the Resource API's C ABI, for writing new resource types.
//
// A resource type is a class derived from wolfpack::plugin::resource<Params>, where Params
// is a plain struct holding the private properties (an empty struct when there are none):
//
//   struct marker_params {
//     std::wstring path;
//     DWORD mode = 0644;
//   };
//
//   class marker : public wolfpack::plugin::resource<marker_params> {
//    public:
//     static wolfpack::plugin::property_table<marker_params> properties() {
//       return wolfpack::plugin::property_table<marker_params>()
//           .sz(L"Path", &marker_params::path).required()
//           .dword(L"Mode", &marker_params::mode, 0644, 0, 0777);
//     }
//     wolfpack::plugin::result online() override;      // params() holds the values
//     wolfpack::plugin::result offline() override;
//     bool looks_alive() override;
//     bool is_alive() override;
//   };
//
//   WOLFPACK_EXPORT_RESOURCE_TYPE(marker, L"Marker")
//
// The property table, declared once, gives: the values read from the resource's Parameters
// key before every Online (params()), VALIDATE/SET/GET/ENUM_PRIVATE_PROPERTIES, the read-only
// list, and GET_PRIVATE_RESOURCE_PROPERTY_FMTS. The layer also keeps every entry point's
// contract (see docs/plugin-guide.md): no C++ exception ever crosses the C ABI, a pending
// Online/Offline runs on a ClusWorker that reports progress and completion through
// SetResourceStatus and is stopped by Terminate, Offline, Close and a new operation.
//
// Everything here has hidden visibility, so several plugins built with this header can live
// in one monitor process without sharing state.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <cwctype>
#include <exception>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "wolfpack/clusapi.h"
#include "wolfpack/proplist.hpp"
#include "wolfpack/resapi.h"
#include "wolfpack/wide_string.hpp"

// Hidden visibility for everything below (templates, inline variables, function-local
// statics): each plugin gets its own copy even without -fvisibility=hidden.
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC visibility push(hidden)
#endif

namespace wolfpack::plugin {

// ==== results and errors ====================================================================

// What online() and offline() return: done, pending (a worker reports completion), or a
// Win32 error code that fails the resource.
class result {
 public:
  static result success() noexcept { return result(ERROR_SUCCESS); }
  static result pending() noexcept { return result(ERROR_IO_PENDING); }
  static result failure(DWORD code) noexcept {
    return result(code == ERROR_SUCCESS || code == ERROR_IO_PENDING ? ERROR_GEN_FAILURE : code);
  }
  // A plain Win32 code works too: ERROR_SUCCESS, ERROR_IO_PENDING, or an error.
  result(DWORD code) noexcept : code_(code) {}  // NOLINT(google-explicit-constructor)

  DWORD code() const noexcept { return code_; }
  bool ok() const noexcept { return code_ == ERROR_SUCCESS; }
  bool is_pending() const noexcept { return code_ == ERROR_IO_PENDING; }

 private:
  DWORD code_;
};

// Thrown by plugin code (or by the layer) to fail the current entry point with a Win32 code;
// the message goes to the cluster log. Any other exception becomes ERROR_GEN_FAILURE (or
// ERROR_NOT_ENOUGH_MEMORY for std::bad_alloc).
class error : public std::exception {
 public:
  error(DWORD code, std::string message) : code_(code), message_(std::move(message)) {}
  DWORD code() const noexcept { return code_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  DWORD code_;
  std::string message_;
};

// Why a property list or a stored value was refused: a Win32 code and a message naming the
// property. Converts to true when nothing was refused.
struct outcome {
  DWORD status = ERROR_SUCCESS;
  std::string message;

  explicit operator bool() const noexcept { return status == ERROR_SUCCESS; }
  static outcome refused(DWORD status, std::string message) { return {status, std::move(message)}; }
};

namespace detail {

// The Win32 code and a message for the exception being handled (call inside catch).
inline std::pair<DWORD, std::string> current_exception_status() noexcept {
  try {
    throw;
  } catch (const error& e) {
    return {e.code(), e.what()};
  } catch (const std::bad_alloc&) {
    return {ERROR_NOT_ENOUGH_MEMORY, "out of memory"};
  } catch (const std::system_error& e) {
    return {ERROR_GEN_FAILURE, e.what()};
  } catch (const std::exception& e) {
    return {ERROR_GEN_FAILURE, e.what()};
  } catch (...) {
    return {ERROR_GEN_FAILURE, "unknown exception"};
  }
}

inline bool iequals(std::wstring_view a, std::wstring_view b) {
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

inline std::string narrow(std::wstring_view text) {
  try {
    return to_utf8(text);
  } catch (...) {
    return {};
  }
}

}  // namespace detail

// ==== properties =============================================================================

enum class property_type { dword, qword, sz, expand_sz, multi_sz, binary };

// One value of any property type: DWORD, QWORD, SZ and EXPAND_SZ (text), MULTI_SZ, BINARY.
using property_value = std::variant<DWORD, ULONGLONG, std::wstring, std::vector<std::wstring>,
                                    std::vector<std::uint8_t>>;

inline constexpr WORD clusprop_format(property_type type) noexcept {
  switch (type) {
    case property_type::dword:
      return CLUSPROP_FORMAT_DWORD;
    case property_type::qword:
      return CLUSPROP_FORMAT_ULARGE_INTEGER;
    case property_type::sz:
      return CLUSPROP_FORMAT_SZ;
    case property_type::expand_sz:
      return CLUSPROP_FORMAT_EXPAND_SZ;
    case property_type::multi_sz:
      return CLUSPROP_FORMAT_MULTI_SZ;
    case property_type::binary:
      return CLUSPROP_FORMAT_BINARY;
  }
  return CLUSPROP_FORMAT_UNKNOWN;
}

inline constexpr DWORD registry_type(property_type type) noexcept {
  switch (type) {
    case property_type::dword:
      return REG_DWORD;
    case property_type::qword:
      return REG_QWORD;
    case property_type::sz:
      return REG_SZ;
    case property_type::expand_sz:
      return REG_EXPAND_SZ;
    case property_type::multi_sz:
      return REG_MULTI_SZ;
    case property_type::binary:
      return REG_BINARY;
  }
  return REG_NONE;
}

inline constexpr const char* type_name(property_type type) noexcept {
  switch (type) {
    case property_type::dword:
      return "DWORD";
    case property_type::qword:
      return "QWORD";
    case property_type::sz:
      return "SZ";
    case property_type::expand_sz:
      return "EXPAND_SZ";
    case property_type::multi_sz:
      return "MULTI_SZ";
    case property_type::binary:
      return "BINARY";
  }
  return "?";
}

// The description of one private property, kept by property_table.
template <typename Params>
struct property_item {
  std::wstring name;
  property_type type = property_type::dword;
  property_value default_value;
  ULONGLONG minimum = 0;  // DWORD and QWORD: inclusive range
  ULONGLONG maximum = std::numeric_limits<ULONGLONG>::max();
  bool required = false;   // Online fails while the Parameters key has no value for it
  bool read_only = false;  // shown by GET (and GET_RO), refused by SET and VALIDATE
  std::function<property_value(const Params&)> get;
  std::function<void(Params&, property_value&&)> set;
};

namespace detail {

inline std::vector<std::uint8_t> sz_bytes(const std::wstring& text) {
  std::vector<std::uint8_t> bytes((text.size() + 1) * sizeof(WCHAR), 0);
  std::memcpy(bytes.data(), text.c_str(), text.size() * sizeof(WCHAR));
  return bytes;
}

inline std::vector<std::uint8_t> multi_sz_bytes(const std::vector<std::wstring>& values) {
  std::vector<std::uint8_t> bytes;
  for (const auto& s : values) {
    if (s.empty())
      continue;
    const auto one = sz_bytes(s);
    bytes.insert(bytes.end(), one.begin(), one.end());
  }
  bytes.resize(bytes.size() + sizeof(WCHAR), 0);
  return bytes;
}

// One value of `type` as a value entry of the syntax type `syntax_type`
// (CLUSPROP_TYPE_LIST_VALUE for a property's value, WP_CLUSPROP_TYPE_* for a format's
// details). A value of another alternative than `type` says is a bug: std::get throws.
inline void add_typed(value_list_builder& out, DWORD syntax_type, property_type type,
                      const property_value& v) {
  const DWORD syntax = CLUSPROP_SYNTAX_VALUE(syntax_type, clusprop_format(type));
  switch (type) {
    case property_type::dword:
      out.add_dword(std::get<DWORD>(v), syntax);
      break;
    case property_type::qword: {
      const ULONGLONG q = std::get<ULONGLONG>(v);
      out.add_value(syntax, &q, sizeof q);
      break;
    }
    case property_type::sz:
    case property_type::expand_sz:
      out.add_sz(std::get<std::wstring>(v), syntax);
      break;
    case property_type::multi_sz: {
      const auto bytes = multi_sz_bytes(std::get<std::vector<std::wstring>>(v));
      out.add_value(syntax, bytes.data(), bytes.size());
      break;
    }
    case property_type::binary: {
      const auto& b = std::get<std::vector<std::uint8_t>>(v);
      out.add_value(syntax, b.data(), b.size());
      break;
    }
  }
}

// The details of a format entry: the default, the range of a DWORD or QWORD, the flags.
template <typename Item>
value_list_builder format_details(const Item& i) {
  value_list_builder d;
  add_typed(d, WP_CLUSPROP_TYPE_DEFAULT, i.type, i.default_value);
  if (i.type == property_type::dword) {
    constexpr ULONGLONG dword_max = 0xFFFFFFFFull;
    add_typed(d, WP_CLUSPROP_TYPE_MINIMUM, i.type,
              static_cast<DWORD>(std::min(i.minimum, dword_max)));
    add_typed(d, WP_CLUSPROP_TYPE_MAXIMUM, i.type,
              static_cast<DWORD>(std::min(i.maximum, dword_max)));
  } else if (i.type == property_type::qword) {
    add_typed(d, WP_CLUSPROP_TYPE_MINIMUM, i.type, i.minimum);
    add_typed(d, WP_CLUSPROP_TYPE_MAXIMUM, i.type, i.maximum);
  }
  const DWORD flags = (i.required ? WP_CLUSPROP_FLAG_REQUIRED : 0u) |
                      (i.read_only ? WP_CLUSPROP_FLAG_READ_ONLY : 0u);
  if (flags != 0)
    d.add_dword(flags, CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_FLAGS, CLUSPROP_FORMAT_DWORD));
  return d;
}

inline std::wstring text_of(const std::vector<std::uint8_t>& data) {
  std::wstring text(data.size() / sizeof(WCHAR), L'\0');
  if (!text.empty())
    std::memcpy(text.data(), data.data(), text.size() * sizeof(WCHAR));
  const auto end = text.find(L'\0');
  if (end != std::wstring::npos)
    text.resize(end);
  return text;
}

inline std::vector<std::wstring> strings_of(const std::vector<std::uint8_t>& data) {
  std::wstring chars(data.size() / sizeof(WCHAR), L'\0');
  if (!chars.empty())
    std::memcpy(chars.data(), data.data(), chars.size() * sizeof(WCHAR));
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

inline bool wide_terminated(const std::vector<std::uint8_t>& data) {
  if (data.size() < sizeof(WCHAR) || data.size() % sizeof(WCHAR) != 0)
    return false;
  WCHAR last = 0;
  std::memcpy(&last, data.data() + data.size() - sizeof(WCHAR), sizeof last);
  return last == 0;
}

// ClusterRegQueryValue with a buffer that grows on ERROR_MORE_DATA.
inline LONG query_value(HKEY key, const std::wstring& name, DWORD& type,
                        std::vector<std::uint8_t>& data) {
  data.resize(64);
  for (int attempt = 0; attempt < 8; ++attempt) {
    DWORD size = static_cast<DWORD>(data.size());
    const LONG status = ClusterRegQueryValue(key, name.c_str(), &type, data.data(), &size);
    if (status == ERROR_SUCCESS) {
      data.resize(size);
      return status;
    }
    if (status != ERROR_MORE_DATA)
      return status;
    data.resize(std::max<std::size_t>(size, data.size() * 2));
  }
  return ERROR_MORE_DATA;
}

// A Parameters key opened (or created) for the life of the object.
class parameters_key {
 public:
  parameters_key(HKEY resource_key, bool create) {
    if (resource_key == nullptr) {
      status_ = ERROR_INVALID_HANDLE;
      return;
    }
    if (create) {
      DWORD disposition = 0;
      status_ = ClusterRegCreateKey(resource_key, L"Parameters", 0, KEY_ALL_ACCESS, nullptr, &key_,
                                    &disposition);
    } else {
      status_ = ClusterRegOpenKey(resource_key, L"Parameters", KEY_READ, &key_);
    }
    if (status_ != ERROR_SUCCESS)
      key_ = nullptr;
  }
  ~parameters_key() {
    if (key_ != nullptr)
      ClusterRegCloseKey(key_);
  }
  parameters_key(const parameters_key&) = delete;
  parameters_key& operator=(const parameters_key&) = delete;

  HKEY get() const noexcept { return key_; }
  LONG status() const noexcept { return status_; }

 private:
  HKEY key_ = nullptr;
  LONG status_ = ERROR_SUCCESS;
};

}  // namespace detail

// The private properties of a resource type, declared once with their types, defaults and
// ranges, each bound to a member of Params. Built with chained calls; required() and
// read_only() apply to the property declared just before.
template <typename Params>
class property_table {
 public:
  using item = property_item<Params>;

  // DWORD in [minimum, maximum].
  property_table& dword(std::wstring name, DWORD Params::*member, DWORD default_value = 0,
                        DWORD minimum = 0, DWORD maximum = 0xFFFFFFFFu) {
    return add_number<DWORD>(std::move(name), property_type::dword, member, default_value, minimum,
                             maximum);
  }
  // QWORD (CLUSPROP_FORMAT_ULARGE_INTEGER, REG_QWORD) in [minimum, maximum].
  property_table& qword(std::wstring name, ULONGLONG Params::*member, ULONGLONG default_value = 0,
                        ULONGLONG minimum = 0,
                        ULONGLONG maximum = std::numeric_limits<ULONGLONG>::max()) {
    return add_number<ULONGLONG>(std::move(name), property_type::qword, member, default_value,
                                 minimum, maximum);
  }
  property_table& sz(std::wstring name, std::wstring Params::*member,
                     std::wstring default_value = {}) {
    return add_value<std::wstring>(std::move(name), property_type::sz, member,
                                   std::move(default_value));
  }
  // Kept unexpanded, as stored; %NAME% references are the plugin's to expand.
  property_table& expand_sz(std::wstring name, std::wstring Params::*member,
                            std::wstring default_value = {}) {
    return add_value<std::wstring>(std::move(name), property_type::expand_sz, member,
                                   std::move(default_value));
  }
  property_table& multi_sz(std::wstring name, std::vector<std::wstring> Params::*member,
                           std::vector<std::wstring> default_value = {}) {
    return add_value<std::vector<std::wstring>>(std::move(name), property_type::multi_sz, member,
                                                std::move(default_value));
  }
  property_table& binary(std::wstring name, std::vector<std::uint8_t> Params::*member,
                         std::vector<std::uint8_t> default_value = {}) {
    return add_value<std::vector<std::uint8_t>>(std::move(name), property_type::binary, member,
                                                std::move(default_value));
  }
  property_table& required() {
    items_.back().required = true;
    return *this;
  }
  property_table& read_only() {
    items_.back().read_only = true;
    return *this;
  }

  const std::vector<item>& items() const noexcept { return items_; }

  // Case-insensitive, as property names are; nullptr if there is no such property.
  const item* find(std::wstring_view name) const {
    for (const auto& i : items_) {
      if (detail::iequals(i.name, name))
        return &i;
    }
    return nullptr;
  }

  // Params with every default applied.
  Params defaults() const {
    Params p{};
    for (const auto& i : items_) {
      property_value v = i.default_value;
      i.set(p, std::move(v));
    }
    return p;
  }

  // Checks one value against its property: type (ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH)
  // and range (ERROR_INVALID_PARAMETER).
  outcome check(const item& i, const property_value& value) const {
    const bool type_ok = std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          switch (i.type) {
            case property_type::dword:
              return std::is_same_v<V, DWORD>;
            case property_type::qword:
              return std::is_same_v<V, ULONGLONG>;
            case property_type::sz:
            case property_type::expand_sz:
              return std::is_same_v<V, std::wstring>;
            case property_type::multi_sz:
              return std::is_same_v<V, std::vector<std::wstring>>;
            case property_type::binary:
              return std::is_same_v<V, std::vector<std::uint8_t>>;
          }
          return false;
        },
        value);
    if (!type_ok) {
      return outcome::refused(
          ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH,
          "property " + detail::narrow(i.name) + ": expected a " + type_name(i.type) + " value");
    }
    std::optional<ULONGLONG> number;
    if (const auto* d = std::get_if<DWORD>(&value))
      number = *d;
    else if (const auto* q = std::get_if<ULONGLONG>(&value))
      number = *q;
    if (number && (*number < i.minimum || *number > i.maximum)) {
      return outcome::refused(ERROR_INVALID_PARAMETER,
                              "property " + detail::narrow(i.name) + ": " +
                                  std::to_string(*number) + " is outside " +
                                  std::to_string(i.minimum) + ".." + std::to_string(i.maximum));
    }
    return {};
  }

  // Parses and checks a property list (VALIDATE/SET_PRIVATE_PROPERTIES) and applies its
  // values to `into`; `changed` (if given) receives the properties it names. The first
  // refusal wins: ERROR_INVALID_DATA for a malformed list or a value whose bytes do not make
  // its format, ERROR_INVALID_PARAMETER for an unknown or read-only property and for a value
  // out of range, ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH for a value of another type.
  outcome apply(const void* list, DWORD size, Params& into,
                std::vector<const item*>* changed = nullptr) const {
    const property_list parsed = parse_property_list(list, size);
    if (!parsed.ok)
      return outcome::refused(ERROR_INVALID_DATA, "malformed property list (" + parsed.error + ")");
    for (const auto& entry : parsed.properties) {
      const item* i = find(entry.name);
      if (i == nullptr) {
        return outcome::refused(ERROR_INVALID_PARAMETER,
                                "property " + detail::narrow(entry.name) + ": unknown property");
      }
      if (i->read_only) {
        return outcome::refused(ERROR_INVALID_PARAMETER,
                                "property " + detail::narrow(i->name) + ": read-only");
      }
      property_value value;
      if (auto refused = decode(*i, entry.value(), value); !refused)
        return refused;
      if (auto refused = check(*i, value); !refused)
        return refused;
      i->set(into, std::move(value));
      if (changed != nullptr)
        changed->push_back(i);
    }
    return {};
  }

  // Reads the Parameters subkey of a resource key into `into` (starting from defaults).
  // Every readable, valid value is applied; the first problem is returned: a stored value
  // of another registry type (ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH), out of range
  // (ERROR_INVALID_PARAMETER), or, when check_required, a required property with no value
  // (ERROR_FILE_NOT_FOUND, as ResUtilGetPropertiesToParameterBlock says).
  outcome read(HKEY resource_key, Params& into, bool check_required) const {
    into = defaults();
    outcome first;
    auto note = [&first](outcome o) {
      if (first)
        first = std::move(o);
    };
    detail::parameters_key key(resource_key, false);
    if (key.get() == nullptr && key.status() != ERROR_FILE_NOT_FOUND) {
      return outcome::refused(
          static_cast<DWORD>(key.status()),
          "cannot open the Parameters key (error " + std::to_string(key.status()) + ")");
    }
    for (const auto& i : items_) {
      DWORD type = 0;
      std::vector<std::uint8_t> data;
      const LONG status = key.get() == nullptr ? static_cast<LONG>(ERROR_FILE_NOT_FOUND)
                                               : detail::query_value(key.get(), i.name, type, data);
      if (status == ERROR_FILE_NOT_FOUND) {
        if (check_required && i.required) {
          note(outcome::refused(ERROR_FILE_NOT_FOUND,
                                "property " + detail::narrow(i.name) + ": required, not set"));
        }
        continue;
      }
      if (status != ERROR_SUCCESS) {
        note(outcome::refused(static_cast<DWORD>(status), "property " + detail::narrow(i.name) +
                                                              ": cannot be read (error " +
                                                              std::to_string(status) + ")"));
        continue;
      }
      property_value value;
      if (auto refused = from_registry(i, type, data, value); !refused) {
        note(std::move(refused));
        continue;
      }
      if (auto refused = check(i, value); !refused) {
        refused.message += " (stored value)";
        note(std::move(refused));
        continue;
      }
      i.set(into, std::move(value));
    }
    return first;
  }

  // Writes the given properties of `values` under the Parameters subkey (created if missing).
  outcome write(HKEY resource_key, const Params& values,
                const std::vector<const item*>& which) const {
    detail::parameters_key key(resource_key, true);
    if (key.get() == nullptr) {
      return outcome::refused(
          static_cast<DWORD>(key.status()),
          "cannot create the Parameters key (error " + std::to_string(key.status()) + ")");
    }
    for (const item* i : which) {
      const std::vector<std::uint8_t> data = registry_bytes(*i, i->get(values));
      const DWORD status = ClusterRegSetValue(key.get(), i->name.c_str(), registry_type(i->type),
                                              data.data(), static_cast<DWORD>(data.size()));
      if (status != ERROR_SUCCESS) {
        return outcome::refused(status, "property " + detail::narrow(i->name) +
                                            ": cannot be written (error " + std::to_string(status) +
                                            ")");
      }
    }
    return {};
  }

  // GET_PRIVATE_PROPERTIES: every property (read-only ones only when read_only_only).
  std::vector<std::uint8_t> to_property_list(const Params& values,
                                             bool read_only_only = false) const {
    property_list_builder builder;
    for (const auto& i : items_) {
      if (read_only_only && !i.read_only)
        continue;
      value_list_builder value;
      detail::add_typed(value, CLUSPROP_TYPE_LIST_VALUE, i.type, i.get(values));
      builder.add_property(i.name, value);
    }
    return builder.bytes();
  }

  // GET_PRIVATE_RESOURCE_PROPERTY_FMTS: each name with its CLUSPROP_FORMAT_*, then its
  // default, range (DWORD and QWORD) and flags (clusapi.h, WP_CLUSPROP_TYPE_*).
  std::vector<std::uint8_t> formats() const {
    property_format_list_builder builder;
    for (const auto& i : items_)
      builder.add(i.name, clusprop_format(i.type), detail::format_details(i));
    return builder.bytes();
  }

  // ENUM_PRIVATE_PROPERTIES: the names, each terminated, then a final terminator.
  std::vector<std::uint8_t> names() const {
    std::vector<std::wstring> all;
    for (const auto& i : items_)
      all.push_back(i.name);
    return detail::multi_sz_bytes(all);
  }

 private:
  template <typename T, typename Member>
  property_table& add_number(std::wstring name, property_type type, Member member, T def, T minimum,
                             T maximum) {
    item i;
    i.name = std::move(name);
    i.type = type;
    i.default_value = def;
    i.minimum = minimum;
    i.maximum = maximum;
    i.get = [member](const Params& p) { return property_value(p.*member); };
    i.set = [member](Params& p, property_value&& v) { p.*member = std::get<T>(std::move(v)); };
    items_.push_back(std::move(i));
    return *this;
  }

  template <typename T, typename Member>
  property_table& add_value(std::wstring name, property_type type, Member member, T def) {
    item i;
    i.name = std::move(name);
    i.type = type;
    i.default_value = std::move(def);
    i.get = [member](const Params& p) { return property_value(p.*member); };
    i.set = [member](Params& p, property_value&& v) { p.*member = std::get<T>(std::move(v)); };
    items_.push_back(std::move(i));
    return *this;
  }

  static outcome mismatch(const item& i, const std::string& found) {
    return outcome::refused(ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH,
                            "property " + detail::narrow(i.name) + ": expected a " +
                                type_name(i.type) + " value, found " + found);
  }

  // A property-list value into the property's C++ type. SZ and EXPAND_SZ stand for each
  // other, as in Microsoft's property helpers.
  static outcome decode(const item& i, const wolfpack::property_value& in, property_value& out) {
    const WORD format = in.format();
    const auto bad_bytes = [&](const char* what) {
      return outcome::refused(ERROR_INVALID_DATA,
                              "property " + detail::narrow(i.name) + ": " + what);
    };
    switch (i.type) {
      case property_type::dword:
        if (format != CLUSPROP_FORMAT_DWORD)
          return mismatch(i, "format " + std::to_string(format));
        if (auto v = in.as_dword()) {
          out = *v;
          return {};
        }
        return bad_bytes("a DWORD value must be 4 bytes long");
      case property_type::qword:
        if (format != CLUSPROP_FORMAT_ULARGE_INTEGER)
          return mismatch(i, "format " + std::to_string(format));
        if (auto v = in.as_ularge()) {
          out = static_cast<ULONGLONG>(*v);
          return {};
        }
        return bad_bytes("a QWORD value must be 8 bytes long");
      case property_type::sz:
      case property_type::expand_sz:
        if (format != CLUSPROP_FORMAT_SZ && format != CLUSPROP_FORMAT_EXPAND_SZ)
          return mismatch(i, "format " + std::to_string(format));
        if (!detail::wide_terminated(in.data))
          return bad_bytes("the string is not NUL-terminated");
        out = detail::text_of(in.data);
        return {};
      case property_type::multi_sz:
        if (format != CLUSPROP_FORMAT_MULTI_SZ)
          return mismatch(i, "format " + std::to_string(format));
        if (!detail::wide_terminated(in.data))
          return bad_bytes("the string list is not NUL-terminated");
        out = detail::strings_of(in.data);
        return {};
      case property_type::binary:
        if (format != CLUSPROP_FORMAT_BINARY)
          return mismatch(i, "format " + std::to_string(format));
        out = in.data;
        return {};
    }
    return mismatch(i, "an unsupported format");
  }

  // A stored value into the property's C++ type.
  static outcome from_registry(const item& i, DWORD type, const std::vector<std::uint8_t>& data,
                               property_value& out) {
    const std::string found =
        "registry type " + std::to_string(type) + " (" + std::to_string(data.size()) + " bytes)";
    switch (i.type) {
      case property_type::dword:
        if (type != REG_DWORD || data.size() != sizeof(DWORD))
          return mismatch(i, found);
        out = proplist_detail::get_dword(data.data());
        return {};
      case property_type::qword: {
        if (type != REG_QWORD || data.size() != sizeof(ULONGLONG))
          return mismatch(i, found);
        ULONGLONG v = 0;
        std::memcpy(&v, data.data(), sizeof v);
        out = v;
        return {};
      }
      case property_type::sz:
      case property_type::expand_sz:
        if (type != REG_SZ && type != REG_EXPAND_SZ)
          return mismatch(i, found);
        out = detail::text_of(data);
        return {};
      case property_type::multi_sz:
        if (type != REG_MULTI_SZ)
          return mismatch(i, found);
        out = detail::strings_of(data);
        return {};
      case property_type::binary:
        out = data;  // any type, as ResUtilGetBinaryValue
        return {};
    }
    return mismatch(i, found);
  }

  static std::vector<std::uint8_t> registry_bytes(const item& i, const property_value& v) {
    switch (i.type) {
      case property_type::dword: {
        const DWORD d = std::get<DWORD>(v);
        std::vector<std::uint8_t> out(sizeof d);
        std::memcpy(out.data(), &d, sizeof d);
        return out;
      }
      case property_type::qword: {
        const ULONGLONG q = std::get<ULONGLONG>(v);
        std::vector<std::uint8_t> out(sizeof q);
        std::memcpy(out.data(), &q, sizeof q);
        return out;
      }
      case property_type::sz:
      case property_type::expand_sz:
        return detail::sz_bytes(std::get<std::wstring>(v));
      case property_type::multi_sz:
        return detail::multi_sz_bytes(std::get<std::vector<std::wstring>>(v));
      case property_type::binary:
        return std::get<std::vector<std::uint8_t>>(v);
    }
    return {};
  }

  std::vector<item> items_;
};

// The Params of a type without private properties.
struct no_parameters {};

// ==== the callbacks Startup received =========================================================

namespace detail {

struct callbacks {
  std::atomic<PSET_RESOURCE_STATUS_ROUTINE> set_resource_status{nullptr};
  std::atomic<PLOG_EVENT_ROUTINE> log_event{nullptr};
};

inline callbacks& monitor_callbacks() {
  static callbacks c;
  return c;
}

// A message as one %ls argument, so that '%' in it is never taken for a format.
inline void log_text(RESOURCE_HANDLE handle, LOG_LEVEL level, std::wstring_view text) noexcept {
  const PLOG_EVENT_ROUTINE log = monitor_callbacks().log_event.load();
  if (log == nullptr)
    return;
  try {
    const std::wstring copy(text);
    log(handle, level, L"%ls", copy.c_str());
  } catch (...) {
  }
}

inline void log_text(RESOURCE_HANDLE handle, LOG_LEVEL level, std::string_view utf8) noexcept {
  try {
    log_text(handle, level, std::wstring_view(from_utf8(utf8)));
  } catch (...) {
  }
}

}  // namespace detail

// ==== pending operations =====================================================================

// What a pending Online/Offline's work function gets: a way to see that it should stop
// (Terminate, Offline, Close) and to report progress (each report restarts the monitor's
// PendingTimeout).
class pending_operation {
 public:
  pending_operation(PCLUS_WORKER worker, RESOURCE_HANDLE handle,
                    CLUSTER_RESOURCE_STATE pending_state, std::function<bool()> terminated) noexcept
      : worker_(worker),
        handle_(handle),
        pending_state_(pending_state),
        terminated_(std::move(terminated)) {}

  bool stop_requested() const noexcept {
    return told_to_stop_ || ClusWorkerCheckTerminate(worker_) || terminated_();
  }

  // SetResourceStatus(OnlinePending or OfflinePending) with the next CheckPoint. False when
  // the work should stop.
  bool report_progress(DWORD wait_hint_ms = 0) noexcept {
    RESOURCE_STATUS status;
    ResUtilInitializeResourceStatus(&status);
    status.ResourceState = pending_state_;
    status.CheckPoint = ++checkpoint_;
    status.WaitHint = wait_hint_ms;
    if (report(status) == ResourceExitStateTerminate)
      told_to_stop_ = true;
    return !stop_requested();
  }

  // Sleeps up to `duration` in slices, reporting progress every `progress_every` (0: never);
  // false (early) when the work should stop.
  bool sleep_for(std::chrono::milliseconds duration,
                 std::chrono::milliseconds progress_every = std::chrono::milliseconds(500)) {
    using clock = std::chrono::steady_clock;
    const auto end = clock::now() + duration;
    auto next_report = clock::now() + progress_every;
    while (!stop_requested()) {
      const auto now = clock::now();
      if (now >= end)
        return true;
      if (progress_every.count() > 0 && now >= next_report) {
        report_progress(static_cast<DWORD>(progress_every.count()));
        next_report = now + progress_every;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - now);
      Sleep(static_cast<DWORD>(std::clamp<long long>(left.count(), 1, 20)));
    }
    return false;
  }

  DWORD checkpoint() const noexcept { return checkpoint_; }

  // The final report (Online, Offline or Failed); used by the layer.
  void complete(CLUSTER_RESOURCE_STATE final_state) noexcept {
    RESOURCE_STATUS status;
    ResUtilInitializeResourceStatus(&status);
    status.ResourceState = final_state;
    status.CheckPoint = ++checkpoint_;
    report(status);
  }

 private:
  DWORD report(RESOURCE_STATUS& status) noexcept {
    const PSET_RESOURCE_STATUS_ROUTINE set = detail::monitor_callbacks().set_resource_status.load();
    return set == nullptr ? static_cast<DWORD>(ResourceExitStateContinue) : set(handle_, &status);
  }

  PCLUS_WORKER worker_;
  RESOURCE_HANDLE handle_;
  CLUSTER_RESOURCE_STATE pending_state_;
  std::function<bool()> terminated_;
  DWORD checkpoint_ = 0;
  bool told_to_stop_ = false;
};

// ==== the resource base class ================================================================

template <typename Derived>
class type_adapter;

// The part of every resource that does not depend on its parameters: identity, logging,
// the pending-operation worker and the state of the call in progress.
class resource_core {
 public:
  resource_core() = default;
  virtual ~resource_core() { stop_worker(); }
  resource_core(const resource_core&) = delete;
  resource_core& operator=(const resource_core&) = delete;

  // ---- what a resource type implements --------------------------------------------------
  // Called by Open after the parameters were read (missing required values are allowed
  // here). An error fails Open.
  virtual DWORD open() { return ERROR_SUCCESS; }
  // Called by Close, after any pending work was stopped. Release everything.
  virtual void close() {}
  // Bring the resource online: success, pending (through run_pending) or an error.
  virtual result online() = 0;
  // Take it offline; must succeed when it is already offline (Offline is idempotent).
  virtual result offline() = 0;
  // Quick check, called often: no blocking I/O (the monitor calls IsAlive when it is FALSE).
  virtual bool looks_alive() = 0;
  // Thorough check; FALSE fails the resource.
  virtual bool is_alive() = 0;
  // Stop at once, without a clean shutdown. May run while online(), offline() or a poll is
  // still running on another thread, and after a failed Online: make it thread-safe and
  // idempotent. Pending work has already been stopped. The default calls offline().
  virtual void terminate() { (void)offline(); }
  // Control codes the layer does not answer (it answers the private-property, characteristics,
  // flags, class-info and required-dependencies codes). ERROR_INVALID_FUNCTION by default.
  virtual DWORD resource_control(DWORD control_code, const void* in, DWORD in_size, void* out,
                                 DWORD out_size, DWORD* returned) {
    (void)control_code, (void)in, (void)in_size, (void)out, (void)out_size, (void)returned;
    return ERROR_INVALID_FUNCTION;
  }
  // Quorum-capable types only (a type with `static constexpr bool quorum_capable = true`
  // exports Arbitrate and Release): gain ownership and defend it, calling quorum_lost() if it
  // is lost later; release() stops defending.
  virtual DWORD arbitrate() { return ERROR_INVALID_FUNCTION; }
  virtual DWORD release() { return ERROR_INVALID_FUNCTION; }

  // ---- what a resource may use ----------------------------------------------------------
  const std::wstring& name() const noexcept { return name_; }
  HKEY key() const noexcept { return key_; }
  RESOURCE_HANDLE handle() const noexcept { return handle_; }

  // One line in the cluster log (the text is never taken for a format).
  void log(LOG_LEVEL level, std::wstring_view text) const noexcept {
    detail::log_text(handle_, level, text);
  }
  void log(LOG_LEVEL level, std::string_view utf8) const noexcept {
    detail::log_text(handle_, level, utf8);
  }
  void log(LOG_LEVEL level, const char* utf8) const noexcept {
    detail::log_text(handle_, level, std::string_view(utf8));
  }
  void log(LOG_LEVEL level, const wchar_t* text) const noexcept {
    detail::log_text(handle_, level, std::wstring_view(text));
  }
  template <typename Text>
  void log_info(const Text& text) const noexcept {
    log(LOG_INFORMATION, text);
  }
  template <typename Text>
  void log_warning(const Text& text) const noexcept {
    log(LOG_WARNING, text);
  }
  template <typename Text>
  void log_error(const Text& text) const noexcept {
    log(LOG_ERROR, text);
  }
  // LogEvent with a format, as Windows DLLs call it: FormatMessage inserts (%1, %2!u!) or
  // printf conversions (%ls for a wide string). The arguments must match the format.
  template <typename... Args>
  void log_event(LOG_LEVEL level, const wchar_t* format, Args... args) const noexcept {
    if (const PLOG_EVENT_ROUTINE fn = detail::monitor_callbacks().log_event.load())
      fn(handle_, level, format, args...);
  }

  // SetResourceStatus for a plugin that runs its own thread instead of run_pending: report
  // OnlinePending/OfflinePending with a rising checkpoint, then Online, Offline or Failed.
  // Returns ResourceExitStateTerminate once Terminate was called: stop, report nothing more.
  DWORD set_resource_status(CLUSTER_RESOURCE_STATE state, DWORD checkpoint) const noexcept {
    const PSET_RESOURCE_STATUS_ROUTINE set = detail::monitor_callbacks().set_resource_status.load();
    if (set == nullptr)
      return ResourceExitStateContinue;
    RESOURCE_STATUS status;
    ResUtilInitializeResourceStatus(&status);
    status.ResourceState = state;
    status.CheckPoint = checkpoint;
    return set(handle_, &status);
  }

  // Calls the QuorumResourceLost routine the last Arbitrate received (none before).
  void quorum_lost() const noexcept {
    if (const PQUORUM_RESOURCE_LOST lost = quorum_lost_.load())
      lost(handle_);
  }

  // True once Terminate (or Offline, or Close) asked the resource to stop: long synchronous
  // work in online() can watch it.
  bool stop_requested() const noexcept { return terminations_.load() != call_epoch_.load(); }

  // Starts `work` on a ClusWorker and returns result::pending(), for online() or offline()
  // to return. The worker's result is reported through SetResourceStatus: success → Online
  // (or Offline), anything else (or an exception) → Failed, logged. The work should call
  // op.report_progress() (or op.sleep_for) at least once per PendingTimeout, and return soon
  // after op.stop_requested() turns true. Only online() and offline() may call this.
  result run_pending(std::function<result(pending_operation&)> work) {
    std::lock_guard lock(worker_mutex_);
    if (current_call_ != call::online && current_call_ != call::offline) {
      throw error(ERROR_INVALID_FUNCTION, "run_pending outside online() and offline()");
    }
    if (stop_requested())
      return result::failure(ERROR_OPERATION_ABORTED);
    join_worker_locked();
    work_ = std::move(work);
    worker_online_ = current_call_ == call::online;
    const DWORD status = ClusWorkerCreate(&worker_, &resource_core::worker_main, this);
    if (status != ERROR_SUCCESS) {
      work_ = nullptr;
      return result::failure(status);
    }
    return result::pending();
  }

 private:
  template <typename>
  friend class type_adapter;

  enum class call { none, online, offline };

  static DWORD WINAPI worker_main(PCLUS_WORKER worker, LPVOID parameter) {
    auto* self = static_cast<resource_core*>(parameter);
    const bool online = self->worker_online_;
    pending_operation op(worker, self->handle_,
                         online ? ClusterResourceOnlinePending : ClusterResourceOfflinePending,
                         [self] { return self->stop_requested(); });
    result r = result::failure(ERROR_GEN_FAILURE);
    try {
      r = self->work_(op);
    } catch (...) {
      const auto [code, message] = detail::current_exception_status();
      self->log(LOG_ERROR, std::string(online ? "pending Online" : "pending Offline") +
                               " failed: " + message + " (error " + std::to_string(code) + ")");
      r = result::failure(code);
    }
    if (op.stop_requested())
      return ERROR_OPERATION_ABORTED;  // Terminate owns the resource now: report nothing
    if (r.is_pending()) {
      self->log(LOG_ERROR, "pending work returned pending; treated as a failure");
      r = result::failure(ERROR_GEN_FAILURE);
    }
    if (!r.ok()) {
      self->log(LOG_ERROR, std::string(online ? "Online" : "Offline") + " failed (error " +
                               std::to_string(r.code()) + ")");
    }
    op.complete(r.ok() ? (online ? ClusterResourceOnline : ClusterResourceOffline)
                       : ClusterResourceFailed);
    return r.code();
  }

  // Waits for a finished or stopping worker and makes the slot reusable. worker_mutex_ held.
  void join_worker_locked() noexcept {
    if (worker_.hThread != nullptr)
      ClusWorkerTerminate(&worker_);
    ZeroMemory(&worker_, sizeof worker_);
  }

  // Asks the worker to stop and waits for it (ClusWorkerTerminate), if there is one.
  void stop_worker() noexcept {
    std::lock_guard lock(worker_mutex_);
    join_worker_locked();
    work_ = nullptr;
  }

  void attach(std::wstring name, HKEY key, RESOURCE_HANDLE handle) {
    name_ = std::move(name);
    key_ = key;
    handle_ = handle;
  }

  // Constant after Open.
  std::wstring name_;
  HKEY key_ = nullptr;
  RESOURCE_HANDLE handle_ = nullptr;

  // Terminate (and Close) count up; Online and Offline note the count when they begin, so
  // a Terminate that overlaps them (or their pending work) is seen as a request to stop.
  std::atomic<std::uint64_t> terminations_{0};
  std::atomic<std::uint64_t> call_epoch_{0};
  std::atomic<PQUORUM_RESOURCE_LOST> quorum_lost_{nullptr};

  // Guarded by worker_mutex_.
  std::mutex worker_mutex_;
  CLUS_WORKER worker_{};
  std::function<result(pending_operation&)> work_;
  bool worker_online_ = true;
  call current_call_ = call::none;
};

// The base class of a resource type. Params holds its private properties; the derived class
// declares them with a static properties() (the default: none).
template <typename Params = no_parameters>
class resource : public resource_core {
 public:
  using parameters = Params;

  static property_table<Params> properties() { return {}; }

  // Cross-property checks for VALIDATE/SET_PRIVATE_PROPERTIES (after each value passed its
  // own type and range checks): hide this with a static function of the same signature.
  static outcome validate_parameters(const Params& merged) {
    (void)merged;
    return {};
  }

  // What GET_CHARACTERISTICS, GET_CLASS_INFO and GET_REQUIRED_DEPENDENCIES answer (resource
  // and type level): hide these with static members of the same signature. A dependency is
  // a CLUSPROP_SYNTAX_NAME (a type name) or CLUSPROP_SYNTAX_RESCLASS (a class) entry; the
  // layer adds the endmark.
  static DWORD characteristics() { return CLUS_CHAR_UNKNOWN; }
  static DWORD resource_class() { return CLUS_RESCLASS_UNKNOWN; }
  static void required_dependencies(value_list_builder& list) { (void)list; }
  // True: the plugin exports Arbitrate and Release (arbitrate() and release()).
  static constexpr bool quorum_capable = false;

  // The values read from the Parameters key at the start of the current Online (at Open
  // before the first Online).
  const Params& params() const noexcept { return params_; }

 private:
  template <typename>
  friend class type_adapter;
  Params params_{};
};

// ==== the C entry points for a resource type =================================================

template <typename Derived>
class type_adapter {
 public:
  using params_type = typename Derived::parameters;

  static const property_table<params_type>& table() {
    static const property_table<params_type> t = Derived::properties();
    return t;
  }

  static DWORD startup(std::initializer_list<const wchar_t*> type_names, LPCWSTR resource_type,
                       DWORD min_version, DWORD max_version,
                       PSET_RESOURCE_STATUS_ROUTINE set_resource_status,
                       PLOG_EVENT_ROUTINE log_event,
                       PCLRES_FUNCTION_TABLE* function_table) noexcept {
    if (function_table == nullptr)
      return ERROR_INVALID_PARAMETER;
    if (min_version > CLRES_VERSION_V1_00 || max_version < CLRES_VERSION_V1_00)
      return ERROR_REVISION_MISMATCH;
    if (resource_type == nullptr)
      return ERROR_CLUSTER_RESNAME_NOT_FOUND;
    bool served = false;
    for (const wchar_t* name : type_names)
      served = served || detail::iequals(name, resource_type);
    if (!served)
      return ERROR_CLUSTER_RESNAME_NOT_FOUND;
    try {
      (void)table();  // build it now, so that a bad declaration shows at load time
    } catch (...) {
      return detail::current_exception_status().first;
    }
    detail::monitor_callbacks().set_resource_status.store(set_resource_status);
    detail::monitor_callbacks().log_event.store(log_event);
    *function_table = &function_table_;
    return ERROR_SUCCESS;
  }

 private:
  static Derived* of(RESID id) noexcept { return static_cast<Derived*>(id); }

  // Logs the exception being handled against the resource and returns its Win32 code.
  static DWORD failed(const Derived* r, const char* entry) noexcept {
    const auto [code, message] = detail::current_exception_status();
    if (r != nullptr) {
      r->log(LOG_ERROR,
             std::string(entry) + ": " + message + " (error " + std::to_string(code) + ")");
    }
    return code;
  }

  static RESID WINAPI Open(LPCWSTR name, HKEY key, RESOURCE_HANDLE handle) noexcept {
    if (name == nullptr || key == nullptr) {
      SetLastError(ERROR_INVALID_PARAMETER);
      return nullptr;
    }
    std::unique_ptr<Derived> r;
    try {
      r = std::make_unique<Derived>();
      r->attach(name, key, handle);
      const outcome read = table().read(key, r->params_, false);
      if (!read)
        r->log(LOG_WARNING, "Open: " + read.message + "; using the default");
      const DWORD status = r->open();
      if (status != ERROR_SUCCESS) {
        r->log(LOG_ERROR, "Open failed (error " + std::to_string(status) + ")");
        SetLastError(status);
        return nullptr;
      }
      return r.release();
    } catch (...) {
      SetLastError(failed(r.get(), "Open"));
      return nullptr;
    }
  }

  static VOID WINAPI Close(RESID id) noexcept {
    Derived* r = of(id);
    if (r == nullptr)
      return;
    ++r->terminations_;
    r->stop_worker();
    try {
      r->close();
    } catch (...) {
      failed(r, "Close");
    }
    delete r;
  }

  // Online and Offline: stops (and waits for) an earlier operation's worker, finished or
  // not, then marks the call in progress for run_pending.
  static void begin(Derived* r, resource_core::call c) {
    std::lock_guard lock(r->worker_mutex_);
    r->join_worker_locked();
    r->work_ = nullptr;
    r->current_call_ = c;
  }

  static void end(Derived* r) noexcept {
    std::lock_guard lock(r->worker_mutex_);
    r->current_call_ = resource_core::call::none;
  }

  static DWORD WINAPI Online(RESID id, LPHANDLE event_handle) noexcept {
    Derived* r = of(id);
    if (r == nullptr)
      return ERROR_INVALID_PARAMETER;
    if (event_handle != nullptr)
      *event_handle = nullptr;  // no failure event: the monitor polls
    r->call_epoch_.store(r->terminations_.load());
    try {
      params_type fresh;
      const outcome read = table().read(r->key_, fresh, true);
      if (!read) {
        r->log(LOG_ERROR,
               "Online refused: " + read.message + " (error " + std::to_string(read.status) + ")");
        return read.status;
      }
      r->params_ = std::move(fresh);
      begin(r, resource_core::call::online);
      result res = result::failure(ERROR_GEN_FAILURE);
      try {
        res = r->online();
      } catch (...) {
        end(r);
        throw;
      }
      end(r);
      return res.code();
    } catch (...) {
      return failed(r, "Online");
    }
  }

  static DWORD WINAPI Offline(RESID id) noexcept {
    Derived* r = of(id);
    if (r == nullptr)
      return ERROR_INVALID_PARAMETER;
    r->call_epoch_.store(r->terminations_.load());
    try {
      begin(r, resource_core::call::offline);  // a pending Online still running gives up
      result res = result::failure(ERROR_GEN_FAILURE);
      try {
        res = r->offline();
      } catch (...) {
        end(r);
        throw;
      }
      end(r);
      return res.code();
    } catch (...) {
      return failed(r, "Offline");
    }
  }

  static VOID WINAPI Terminate(RESID id) noexcept {
    Derived* r = of(id);
    if (r == nullptr)
      return;
    ++r->terminations_;
    r->stop_worker();
    try {
      r->terminate();
    } catch (...) {
      failed(r, "Terminate");
    }
  }

  static BOOL WINAPI LooksAlive(RESID id) noexcept {
    Derived* r = of(id);
    if (r == nullptr)
      return FALSE;
    try {
      const auto started = std::chrono::steady_clock::now();
      const bool alive = r->looks_alive();
      const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      if (took > std::chrono::milliseconds(300)) {
        r->log(LOG_WARNING, "LooksAlive took " + std::to_string(took.count()) +
                                " ms; it should answer at once (leave slow checks to IsAlive)");
      }
      return alive ? TRUE : FALSE;
    } catch (...) {
      failed(r, "LooksAlive");
      return FALSE;
    }
  }

  static BOOL WINAPI IsAlive(RESID id) noexcept {
    Derived* r = of(id);
    if (r == nullptr)
      return FALSE;
    try {
      return r->is_alive() ? TRUE : FALSE;
    } catch (...) {
      failed(r, "IsAlive");
      return FALSE;
    }
  }

  template <typename T>
  static DWORD copy_out_value(const T& value, void* out, DWORD out_size, DWORD* returned) {
    std::vector<std::uint8_t> bytes(sizeof value);
    std::memcpy(bytes.data(), &value, sizeof value);
    return copy_out(bytes, out, out_size, returned);
  }

  static DWORD copy_out_class_info(void* out, DWORD out_size, DWORD* returned) {
    CLUS_RESOURCE_CLASS_INFO info{};
    info.dw = Derived::resource_class();
    info.SubClass = 0;
    return copy_out_value(info, out, out_size, returned);
  }

  static std::vector<std::uint8_t> required_dependency_list() {
    value_list_builder list;
    Derived::required_dependencies(list);
    return list.add_endmark().bytes();
  }

  static DWORD WINAPI Arbitrate(RESID id, PQUORUM_RESOURCE_LOST lost) noexcept {
    Derived* r = of(id);
    if (r == nullptr)
      return ERROR_INVALID_PARAMETER;
    r->quorum_lost_.store(lost);
    try {
      return r->arbitrate();
    } catch (...) {
      return failed(r, "Arbitrate");
    }
  }

  static DWORD WINAPI Release(RESID id) noexcept {
    Derived* r = of(id);
    if (r == nullptr)
      return ERROR_INVALID_PARAMETER;
    try {
      return r->release();
    } catch (...) {
      return failed(r, "Release");
    }
  }

  // A property list applied over `base`, then the type's cross-property check.
  static outcome validate(const void* in, DWORD in_size, params_type& merged,
                          std::vector<const property_item<params_type>*>* changed) {
    if (auto o = table().apply(in, in_size, merged, changed); !o)
      return o;
    return Derived::validate_parameters(merged);
  }

  static DWORD WINAPI ResourceControl(RESID id, DWORD code, PVOID in, DWORD in_size, PVOID out,
                                      DWORD out_size, LPDWORD returned) noexcept {
    Derived* r = of(id);
    if (r == nullptr)
      return ERROR_INVALID_PARAMETER;
    try {
      if (returned != nullptr)
        *returned = 0;
      switch (code) {
        case CLUSCTL_RESOURCE_GET_CHARACTERISTICS:
          return copy_out_value(Derived::characteristics(), out, out_size, returned);
        case CLUSCTL_RESOURCE_GET_FLAGS:
          return copy_out_value(DWORD{0}, out, out_size, returned);
        case CLUSCTL_RESOURCE_GET_CLASS_INFO:
          return copy_out_class_info(out, out_size, returned);
        case CLUSCTL_RESOURCE_GET_REQUIRED_DEPENDENCIES:
          return copy_out(required_dependency_list(), out, out_size, returned);
        case CLUSCTL_RESOURCE_ENUM_PRIVATE_PROPERTIES:
          return copy_out(table().names(), out, out_size, returned);
        case CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTY_FMTS: {
          // A resource whose properties depend on its configuration (an OCF agent's
          // parameters) describes them itself; the others get the table's formats.
          const DWORD own = r->resource_control(code, in, in_size, out, out_size, returned);
          if (own != ERROR_INVALID_FUNCTION)
            return own;
          return copy_out(table().formats(), out, out_size, returned);
        }
        case CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES:
        case CLUSCTL_RESOURCE_GET_RO_PRIVATE_PROPERTIES: {
          params_type current;
          (void)table().read(r->key_, current, false);  // a bad stored value shows its default
          return copy_out(
              table().to_property_list(current, code == CLUSCTL_RESOURCE_GET_RO_PRIVATE_PROPERTIES),
              out, out_size, returned);
        }
        case CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES:
        case CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES: {
          const bool set = code == CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES;
          params_type merged;
          (void)table().read(r->key_, merged, false);
          std::vector<const property_item<params_type>*> changed;
          outcome o = validate(in, in_size, merged, &changed);
          if (o && set)
            o = table().write(r->key_, merged, changed);
          if (!o) {
            r->log(LOG_ERROR, std::string(set ? "SET" : "VALIDATE") + "_PRIVATE_PROPERTIES: " +
                                  o.message + " (error " + std::to_string(o.status) + ")");
          }
          return o.status;
        }
        default:
          return r->resource_control(code, in, in_size, out, out_size, returned);
      }
    } catch (...) {
      return failed(r, "ResourceControl");
    }
  }

  static DWORD WINAPI ResourceTypeControl(LPCWSTR type_name, DWORD code, PVOID in, DWORD in_size,
                                          PVOID out, DWORD out_size, LPDWORD returned) noexcept {
    (void)type_name;
    try {
      if (returned != nullptr)
        *returned = 0;
      switch (code) {
        case CLUSCTL_RESOURCE_TYPE_GET_CHARACTERISTICS:
          return copy_out_value(Derived::characteristics(), out, out_size, returned);
        case CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO:
          return copy_out_class_info(out, out_size, returned);
        case CLUSCTL_RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES:
          return copy_out(required_dependency_list(), out, out_size, returned);
        case CLUSCTL_RESOURCE_TYPE_ENUM_PRIVATE_PROPERTIES:
          return copy_out(table().names(), out, out_size, returned);
        case CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS:
          return copy_out(table().formats(), out, out_size, returned);
        case CLUSCTL_RESOURCE_TYPE_VALIDATE_PRIVATE_PROPERTIES: {
          params_type merged = table().defaults();
          const outcome o = validate(in, in_size, merged, nullptr);
          // No resource to log for: a NULL handle, which the monitor gives to the call's
          // caller with its answer (the message names the property).
          if (!o) {
            detail::log_text(nullptr, LOG_ERROR,
                             "VALIDATE_PRIVATE_PROPERTIES: " + o.message + " (error " +
                                 std::to_string(o.status) + ")");
          }
          return o.status;
        }
        default:
          return ERROR_INVALID_FUNCTION;
      }
    } catch (...) {
      return detail::current_exception_status().first;
    }
  }

  static inline CLRES_FUNCTION_TABLE function_table_ = {
      CLRES_V1_FUNCTION_SIZE,
      CLRES_VERSION_V1_00,
      {{&Open, &Close, &Online, &Offline, &Terminate, &LooksAlive, &IsAlive,
        Derived::quorum_capable ? &Arbitrate : nullptr,
        Derived::quorum_capable ? &Release : nullptr, &ResourceControl, &ResourceTypeControl}}};

 public:
  // For tests that drive the entry points without a monitor.
  static const CLRES_FUNCTION_TABLE& TEST_function_table() noexcept { return function_table_; }
};

}  // namespace wolfpack::plugin

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC visibility pop
#endif

// Exports Startup for one resource class serving one or more type names (compared
// case-insensitively, whitespace included):
//   WOLFPACK_EXPORT_RESOURCE_TYPE(file_marker, L"File Marker", L"File Marker (legacy)")
// Use it once per plugin, at namespace scope, in one source file.
#define WOLFPACK_EXPORT_RESOURCE_TYPE(Class, ...)                                                 \
  extern "C" WP_EXPORT DWORD WINAPI Startup(                                                      \
      LPCWSTR ResourceType, DWORD MinVersionSupported, DWORD MaxVersionSupported,                 \
      PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus, PLOG_EVENT_ROUTINE LogEvent,                \
      PCLRES_FUNCTION_TABLE* FunctionTable) {                                                     \
    return ::wolfpack::plugin::type_adapter<Class>::startup(                                      \
        {__VA_ARGS__}, ResourceType, MinVersionSupported, MaxVersionSupported, SetResourceStatus, \
        LogEvent, FunctionTable);                                                                 \
  }
