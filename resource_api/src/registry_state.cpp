#include "registry_state.hpp"

#include <chrono>
#include <cstdint>
#include <cwctype>

namespace wolfpack::detail {
namespace {

wchar_t fold(wchar_t c) {
  if (c >= L'a' && c <= L'z')
    return static_cast<wchar_t>(c - (L'a' - L'A'));
  // wchar_t is signed 32 bits on Linux and unsigned 16 bits on Windows: one unsigned test
  // means "ASCII" on both, and -Wtype-limits stays quiet on both.
  if (static_cast<std::uint32_t>(c) < 0x80)
    return c;
  return static_cast<wchar_t>(std::towupper(static_cast<std::wint_t>(c)));
}

}  // namespace

bool names_equal(std::wstring_view a, std::wstring_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (fold(a[i]) != fold(b[i]))
      return false;
  }
  return true;
}

std::vector<std::wstring_view> split_path(std::wstring_view path) {
  std::vector<std::wstring_view> names;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find(L'\\', start);
    if (end == std::wstring_view::npos)
      end = path.size();
    if (end > start)
      names.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

std::shared_ptr<registry_key> find_subkey(const registry_key& key, std::wstring_view name) {
  for (const auto& sub : key.subkeys) {
    if (names_equal(sub->name, name))
      return sub;
  }
  return nullptr;
}

std::shared_ptr<registry_key> find_key(const std::shared_ptr<registry_key>& from,
                                       const std::vector<std::wstring_view>& names) {
  std::shared_ptr<registry_key> key = from;
  for (const auto name : names) {
    key = find_subkey(*key, name);
    if (!key)
      return nullptr;
  }
  return key;
}

std::shared_ptr<registry_key> create_key(const std::shared_ptr<registry_key>& from,
                                         const std::vector<std::wstring_view>& names,
                                         bool* created) {
  std::shared_ptr<registry_key> key = from;
  bool made = false;
  for (const auto name : names) {
    auto sub = find_subkey(*key, name);
    made = !sub;
    if (!sub) {
      sub = std::make_shared<registry_key>();
      sub->name = std::wstring(name);
      sub->parent = key.get();
      sub->last_write = filetime_now();
      key->subkeys.push_back(sub);
      key->last_write = sub->last_write;
    }
    key = std::move(sub);
  }
  if (created)
    *created = made;
  return key;
}

std::pair<std::wstring, reg_value>* find_value(registry_key& key, std::wstring_view name) {
  for (auto& entry : key.values) {
    if (names_equal(entry.first, name))
      return &entry;
  }
  return nullptr;
}

std::pair<std::wstring, reg_value>& put_value(registry_key& key, std::wstring_view name,
                                              reg_value value) {
  key.last_write = filetime_now();
  if (auto* existing = find_value(key, name)) {
    existing->second = std::move(value);
    return *existing;
  }
  key.values.emplace_back(std::wstring(name), std::move(value));
  return key.values.back();
}

std::wstring key_path(const registry_key& key) {
  std::vector<const std::wstring*> names;
  for (const registry_key* k = &key; k != nullptr && k->parent != nullptr; k = k->parent) {
    names.push_back(&k->name);
  }
  std::wstring path;
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    if (!path.empty())
      path.push_back(L'\\');
    path += **it;
  }
  return path;
}

FILETIME filetime_now() {
  // FILETIME counts 100 ns intervals since 1601-01-01; the Unix epoch is 11644473600 s later.
  constexpr std::uint64_t epoch_offset = 116444736000000000ULL;
  const auto since_unix = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  const std::uint64_t ticks = epoch_offset + static_cast<std::uint64_t>(since_unix / 100);
  FILETIME ft;
  ft.dwLowDateTime = static_cast<DWORD>(ticks & 0xFFFFFFFFu);
  ft.dwHighDateTime = static_cast<DWORD>(ticks >> 32);
  return ft;
}

}  // namespace wolfpack::detail
