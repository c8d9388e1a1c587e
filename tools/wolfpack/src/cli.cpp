#include "wolfpack/tool/cli.hpp"

#include <functional>
#include <sstream>
#include <utility>

#include <CLI/CLI.hpp>

#include "wolfpack/tool/check_plugin.hpp"
#include "wolfpack/tool/lab_commands.hpp"
#include "wolfpack/tool/new_type.hpp"
#include "wolfpack/tool/sim_command.hpp"

namespace wolfpack::tool {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"wolfpack: the Wolfpack developer tool", "wolfpack"};
  app.require_subcommand(1);
  app.set_version_flag("--version", WP_TOOL_VERSION);

  // Each verb registers itself and says how to run once parsed.
  new_type_options new_type;
  check_options check;
  up_options up;
  status_options status;
  down_options down;
  node_options node;
  partition_options partition;
  heal_options heal;
  delay_options delay;
  rename_options rename;
  api_key_options api_key;
  sim_command_options sim;
  const std::vector<std::pair<CLI::App*, std::function<int()>>> verbs = {
      {add_new_type_command(app, new_type), [&] { return run_new_type(new_type, out, err); }},
      {add_check_plugin_command(app, check), [&] { return run_check_plugin(check, out, err); }},
      {add_up_command(app, up), [&] { return run_up(up, out, err); }},
      {add_status_command(app, status), [&] { return run_status(status, out, err); }},
      {add_down_command(app, down), [&] { return run_down(down, out, err); }},
      {add_node_command(app, node), [&] { return run_node(node, out, err); }},
      {add_partition_command(app, partition), [&] { return run_partition(partition, out, err); }},
      {add_heal_command(app, heal), [&] { return run_heal(heal, out, err); }},
      {add_delay_command(app, delay), [&] { return run_delay(delay, out, err); }},
      {add_rename_command(app, rename), [&] { return run_rename(rename, out, err); }},
      {add_sim_command(app, sim), [&] { return run_sim(sim, out, err); }},
      {add_api_key_command(app, api_key), [&] { return run_api_key(api_key, out, err); }},
  };

  // CLI11 parses the arguments in reverse order off a vector.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    // `wolfpack VERB --help` shows the verb's help.
    for (const auto& [sub, runner] : verbs) {
      if (sub->parsed()) {
        out << sub->help();
        return exit_ok;
      }
    }
    out << app.help();
    return exit_ok;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return exit_ok;
  } catch (const CLI::CallForVersion&) {
    out << WP_TOOL_VERSION << "\n";
    return exit_ok;
  } catch (const CLI::ParseError& e) {
    err << "wolfpack: " << e.what() << "\n";
    err << "Run 'wolfpack --help' for usage.\n";
    return exit_usage;
  }
  for (const auto& [sub, runner] : verbs) {
    if (sub->parsed())
      return runner();
  }
  err << "wolfpack: give a command; 'wolfpack --help' lists them\n";
  return exit_usage;
}

}  // namespace wolfpack::tool
