#include "wolfpack/common/platform/environment.hpp"

#include <string_view>

#ifdef _WIN32
#include <windows.h>

#include <cwchar>
#else
extern char** environ;
#endif

namespace wolfpack::platform {

#ifdef _WIN32
namespace {

std::string narrow(std::wstring_view text) {
  if (text.empty())
    return {};
  const int n = ::WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                                      nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(n), '\0');
  ::WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), n,
                        nullptr, nullptr);
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> environment_variables() {
  std::vector<std::pair<std::string, std::string>> out;
  wchar_t* block = ::GetEnvironmentStringsW();
  if (block == nullptr)
    return out;
  for (const wchar_t* p = block; *p != L'\0'; p += std::wcslen(p) + 1) {
    const std::wstring_view entry(p);
    const auto eq = entry.find(L'=', 1);  // "=C:=C:\dir" entries start with '='
    if (eq == std::wstring_view::npos || entry.front() == L'=')
      continue;
    out.emplace_back(narrow(entry.substr(0, eq)), narrow(entry.substr(eq + 1)));
  }
  ::FreeEnvironmentStringsW(block);
  return out;
}
#else
std::vector<std::pair<std::string, std::string>> environment_variables() {
  std::vector<std::pair<std::string, std::string>> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos)
      continue;
    out.emplace_back(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return out;
}
#endif

}  // namespace wolfpack::platform
