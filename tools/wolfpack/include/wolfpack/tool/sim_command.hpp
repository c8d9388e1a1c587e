#pragma once

// `wolfpack sim`: runs the deterministic simulator of the cluster core
// (cluster_service/sim, docs/internals/simulator.md) for one seed or a range of seeds, prints
// one line per failing seed and a summary, and exits 1 when a seed failed.

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include <wolfpack/common/result.hpp>

namespace CLI {
class App;
}

namespace wolfpack::tool {

struct sim_command_options {
  std::size_t nodes = 5;
  std::size_t groups = 10;
  std::uint64_t seed = 1;
  std::string seeds;  // "FROM..TO"; empty: --seed
  std::size_t steps = 150;
  std::uint32_t virtual_seconds = 0;  // 0: --steps
  std::string faults = "all";
  std::string trace;  // JSON lines file; empty: none
  std::string quorum = "majority";
  std::uint32_t witness_interval_ms = 1000;
};

// "FROM..TO" with FROM <= TO.
result<std::pair<std::uint64_t, std::uint64_t>> parse_seed_range(std::string_view text);

CLI::App* add_sim_command(CLI::App& app, sim_command_options& options);
int run_sim(const sim_command_options& options, std::ostream& out, std::ostream& err);

}  // namespace wolfpack::tool
