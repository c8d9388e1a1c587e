// `wolfpack sim`: see sim_command.hpp.
#include "wolfpack/tool/sim_command.hpp"

#include <charconv>
#include <fstream>

#include <CLI/CLI.hpp>

#include "wolfpack/sim/sim_runner.hpp"
#include "wolfpack/tool/cli.hpp"

namespace wolfpack::tool {

namespace {

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size())
    return std::nullopt;
  return v;
}

}  // namespace

result<std::pair<std::uint64_t, std::uint64_t>> parse_seed_range(std::string_view text) {
  const auto dots = text.find("..");
  if (dots == std::string_view::npos)
    return fail("--seeds: '" + std::string(text) + "' is not FROM..TO (e.g. 1..500)");
  const auto from = parse_u64(text.substr(0, dots));
  const auto to = parse_u64(text.substr(dots + 2));
  if (!from || !to)
    return fail("--seeds: '" + std::string(text) + "' is not FROM..TO with two whole numbers");
  if (*from > *to)
    return fail("--seeds: FROM " + std::to_string(*from) + " is above TO " + std::to_string(*to));
  return std::pair{*from, *to};
}

CLI::App* add_sim_command(CLI::App& app, sim_command_options& o) {
  auto* sub = app.add_subcommand(
      "sim",
      "Simulate the cluster core: N nodes on virtual time under random faults, with invariants "
      "checked after every step; each seed replays exactly");
  sub->add_option("--nodes", o.nodes, "Nodes")->capture_default_str()->check(CLI::Range(1, 64));
  sub->add_option("--groups", o.groups, "Initial groups (three Dummy resources each)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000));
  auto* seed = sub->add_option("--seed", o.seed, "The seed of one run")->capture_default_str();
  auto* seeds = sub->add_option("--seeds", o.seeds, "A range of seeds, FROM..TO");
  seed->excludes(seeds);
  auto* steps = sub->add_option("--steps", o.steps, "Steps of the faulty phase")
                    ->capture_default_str()
                    ->check(CLI::Range(0, 10000000));
  auto* seconds =
      sub->add_option("--virtual-seconds", o.virtual_seconds,
                      "Length of the faulty phase in virtual seconds (instead of --steps)")
          ->check(CLI::Range(1, 86400 * 7));
  steps->excludes(seconds);
  sub->add_option("--faults", o.faults,
                  "Faults to draw from: all, none, or a list of crash, freeze, partition, loss, "
                  "duplicate, delay, disconnect, fail, hang, storage (the witness's; only with "
                  "--quorum witness), stop (a clean stop of a node's service, started again "
                  "later), evict (a crashed node evicted, once a run; it comes back on its old "
                  "database and must stay out; not in all: ask for all,evict)")
      ->capture_default_str();
  sub->add_option("--quorum", o.quorum,
                  "majority: node majority; witness: node and witness majority with a simulated "
                  "File Share Witness")
      ->capture_default_str()
      ->check(CLI::IsMember({"majority", "witness"}));
  sub->add_option("--witness-interval-ms", o.witness_interval_ms,
                  "The witness's renewal interval (File Share Witness 1000, Physical Disk 3000)")
      ->capture_default_str()
      ->check(CLI::Range(50, 60000));
  sub->add_option("--trace", o.trace, "Write each run's event history to FILE as JSON lines");
  return sub;
}

int run_sim(const sim_command_options& o, std::ostream& out, std::ostream& err) {
  using namespace wolfpack::cluster::sim;
  auto faults = parse_faults(o.faults);
  if (!faults) {
    err << "wolfpack sim: --faults: " << faults.error() << "\n";
    return exit_usage;
  }
  std::pair<std::uint64_t, std::uint64_t> range{o.seed, o.seed};
  if (!o.seeds.empty()) {
    auto r = parse_seed_range(o.seeds);
    if (!r) {
      err << "wolfpack sim: " << r.error() << "\n";
      return exit_usage;
    }
    range = *r;
  }
  std::ofstream trace;
  if (!o.trace.empty()) {
    // Binary: JSON lines end with \n on every platform, so that a seed's trace from Windows
    // and from Linux compare byte for byte (tests/windows, "sim_same_history").
    trace.open(o.trace, std::ios::out | std::ios::trunc | std::ios::binary);
    if (!trace) {
      err << "wolfpack sim: --trace: cannot write '" << o.trace << "'\n";
      return exit_usage;
    }
  }

  sim_options options;
  options.nodes = o.nodes;
  options.groups = o.groups;
  options.steps = o.steps;
  options.virtual_ms = static_cast<wolfpack::cluster::time_ms>(o.virtual_seconds) * 1000;
  options.faults = *faults;
  if (auto quorum = parse_quorum(o.quorum); quorum) {
    options.quorum = *quorum;
  } else {
    err << "wolfpack sim: --quorum: " << quorum.error() << "\n";
    return exit_usage;
  }
  options.witness_interval_ms = o.witness_interval_ms;
  std::uint64_t passed = 0;
  std::uint64_t failed = 0;
  for (auto seed = range.first;; ++seed) {
    options.seed = seed;
    if (trace.is_open())
      trace << nlohmann::json{{"kind", "run"}, {"seed", seed}, {"replay", replay_command(options)}}
                   .dump()
            << "\n";
    const auto result = run_simulation(options, trace.is_open() ? &trace : nullptr);
    if (result.passed()) {
      passed++;
    } else {
      failed++;
      out << describe_failure(result) << "\n" << std::flush;
    }
    if (seed == range.second)
      break;
  }
  out << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? exit_ok : exit_failed;
}

}  // namespace wolfpack::tool
