// A deterministic driver for N node_cores on one virtual clock (docs/internals/multinode.md,
// "Simulator fit"): each node is a fake_node (scripted monitors that honour the lease, a store
// that acknowledges writes), the nodes talk through fake_network, and faults are injected
// between steps: crash, restart from the stored database, freeze/thaw, partition/heal.
//
// Nodes are numbered 1..N: node i is named "node<i>" and listens at "n<i>". Node 1 forms the
// cluster (no join list); the others join through "n1".
//
// Time moves only in advance()/run_until(): every due network delivery, core timer and
// monitor lease deadline of every node is handled in global time order; at one time,
// deliveries first, then the nodes in number order, until nothing is left at that time.
//
// - crash(i): the process is gone: no more inputs, timers or deliveries; its monitors see
//   their parent go and terminate what is not offline; a peer's next frame to it is refused
//   (in_peer_link down). What was stored stays for restart(i).
// - freeze(i)/thaw(i): SIGSTOP/SIGCONT of clussvc. Inputs (frames, heartbeats, monitor
//   frames) queue and timers do not fire; its monitors are other processes: they keep
//   running and their lease runs out. On thaw the queue is handled first, then every overdue
//   timer, all at the thaw time. The quorum monitor (the witness's) is frozen with its node:
//   `wolfpack node freeze` stops the whole process group, and docs/semantics.md assumes it.
// - crash(i, true): the whole machine dies: as crash(i), but the quorum monitor does not
//   release the witness's reservation, which lapses unrenewed.
// - A node whose core says out_exit has exited: as a crash, but its monitors are shut down
//   (cause "exit").
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_core/core_io.hpp"
#include "wolfpack/cluster_core/node_core.hpp"
#include "wolfpack/sim/fake_network.hpp"
#include "wolfpack/sim/fake_node.hpp"
#include "wolfpack/sim/fake_witness.hpp"

namespace wolfpack::cluster::sim {

struct fake_cluster_options {
  std::size_t nodes = 3;
  std::string cluster_name = "lab";
  std::uint32_t heartbeat_ms = 100;
  std::uint32_t threshold = 5;
  std::uint32_t lease_margin_ms = 50;
  core_breaks breaks{};  // test-only: every node's core is broken this way
  time_ms latency_ms = 1;
  time_ms start_time = 1000;
  std::uint64_t seed = 1;           // object ids of each process, and the network's faults
  time_ms store_delay_ms = 0;       // fake_node_options::store_delay_ms of every process
  bool keep_history = true;         // fake_node_options::keep_history of every process
  bool strict_frames = true;        // fake_node_options::strict_frames of every process
  bool unreadable_is_error = true;  // fake_node_options::unreadable_is_error of every process
  // The quorum witness's storage (fake_witness), shared by every node, with this renewal
  // interval; 0: none. Its type, registered on every node, is `witness_type`.
  std::uint32_t witness_interval_ms = 0;
  std::string witness_type = "File Share Witness";
};

// One entry of the cluster-wide monitor log: what a monitor of node `node` (its process
// `incarnation`, 1 for the first start) did with a resource.
struct cluster_call : monitor_call {
  std::size_t node = 0;
  std::size_t incarnation = 0;
};

class fake_cluster {
 public:
  enum class node_status { not_started, running, frozen, crashed, exited };

  explicit fake_cluster(fake_cluster_options options = {});
  ~fake_cluster();
  fake_cluster(const fake_cluster&) = delete;
  fake_cluster& operator=(const fake_cluster&) = delete;

  std::size_t size() const { return members_.size(); }
  static std::string name_of(std::size_t i) { return "node" + std::to_string(i); }
  static std::string address_of(std::size_t i) { return "n" + std::to_string(i); }

  // ---- processes -----------------------------------------------------------------------
  // Starts node i's process for the first time (in_start) with an empty database.
  void start(std::size_t i);
  void crash(std::size_t i, bool machine = false);
  // A new process on what node i's store holds; `join` replaces its join list (nullopt:
  // the configured one: empty for node 1, {"n1"} for the others).
  void restart(std::size_t i, std::optional<std::vector<std::string>> join = std::nullopt);
  // A new process on an empty store, joining through `join`: its state directory was lost (a
  // rebuilt disk). The node must not be running.
  void restart_empty(std::size_t i, std::vector<std::string> join);
  // in_shutdown, handled now; the node exits when its core says out_exit.
  void shutdown(std::size_t i);
  void freeze(std::size_t i);
  void thaw(std::size_t i);
  node_status status(std::size_t i) const;
  // Running or frozen: a process that listens.
  bool alive(std::size_t i) const;
  bool running(std::size_t i) const { return status(i) == node_status::running; }

  // ---- network -------------------------------------------------------------------------
  // Sides of a partition by node number ({{1, 2}, {3}}); a node on no side is cut off alone.
  void partition(const std::vector<std::vector<std::size_t>>& sides);
  void heal();
  void set_latency(time_ms ms) { network_.set_latency(ms); }
  void set_network_faults(const fake_network::faults& f) { network_.set_faults(f); }
  void set_frame_filter(fake_network::frame_filter f) { network_.set_frame_filter(std::move(f)); }
  // fake_network::break_connection, now.
  bool break_connection(std::size_t from, std::size_t to);
  const fake_network& network() const { return network_; }

  // ---- time ----------------------------------------------------------------------------
  time_ms now() const { return now_; }
  // Handles everything due at the current time.
  void run_until_idle();
  void advance(time_ms ms);
  // Advances event by event until `done()` holds (checked at every time something happened)
  // or `limit_ms` have passed; returns done() at the end.
  bool run_until(const std::function<bool()>& done, time_ms limit_ms);

  // ---- the nodes -----------------------------------------------------------------------
  // The current process of node i (throws before its first start).
  fake_node& node(std::size_t i);
  const fake_node& node(std::size_t i) const;
  node_core& core(std::size_t i) { return node(i).core(); }
  const node_core& core(std::size_t i) const { return node(i).core(); }
  // Every process node i had, first start first (node(i) is the last).
  std::size_t incarnations(std::size_t i) const;
  const fake_node& incarnation(std::size_t i, std::size_t k) const;

  // ---- the API of one node (status 0: no answer, e.g. the node is down or frozen) --------
  // Handled at the current time; no time passes (a global update needs time: api_wait).
  api_result api(std::size_t i, const std::string& method, const std::string& path,
                 nlohmann::json body = nullptr);
  // Queued without running; the id is for response(i, id) on the same process.
  std::uint64_t api_async(std::size_t i, const std::string& method, const std::string& path,
                          nlohmann::json body = nullptr);
  std::optional<api_result> response(std::size_t i, std::uint64_t id) const;
  // The same without a copy (the body can be large), null when there is none yet: the
  // client asks after every event while it waits.
  const api_result* find_response(std::size_t i, std::uint64_t id) const;
  // Sends and advances until the answer comes (or `limit_ms` passed, or the process went).
  api_result api_wait(std::size_t i, const std::string& method, const std::string& path,
                      nlohmann::json body = nullptr, time_ms limit_ms = 5000);

  // ---- checks --------------------------------------------------------------------------
  // Every monitor_call of every process of every node, in time order (stable: node number,
  // then the order each monitor did them).
  std::vector<cluster_call> monitor_log() const;
  // Called with each call as a monitor makes it (fake_node::set_call_hook), for checks that
  // need the state of that moment; set it before starting nodes.
  using call_hook = std::function<void(const cluster_call&)>;
  void set_call_hook(call_hook hook) { call_hook_ = std::move(hook); }
  // Called with (node, process) right after a process installed a new view, before it
  // handles anything else; set it before starting nodes.
  using view_hook = std::function<void(std::size_t node, std::size_t process)>;
  void set_view_hook(view_hook hook) { view_hook_ = std::move(hook); }
  // The witness's storage (nullptr without a witness).
  fake_witness* witness() { return witness_.get(); }
  const fake_witness* witness() const { return witness_.get(); }
  // The first moment two processes ran one resource at once: an online that reached a
  // plugin while another process's monitor had it online and had not terminated, taken
  // offline or closed it (an online and a stop at the same millisecond overlap).
  std::optional<std::string> double_online() const;
  // Store errors of every process ("node2#1: update 12: ...").
  std::vector<std::string> store_errors() const;
  // Every node as it sees the cluster (status, id, epoch, members, quorum, the nodes' states,
  // database seq and hash, and each group of `groups`: owner and state), then the last lines
  // of the network trace. For INFO().
  std::string describe(const std::vector<std::string>& groups = {}) const;

 private:
  struct member {
    std::string name;
    std::string address;
    std::vector<std::string> join;
    node_status status = node_status::not_started;
    std::vector<std::unique_ptr<fake_node>> processes;
  };

  member& member_of(std::size_t i);
  const member& member_of(std::size_t i) const;
  void launch(std::size_t i, db_tree tree, std::uint64_t seq, std::vector<std::string> join,
              std::uint64_t promised_epoch = 0);
  void end(std::size_t i, node_status status, const std::string& cause, bool machine = false);
  void settle();
  std::optional<time_ms> next_event() const;
  void set_clocks();

  fake_cluster_options options_;
  fake_network network_;
  std::vector<member> members_;
  call_hook call_hook_;
  view_hook view_hook_;
  std::unique_ptr<fake_witness> witness_;
  time_ms now_ = 0;
};

std::string to_string(fake_cluster::node_status s);

}  // namespace wolfpack::cluster::sim
