#include "wolfpack/sim/sim_runner.hpp"

#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <tuple>

#include "wolfpack/sim/end_checks.hpp"
#include "wolfpack/sim/fake_cluster.hpp"
#include "wolfpack/sim/fault_schedule.hpp"
#include "wolfpack/sim/sim_client.hpp"
#include "wolfpack/sim/sim_random.hpp"
#include "wolfpack/sim/sim_trace.hpp"

namespace wolfpack::cluster::sim {

namespace {

// The lab's timing (docs/semantics.md, "Fencing by lease"): 100 ms heartbeats, suspicion
// after 5 missed, a write durable 2 ms after it was issued.
constexpr std::uint32_t heartbeat_ms = 100;
constexpr std::uint32_t threshold = 5;
constexpr time_ms form_limit_ms = 20000;
constexpr time_ms online_limit_ms = 20000;
constexpr time_ms step_min_ms = 20;
constexpr time_ms step_max_ms = 400;
constexpr time_ms liveness_poll_ms = 250;

class sim_run {
 public:
  sim_run(const sim_options& o, std::ostream* trace)
      : options_(o),
        random_(o.seed),
        trace_(trace),
        cluster_(cluster_options(o)),
        checker_(cluster_),
        client_(cluster_, random_.fork(1), trace_) {
    cluster_.set_call_hook([this](const cluster_call& call) {
      checker_.on_call(call);
      if (trace_.enabled()) {
        trace_.record(call.at, "call",
                      {{"node", call.node},
                       {"process", call.incarnation},
                       {"resource", call.resource},
                       {"call", call.type},
                       {"cause", call.cause},
                       {"ran", call.ran}});
      }
    });
    cluster_.set_view_hook(
        [this](std::size_t node, std::size_t process) { checker_.on_view(node, process); });
  }

  sim_result run() {
    sim_result r;
    r.options = options_;
    try {
      r.failure = phases(r);
    } catch (const std::exception& e) {
      r.failure = violation{inv_core_error, cluster_.now(), e.what()};
    }
    r.virtual_ms = cluster_.now() - start_;
    for (const auto& op : client_.ops()) {
      r.requests += op.id != 0 ? 1 : 0;
      r.acknowledged += op.acknowledged() ? 1 : 0;
    }
    if (r.failure)
      trace_.record(r.failure->at, "violation",
                    {{"invariant", r.failure->invariant}, {"detail", r.failure->detail}});
    return r;
  }

 private:
  static fake_cluster_options cluster_options(const sim_options& o) {
    fake_cluster_options c;
    c.nodes = o.nodes;
    c.cluster_name = "sim";
    c.heartbeat_ms = heartbeat_ms;
    c.threshold = threshold;
    c.seed = o.seed;
    c.store_delay_ms = o.store_delay_ms;
    c.keep_history = false;  // the checks read the monitors' calls and the store, not these
    c.breaks = o.breaks;
    if (o.quorum == quorum_kind::witness)
      c.witness_interval_ms = o.witness_interval_ms;
    return c;
  }

  std::optional<violation> phases(sim_result& r) {
    if (auto v = form())
      return v;
    if (auto v = set_up())
      return v;
    fault_schedule faults(cluster_, options_.faults, random_.fork(2), trace_,
                          client_.initial_resources());
    auto schedule = random_.fork(3);
    const auto phase_start = cluster_.now();
    for (std::size_t step = 0;; ++step) {
      if (options_.virtual_ms > 0 ? cluster_.now() - phase_start >= options_.virtual_ms
                                  : step >= options_.steps)
        break;
      faults.step();
      for (auto n = schedule.below(3); n > 0; --n)
        client_.issue_random();
      cluster_.advance(schedule.between(step_min_ms, step_max_ms));
      client_.collect();
      r.steps++;
      note_views();
      if (auto v = checker_.check_step())
        return v;
    }
    r.faults = faults.injected();
    r.evicted = faults.evicted();
    trace_.record(cluster_.now(), "heal_all");
    faults.heal_all();
    if (auto v = recover())
      return v;
    if (auto p =
            lost_acknowledged(cluster_.core(nodes_of(cluster_).newest).database(), client_.ops()))
      return violation{inv_acknowledged, cluster_.now(), *p};
    return std::nullopt;
  }

  std::optional<violation> form() {
    start_ = cluster_.now();
    cluster_.start(1);
    cluster_.run_until([&] { return cluster_.core(1).has_quorum(); }, form_limit_ms);
    for (std::size_t i = 2; i <= cluster_.size(); ++i)
      cluster_.start(i);
    const bool formed = cluster_.run_until(
        [&] { return view_problem(cluster_).empty() && database_problem(cluster_).empty(); },
        form_limit_ms);
    note_views();
    if (!formed) {
      return violation{inv_liveness, cluster_.now(),
                       "the nodes did not form one cluster within 20 s: " + view_problem(cluster_) +
                           database_problem(cluster_)};
    }
    if (cluster_.witness() != nullptr) {
      if (auto problem = client_.set_up_witness(fake_cluster_options{}.witness_type);
          !problem.empty())
        return violation{inv_liveness, cluster_.now(), "set-up of the witness: " + problem};
      trace_.record(cluster_.now(), "witness", {{"interval_ms", options_.witness_interval_ms}});
    }
    return checker_.check_step();
  }

  std::optional<violation> set_up() {
    if (auto problem = client_.set_up(options_.groups); !problem.empty())
      return violation{inv_liveness, cluster_.now(), "set-up: " + problem};
    const bool online =
        cluster_.run_until([&] { return placement_problem(cluster_).empty(); }, online_limit_ms);
    if (!online) {
      return violation{inv_liveness, cluster_.now(),
                       "set-up: the initial groups did not come online within 20 s: " +
                           placement_problem(cluster_)};
    }
    trace_.record(cluster_.now(), "set_up", {{"groups", options_.groups}});
    return checker_.check_step();
  }

  // After heal_all: one view, one database and every wanted resource online, within the
  // bound; the invariants still hold on the way.
  std::optional<violation> recover() {
    const auto healed = cluster_.now();
    for (;;) {
      if (auto v = checker_.check_step())
        return v;
      const auto view = view_problem(cluster_);
      const auto db = view.empty() ? database_problem(cluster_) : std::string();
      const auto placed = view.empty() && db.empty() ? placement_problem(cluster_) : std::string();
      if (view.empty() && db.empty() && placed.empty()) {
        trace_.record(cluster_.now(), "live", {{"after_ms", cluster_.now() - healed}});
        return std::nullopt;
      }
      if (cluster_.now() - healed >= options_.liveness_bound_ms) {
        const auto bound =
            std::to_string(options_.liveness_bound_ms) + " ms after every fault healed: ";
        if (view.empty() && !db.empty())
          return violation{inv_same_database, cluster_.now(), bound + db};
        return violation{inv_liveness, cluster_.now(), bound + view + db + placed};
      }
      cluster_.advance(liveness_poll_ms);
      client_.collect();
      note_views();
    }
  }

  // Views as each node installs them, for the trace.
  void note_views() {
    if (!trace_.enabled())
      return;
    for (std::size_t i = 1; i <= cluster_.size(); ++i) {
      if (!cluster_.running(i))
        continue;
      const auto& core = cluster_.core(i);
      // Every update the process applied, as it applied it.
      auto& written = written_[{i, cluster_.incarnations(i)}];
      const auto& writes = cluster_.node(i).db_writes();
      for (; written < writes.size(); ++written) {
        trace_.record(cluster_.now(), "update",
                      {{"node", i},
                       {"process", cluster_.incarnations(i)},
                       {"update", to_json(writes[written])}});
      }
      // Every whole database it took (a snapshot from another node), by the seq it came with.
      auto& replaced = replaced_[{i, cluster_.incarnations(i)}];
      const auto& replacements = cluster_.node(i).db_replacements();
      for (; replaced < replacements.size(); ++replaced) {
        trace_.record(
            cluster_.now(), "replace",
            {{"node", i}, {"process", cluster_.incarnations(i)}, {"seq", replacements[replaced]}});
      }
      // What the core logged at warn or error: why it did (or did not do) something.
      auto& logged = logged_[{i, cluster_.incarnations(i)}];
      const auto& logs = cluster_.node(i).logs();
      for (; logged < logs.size(); ++logged) {
        const auto& l = logs[logged];
        if (l.level == "info" && !std::getenv("WP_SIM_INFO"))
          continue;
        trace_.record(cluster_.now(), "log",
                      {{"node", i},
                       {"process", cluster_.incarnations(i)},
                       {"level", l.level},
                       {"component", l.component},
                       {"message", l.message},
                       {"fields", l.fields}});
      }
      const auto [db_epoch, seq] = version_of(core);
      const std::tuple mark{cluster_.incarnations(i), core.view_epoch(), db_epoch, seq};
      if (views_[i] == mark)
        continue;
      views_[i] = mark;
      trace_.record(cluster_.now(), "view",
                    {{"node", i},
                     {"process", cluster_.incarnations(i)},
                     {"id", core.node_id()},
                     {"epoch", core.view_epoch()},
                     {"members", core.members()},
                     {"quorum", core.has_quorum()},
                     {"db_epoch", db_epoch},
                     {"db_seq", seq}});
    }
  }

  sim_options options_;
  sim_random random_;
  sim_trace trace_;
  fake_cluster cluster_;
  invariant_checker checker_;
  sim_client client_;
  time_ms start_ = 0;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> written_;   // updates traced
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> logged_;    // log lines traced
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> replaced_;  // databases traced
  std::map<std::size_t, std::tuple<std::size_t, std::uint64_t, std::uint64_t, std::uint64_t>>
      views_;
};

}  // namespace

sim_result run_simulation(const sim_options& options, std::ostream* trace) {
  return sim_run(options, trace).run();
}

std::string describe_failure(const sim_result& r) {
  if (!r.failure)
    return "seed " + std::to_string(r.options.seed) + ": passed";
  return "seed " + std::to_string(r.options.seed) + ": " + r.failure->invariant + " at " +
         std::to_string(r.failure->at) + " ms: " + r.failure->detail +
         " (replay: " + replay_command(r.options) + ")";
}

}  // namespace wolfpack::cluster::sim
