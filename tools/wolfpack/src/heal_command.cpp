// `wolfpack heal`: see lab_commands.hpp.

#include <CLI/CLI.hpp>

#include "lab_verbs.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/lab_commands.hpp"

namespace wolfpack::tool {

CLI::App* add_heal_command(CLI::App& app, heal_options& o) {
  auto* sub = app.add_subcommand(
      "heal", "Undo every partition: no node drops another's traffic (delays stay)");
  sub->add_option("--dir", o.dir, "Lab directory")->capture_default_str();
  return sub;
}

int run_heal(const heal_options& o, std::ostream& out, std::ostream& err) {
  auto lab = load_lab(absolute_dir(o.dir));
  if (!lab) {
    err << "wolfpack heal: " << lab.error() << "\n";
    return exit_failed;
  }
  if (auto st = require_running(*lab); !st) {
    err << "wolfpack heal: " << st.error() << "\n";
    return exit_failed;
  }
  int code = exit_ok;
  // Every node is told, not only those lab.json lists: a node may still hold blocks from
  // a lab.json that was lost or edited.
  for (const auto& name : lab->node_names()) {
    node_faults f = lab->faults_of(name);
    f.block.clear();
    lab->set_faults(name, f);
    if (auto st = push_faults(*lab, name, err); !st) {
      err << "wolfpack heal: " << st.error() << "\n";
      code = exit_failed;
    }
  }
  if (auto st = write_lab(*lab); !st) {
    err << "wolfpack heal: " << st.error() << "\n";
    return exit_failed;
  }
  out << "healed: no node blocks another\n";
  return code;
}

}  // namespace wolfpack::tool
