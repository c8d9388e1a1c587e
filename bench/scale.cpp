// bench/scale: N nodes on this machine (16, then 32, then 64 by default). For each N, a fresh
// cluster is launched and timed from the launch of node1:
//   formed       node1 shows every node Up (GET /nodes, polled every 10 ms): the figure,
//   all_agree    every node shows every node Up (asked one after the other after formed).
// --launch concurrent (the default) starts the joiners the lab launcher's way: node1, then all
// the others at once with --join node1 once node1 listens; --launch sequential starts each
// joiner once the nodes before it are Up. A size that does not form within --form-timeout-s
// is reported as "formed": false (its directory is kept) and the benchmark exits 1.
// Then, with the cluster idle (no groups), the resident memory of each node (VmRSS of its
// clussvc, and of its whole process group: the clussvc and its monitors) and the CPU time of
// every process of the cluster over 10 s (utime + stime from /proc/PID/stat). Prints one JSON
// object with a block per N.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
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
  std::fprintf(stderr, "scale: %s\n", message.c_str());
  return 1;
}

double round1(double v) {
  return std::round(v * 10) / 10;
}

// Every node shows `n` nodes Up.
wolfpack::status wait_everyone_agrees(cluster_lab& lab, bench_clock::time_point deadline) {
  for (int i = 0; i < lab.size(); ++i) {
    if (auto st = lab.wait_all_up(i, deadline); !st)
      return st;
  }
  return {};
}

struct scale_options {
  lab_settings settings;
  bool sequential = false;
  std::chrono::seconds form_timeout{60};
  int idle_s = 10;
};

// Launches n nodes and waits until node1 shows them all Up. Concurrent: as the lab launcher
// does (node1, then every other node at once). Sequential: each joiner once the nodes before
// it are all Up.
wolfpack::status form(cluster_lab& lab, int n, bool sequential, bench_clock::time_point deadline) {
  if (!sequential) {
    if (auto st = lab.launch_all(n, deadline); !st)
      return st;
    return lab.wait_all_up(0, deadline);
  }
  if (auto st = lab.launch(0); !st)
    return st;
  if (auto st = lab.wait_ready(0, deadline); !st)
    return st;
  for (int i = 1; i < n; ++i) {
    if (auto st = lab.launch(i, lab.node(0).peer); !st)
      return st;
    if (auto st = lab.wait_ready(i, deadline); !st)
      return st;
    if (auto st = lab.wait_all_up(0, deadline); !st)
      return wolfpack::fail("with " + std::to_string(i + 1) + " nodes launched: " + st.error());
  }
  return {};
}

wolfpack::result<json> measure(int n, const scale_options& o) {
  auto made = cluster_lab::create("scale" + std::to_string(n), o.settings);
  if (!made)
    return wolfpack::fail(made.error());
  cluster_lab& lab = **made;
  const auto t0 = bench_clock::now();
  if (auto st = form(lab, n, o.sequential, t0 + o.form_timeout); !st) {
    // Not formed: the figure is that it did not (the logs stay for the story).
    std::fprintf(stderr, "scale: %d nodes did not form within %lld s: %s\n", n,
                 static_cast<long long>(o.form_timeout.count()), st.error().c_str());
    return json{{"nodes", n},
                {"formed", false},
                {"form_timeout_s", o.form_timeout.count()},
                {"error", st.error()},
                {"kept_directory", lab.dir().string()}};
  }
  const auto t_formed = bench_clock::now();
  if (auto st = wait_everyone_agrees(lab, bench_clock::now() + o.form_timeout); !st)
    return wolfpack::fail(st.error());
  const auto t_agree = bench_clock::now();
  std::fprintf(stderr, "scale: %d nodes: formed %.0f ms, all agree %.0f ms\n", n,
               ms_between(t0, t_formed), ms_between(t0, t_agree));

  std::this_thread::sleep_for(1s);  // past the joins' aftermath
  // Memory: per node, its clussvc and its whole group.
  std::vector<double> clussvc_mib, node_mib;
  std::vector<int> pids;
  std::size_t processes = 0;
  for (int i = 0; i < n; ++i) {
    const int pgid = lab.node(i).pgid;
    const auto group = processes_in_group(pgid);
    processes += group.size();
    double total = 0;
    for (int pid : group) {
      const auto kib = rss_kib(pid).value_or(0);
      total += static_cast<double>(kib) / 1024.0;
      if (pid == pgid)
        clussvc_mib.push_back(static_cast<double>(kib) / 1024.0);
      pids.push_back(pid);
    }
    node_mib.push_back(total);
  }
  // CPU of the idle cluster: every process present at the start, over idle_s seconds.
  std::map<int, std::uint64_t> before;
  for (int pid : pids) {
    if (auto t = cpu_ticks(pid))
      before[pid] = *t;
  }
  const auto c0 = bench_clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(o.idle_s));
  std::uint64_t ticks = 0;
  std::uint64_t clussvc_ticks = 0;
  std::vector<std::uint64_t> per_node(static_cast<std::size_t>(n), 0);
  for (auto [pid, t] : before) {
    if (auto now = cpu_ticks(pid); now && *now >= t) {
      ticks += *now - t;
      for (int i = 0; i < n; ++i) {
        if (lab.node(i).pgid == pid) {
          clussvc_ticks += *now - t;
          per_node[static_cast<std::size_t>(i)] += *now - t;
        }
      }
    }
  }
  const double seconds = std::chrono::duration<double>(bench_clock::now() - c0).count();
  const double hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double cpu_pct = static_cast<double>(ticks) / hz / seconds * 100.0;
  const double clussvc_pct = static_cast<double>(clussvc_ticks) / hz / seconds * 100.0;
  const auto busiest = std::max_element(per_node.begin(), per_node.end());

  auto mib = [](const std::vector<double>& v) {
    json s = summarize_ms(v);  // the same summary, in MiB
    s.erase("p99");
    return s;
  };
  const bool alive = std::all_of(pids.begin(), pids.end(), [&](int pid) {
    return before.contains(pid) && cpu_ticks(pid).has_value();
  });
  return json{{"nodes", n},
              {"formed", true},
              {"form_ms", std::round(ms_between(t0, t_formed))},
              {"all_agree_ms", std::round(ms_between(t0, t_agree))},
              {"processes", processes},
              {"rss_clussvc_mib", mib(clussvc_mib)},
              {"rss_per_node_mib", mib(node_mib)},
              {"rss_total_mib", round1([&] {
                 double s = 0;
                 for (double v : node_mib)
                   s += v;
                 return s;
               }())},
              {"idle_cpu_pct_of_one_core", round1(cpu_pct)},
              {"idle_cpu_pct_clussvc_only", round1(clussvc_pct)},
              {"idle_cpu_pct_busiest_clussvc",
               round1(static_cast<double>(*busiest) / hz / seconds * 100.0)},
              {"idle_seconds", round1(seconds)},
              {"all_processes_survived", alive}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"form time, memory and idle CPU of N nodes on this machine"};
  std::vector<int> sizes = {16, 32, 64};
  scale_options o;
  o.settings.build_dir = WP_BUILD_DIR;
  std::string launch = "concurrent";
  int form_timeout_s = 60;
  app.add_option("--nodes", sizes, "cluster sizes, one after the other (16,32,64)")
      ->delimiter(',')
      ->check(CLI::Range(1, 200));
  app.add_option("--launch", launch,
                 "concurrent: the joiners all at once, as `wolfpack up`; sequential: each once "
                 "the nodes before it are Up")
      ->check(CLI::IsMember({"concurrent", "sequential"}));
  app.add_option("--form-timeout-s", form_timeout_s, "a size that has not formed by then fails")
      ->check(CLI::Range(1, 3600));
  app.add_option("--idle-seconds", o.idle_s, "CPU measured over this long")
      ->check(CLI::Range(1, 600));
  app.add_option("--heartbeat-ms", o.settings.heartbeat_ms, "SameSubnetDelay")
      ->check(CLI::Range(10, 10000));
  app.add_option("--threshold", o.settings.threshold, "SameSubnetThreshold")
      ->check(CLI::Range(2, 100));
  app.add_option("--build-dir", o.settings.build_dir, "the build tree whose bin/clussvc runs");
  app.add_flag("--keep", o.settings.keep, "keep each directory (state, logs)");
  CLI11_PARSE(app, argc, argv);
  o.sequential = launch == "sequential";
  o.form_timeout = std::chrono::seconds(form_timeout_s);

  json blocks = json::array();
  std::optional<bool> floor_met;
  bool all_formed = true;
  for (int n : sizes) {
    auto m = measure(n, o);
    if (!m)
      return fail_with(std::to_string(n) + " nodes: " + m.error());
    const bool formed = (*m)["formed"].get<bool>();
    all_formed = all_formed && formed;
    if (n == 32)
      floor_met = formed && (*m)["form_ms"].get<double>() < 10000;
    blocks.push_back(std::move(*m));
  }
  json out = {{"benchmark", "scale"},
              {"figures", blocks},
              {"unit",
               "ms from launching node1 to GET /nodes on node1 showing every node Up (form_ms) "
               "and to every node showing it (all_agree_ms); RSS in MiB (VmRSS); CPU in % of "
               "one core over the idle window"},
              {"conditions",
               {{"launch", o.sequential ? "node1, then each other node with --join node1 once "
                                          "the nodes before it are Up"
                                        : "node1, then all the others at once with --join node1 "
                                          "once node1 listens (as wolfpack up)"},
                {"groups", 0},
                {"heartbeat_ms", o.settings.heartbeat_ms},
                {"threshold", o.settings.threshold},
                {"hardware_threads", std::thread::hardware_concurrency()}}},
              {"floors", {{"form_32_nodes_ms", 10000}}}};
  if (floor_met)
    out["floor_met"] = *floor_met;
  std::printf("%s\n", out.dump().c_str());
  return all_formed ? 0 : 1;
}
