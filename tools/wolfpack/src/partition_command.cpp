// `wolfpack partition NODE,NODE/NODE`: see lab_commands.hpp and partition_spec.hpp.

#include <CLI/CLI.hpp>

#include "lab_verbs.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/lab_commands.hpp"
#include "wolfpack/tool/partition_spec.hpp"

namespace wolfpack::tool {

CLI::App* add_partition_command(CLI::App& app, partition_options& o) {
  auto* sub = app.add_subcommand(
      "partition",
      "Cut the lab's network: the nodes on each side of '/' drop the other sides' traffic");
  sub->add_option("spec", o.spec, "Sides, e.g. node1,node2/node3 (nodes not named keep theirs)")
      ->required();
  sub->add_option("--dir", o.dir, "Lab directory")->capture_default_str();
  return sub;
}

int run_partition(const partition_options& o, std::ostream& out, std::ostream& err) {
  auto lab = load_lab(absolute_dir(o.dir));
  if (!lab) {
    err << "wolfpack partition: " << lab.error() << "\n";
    return exit_failed;
  }
  auto spec = parse_partition(o.spec, lab->node_names());
  if (!spec) {
    err << "wolfpack partition: " << spec.error() << "\n";
    return exit_usage;
  }
  if (auto st = require_running(*lab); !st) {
    err << "wolfpack partition: " << st.error() << "\n";
    return exit_failed;
  }
  // A node's block list is replaced; its delay stays.
  for (const auto& [node, block] : partition_blocks(*spec)) {
    node_faults f = lab->faults_of(node);
    f.block = block;
    lab->set_faults(node, f);
  }
  int code = exit_ok;
  for (const auto& [node, block] : partition_blocks(*spec)) {
    if (auto st = push_faults(*lab, node, err); !st) {
      err << "wolfpack partition: " << st.error() << "\n";
      code = exit_failed;
    }
  }
  if (auto st = write_lab(*lab); !st) {
    err << "wolfpack partition: " << st.error() << "\n";
    return exit_failed;
  }
  out << "partitioned: " << describe(*spec) << "; 'wolfpack heal " << dir_arg(*lab)
      << "' joins the sides again\n";
  return code;
}

}  // namespace wolfpack::tool
