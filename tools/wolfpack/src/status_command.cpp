// `wolfpack status`: see lab_commands.hpp.

#include <CLI/CLI.hpp>

#include "lab_snapshot.hpp"
#include "lab_verbs.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/lab_commands.hpp"

namespace wolfpack::tool {

CLI::App* add_status_command(CLI::App& app, status_options& o) {
  auto* sub = app.add_subcommand(
      "status", "Show the lab's nodes (process, API state, faults) and groups (state, owner)");
  sub->add_option("--dir", o.dir, "Lab directory")->capture_default_str();
  sub->add_flag("--json", o.json, "Print one JSON object");
  return sub;
}

int run_status(const status_options& o, std::ostream& out, std::ostream& err) {
  auto lab = load_lab(absolute_dir(o.dir));
  if (!lab) {
    err << "wolfpack status: " << lab.error() << "\n";
    return exit_failed;
  }
  const auto snap = take_snapshot(*lab);
  if (o.json)
    out << snapshot_json(*lab, snap).dump(2) << "\n";
  else
    print_snapshot(*lab, snap, out);
  // For scripts: 0 means at least one node runs.
  return snap.any_running() ? exit_ok : exit_failed;
}

}  // namespace wolfpack::tool
