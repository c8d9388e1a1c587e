#include "wolfpack/reg_value.hpp"

#include <cstring>

namespace wolfpack {
namespace {

reg_value make_string(DWORD type, std::wstring_view text) {
  reg_value v;
  v.type = type;
  v.data.resize((text.size() + 1) * sizeof(WCHAR), 0);
  if (!text.empty())
    std::memcpy(v.data.data(), text.data(), text.size() * sizeof(WCHAR));
  return v;
}

// The WCHARs of a string value; a trailing partial WCHAR is ignored.
std::wstring wide_chars(const std::vector<std::uint8_t>& data) {
  std::wstring chars(data.size() / sizeof(WCHAR), L'\0');
  if (!chars.empty())
    std::memcpy(chars.data(), data.data(), chars.size() * sizeof(WCHAR));
  return chars;
}

}  // namespace

reg_value make_dword(DWORD value) {
  reg_value v;
  v.type = REG_DWORD;
  v.data.resize(sizeof value);
  std::memcpy(v.data.data(), &value, sizeof value);
  return v;
}

reg_value make_qword(std::uint64_t value) {
  reg_value v;
  v.type = REG_QWORD;
  v.data.resize(sizeof value);
  std::memcpy(v.data.data(), &value, sizeof value);
  return v;
}

reg_value make_sz(std::wstring_view value) {
  return make_string(REG_SZ, value);
}

reg_value make_expand_sz(std::wstring_view value) {
  return make_string(REG_EXPAND_SZ, value);
}

reg_value make_multi_sz(const std::vector<std::wstring>& values) {
  std::wstring joined;
  for (const auto& s : values) {
    if (s.empty())
      continue;
    joined.append(s.c_str());  // up to an embedded terminator, if any
    joined.push_back(L'\0');
  }
  reg_value v = make_string(REG_MULTI_SZ, joined);  // adds the final terminator
  return v;
}

reg_value make_binary(std::span<const std::uint8_t> value) {
  reg_value v;
  v.type = REG_BINARY;
  v.data.assign(value.begin(), value.end());
  return v;
}

std::optional<DWORD> as_dword(const reg_value& value) {
  if (value.type != REG_DWORD || value.data.size() != sizeof(DWORD))
    return std::nullopt;
  DWORD d = 0;
  std::memcpy(&d, value.data.data(), sizeof d);
  return d;
}

std::optional<std::uint64_t> as_qword(const reg_value& value) {
  if (value.type != REG_QWORD || value.data.size() != sizeof(std::uint64_t))
    return std::nullopt;
  std::uint64_t q = 0;
  std::memcpy(&q, value.data.data(), sizeof q);
  return q;
}

std::optional<std::wstring> as_sz(const reg_value& value) {
  if (value.type != REG_SZ && value.type != REG_EXPAND_SZ)
    return std::nullopt;
  if (value.data.size() % sizeof(WCHAR) != 0)
    return std::nullopt;
  std::wstring chars = wide_chars(value.data);
  const auto end = chars.find(L'\0');
  if (end != std::wstring::npos)
    chars.resize(end);
  return chars;
}

std::optional<std::vector<std::wstring>> as_multi_sz(const reg_value& value) {
  if (value.type != REG_MULTI_SZ || value.data.size() % sizeof(WCHAR) != 0)
    return std::nullopt;
  const std::wstring chars = wide_chars(value.data);
  std::vector<std::wstring> out;
  std::size_t start = 0;
  while (start < chars.size()) {
    auto end = chars.find(L'\0', start);
    if (end == std::wstring::npos)
      end = chars.size();  // tolerate a missing terminator
    if (end == start)
      break;  // the empty string ends the list
    out.emplace_back(chars, start, end - start);
    start = end + 1;
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> as_binary(const reg_value& value) {
  if (value.type != REG_BINARY)
    return std::nullopt;
  return value.data;
}

}  // namespace wolfpack
