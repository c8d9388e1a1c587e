// `wolfpack down`: see lab_commands.hpp.

#include <CLI/CLI.hpp>

#include "lab_registry.hpp"
#include "lab_verbs.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/lab_commands.hpp"

namespace wolfpack::tool {

CLI::App* add_down_command(CLI::App& app, down_options& o) {
  auto* sub = app.add_subcommand(
      "down", "Stop every node of the lab and whatever they started; keep DIR for the next 'up'");
  sub->add_option("--dir", o.dir, "Lab directory")->capture_default_str();
  sub->add_option("--timeout", o.timeout_s,
                  "Seconds each clussvc gets to exit after SIGTERM before it is killed")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  return sub;
}

int take_down(lab_state& lab, std::chrono::milliseconds grace, std::ostream& out,
              std::ostream& err) {
  out << "Stopping lab '" << lab.name << "' in " << lab.dir.string() << "\n";
  const auto st = stop_nodes(lab, lab.node_names(), grace, out);
  // Fresh processes start without faults; a partition does not survive the lab.
  lab.faults.clear();
  if (auto w = write_lab(lab); !w)
    err << "wolfpack down: " << w.error() << "\n";
  if (unregister_lab(lab))
    out << "Unregistered '" << lab.name << "'.\n";
  if (!st) {
    err << "wolfpack down: " << st.error() << "\n";
    return exit_failed;
  }
  out << "Nothing of the lab is running; 'wolfpack up " << dir_arg(lab)
      << "' starts it again with its databases.\n";
  return exit_ok;
}

int run_down(const down_options& o, std::ostream& out, std::ostream& err) {
  auto lab = load_lab(absolute_dir(o.dir));
  if (!lab) {
    err << "wolfpack down: " << lab.error() << "\n";
    return exit_failed;
  }
  return take_down(*lab, std::chrono::seconds(o.timeout_s), out, err);
}

}  // namespace wolfpack::tool
