#include "support.hpp"

#include <algorithm>
#include <cwchar>

#include "wolfpack/http/percent_encoding.hpp"
#include "wolfpack/wide_string.hpp"

namespace wolfpack::clusapi {

std::string utf8(LPCWSTR text) {
  if (text == nullptr)
    return {};
  return to_utf8(std::wstring_view(text, std::wcslen(text)));
}

std::wstring wide(const nlohmann::json& value) {
  if (!value.is_string())
    return {};
  return from_utf8(value.get_ref<const std::string&>());
}

std::wstring wide_field(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object())
    return {};
  const auto it = obj.find(key);
  return it == obj.end() ? std::wstring() : wide(*it);
}

DWORD copy_name(const std::wstring& text, LPWSTR buffer, LPDWORD lpcch) {
  if (lpcch == nullptr)
    return ERROR_INVALID_PARAMETER;
  const DWORD capacity = buffer == nullptr ? 0 : *lpcch;
  const auto length = static_cast<DWORD>(text.size());
  *lpcch = length;
  if (capacity > length) {
    std::copy(text.begin(), text.end(), buffer);
    buffer[length] = L'\0';
    return ERROR_SUCCESS;
  }
  if (capacity > 0) {
    std::copy_n(text.begin(), capacity - 1, buffer);
    buffer[capacity - 1] = L'\0';
  }
  return ERROR_MORE_DATA;
}

std::string object_path(std::string_view collection, const std::string& name) {
  std::string path = "/";
  path += collection;
  path += '/';
  path += http::encode_segment(name);
  return path;
}

}  // namespace wolfpack::clusapi
