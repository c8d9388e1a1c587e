// `wolfpack rename NEW`: see lab_commands.hpp.

#include <CLI/CLI.hpp>

#include "lab_api.hpp"
#include "lab_registry.hpp"
#include "lab_verbs.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/lab_commands.hpp"

namespace wolfpack::tool {

namespace {

// The lab's cluster can be called `name`: a lab name, not another lab's or cluster's.
status check_new_name(const lab_state& lab, const std::string& name) {
  if (auto st = check_lab_name(name); !st)
    return st;
  // The cluster's own limit (a DNS label), below the lab name's.
  if (name.size() > 63)
    return fail("the cluster name '" + name + "' is longer than 63 characters");
  if (name == lab.name)
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
    auto reply = api_request(node.api, "POST", "/cluster/rename", &body, std::chrono::seconds(10));
    if (reply && reply->status / 100 == 2) {
      renamed = true;
      break;
    }
    last_error = node.name + ": " + (reply ? api_error_text(*reply) : reply.error());
    // A refusal of the name is the cluster's answer: every node gives the same. Another node
    // is asked only when this one could not (down, between views).
    if (reply && reply->status / 100 == 4)
      break;
  }
  if (!renamed) {
    err << "wolfpack rename: the cluster was not renamed: " << last_error << "\n";
    return exit_failed;
  }
  const auto old_name = lab->name;
  lab->name = o.name;
  // Registered under the new name first: a rename that stops after this is finished by the
  // next one, which finds this lab's other registrations by their lab directory.
  if (auto st = register_lab(*lab); !st) {
    err << "wolfpack rename: the cluster is called '" << o.name
        << "' now, but it could not be registered under that name: " << st.error() << "\n";
    return exit_failed;
  }
  if (auto st = write_lab(*lab); !st) {
    err << "wolfpack rename: the cluster is called '" << o.name
        << "' now, but lab.json could not be updated: " << st.error() << "\n";
    return exit_failed;
  }
  unregister_other_names(*lab);
  if (!o.quiet)
    out << "renamed: the cluster '" << old_name << "' is now '" << o.name
        << "' (cluster /cluster:" << o.name << " reaches it)\n";
  return exit_ok;
}

}  // namespace wolfpack::tool
