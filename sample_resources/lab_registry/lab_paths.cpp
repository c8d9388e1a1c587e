#include "wolfpack/lab/lab_paths.hpp"

#include <cctype>
#include <cstdlib>
#include <system_error>

#include "wolfpack/common/platform/system.hpp"

namespace wolfpack::lab {

namespace fs = std::filesystem;

fs::path lab_dir() {
  if (const char* dir = std::getenv("WOLFPACK_LAB_DIR"); dir != nullptr && *dir != '\0')
    return fs::path(dir);
  std::error_code ec;
  fs::path temp = fs::temp_directory_path(ec);
  if (ec)
    temp = "/tmp";
  // Per user: another user's lab on the same machine must not see (or block) ours.
  return temp / ("wolfpack-lab-" + platform::user_tag());
}

std::string node_name() {
  if (const char* node = std::getenv("WOLFPACK_NODE"); node != nullptr && *node != '\0')
    return node;
  if (auto host = platform::host_name(); !host.empty())
    return host;
  return "localhost";
}

void ensure_directory(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec && !fs::is_directory(dir))
    throw lab_error("cannot create the lab directory " + dir.string() + ": " + ec.message());
}

std::string file_name_for(std::string_view key) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : key) {
    const auto b = static_cast<unsigned char>(c);
    if (std::isalnum(b) != 0 || c == '.' || c == '-' || c == '_') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(hex[b >> 4]);
      out.push_back(hex[b & 0xF]);
    }
  }
  // "." and ".." are not names a registry entry may have.
  if (out == "." || out == "..")
    out = "%2E" + out.substr(1);
  return out;
}

std::string upper_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace wolfpack::lab
