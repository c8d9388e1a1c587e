// `wolfpack api-key`: see lab_commands.hpp.

#include <CLI/CLI.hpp>

#include "lab_api.hpp"
#include "lab_verbs.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/lab_commands.hpp"

namespace wolfpack::tool {

CLI::App* add_api_key_command(CLI::App& app, api_key_options& o) {
  auto* sub = app.add_subcommand(
      "api-key",
      "Print the key that the cluster API asks its clients for (Authorization: Bearer KEY; "
      "WOLFPACK_API_KEY for cluster and clusapi), derived from the lab's secret");
  sub->add_option("--dir", o.dir, "Lab directory")->capture_default_str();
  sub->add_option("--secret-file", o.secret_file,
                  "A secret file given to clussvc --secret-file, instead of the lab's");
  return sub;
}

int run_api_key(const api_key_options& o, std::ostream& out, std::ostream& err) {
  std::filesystem::path secret = o.secret_file;
  if (secret.empty()) {
    auto lab = load_lab(absolute_dir(o.dir));
    if (!lab) {
      err << "wolfpack api-key: " << lab.error() << "\n";
      return exit_failed;
    }
    secret = lab->secret_file;
  }
  if (auto st = use_secret_file(secret); !st) {
    err << "wolfpack api-key: " << st.error() << "\n";
    return exit_failed;
  }
  out << current_api_key() << "\n";
  return exit_ok;
}

}  // namespace wolfpack::tool
