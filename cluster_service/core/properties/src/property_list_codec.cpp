#include "wolfpack/cluster_properties/property_list_codec.hpp"

#include <cstring>

#include "wolfpack/proplist.hpp"
#include "wolfpack/wide_string.hpp"

namespace wolfpack::cluster {

std::uint16_t clusprop_format(value_type type) {
  switch (type) {
    case value_type::dword:
      return CLUSPROP_FORMAT_DWORD;
    case value_type::qword:
      return CLUSPROP_FORMAT_ULARGE_INTEGER;
    case value_type::sz:
      return CLUSPROP_FORMAT_SZ;
    case value_type::expand_sz:
      return CLUSPROP_FORMAT_EXPAND_SZ;
    case value_type::multi_sz:
      return CLUSPROP_FORMAT_MULTI_SZ;
    case value_type::binary:
      return CLUSPROP_FORMAT_BINARY;
  }
  return CLUSPROP_FORMAT_UNKNOWN;
}

namespace {

// One typed value as a value entry of the syntax type `syntax_type` (CLUSPROP_TYPE_LIST_VALUE
// for a property's value, WP_CLUSPROP_TYPE_* for a format's details).
void add_typed(value_list_builder& out, DWORD syntax_type, const typed_value& v) {
  const DWORD syntax = CLUSPROP_SYNTAX_VALUE(syntax_type, clusprop_format(v.type));
  switch (v.type) {
    case value_type::dword:
      out.add_dword(static_cast<DWORD>(v.as_number()), syntax);
      break;
    case value_type::qword: {
      const std::uint64_t q = v.as_number();
      out.add_value(syntax, &q, sizeof q);
      break;
    }
    case value_type::sz:
    case value_type::expand_sz:
      out.add_sz(from_utf8(v.as_string()), syntax);
      break;
    case value_type::multi_sz: {
      std::vector<std::wstring> values;
      for (const auto& s : v.as_strings())
        values.push_back(from_utf8(s));
      const auto bytes = proplist_detail::multi_sz_bytes(values);
      out.add_value(syntax, bytes.data(), bytes.size());
      break;
    }
    case value_type::binary:
      out.add_value(syntax, v.as_bytes().data(), v.as_bytes().size());
      break;
  }
}

}  // namespace

std::vector<std::uint8_t> to_property_list(const property_map& properties) {
  property_list_builder list;
  for (const auto& [name, v] : properties) {
    value_list_builder value;
    add_typed(value, CLUSPROP_TYPE_LIST_VALUE, v);
    list.add_property(from_utf8(name), value);
  }
  return list.bytes();
}

std::vector<std::uint8_t> to_format_list(const std::vector<const property_spec*>& specs) {
  property_format_list_builder list;
  for (const auto* spec : specs) {
    value_list_builder details;
    if (spec->default_value)
      add_typed(details, WP_CLUSPROP_TYPE_DEFAULT, *spec->default_value);
    if (spec->type == value_type::dword) {
      add_typed(details, WP_CLUSPROP_TYPE_MINIMUM,
                typed_value::dword(static_cast<std::uint32_t>(spec->min)));
      add_typed(details, WP_CLUSPROP_TYPE_MAXIMUM,
                typed_value::dword(static_cast<std::uint32_t>(spec->max)));
    } else if (spec->type == value_type::qword) {
      add_typed(details, WP_CLUSPROP_TYPE_MINIMUM, typed_value::qword(spec->min));
      add_typed(details, WP_CLUSPROP_TYPE_MAXIMUM, typed_value::qword(spec->max));
    }
    if (spec->read_only || spec->maintained) {
      details.add_dword(WP_CLUSPROP_FLAG_READ_ONLY,
                        CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_FLAGS, CLUSPROP_FORMAT_DWORD));
    }
    list.add(from_utf8(std::string(spec->name)), clusprop_format(spec->type), details);
  }
  return list.bytes();
}

namespace {

result<typed_value> typed(const property_value& v) {
  if (auto d = v.as_dword())
    return typed_value::dword(*d);
  if (auto l = v.as_long())
    return typed_value::dword(static_cast<std::uint32_t>(*l));
  if (auto w = v.as_word())
    return typed_value::dword(*w);
  if (auto q = v.as_ularge())
    return typed_value::qword(*q);
  if (auto q = v.as_large())
    return typed_value::qword(static_cast<std::uint64_t>(*q));
  if (v.format() == CLUSPROP_FORMAT_EXPAND_SZ) {
    if (auto s = v.as_sz())
      return typed_value::expand_sz(to_utf8(*s));
  }
  if (auto s = v.as_sz())
    return typed_value::sz(to_utf8(*s));
  if (auto m = v.as_multi_sz()) {
    std::vector<std::string> values;
    for (const auto& s : *m)
      values.push_back(to_utf8(s));
    return typed_value::multi_sz(std::move(values));
  }
  if (auto b = v.as_binary())
    return typed_value::binary(std::move(*b));
  return fail("format " + std::to_string(v.format()) + " with " + std::to_string(v.data.size()) +
              " bytes is not a value a property can hold");
}

}  // namespace

result<property_map> from_property_list(const void* data, std::size_t size) {
  const auto list = parse_property_list(data, size);
  if (!list.ok)
    return fail("the property list does not decode: " + list.error);
  property_map out;
  for (const auto& p : list.properties) {
    auto value = typed(p.value());
    if (!value)
      return fail("property '" + to_utf8(p.name) + "': " + value.error());
    out.insert_or_assign(to_utf8(p.name), std::move(value).value());
  }
  return out;
}

std::vector<std::uint8_t> to_name_list(const std::vector<std::string>& names) {
  std::wstring chars;
  for (const auto& n : names) {
    chars += from_utf8(n);
    chars.push_back(L'\0');
  }
  chars.push_back(L'\0');
  std::vector<std::uint8_t> bytes(chars.size() * sizeof(WCHAR));
  std::memcpy(bytes.data(), chars.data(), bytes.size());
  return bytes;
}

}  // namespace wolfpack::cluster
