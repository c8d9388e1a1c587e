// The whole `cluster` program behind main(): parse, pick the output, find the cluster, run.
// Every outside dependency comes in through cli_environment so tests drive it end to end.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "wolfpack/cluster_cli/cluster_address.hpp"
#include "wolfpack/cluster_cli/commands.hpp"
#include "wolfpack/cluster_cli/node_list_backend.hpp"
#include "wolfpack/cluster_cli/wait_clock.hpp"

namespace wolfpack::cluster_cli {

struct cli_environment {
  std::ostream& out;
  std::ostream& err;
  getenv_fn getenv;
  // Makes the backend for one node's API address; empty when this build has no transport.
  backend_factory connect;
  wait_clock& clock;
  std::chrono::milliseconds poll_interval{250};
  // Runs the lab launcher (`wolfpack`, next to this program) with `args`: its exit code, or
  // -1 with `error` saying why it could not run. Empty: this build starts no programs.
  launcher_fn run_launcher{};
};

// Runs the command line (arguments after the program name); returns the Win32 code (0 on
// success), with the error already printed.
std::uint32_t run_cli_code(const std::vector<std::string>& args, const cli_environment& env);

// The same, as the process exit status (see exit_status()).
int run_cli(const std::vector<std::string>& args, const cli_environment& env);

}  // namespace wolfpack::cluster_cli
