#include "value_codec.hpp"

#include <cstring>

namespace wolfpack::cluster::detail {
namespace {

void put_le(std::vector<std::uint8_t>& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out.push_back(static_cast<std::uint8_t>(value & 0xFF));
    value >>= 8;
  }
}

std::uint64_t get_le(const std::uint8_t* data, int bytes) {
  std::uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i)
    value = (value << 8) | data[i];
  return value;
}

}  // namespace

std::vector<std::uint8_t> encode_value(const typed_value& value) {
  std::vector<std::uint8_t> out;
  switch (value.type) {
    case value_type::dword:
      put_le(out, value.as_number(), 4);
      break;
    case value_type::qword:
      put_le(out, value.as_number(), 8);
      break;
    case value_type::sz:
    case value_type::expand_sz:
      out.assign(value.as_string().begin(), value.as_string().end());
      break;
    case value_type::multi_sz:
      for (const auto& s : value.as_strings()) {
        out.insert(out.end(), s.begin(), s.end());
        out.push_back(0);
      }
      break;
    case value_type::binary:
      out = value.as_bytes();
      break;
  }
  return out;
}

result<typed_value> decode_value(value_type type, const std::uint8_t* data, std::size_t size) {
  const std::string name(to_string(type));
  switch (type) {
    case value_type::dword:
    case value_type::qword: {
      const std::size_t want = type == value_type::dword ? 4 : 8;
      if (size != want) {
        return fail(name + " data has " + std::to_string(size) + " bytes, expected " +
                    std::to_string(want));
      }
      return typed_value{type, get_le(data, static_cast<int>(want))};
    }
    case value_type::sz:
    case value_type::expand_sz: {
      std::string text(reinterpret_cast<const char*>(data), size);
      if (text.find('\0') != std::string::npos)
        return fail(name + " data contains a NUL");
      return typed_value{type, std::move(text)};
    }
    case value_type::multi_sz: {
      std::vector<std::string> list;
      std::size_t start = 0;
      while (start < size) {
        const void* nul = std::memchr(data + start, 0, size - start);
        if (nul == nullptr)
          return fail("MULTI_SZ data does not end with a NUL");
        const auto end = static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - data);
        if (end == start)
          return fail("MULTI_SZ data has an empty element");
        list.emplace_back(reinterpret_cast<const char*>(data + start), end - start);
        start = end + 1;
      }
      return typed_value{type, std::move(list)};
    }
    case value_type::binary:
      return typed_value{type, std::vector<std::uint8_t>(data, data + size)};
  }
  return fail("unknown value type");
}

}  // namespace wolfpack::cluster::detail
