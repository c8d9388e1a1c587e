// `wolfpack check-plugin`: see check_plugin.hpp.

#include <filesystem>

#include <CLI/CLI.hpp>
#include <wolfpack/common/platform/paths.hpp>

#include "wolfpack/tool/check_plugin.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/param_value.hpp"

namespace wolfpack::tool {

CLI::App* add_check_plugin_command(CLI::App& app, check_options& options) {
  auto* sub = app.add_subcommand("check-plugin",
                                 "Load a plugin in a real resrcmon and run the conformance checks");
  sub->add_option("path", options.plugin, "Plugin file (.so)")->required();
  sub->add_option("--type", options.type,
                  "Resource type name for Startup (default: from the file name, wp_dummy.so "
                  "-> Dummy)");
  sub->add_option("--param", options.params,
                  "Private property for every resource: NAME=VALUE or NAME:TYPE=VALUE "
                  "(repeatable)");
  sub->add_option("--fail-param", options.fail_params,
                  "Property that makes an online resource go away, for the IsAlive check "
                  "(e.g. FailFile=/tmp/existing-file for the Dummy; repeatable)");
  sub->add_flag("--json", options.json, "Print the report as one JSON object");
  sub->add_option("--pending-timeout-ms", options.pending_timeout_ms,
                  "PendingTimeout given to the resources")
      ->check(CLI::Range(10u, 3600000u));
  sub->add_option("--resrcmon", options.resrcmon,
                  "The resrcmon to use (default: the one next to wolfpack)");
  return sub;
}

int run_check_plugin(const check_options& options, std::ostream& out, std::ostream& err) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options.plugin, ec)) {
    err << "wolfpack check-plugin: '" << options.plugin << "' is not a file\n";
    return exit_usage;
  }
  for (const auto* list : {&options.params, &options.fail_params}) {
    for (const auto& p : *list) {
      if (auto parsed = parse_param_value(p); !parsed) {
        err << "wolfpack check-plugin: " << parsed.error() << "\n";
        return exit_usage;
      }
    }
  }
  check_options effective = options;
  if (effective.resrcmon.empty()) {
    auto found = platform::find_sibling_binary("resrcmon");
    if (!found) {
      err << "wolfpack check-plugin: no resrcmon next to " << platform::executable_path()
          << "; give --resrcmon\n";
      return exit_usage;
    }
    effective.resrcmon = found->string();
  }
  const check_report report = run_checks(effective);
  if (options.json)
    out << to_json(report).dump(2) << "\n";
  else
    print_text(report, out);
  return report.passed() ? exit_ok : exit_failed;
}

}  // namespace wolfpack::tool
