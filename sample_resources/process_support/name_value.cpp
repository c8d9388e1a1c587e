#include "name_value.hpp"

#include <cctype>

#include <wolfpack/wide_string.hpp>

namespace wolfpack::samples {
namespace {

bool valid_name(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])))
    return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      return false;
  }
  return true;
}

}  // namespace

std::optional<name_value_list> parse_name_values(const std::vector<std::wstring>& entries,
                                                 std::string* error) {
  name_value_list out;
  for (const auto& wide : entries) {
    const std::string entry = to_utf8(wide);
    const auto eq = entry.find('=');
    if (eq == std::string::npos) {
      if (error != nullptr)
        *error = "'" + entry + "' is not NAME=VALUE";
      return std::nullopt;
    }
    std::string name = entry.substr(0, eq);
    if (!valid_name(name)) {
      if (error != nullptr)
        *error = "'" + name + "' in '" + entry + "' is not a valid name (letters, digits, _)";
      return std::nullopt;
    }
    out.emplace_back(std::move(name), entry.substr(eq + 1));
  }
  return out;
}

}  // namespace wolfpack::samples
