// `wolfpack delay NODE MS`: see lab_commands.hpp.

#include <CLI/CLI.hpp>

#include "lab_verbs.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/lab_commands.hpp"

namespace wolfpack::tool {

CLI::App* add_delay_command(CLI::App& app, delay_options& o) {
  auto* sub = app.add_subcommand(
      "delay", "Delay a node's outgoing peer traffic by MS milliseconds (0 removes the delay)");
  sub->add_option("node", o.node, "The node (node1, node2, ...)")->required();
  sub->add_option("ms", o.delay_ms, "Milliseconds")->required()->check(CLI::Range(0, 600000));
  sub->add_option("--dir", o.dir, "Lab directory")->capture_default_str();
  return sub;
}

int run_delay(const delay_options& o, std::ostream& out, std::ostream& err) {
  auto lab = load_lab(absolute_dir(o.dir));
  if (!lab) {
    err << "wolfpack delay: " << lab.error() << "\n";
    return exit_failed;
  }
  auto node = find_lab_node(*lab, o.node);
  if (!node) {
    err << "wolfpack delay: " << node.error() << "\n";
    return exit_usage;
  }
  if (auto st = require_running(*lab); !st) {
    err << "wolfpack delay: " << st.error() << "\n";
    return exit_failed;
  }
  // The node's blocks (a partition) stay.
  node_faults f = lab->faults_of(o.node);
  f.delay_ms = o.delay_ms;
  lab->set_faults(o.node, f);
  const auto st = push_faults(*lab, o.node, err);
  if (auto w = write_lab(*lab); !w) {
    err << "wolfpack delay: " << w.error() << "\n";
    return exit_failed;
  }
  if (!st) {
    err << "wolfpack delay: " << st.error() << "\n";
    return exit_failed;
  }
  out << o.node << ": outgoing peer traffic delayed by " << o.delay_ms << " ms\n";
  return exit_ok;
}

}  // namespace wolfpack::tool
