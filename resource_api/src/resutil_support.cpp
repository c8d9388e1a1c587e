#include "resutil_support.hpp"

#include <cstdlib>
#include <cstring>
#include <cwctype>

#include "wolfpack/wide_string.hpp"

namespace wolfpack::detail {

DWORD query_value(HKEY key, LPCWSTR name, DWORD& type, std::vector<std::uint8_t>& data) {
  // The value may change between the size query and the read: retry while it grows.
  for (int attempt = 0; attempt < 8; ++attempt) {
    DWORD size = static_cast<DWORD>(data.size());
    const LONG status =
        ClusterRegQueryValue(key, name, &type, data.empty() ? nullptr : data.data(), &size);
    if (status == ERROR_SUCCESS && !(data.empty() && size != 0)) {
      data.resize(size);
      return ERROR_SUCCESS;
    }
    if (status != ERROR_SUCCESS && status != ERROR_MORE_DATA)
      return static_cast<DWORD>(status);
    data.resize(size);
  }
  return ERROR_MORE_DATA;
}

DWORD write_value(HKEY key, LPCWSTR name, DWORD type, const void* data, std::size_t size) {
  if (size > 0xFFFFFFFFu)
    return ERROR_INVALID_PARAMETER;
  return ClusterRegSetValue(key, name, type, static_cast<const BYTE*>(data),
                            static_cast<DWORD>(size));
}

LPWSTR local_string(std::wstring_view text) {
  auto* copy = static_cast<LPWSTR>(LocalAlloc(LMEM_FIXED, (text.size() + 1) * sizeof(WCHAR)));
  if (copy == nullptr)
    return nullptr;
  if (!text.empty())
    std::memcpy(copy, text.data(), text.size() * sizeof(WCHAR));
  copy[text.size()] = L'\0';
  return copy;
}

LPBYTE local_bytes(const void* data, std::size_t size) {
  auto* copy = static_cast<LPBYTE>(LocalAlloc(LMEM_FIXED, size));
  if (copy != nullptr && size != 0)
    std::memcpy(copy, data, size);
  return copy;
}

std::wstring string_from_bytes(const std::vector<std::uint8_t>& data) {
  std::wstring text(data.size() / sizeof(WCHAR), L'\0');
  if (!text.empty())
    std::memcpy(text.data(), data.data(), text.size() * sizeof(WCHAR));
  const auto end = text.find(L'\0');
  if (end != std::wstring::npos)
    text.resize(end);
  return text;
}

std::wstring expand_environment(std::wstring_view text) {
  std::wstring out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto open = text.find(L'%', i);
    if (open == std::wstring_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    const auto close = text.find(L'%', open + 1);
    if (close == std::wstring_view::npos) {
      out.append(text.substr(open));
      break;
    }
    const std::wstring name(text.substr(open + 1, close - open - 1));
    const char* value = name.empty() ? nullptr : std::getenv(to_utf8(name).c_str());
    if (value != nullptr) {
      out.append(from_utf8(value));
      i = close + 1;
    } else {
      out.push_back(L'%');  // not a variable: keep the % and look again from the next one
      i = open + 1;
    }
  }
  return out;
}

}  // namespace wolfpack::detail
