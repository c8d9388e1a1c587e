#pragma once

// `wolfpack check-plugin PATH [--type TYPE] [--param NAME=VALUE]... [--fail-param NAME=VALUE]...
// [--json]`: loads a plugin in a real resrcmon (started next to the wolfpack binary, driven
// over the monitor protocol) and runs a battery of conformance checks.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace CLI {
class App;
}

namespace wolfpack::tool {

struct check_options {
  std::string plugin;
  std::string type;                      // empty: the file name without "wp_" and extension
  std::vector<std::string> params;       // NAME=VALUE or NAME:TYPE=VALUE, for every Open
  std::vector<std::string> fail_params;  // set on an online resource, must make it go away
  bool json = false;
  std::string resrcmon;                      // empty: the resrcmon next to this program
  std::uint32_t pending_timeout_ms = 30000;  // PendingTimeout given to every resource
  std::uint32_t looks_alive_limit_ms = 300;  // "fast": Microsoft's guidance for LooksAlive
  std::uint32_t terminate_limit_ms = 1000;   // "quickly"
};

enum class check_verdict { pass, fail, skip };

struct check_result {
  std::string name;  // stable, for scripts: "startup-versions", "function-table", ...
  check_verdict verdict = check_verdict::fail;
  std::string reason;
  std::optional<double> elapsed_ms;  // the timing the check is about, when it has one
};

struct check_report {
  std::string plugin;
  std::string type;
  std::vector<check_result> results;

  // Nothing failed (skipped checks, which say why, do not count as failures).
  bool passed() const;
};

// The names of the checks, in the order they run.
const std::vector<std::string>& check_names();

// The type a plugin file is checked as when --type is not given.
std::string default_type_for(const std::filesystem::path& plugin);

check_report run_checks(const check_options& options);

void print_text(const check_report& report, std::ostream& out);
nlohmann::json to_json(const check_report& report);

CLI::App* add_check_plugin_command(CLI::App& app, check_options& options);
int run_check_plugin(const check_options& options, std::ostream& out, std::ostream& err);

}  // namespace wolfpack::tool
