#pragma once

// `wolfpack new-type NAME [--dir DIR] [--lang c|cpp]`: writes a buildable plugin project for
// a new resource type (CMakeLists.txt with find_package(Wolfpack), the source with every
// entry point, a README and a test running the plugin in `resrcmon --standalone`).

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <wolfpack/common/result.hpp>

namespace CLI {
class App;
}

namespace wolfpack::tool {

enum class plugin_language { c, cpp };

result<plugin_language> parse_language(std::string_view text);

// The names a type gets in the generated project, all derived from the type name.
struct type_names {
  std::string type_name;  // as given: "My Disk" (what Startup compares)
  std::string symbol;     // C identifier prefix for entry points: "MyDisk"
  std::string macro;      // upper-case identifier: "MY_DISK"
  std::string target;     // CMake target and plugin file: "wp_my_disk"
  std::string directory;  // default project directory: "my_disk"
};

// Refuses empty names, path separators, control characters and quotes, names that do not
// start with a letter, and characters outside letters, digits, space, '-', '_' and '.'.
result<type_names> derive_names(std::string_view type_name);

struct generated_file {
  std::filesystem::path relative;  // inside the project directory
  std::string text;
};

// The project's files, rendered from the embedded templates.
result<std::vector<generated_file>> render_project(const type_names& names,
                                                   plugin_language language);

struct new_type_options {
  std::string name;
  std::string dir;  // empty: ./<names.directory>
  std::string lang = "c";
};

// Validates everything first (name, language, DIR absent or empty), then writes the files.
// Returns the project directory.
result<std::filesystem::path> write_project(const new_type_options& options);

// Registers the subcommand; parsing fills `options`.
CLI::App* add_new_type_command(CLI::App& app, new_type_options& options);
int run_new_type(const new_type_options& options, std::ostream& out, std::ostream& err);

}  // namespace wolfpack::tool
