#include "wolfpack/reg_codec/typed_reg_value.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "wolfpack/wide_string.hpp"

namespace wolfpack {

namespace {

// The characters from `offset` up to the next terminator (or the end), moving past it.
std::wstring wide_from_bytes(const std::vector<std::uint8_t>& data, std::size_t& offset) {
  std::wstring out;
  while (offset + sizeof(WCHAR) <= data.size()) {
    WCHAR c;
    std::memcpy(&c, data.data() + offset, sizeof c);
    offset += sizeof c;
    if (c == 0)
      break;
    out.push_back(c);
  }
  return out;
}

}  // namespace

reg_value to_reg_value(const typed_value& v) {
  switch (v.type) {
    case value_type::dword:
      return make_dword(static_cast<DWORD>(v.as_number()));
    case value_type::qword:
      return make_qword(v.as_number());
    case value_type::sz:
      return make_sz(from_utf8(v.as_string()));
    case value_type::expand_sz:
      return make_expand_sz(from_utf8(v.as_string()));
    case value_type::multi_sz: {
      std::vector<std::wstring> items;
      for (const auto& s : v.as_strings())
        items.push_back(from_utf8(s));
      return make_multi_sz(items);
    }
    case value_type::binary:
      return make_binary(v.as_bytes());
  }
  return {};
}

typed_value from_reg_value(const reg_value& v) {
  switch (v.type) {
    case REG_DWORD: {
      std::uint32_t d = 0;
      std::memcpy(&d, v.data.data(), std::min<std::size_t>(4, v.data.size()));
      return typed_value::dword(d);
    }
    case REG_QWORD: {
      std::uint64_t q = 0;
      std::memcpy(&q, v.data.data(), std::min<std::size_t>(8, v.data.size()));
      return typed_value::qword(q);
    }
    case REG_SZ:
    case REG_EXPAND_SZ: {
      std::size_t offset = 0;
      std::string s = to_utf8(wide_from_bytes(v.data, offset));
      return v.type == REG_SZ ? typed_value::sz(std::move(s))
                              : typed_value::expand_sz(std::move(s));
    }
    case REG_MULTI_SZ: {
      std::vector<std::string> items;
      std::size_t offset = 0;
      while (offset + sizeof(WCHAR) <= v.data.size()) {
        std::wstring item = wide_from_bytes(v.data, offset);
        if (item.empty())
          break;
        items.push_back(to_utf8(item));
      }
      return typed_value::multi_sz(std::move(items));
    }
    default:
      return typed_value::binary(v.data);
  }
}

}  // namespace wolfpack
