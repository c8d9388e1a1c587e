#include "wolfpack/cluster_db/db_path.hpp"

#include <variant>

namespace wolfpack::cluster {

std::string fold_case(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

status check_key_path(std::string_view path) {
  if (path.empty())
    return {};
  if (path.find('\0') != std::string_view::npos) {
    return fail("key path contains a NUL character");
  }
  std::size_t start = 0;
  while (true) {
    const auto end = path.find(key_separator, start);
    const auto component = path.substr(start, end == std::string_view::npos ? end : end - start);
    if (component.empty()) {
      return fail("key path '" + std::string(path) + "' has an empty component");
    }
    if (component.size() > max_key_name_length) {
      return fail("key name '" + std::string(component.substr(0, 32)) + "...' is longer than " +
                  std::to_string(max_key_name_length) + " characters");
    }
    if (end == std::string_view::npos)
      return {};
    start = end + 1;
  }
}

result<std::vector<std::string>> split_key_path(std::string_view path) {
  if (auto ok = check_key_path(path); !ok)
    return fail(ok.error());
  std::vector<std::string> out;
  if (path.empty())
    return out;
  std::size_t start = 0;
  while (true) {
    const auto end = path.find(key_separator, start);
    out.emplace_back(path.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos)
      return out;
    start = end + 1;
  }
}

std::string join_key_path(const std::vector<std::string>& components) {
  std::string out;
  for (const auto& c : components) {
    if (!out.empty())
      out.push_back(key_separator);
    out += c;
  }
  return out;
}

status check_value_name(std::string_view name) {
  if (name.empty())
    return fail("value name is empty");
  if (name.find('\0') != std::string_view::npos) {
    return fail("value name contains a NUL character");
  }
  if (name.size() > max_value_name_length) {
    return fail("value name '" + std::string(name.substr(0, 32)) + "...' is longer than " +
                std::to_string(max_value_name_length) + " characters");
  }
  return {};
}

status check_value(const typed_value& value) {
  const std::string type(to_string(value.type));
  auto mismatch = [&] { return fail(type + " value holds data of another type"); };
  switch (value.type) {
    case value_type::dword:
    case value_type::qword:
      if (!std::holds_alternative<std::uint64_t>(value.v))
        return mismatch();
      if (value.type == value_type::dword && value.as_number() > 0xFFFFFFFFu) {
        return fail("DWORD value " + std::to_string(value.as_number()) + " is out of range");
      }
      return {};
    case value_type::sz:
    case value_type::expand_sz:
      if (!std::holds_alternative<std::string>(value.v))
        return mismatch();
      if (value.as_string().find('\0') != std::string::npos) {
        return fail(type + " value contains a NUL character");
      }
      return {};
    case value_type::multi_sz: {
      if (!std::holds_alternative<std::vector<std::string>>(value.v))
        return mismatch();
      const auto& list = value.as_strings();
      for (std::size_t i = 0; i < list.size(); ++i) {
        // An empty element would end the list in the double-NUL-terminated native form.
        if (list[i].empty())
          return fail("MULTI_SZ element " + std::to_string(i) + " is empty");
        if (list[i].find('\0') != std::string::npos) {
          return fail("MULTI_SZ element " + std::to_string(i) + " contains a NUL character");
        }
      }
      return {};
    }
    case value_type::binary:
      if (!std::holds_alternative<std::vector<std::uint8_t>>(value.v))
        return mismatch();
      return {};
  }
  return fail("value has an unknown type");
}

}  // namespace wolfpack::cluster
