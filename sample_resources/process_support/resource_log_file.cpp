#include "resource_log_file.hpp"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <wolfpack/plugin.hpp>
#include <wolfpack/wide_string.hpp>

namespace wolfpack::samples {

namespace fs = std::filesystem;

std::string safe_file_word(const std::wstring& resource_name) {
  std::string word = to_utf8(resource_name);
  for (char& c : word) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '.' && c != '-' && c != '_')
      c = '_';
  }
  if (word.empty() || word == "." || word == "..")
    word = "resource" + word;
  return word;
}

std::string resource_log_file(const std::wstring& log_file_property,
                              const std::wstring& resource_name) {
  fs::path file;
  if (!log_file_property.empty()) {
    file = fs::path(to_utf8(log_file_property));
  } else {
    fs::path dir;
    if (const char* env = std::getenv("WOLFPACK_RESOURCE_LOG_DIR"); env != nullptr && *env != 0) {
      dir = env;
    } else {
      std::error_code ec;
      dir = fs::temp_directory_path(ec);
      if (ec)
        dir = "/tmp";
      dir /= "wolfpack-resources";
    }
    file = dir / (safe_file_word(resource_name) + ".log");
  }
  std::error_code ec;
  if (file.has_parent_path())
    fs::create_directories(file.parent_path(), ec);
  if (ec) {
    throw plugin::error(
        ERROR_PATH_NOT_FOUND,
        "cannot create the log directory " + file.parent_path().string() + ": " + ec.message());
  }
  return file.string();
}

}  // namespace wolfpack::samples
