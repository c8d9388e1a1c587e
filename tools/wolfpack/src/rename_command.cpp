// `wolfpack rename NEW`: see lab_commands.hpp.

#include <CLI/CLI.hpp>

#include "lab_api.hpp"
#include "lab_registry.hpp"
#include "lab_verbs.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/lab_commands.hpp"

namespace wolfpack::tool {

namespace {

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// The lab's cluster can be called `name`: a lab name, not another lab's or cluster's.
status check_new_name(const lab_state& lab, const std::string& name) {
  if (auto st = check_lab_name(name); !st)
    return st;
  if (same_name(name, lab.name))
    return {};
  if (std::filesystem::exists(registration_file(name))) {
    const auto other = registered_lab_dir(name);
    if (other && *other == lab.dir)
      return {};  // registered by this lab already: a rename that stopped half-way
    return fail("a cluster named '" + name + "' is registered already (" +
                (other ? "the lab in " + other->string() : registration_file(name).string()) + ")");
  }
  return {};
}

}  // namespace

CLI::App* add_rename_command(CLI::App& app, rename_options& o) {
  auto* sub = app.add_subcommand(
      "rename",
      "Rename the lab's cluster (SetClusterName, as `cluster /rename:NEW`) and register it "
      "under the new name");
  sub->add_option("name", o.name, "The new name")->required();
  sub->add_option("--dir", o.dir, "Lab directory")->capture_default_str();
  sub->add_flag("--check", o.check, "Only say whether NAME can be the lab's name; change nothing");
  sub->add_flag("--quiet", o.quiet, "Print nothing on success (errors still go to stderr)");
  return sub;
}

int run_rename(const rename_options& o, std::ostream& out, std::ostream& err) {
  auto lab = load_lab(absolute_dir(o.dir));
  if (!lab) {
    err << "wolfpack rename: " << lab.error() << "\n";
    return exit_failed;
  }
  if (auto st = check_new_name(*lab, o.name); !st) {
    err << "wolfpack rename: " << st.error() << "\n";
    return exit_usage;
  }
  if (o.check)
    return exit_ok;
  if (auto st = require_running(*lab); !st) {
    err << "wolfpack rename: " << st.error() << "\n";
    return exit_failed;
  }
  if (auto key = use_secret_file(lab->secret_file); !key) {
    err << "wolfpack rename: " << key.error() << "\n";
    return exit_failed;
  }
  // The cluster renames itself (cluster /rename may have done it already); then the lab's
  // nodes start under the new name and /cluster:NEW finds them.
  std::string last_error = "no node of the lab answers";
  bool renamed = false;
  for (const auto& node : lab->nodes) {
    if (node.api.empty() || process_state(node) != node_process::running)
      continue;
    const nlohmann::json body{{"name", o.name}};
    auto reply = api_call(node.api, "POST", "/cluster/rename", &body, std::chrono::seconds(10));
    if (reply) {
      renamed = true;
      break;
    }
    last_error = node.name + ": " + reply.error();
  }
  if (!renamed) {
    err << "wolfpack rename: the cluster was not renamed: " << last_error << "\n";
    return exit_failed;
  }
  const auto old_lab = *lab;
  lab->name = o.name;
  if (auto st = write_lab(*lab); !st) {
    err << "wolfpack rename: the cluster is called '" << o.name
        << "' now, but lab.json could not be updated: " << st.error() << "\n";
    return exit_failed;
  }
  if (auto st = register_lab(*lab); !st) {
    err << "wolfpack rename: the cluster is called '" << o.name
        << "' now, but it could not be registered under that name: " << st.error() << "\n";
    return exit_failed;
  }
  if (!same_name(old_lab.name, o.name))
    unregister_lab(old_lab);
  if (!o.quiet)
    out << "renamed: the cluster '" << old_lab.name << "' is now '" << o.name
        << "' (cluster /cluster:" << o.name << " reaches it)\n";
  return exit_ok;
}

}  // namespace wolfpack::tool
