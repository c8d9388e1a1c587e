// bench/sim: how fast the simulator runs the real cluster core (docs/internals/simulator.md).
// For each configuration it runs seeds one after another for about --seconds of wall time
// (whole seeds) under the default fault mix and reports virtual seconds simulated per wall
// second (the speed-up over real time), seeds per minute and the CPU time per seed. The
// configurations: the default run of `make test` (5 nodes, 10 groups), 5 nodes with 50 groups
// (the figure, floor 1000x), and 32 nodes; then 5 nodes and 50 groups without faults
// for 600 virtual seconds (the client still works), which shows what a quiet cluster costs:
// the faulty runs are dominated by regroups and failovers, not by time passing. A seed that
// fails is reported, not hidden: its figure still counts, and its replay command is printed.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "wolfpack/sim/sim_runner.hpp"

namespace {

using namespace wolfpack::cluster::sim;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct config {
  std::string name;
  std::size_t nodes = 5;
  std::size_t groups = 10;
  std::size_t steps = 150;
  bool faults = true;
  wolfpack::cluster::time_ms virtual_ms = 0;  // instead of steps when set
};

nlohmann::json run(const config& c, std::uint64_t first_seed, double seconds,
                   std::size_t max_seeds) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const double cpu_start = cpu_seconds();
  std::uint64_t virtual_ms = 0;
  std::size_t seeds = 0, failed = 0, steps = 0, requests = 0, faults = 0;
  nlohmann::json failures = nlohmann::json::array();
  for (std::uint64_t seed = first_seed; seeds < max_seeds; ++seed) {
    sim_options o;
    o.nodes = c.nodes;
    o.groups = c.groups;
    o.steps = c.steps;
    o.virtual_ms = c.virtual_ms;
    if (!c.faults)
      o.faults.clear();
    o.seed = seed;
    const auto r = run_simulation(o);
    ++seeds;
    virtual_ms += r.virtual_ms;
    steps += r.steps;
    requests += r.requests;
    faults += r.faults;
    if (!r.passed()) {
      ++failed;
      failures.push_back(describe_failure(r));
    }
    if (std::chrono::duration<double>(clock::now() - start).count() >= seconds)
      break;
  }
  const double wall = std::chrono::duration<double>(clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_start;
  return {{"configuration", c.name},
          {"nodes", c.nodes},
          {"groups", c.groups},
          {"steps_per_seed", c.steps},
          {"fault_mix", c.faults ? "all (default mix)" : "none"},
          {"seeds", seeds},
          {"failed", failed},
          {"failures", failures},
          {"virtual_s", static_cast<double>(virtual_ms) / 1000.0},
          {"wall_s", wall},
          {"cpu_s", cpu},
          {"speedup",
           {{"figure", static_cast<double>(virtual_ms) / 1000.0 / wall},
            {"unit", "virtual seconds per wall second"}}},
          {"seeds_per_minute",
           {{"figure", 60.0 * static_cast<double>(seeds) / wall}, {"unit", "seeds/min"}}},
          {"cpu_per_seed", {{"figure", cpu / static_cast<double>(seeds)}, {"unit", "s"}}},
          {"steps", steps},
          {"requests", requests},
          {"faults_injected", faults}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"virtual seconds simulated per wall second, and seeds per minute"};
  double seconds = 20;
  std::uint64_t first_seed = 1;
  std::size_t max_seeds = 100000;
  app.add_option("--seconds", seconds, "wall time per configuration (whole seeds)")
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--first-seed", first_seed, "seed of the first run of each configuration");
  app.add_option("--max-seeds", max_seeds, "at most this many seeds per configuration")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  CLI11_PARSE(app, argc, argv);

  const std::vector<config> configs{
      {"make test (5 nodes, 10 groups)", 5, 10, 150},
      {"5 nodes, 50 groups", 5, 50, 150},
      {"32 nodes, 50 groups", 32, 50, 150},
      {"5 nodes, 50 groups, no faults, 600 virtual s", 5, 50, 0, false, 600000}};
  nlohmann::json out{{"benchmark", "sim"},
                     {"conditions",
                      {{"faults", "all (default mix) unless a run says none"},
                       {"threads", 1},
                       {"floor", "1000x real time at 5 nodes and 50 groups"}}},
                     {"runs", nlohmann::json::array()}};
  for (const auto& c : configs)
    out["runs"].push_back(run(c, first_seed, seconds, max_seeds));
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}
