// bench/failover: how long a 3-node cluster takes to put a crashed node's groups back online.
// Each run starts a fresh cluster (heartbeat 100 ms x threshold 5), creates 100 groups of
// three chained Dummy resources spread over the nodes (group i through node i % 3, which
// owns it) and brings them online, then `kill -9`s the clussvc of the node owning the most
// groups (its monitors stay until their lease runs out, as after a real crash). The event
// streams of the survivors time, from the kill:
//   detect     the first survivor reports the node Down (NODE_STATE),
//   placed     the first of its groups starts coming online on a survivor (GROUP_STATE with
//              the new owner), i.e. the locker's placement update has been applied,
//   first/all  the first / the last of its groups is Online on its new owner.
// With --stop the victim is stopped cleanly instead (SIGTERM: its groups go offline, it says
// `leave` and exits; docs/semantics.md "A clean stop"), timed the same way from the signal.
// Prints the p50 over the runs (and each run) as JSON.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cluster_lab.hpp"

using namespace std::chrono_literals;
using namespace wolfpack::bench;

namespace {

struct run_figures {
  std::string victim;
  bool victim_was_locker = false;
  int victim_groups = 0;
  double detect_ms = -1, placed_ms = -1, first_online_ms = -1, all_online_ms = -1;
  std::map<std::string, int> new_owners;  // survivor -> groups it took
};

int fail_with(const std::string& message) {
  std::fprintf(stderr, "failover: %s\n", message.c_str());
  return 1;
}

// The lowest id among the Up nodes: the locker and the regroup coordinator.
std::string locker_of(const json& nodes) {
  std::string name;
  long best = -1;
  for (const auto& n : nodes["nodes"]) {
    if (n.value("state", std::string()) != "Up")
      continue;
    const long id = std::stol(n.value("id", std::string("0")));
    if (best < 0 || id < best) {
      best = id;
      name = n.value("name", std::string());
    }
  }
  return name;
}

wolfpack::result<run_figures> one_run(const lab_settings& settings, int groups,
                                      std::chrono::seconds settle, bool clean_stop) {
  auto made = cluster_lab::create("failover", settings);
  if (!made)
    return wolfpack::fail(made.error());
  cluster_lab& lab = **made;
  const auto setup_deadline = bench_clock::now() + 120s;
  if (auto st = lab.launch_all(3, setup_deadline); !st)
    return wolfpack::fail(st.error());
  if (auto st = lab.wait_all_up(0, setup_deadline); !st)
    return wolfpack::fail(st.error());
  if (auto st = create_groups(lab, groups); !st) {
    lab.keep_directory();
    return wolfpack::fail(st.error());
  }
  auto listing = wait_all_groups_online(lab, 0, setup_deadline, 50ms);
  if (!listing) {
    lab.keep_directory();
    return wolfpack::fail(listing.error());
  }

  // The victim: the node owning the most groups (the lowest-numbered one on a tie).
  std::map<std::string, std::set<std::string>> owned;
  for (const auto& g : (*listing)["groups"])
    owned[g.value("owner", std::string())].insert(g.value("name", std::string()));
  run_figures fig;
  for (int i = 0; i < lab.size(); ++i) {
    const auto& name = lab.node(i).name;
    if (fig.victim.empty() || owned[name].size() > owned[fig.victim].size())
      fig.victim = name;
  }
  const int victim = lab.index_of(fig.victim);
  const std::set<std::string> orphans = owned[fig.victim];
  fig.victim_groups = static_cast<int>(orphans.size());
  {
    auto c = lab.client(0);
    if (!c)
      return wolfpack::fail(c.error());
    auto nodes = call(*c, "GET", "/nodes");
    if (!nodes)
      return wolfpack::fail(nodes.error());
    fig.victim_was_locker = locker_of(*nodes) == fig.victim;
  }

  std::vector<int> survivors;
  std::vector<std::unique_ptr<event_log>> logs;
  for (int i = 0; i < lab.size(); ++i) {
    if (i == victim)
      continue;
    auto log = event_log::open(*lab.node(i).api, lab.api_key());
    if (!log)
      return wolfpack::fail(log.error());
    survivors.push_back(i);
    logs.push_back(std::move(*log));
  }
  // Leases and heartbeats in their steady state before the crash.
  std::this_thread::sleep_for(settle);

  // Only what arrives from now on counts.
  std::vector<std::size_t> cursors;
  for (auto& log : logs)
    cursors.push_back(log->size());
  const auto killed_at = bench_clock::now();
  if (clean_stop)
    lab.stop_node(victim);
  else
    lab.kill_node(victim);

  // Wait (up to 30 s) until every orphan is Online on a survivor; the figures come from the
  // instants the events arrived, not from this polling.
  std::map<std::string, bench_clock::time_point> online_at;
  constexpr auto never = bench_clock::time_point::max();
  bench_clock::time_point detected_at = never, placed_at = never;
  const auto deadline = killed_at + 30s;
  for (;;) {
    for (std::size_t k = 0; k < logs.size(); ++k) {
      for (const auto& [at, e] : logs[k]->entries_since(cursors[k])) {
        const auto kind = e.value("kind", std::string());
        const auto name = e.value("name", std::string());
        if (kind == "NODE_STATE" && name == fig.victim && e.value("state", std::string()) != "Up")
          detected_at = std::min(detected_at, at);
        if (kind != "GROUP_STATE" || !orphans.contains(name))
          continue;
        if (e.value("owner", std::string()) == fig.victim)
          continue;
        placed_at = std::min(placed_at, at);
        if (e.value("state", std::string()) == "Online" && !online_at.contains(name))
          online_at[name] = at;
      }
    }
    if (online_at.size() == orphans.size() || bench_clock::now() >= deadline)
      break;
    std::this_thread::sleep_for(10ms);
  }
  if (online_at.size() != orphans.size()) {
    lab.keep_directory();
    return wolfpack::fail(std::to_string(online_at.size()) + " of " +
                          std::to_string(orphans.size()) + " groups of " + fig.victim +
                          " came online elsewhere within 30 s");
  }
  if (detected_at != never)
    fig.detect_ms = ms_between(killed_at, detected_at);
  fig.placed_ms = ms_between(killed_at, placed_at);
  bench_clock::time_point first = online_at.begin()->second, last = first;
  for (const auto& [name, at] : online_at) {
    first = std::min(first, at);
    last = std::max(last, at);
  }
  fig.first_online_ms = ms_between(killed_at, first);
  fig.all_online_ms = ms_between(killed_at, last);

  // Cross-check with a survivor's listing: every group Online, none on the victim.
  auto c = lab.client(survivors.front());
  if (!c)
    return wolfpack::fail(c.error());
  auto after = wait_all_groups_online(lab, survivors.front(), bench_clock::now() + 10s, 20ms);
  if (!after) {
    lab.keep_directory();
    return wolfpack::fail("after the failover: " + after.error());
  }
  for (const auto& g : (*after)["groups"]) {
    const auto owner = g.value("owner", std::string());
    if (owner == fig.victim) {
      lab.keep_directory();
      return wolfpack::fail("group " + g.value("name", std::string()) + " still belongs to " +
                            fig.victim);
    }
    if (orphans.contains(g.value("name", std::string())))
      ++fig.new_owners[owner];
  }
  return fig;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"time from kill -9 of a node to its groups online on the survivors"};
  int runs = 5;
  int groups = 100;
  int settle_s = 2;
  lab_settings settings;
  settings.build_dir = WP_BUILD_DIR;
  app.add_option("--runs", runs, "fresh clusters, each killed once")->check(CLI::Range(1, 100));
  app.add_option("--groups", groups, "groups of 3 chained Dummy resources")
      ->check(CLI::Range(3, 1000));
  app.add_option("--heartbeat-ms", settings.heartbeat_ms, "SameSubnetDelay")
      ->check(CLI::Range(10, 10000));
  app.add_option("--threshold", settings.threshold, "SameSubnetThreshold")
      ->check(CLI::Range(2, 100));
  app.add_option("--settle-s", settle_s, "wait between all groups online and the kill")
      ->check(CLI::Range(0, 60));
  app.add_option("--build-dir", settings.build_dir, "the build tree whose bin/clussvc runs");
  app.add_flag("--keep", settings.keep, "keep each run's directory (state, logs)");
  bool clean_stop = false;
  app.add_flag("--stop", clean_stop,
               "a clean stop (SIGTERM: groups offline, leave, exit) instead of kill -9");
  CLI11_PARSE(app, argc, argv);
  const std::string how = clean_stop ? "SIGTERM (clean stop)" : "kill -9";

  std::vector<run_figures> all;
  for (int r = 0; r < runs; ++r) {
    auto fig = one_run(settings, groups, std::chrono::seconds(settle_s), clean_stop);
    if (!fig)
      return fail_with("run " + std::to_string(r + 1) + ": " + fig.error());
    std::fprintf(stderr,
                 "failover: run %d/%d: %s of %s (%d groups%s): detected %.0f ms, placed %.0f ms, "
                 "all online %.0f ms\n",
                 r + 1, runs, how.c_str(), fig->victim.c_str(), fig->victim_groups,
                 fig->victim_was_locker ? ", the locker" : "", fig->detect_ms, fig->placed_ms,
                 fig->all_online_ms);
    all.push_back(std::move(*fig));
  }

  std::vector<double> detect, placed, first, last;
  json per_run = json::array();
  for (const auto& f : all) {
    detect.push_back(f.detect_ms);
    placed.push_back(f.placed_ms);
    first.push_back(f.first_online_ms);
    last.push_back(f.all_online_ms);
    per_run.push_back({{"victim", f.victim},
                       {"victim_was_locker", f.victim_was_locker},
                       {"victim_groups", f.victim_groups},
                       {"new_owners", f.new_owners},
                       {"detect_ms", std::round(f.detect_ms * 10) / 10},
                       {"placed_ms", std::round(f.placed_ms * 10) / 10},
                       {"first_online_ms", std::round(f.first_online_ms * 10) / 10},
                       {"all_online_ms", std::round(f.all_online_ms * 10) / 10}});
  }
  const double p50_all = quantile(last, 0.5);
  const std::uint32_t window = settings.heartbeat_ms * settings.threshold;
  json out = {{"benchmark", "failover"},
              {"figures",
               {{"detect_ms", summarize_ms(detect)},
                {"placed_ms", summarize_ms(placed)},
                {"first_online_ms", summarize_ms(first)},
                {"all_online_ms", summarize_ms(last)}}},
              {"runs", per_run},
              {"unit", "ms after " + how +
                           " of the victim's clussvc, as the survivors' event streams show"},
              {"conditions",
               {{"nodes", 3},
                {"victim_ends_by", how},
                {"groups", groups},
                {"resources_per_group", "3 Dummy in a chain (app -> ip -> disk)"},
                {"placement", "group i created and brought online through node i % 3"},
                {"victim", "the node owning the most groups"},
                {"runs", runs},
                {"heartbeat_ms", settings.heartbeat_ms},
                {"threshold", settings.threshold},
                {"takeover_wait_ms", window + 2 * settings.heartbeat_ms + 50},
                {"settle_s", settle_s},
                {"hardware_threads", std::thread::hardware_concurrency()}}},
              {"floors", {{"all_online_p50_ms", 1000}}},
              {"floor_met", p50_all <= 1000}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
