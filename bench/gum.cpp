// bench/gum: global update throughput of a 3-node cluster. Every property write is a global
// update: sent to the locker (the lowest member), applied there, sent to the other members in
// one message per batch and answered to the origin once every member has it on disk. Eight
// clients (--clients), each on its own connection to node (i % 3) + 1 and writing the
// Description of its own group, write one property after another for 20 s (--seconds) after a
// warm-up. Prints committed updates per second and the latency of each write (request to
// answer) as JSON, per client node too, with the CPU each clussvc and the clients used while
// writing (warm-up included); afterwards every node must show the same database
// (GET /cluster db_seq and db_hash).

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cluster_lab.hpp"
#include "wolfpack/http/percent_encoding.hpp"

using namespace std::chrono_literals;
using namespace wolfpack::bench;

namespace {

int fail_with(const std::string& message) {
  std::fprintf(stderr, "gum: %s\n", message.c_str());
  return 1;
}

struct client_result {
  int node = 0;
  std::vector<double> latencies_ms;  // of the timed writes
  std::uint64_t ok = 0;              // every answered write, warm-up included
  std::uint64_t errors = 0;
  std::string first_error;
};

// The median time of an fsync of a 4 KiB overwrite in `dir`, the filesystem the nodes'
// databases live on. Every write is answered only once each member has it on disk, so with C
// clients writing one after another no run can commit more than about C / fsync updates per
// second: the figure says how far the floor is from what this disk allows.
double fsync_ms_p50(const std::filesystem::path& dir) {
  const auto file = dir / "fsync-probe";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0)
    return -1;
  std::vector<double> times;
  const std::string block(4096, 'x');
  for (int i = 0; i < 60; ++i) {
    if (::pwrite(fd, block.data(), block.size(), (i % 8) * 4096) < 0)
      break;
    const auto start = std::chrono::steady_clock::now();
    if (::fsync(fd) != 0)
      break;
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  ::close(fd);
  std::filesystem::remove(file);
  if (times.size() < 10)
    return -1;
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"committed global updates per second and their latency on 3 nodes"};
  int seconds = 20;
  int warmup_s = 2;
  int clients = 8;
  int nodes = 3;
  lab_settings settings;
  settings.build_dir = WP_BUILD_DIR;
  app.add_option("--seconds", seconds, "timed writing")->check(CLI::Range(1, 3600));
  app.add_option("--warmup-s", warmup_s, "untimed writing first")->check(CLI::Range(0, 600));
  app.add_option("--clients", clients, "concurrent writers")->check(CLI::Range(1, 256));
  app.add_option("--nodes", nodes, "cluster size")->check(CLI::Range(1, 16));
  add_lab_options(app, settings);
  CLI11_PARSE(app, argc, argv);

  auto made = cluster_lab::create("gum", settings);
  if (!made)
    return fail_with(made.error());
  cluster_lab& lab = **made;
  const double fsync_ms = fsync_ms_p50(lab.dir());
  const auto setup_deadline = bench_clock::now() + 120s;
  if (auto st = lab.launch_all(nodes, setup_deadline); !st)
    return fail_with(st.error());
  if (auto st = lab.wait_all_up(0, setup_deadline); !st)
    return fail_with(st.error());

  // One group per client, created through the node the client talks to.
  for (int i = 0; i < clients; ++i) {
    auto c = lab.client(i % nodes);
    if (!c)
      return fail_with(c.error());
    const json body = {{"name", "gum" + std::to_string(i)}};
    if (auto r = call(*c, "POST", "/groups", &body); !r)
      return fail_with(r.error());
  }
  std::uint64_t seq_before = 0;
  {
    auto c = lab.client(0);
    if (!c)
      return fail_with(c.error());
    auto cl = call(*c, "GET", "/cluster");
    if (!cl)
      return fail_with(cl.error());
    seq_before = (*cl)["db_seq"].get<std::uint64_t>();
  }

  std::vector<client_result> results(static_cast<std::size_t>(clients));
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  bench_clock::time_point start{}, timed_from{}, stop_at{};
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      auto& res = results[static_cast<std::size_t>(i)];
      res.node = i % nodes;
      auto c = lab.client(res.node);
      ++ready;
      if (!c) {
        res.errors = 1;
        res.first_error = c.error();
        return;
      }
      while (!go.load())
        std::this_thread::yield();
      const std::string target = "/groups/gum" + std::to_string(i) + "/properties";
      res.latencies_ms.reserve(static_cast<std::size_t>(seconds) * 2000);
      for (std::uint64_t n = 0;; ++n) {
        const auto t0 = bench_clock::now();
        if (t0 >= stop_at)
          break;
        const json body = {
            {"properties",
             {{"Description", "client " + std::to_string(i) + " write " + std::to_string(n)}}}};
        auto r = call(*c, "PUT", target, &body);
        const auto t1 = bench_clock::now();
        if (!r) {
          if (res.errors++ == 0)
            res.first_error = r.error();
          continue;
        }
        ++res.ok;
        if (t0 >= timed_from && t1 <= stop_at)
          res.latencies_ms.push_back(ms_between(t0, t1));
      }
    });
  }
  while (ready.load() < clients)
    std::this_thread::sleep_for(1ms);
  // Where the CPU goes while writing: each node's clussvc and this process (the clients).
  std::vector<int> pids;
  for (int i = 0; i < nodes; ++i)
    pids.push_back(lab.node(i).pgid);
  pids.push_back(static_cast<int>(::getpid()));
  std::vector<std::uint64_t> ticks_before;
  for (int pid : pids)
    ticks_before.push_back(cpu_ticks(pid).value_or(0));
  start = bench_clock::now();
  timed_from = start + std::chrono::seconds(warmup_s);
  stop_at = timed_from + std::chrono::seconds(seconds);
  go = true;
  for (auto& t : threads)
    t.join();
  const double wall_s = std::chrono::duration<double>(bench_clock::now() - start).count();
  json cpu = json::object();
  const double hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
  for (std::size_t k = 0; k < pids.size(); ++k) {
    const auto used = cpu_ticks(pids[k]).value_or(ticks_before[k]) - ticks_before[k];
    const auto name = k < static_cast<std::size_t>(nodes) ? lab.node(static_cast<int>(k)).name
                                                          : std::string("clients");
    cpu[name] = std::round(static_cast<double>(used) / hz / wall_s * 1000.0) / 10.0;
  }

  // Every node ends with the same database.
  std::vector<json> views;
  bool consistent = false;
  std::uint64_t seq_after = 0;
  const auto settle_deadline = bench_clock::now() + 10s;
  while (!consistent && bench_clock::now() < settle_deadline) {
    views.clear();
    for (int i = 0; i < nodes; ++i) {
      auto c = lab.client(i);
      if (!c)
        return fail_with(c.error());
      auto cl = call(*c, "GET", "/cluster");
      if (!cl)
        return fail_with(cl.error());
      views.push_back(*cl);
    }
    consistent = std::all_of(views.begin(), views.end(), [&](const json& v) {
      return v["db_seq"] == views.front()["db_seq"] && v["db_hash"] == views.front()["db_hash"];
    });
    seq_after = views.front()["db_seq"].get<std::uint64_t>();
    if (!consistent)
      std::this_thread::sleep_for(50ms);
  }

  std::vector<double> all;
  std::map<std::string, std::vector<double>> by_node;
  std::uint64_t errors = 0, answered = 0;
  std::string first_error;
  json per_client = json::array();
  for (const auto& r : results) {
    all.insert(all.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    auto& v = by_node[lab.node(r.node).name];
    v.insert(v.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    errors += r.errors;
    answered += r.ok;
    if (first_error.empty())
      first_error = r.first_error;
    per_client.push_back(r.latencies_ms.size());
  }
  json latency_by_node = json::object();
  for (auto& [name, v] : by_node)
    latency_by_node[name] = summarize_ms(v);
  const double rate = static_cast<double>(all.size()) / seconds;
  json out = {
      {"benchmark", "gum"},
      {"figures",
       {{"committed_updates_per_s", std::round(rate)},
        {"committed_updates", all.size()},
        {"latency_ms", summarize_ms(all)},
        {"latency_ms_by_client_node", latency_by_node},
        {"writes_per_client", per_client},
        {"errors", errors},
        {"writes_answered_incl_warmup", answered},
        {"db_seq_advance", seq_after - seq_before},
        {"nodes_consistent", consistent},
        {"cpu_pct_of_one_core", cpu}}},
      {"unit", "updates/s over the timed window; latency in ms from request to answer"},
      {"conditions",
       {{"nodes", nodes},
        {"locker", "node1 (lowest id)"},
        {"clients", clients},
        {"client_placement", "client i on node (i % nodes) + 1, one kept-alive connection each"},
        {"write", "PUT /groups/gumI/properties {Description} (one global update each)"},
        {"seconds", seconds},
        {"warmup_s", warmup_s},
        {"heartbeat_ms", settings.heartbeat_ms},
        {"threshold", settings.threshold},
        {"hardware_threads", std::thread::hardware_concurrency()},
        {"fsync_ms_p50", std::round(fsync_ms * 100) / 100},
        {"ceiling_updates_per_s_at_one_fsync_each",
         fsync_ms > 0 ? std::round(clients / (fsync_ms / 1000)) : 0}}},
      {"floors", {{"committed_updates_per_s", 3000}}},
      {"floor_met", rate >= 3000}};
  if (!first_error.empty())
    out["figures"]["first_error"] = first_error;
  std::printf("%s\n", out.dump().c_str());
  if (!consistent) {
    lab.keep_directory();
    return fail_with("the nodes' databases differ after the run");
  }
  return 0;
}
