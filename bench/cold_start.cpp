// bench/cold_start: a stopped 3-node cluster whose 100 groups (three chained Dummy
// resources each) were online, started again: the time from launching the nodes to every
// group Online. The cluster is built once (group i through node i % 3, brought online), then
// each run stops every node cleanly (SIGTERM; PersistentState stays "online") and starts them
// again the lab launcher's way: node1 first, the others --join node1 once node1 listens, on
// the ports they had. Polling GET /groups on node1 every 10 ms, from the launch of node1:
//   ready     every node has written its endpoints (process start, database open),
//   up        node1 shows every node Up (the membership formed with quorum),
//   online    node1 shows all groups Online: the figure.
// Prints p50 over the runs and each run as JSON.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cluster_lab.hpp"

using namespace std::chrono_literals;
using namespace wolfpack::bench;

namespace {

int fail_with(const std::string& message) {
  std::fprintf(stderr, "cold_start: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"time from launching a stopped cluster to its groups online again"};
  int runs = 3;
  int groups = 100;
  int nodes = 3;
  lab_settings settings;
  settings.build_dir = WP_BUILD_DIR;
  app.add_option("--runs", runs, "stop and start cycles")->check(CLI::Range(1, 100));
  app.add_option("--groups", groups, "groups of 3 chained Dummy resources")
      ->check(CLI::Range(1, 1000));
  app.add_option("--nodes", nodes, "cluster size")->check(CLI::Range(1, 16));
  add_lab_options(app, settings);
  CLI11_PARSE(app, argc, argv);

  auto made = cluster_lab::create("cold-start", settings);
  if (!made)
    return fail_with(made.error());
  cluster_lab& lab = **made;
  const auto setup_deadline = bench_clock::now() + 180s;
  if (auto st = lab.launch_all(nodes, setup_deadline); !st)
    return fail_with(st.error());
  if (auto st = lab.wait_all_up(0, setup_deadline); !st)
    return fail_with(st.error());
  if (auto st = create_groups(lab, groups); !st) {
    lab.keep_directory();
    return fail_with(st.error());
  }
  if (auto r = wait_all_groups_online(lab, 0, setup_deadline, 50ms); !r) {
    lab.keep_directory();
    return fail_with(r.error());
  }

  std::vector<double> ready, up, online, stop;
  json per_run = json::array();
  for (int run = 0; run < runs; ++run) {
    const auto stop_from = bench_clock::now();
    if (!lab.stop_all(30s))
      std::fprintf(stderr, "cold_start: run %d: a node needed SIGKILL to stop\n", run + 1);
    stop.push_back(ms_between(stop_from, bench_clock::now()));

    const auto t0 = bench_clock::now();
    const auto deadline = t0 + 120s;
    if (auto st = lab.launch_all(nodes, deadline); !st)
      return fail_with("run " + std::to_string(run + 1) + ": " + st.error());
    const auto t_ready = bench_clock::now();
    if (auto st = lab.wait_all_up(0, deadline); !st)
      return fail_with("run " + std::to_string(run + 1) + ": " + st.error());
    const auto t_up = bench_clock::now();
    auto listing = wait_all_groups_online(lab, 0, deadline, 10ms);
    if (!listing) {
      lab.keep_directory();
      return fail_with("run " + std::to_string(run + 1) + ": " + listing.error());
    }
    const auto t_online = bench_clock::now();
    std::map<std::string, int> owners;
    for (const auto& g : (*listing)["groups"])
      ++owners[g.value("owner", std::string())];
    ready.push_back(ms_between(t0, t_ready));
    up.push_back(ms_between(t0, t_up));
    online.push_back(ms_between(t0, t_online));
    std::fprintf(stderr, "cold_start: run %d/%d: ready %.0f ms, up %.0f ms, online %.0f ms\n",
                 run + 1, runs, ready.back(), up.back(), online.back());
    per_run.push_back({{"ready_ms", std::round(ready.back())},
                       {"all_up_ms", std::round(up.back())},
                       {"all_online_ms", std::round(online.back())},
                       {"owners", owners}});
  }

  json out = {{"benchmark", "cold_start"},
              {"figures",
               {{"all_online_ms", summarize_ms(online)},
                {"all_up_ms", summarize_ms(up)},
                {"ready_ms", summarize_ms(ready)},
                {"clean_stop_ms", summarize_ms(stop)}}},
              {"runs", per_run},
              {"unit", "ms from launching node1 (polling GET /groups on node1 every 10 ms)"},
              {"conditions",
               {{"nodes", nodes},
                {"groups", groups},
                {"resources_per_group", "3 Dummy in a chain (app -> ip -> disk)"},
                {"launch", "node1, then the others with --join node1 once node1 listens"},
                {"runs", runs},
                {"heartbeat_ms", settings.heartbeat_ms},
                {"threshold", settings.threshold},
                {"hardware_threads", std::thread::hardware_concurrency()}}},
              {"reference", {{"pacemaker_2_1_5_launch_to_100_resources_ms", 8500}}}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
