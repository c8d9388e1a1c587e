#include "wolfpack/cluster_cli/cli.hpp"

#include <memory>
#include <variant>

#include "wolfpack/cluster_cli/api_paths.hpp"
#include "wolfpack/cluster_cli/command_line.hpp"
#include "wolfpack/cluster_cli/commands.hpp"
#include "wolfpack/cluster_cli/help_text.hpp"
#include "wolfpack/cluster_cli/json_output.hpp"
#include "wolfpack/cluster_cli/text_output.hpp"

namespace wolfpack::cluster_cli {
namespace {

constexpr std::uint32_t error_not_supported = 50;

// /json may be anywhere; a command line that does not parse still reports in the format asked.
bool wants_json(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a.size() == 5 && (a[0] == '/' || a[0] == '-') && same_name(a.substr(1), "json")) {
      return true;
    }
  }
  return false;
}

std::unique_ptr<formatter> make_formatter(bool json, const cli_environment& env) {
  if (json)
    return std::make_unique<json_output>(env.out, env.err);
  return std::make_unique<text_output>(env.out, env.err);
}

}  // namespace

std::uint32_t run_cli_code(const std::vector<std::string>& args, const cli_environment& env) {
  auto parsed = parse_command_line(args);
  if (!parsed) {
    auto out = make_formatter(wants_json(args), env);
    out->error(cli_error::make(error_invalid_parameter, parsed.error()));
    return error_invalid_parameter;
  }
  const command& cmd = *parsed;
  auto out = make_formatter(cmd.json, env);

  if (cmd.action == verb::help) {
    out->help(help_text(cmd.object));
    return 0;
  }
  if (cmd.object == object_kind::cluster && cmd.action == verb::list) {
    out->clusters(registered_clusters(env.getenv));
    return 0;
  }

  auto target = resolve_cluster(cmd.cluster, env.getenv);
  if (auto* error = std::get_if<cli_error>(&target)) {
    out->error(*error);
    return error->code;
  }
  if (!env.connect) {
    const cli_error e =
        cli_error::make(error_not_supported,
                        "This build of cluster has no HTTP transport (wolfpack::http_client).");
    out->error(e);
    return e.code;
  }
  const auto& resolved = std::get<cluster_target>(target);
  node_list_backend backend(resolved.addresses, env.connect, resolved.api_key);
  command_runner runner(backend, *out, env.clock, env.poll_interval);
  runner.set_lab(resolved.lab_dir, env.run_launcher);
  return runner.run(cmd);
}

int run_cli(const std::vector<std::string>& args, const cli_environment& env) {
  return exit_status(run_cli_code(args, env));
}

}  // namespace wolfpack::cluster_cli
