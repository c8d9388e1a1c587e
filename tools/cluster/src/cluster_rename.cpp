// `cluster [NAME] /ren[ame]:NEW` (SetClusterName): every node takes the new name at once
// (Wolfpack has no core Network Name to bring online again, docs/semantics.md "Renaming").
// A lab is registered under its cluster's name, so for a lab the launcher first says whether
// NEW can be its name (another lab may have it) and afterwards moves the registration.
#include "reply_fields.hpp"
#include "wolfpack/cluster_cli/commands.hpp"

namespace wolfpack::cluster_cli {

using reply_fields::in_quotes;

std::uint32_t command_runner::rename_cluster(const command& cmd) {
  constexpr std::uint32_t error_invalid_name = 123;
  const std::string& new_name = *cmd.argument;
  const bool lab = !lab_dir_.empty() && launcher_;
  std::string why;
  if (lab) {
    const int code = launcher_({"rename", new_name, "--dir", lab_dir_, "--check"}, why);
    if (code < 0)
      return report(cli_error::make(error_gen_failure, "Cannot run the lab launcher: " + why));
    // Exit 2: the name was refused; anything else: the launcher could not tell.
    if (code == 2) {
      return report(cli_error::make(error_invalid_name,
                                    in_quotes(new_name) +
                                        " cannot be this lab's name; the lab launcher's output "
                                        "says why."));
    }
    if (code != 0) {
      return report(cli_error::make(error_gen_failure,
                                    "The lab launcher could not check the name (wolfpack rename "
                                    "--check exited " +
                                        std::to_string(code) + "); its output says why."));
    }
  }
  out_.announce("Renaming the cluster to " + in_quotes(new_name) + "...");
  const nlohmann::json body{{"name", new_name}};
  auto reply = send("POST", "/cluster/rename", &body);
  if (!reply)
    return last_error_;
  if (lab) {
    if (const auto failed = run_launcher(
            {"rename", new_name, "--dir", lab_dir_, "--quiet"},
            "register the cluster, called " + in_quotes(new_name) + " now, under that name");
        failed != 0)
      return failed;
  }
  out_.action_result(reply->body);
  out_.announce("The cluster " + in_quotes(reply->body.value("previous_name", std::string())) +
                " is now called " + in_quotes(new_name) + ".");
  return 0;
}

}  // namespace wolfpack::cluster_cli
