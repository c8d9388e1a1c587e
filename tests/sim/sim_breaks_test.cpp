// The checker can fail (issue 5, section 3): with the core broken on purpose in one way
// (core_breaks, node_core.hpp), the simulator finds a violation of the matching invariant
// within a few seeds, and the same seed passes with the core intact.
#include <cstdint>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "witness_options.hpp"
#include "wolfpack/sim/invariants.hpp"
#include "wolfpack/sim/sim_runner.hpp"

using namespace wolfpack::cluster;
using namespace wolfpack::cluster::sim;

namespace {

constexpr std::uint64_t seed_budget = 20;

// Runs seeds 1.. of `broken` until one fails; that failure must be one of `expected`, and the
// same seed must pass once the break is taken out.
void require_found(sim_options broken, const std::set<std::string>& expected) {
  std::string found;
  for (std::uint64_t seed = 1; seed <= seed_budget && found.empty(); ++seed) {
    broken.seed = seed;
    const auto r = run_simulation(broken);
    if (r.passed())
      continue;
    found = describe_failure(r);
    INFO(found);
    CHECK(expected.contains(r.failure->invariant));
    sim_options intact = broken;
    intact.breaks = core_breaks{};
    const auto fixed = run_simulation(intact);
    INFO("without the break: " << (fixed.passed() ? "passes" : describe_failure(fixed)));
    CHECK(fixed.passed());
  }
  INFO("no violation within " << seed_budget << " seeds");
  CHECK_FALSE(found.empty());
}

}  // namespace

TEST_CASE("sim finds a split brain when a partition without quorum keeps running",
          "[sim][breaks]") {
  sim_options o;
  o.faults = {fault_kind::partition};
  o.breaks.skip_quorum = true;
  require_found(o, {inv_split_brain});
}

TEST_CASE("sim finds two histories when a node applies updates before the locker orders them",
          "[sim][breaks]") {
  sim_options o;
  o.faults = {};
  o.breaks.unordered_updates = true;
  require_found(o, {inv_one_history, inv_same_database});
}

TEST_CASE("sim finds a lost write when the locker answers before the update is durable",
          "[sim][breaks]") {
  sim_options o;
  o.faults = {fault_kind::crash};
  o.store_delay_ms = 50;  // a slow disk: the window between the answer and durability
  o.breaks.early_ack = true;
  // The lost write itself, or what an early answer to a move does: the old owner, told the
  // move is done before the update reached it, ends the release and takes the group back
  // while the target starts it.
  require_found(o, {inv_acknowledged, inv_split_brain});
}

TEST_CASE("sim finds a partition in time when a view relying on the witness skips its record",
          "[sim][breaks][witness]") {
  // Two nodes: the smallest cluster whose views rely on the witness.
  auto o = testing::witness_options(2);
  o.faults = {fault_kind::crash, fault_kind::partition};
  o.breaks.skip_witness_record = true;
  require_found(o, {inv_partition_in_time});
}

TEST_CASE("sim finds a view relying on the witness without its holder when nobody arbitrates",
          "[sim][breaks][witness]") {
  auto o = testing::witness_options(2);
  o.faults = {fault_kind::partition};
  o.breaks.skip_witness_arbitration = true;
  require_found(o, {inv_witness_holder, inv_split_brain});
}

TEST_CASE("sim finds a resource online before its provider when dependencies are ignored",
          "[sim][breaks]") {
  sim_options o;
  o.faults = {fault_kind::fail};
  o.breaks.ignore_dependencies = true;
  require_found(o, {inv_dependency_order});
}
