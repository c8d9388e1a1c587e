#pragma once

// Real clussvc nodes on this machine for the multi-node benchmarks (failover, gum, move,
// cold_start, scale), started as the lab launcher starts them (docs/wolfpack-tool.md):
// a fresh directory under /tmp with a shared secret, node I in DIR/nodeI (its state
// directory, its output in DIR/nodeI/clussvc.out), node1 forming the cluster and the others
// joining through node1's peer address.
//
// Cleaning up: every node leads a process group of its own, which its monitors inherit.
// The benchmark makes itself a child subreaper, so the monitors of a node killed with
// kill_node() are reparented to it and reaped here rather than left behind. Destroying the
// lab SIGKILLs every group and reaps what it held, then removes the directory (kept with
// --keep, or when a setup step failed, for its logs). SIGINT, SIGTERM and SIGHUP kill every
// group before the benchmark exits.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace CLI {
class App;
}

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/platform/child_process.hpp"
#include "wolfpack/common/result.hpp"
#include "wolfpack/http/http_client.hpp"

namespace wolfpack::bench {

using bench_clock = std::chrono::steady_clock;
using nlohmann::json;

// Milliseconds between two instants, as a double (benchmarks report fractions).
double ms_between(bench_clock::time_point from, bench_clock::time_point to);

struct lab_settings {
  std::filesystem::path build_dir;  // clussvc is build_dir/bin/clussvc
  std::uint32_t heartbeat_ms = 100;
  std::uint32_t threshold = 5;
  std::string log_level = "info";
  bool keep = false;  // keep the directory (and its logs) after a successful run
};

// --heartbeat-ms, --threshold, --build-dir and --keep, as every cluster benchmark takes them.
void add_lab_options(CLI::App& app, lab_settings& settings);

struct lab_node {
  std::string name;  // "node1", ...
  std::filesystem::path state_dir;
  platform::child_process process;
  int pgid = -1;  // the node's process group (the clussvc's pid), -1 before the first start
  std::uint16_t peer_port = 0;  // 0 until read back from peer.endpoint; kept across restarts
  std::uint16_t api_port = 0;
  std::optional<endpoint> api;  // known once api.endpoint was read
  std::string peer;             // "127.0.0.1:PORT" once peer.endpoint was read
};

class cluster_lab {
 public:
  // A new directory /tmp/wp-bench-TAG-XXXXXX with a secret; no node runs yet.
  [[nodiscard]] static result<std::unique_ptr<cluster_lab>> create(const std::string& tag,
                                                                   lab_settings settings);
  ~cluster_lab();
  cluster_lab(const cluster_lab&) = delete;
  cluster_lab& operator=(const cluster_lab&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  int size() const { return static_cast<int>(nodes_.size()); }
  lab_node& node(int index) { return nodes_.at(static_cast<std::size_t>(index)); }
  // The index of the node named `name` ("node3" -> 2); -1 if none.
  int index_of(const std::string& name) const;

  // Starts node `index` (0-based; nodes are added up to it), on the ports it had before if
  // it ran already, joining through `join` (HOST:PORT; a copy, since adding nodes moves them)
  // when given. Its old endpoint files are removed first, so that wait_ready() waits for the
  // new ones.
  [[nodiscard]] status launch(int index, std::string join = {});
  // Waits until node `index` has written api.endpoint and peer.endpoint.
  [[nodiscard]] status wait_ready(int index, bench_clock::time_point deadline);
  // Starts `count` nodes the lab launcher's way: node1 alone, once its peer address is known
  // the others joining through it. Does not wait for them to be Up.
  [[nodiscard]] status launch_all(int count, bench_clock::time_point deadline);
  // Waits until GET /nodes on node `observer` shows every started node Up.
  [[nodiscard]] status wait_all_up(int observer, bench_clock::time_point deadline);

  // A new API connection to node `index` (which must be ready).
  [[nodiscard]] result<http::client> client(int index) const;  // sends the API key
  const std::string& api_key() const { return api_key_; }

  // SIGKILL of the node's clussvc only (its monitors find out by themselves), as
  // `wolfpack node kill`; the process is reaped.
  void kill_node(int index);
  // SIGTERM to the node's clussvc (a clean stop: its groups go offline, it leaves, it exits),
  // as `wolfpack node stop`; returns at once. kill_all() reaps it.
  void stop_node(int index);
  // Clean stop of every running node: SIGTERM to each clussvc, up to `timeout` for them to
  // exit, then SIGKILL to whatever is left of their groups. False if a clussvc needed the
  // SIGKILL.
  bool stop_all(std::chrono::milliseconds timeout);
  // SIGKILL to every group and reap: nothing the lab started runs afterwards.
  void kill_all();

  // Keep the directory when the lab goes away (a run that failed: its logs are the story).
  void keep_directory() { keep_ = true; }
  // The last `lines` lines of node `index`'s clussvc.out, for error messages.
  std::string output_tail(int index, int lines = 20) const;

 private:
  cluster_lab(std::filesystem::path dir, lab_settings settings);
  void kill_group(lab_node& n);

  std::filesystem::path dir_;
  std::filesystem::path secret_file_;
  std::string api_key_;  // the nodes' API asks for it
  lab_settings settings_;
  bool keep_ = false;
  std::vector<lab_node> nodes_;
};

// ---- requests ------------------------------------------------------------------------------

// One API request; a transport failure or an HTTP status of 300 or more is a failure naming
// the method, the target, the status and the error body.
[[nodiscard]] result<json> call(http::client& c, std::string_view method, std::string_view target,
                                const json* body = nullptr);

// Creates `count` groups named g000, g001, ..., group i through node i % nodes (so the node
// that created it owns it), each with three Dummy resources in a chain (NAME-app depends on
// NAME-ip, which depends on NAME-disk), and brings each online on its owner. One thread per
// node. Does not wait for the groups to be Online.
[[nodiscard]] status create_groups(cluster_lab& lab, int count);
// The name of group i as create_groups() names it.
std::string group_name(int i);
// Creates group `name` with its three chained Dummy resources through `c` (no online).
[[nodiscard]] status create_chain_group(http::client& c, const std::string& name);

// Polls GET /groups on node `observer` (every `every`) until every group is Online; the
// last answer's groups.
[[nodiscard]] result<json> wait_all_groups_online(cluster_lab& lab, int observer,
                                                  bench_clock::time_point deadline,
                                                  std::chrono::milliseconds every);

// ---- the event stream ----------------------------------------------------------------------

// Reads GET /events of one node on a thread of its own and keeps every event with the
// instant it arrived, so a benchmark can time a change without polling.
class event_log {
 public:
  struct entry {
    bench_clock::time_point at;
    json event;
  };

  [[nodiscard]] static result<std::unique_ptr<event_log>> open(const endpoint& ep,
                                                               const std::string& api_key);
  ~event_log();
  event_log(const event_log&) = delete;
  event_log& operator=(const event_log&) = delete;

  // How many events arrived so far (a position for wait_for).
  std::size_t size() const;
  // The first event at position `from` or later matching `pred`, waiting until `deadline`.
  std::optional<entry> wait_for(std::size_t from, const std::function<bool(const json&)>& pred,
                                bench_clock::time_point deadline);
  // A copy of what arrived at position `cursor` or later; moves `cursor` past it.
  std::vector<entry> entries_since(std::size_t& cursor) const;
  // Why the stream ended ("" while it runs).
  std::string closed_reason() const;

 private:
  event_log() = default;
  void run();

  std::unique_ptr<http::event_stream> stream_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<entry> entries_;
  std::string closed_reason_;
  bool stop_ = false;
  std::thread reader_;
};

// ---- /proc ---------------------------------------------------------------------------------

// The processes of process group `pgid` (from /proc/*/stat), zombies excluded.
std::vector<int> processes_in_group(int pgid);
// utime + stime of `pid` in clock ticks; nullopt when it is gone.
std::optional<std::uint64_t> cpu_ticks(int pid);
// VmRSS of `pid` in KiB; nullopt when it is gone.
std::optional<std::uint64_t> rss_kib(int pid);

// ---- figures -------------------------------------------------------------------------------

// p50, p99, mean, min and max of a sample (same units), rounded to 0.01; {} when empty.
json summarize_ms(std::vector<double> sample);
// The q-quantile (0..1) of a sample by nearest rank.
double quantile(std::vector<double> sample, double q);

}  // namespace wolfpack::bench
