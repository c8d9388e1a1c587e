#pragma once

// Several real clussvc nodes forming one cluster on 127.0.0.1: a shared secret, node1 forming,
// the others joining through node1's peer address, heartbeats every 100 ms with a threshold
// of 5 (docs/semantics.md, "Many nodes"). Built on clussvc_node (clussvc_fixture.hpp): each
// node is a process group of its own (clussvc and its resrcmon monitors). The fixture ends
// every process it started; when the test failed it prints every node's logs; and it checks
// that no process mentioning its directory is left.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clussvc_fixture.hpp"

namespace wolfpack::itest {

// Everything a node says about the cluster at one moment.
struct cluster_view {
  std::map<std::string, std::string> node_states;  // GET /nodes: name -> "Up", "Down", ...
  std::string db_hash;                             // GET /cluster
  std::uint64_t db_seq = 0;
};

// A group as one node sees it (GET /groups/G).
struct group_view {
  std::string owner;
  std::string state;
};

class multinode_cluster {
 public:
  static constexpr int heartbeat_ms = 100;
  static constexpr int threshold = 5;

  // Starts `nodes` nodes (node1..nodeN) and waits until every node sees all of them Up with
  // the same database; throws (with the logs) when they do not get there in time.
  explicit multinode_cluster(std::size_t nodes = 3);
  ~multinode_cluster();
  multinode_cluster(const multinode_cluster&) = delete;
  multinode_cluster& operator=(const multinode_cluster&) = delete;

  clussvc_node& node(const std::string& name);
  std::vector<std::string> names() const;
  std::filesystem::path file(const std::string& name) const { return dir_.path() / name; }
  const std::filesystem::path& dir() const { return dir_.path(); }

  // Starts a node (again) on its state directory: with --join `join` (a peer address) when
  // given, and on `listen` (default 127.0.0.1:0) for its peers.
  void start(const std::string& name, const std::optional<std::string>& join,
             const std::string& listen = "127.0.0.1:0");

  // What `observer` says; nullopt when it does not answer (frozen, stopped, cut off).
  std::optional<cluster_view> view(const std::string& observer,
                                   std::chrono::milliseconds timeout = 2s);
  std::optional<group_view> group(const std::string& observer, const std::string& group,
                                  std::chrono::milliseconds timeout = 2s);

  // True when every node of `members` answers, sees exactly `members` Up (and every other
  // configured node not Up), and all of them have the same db_hash and db_seq.
  bool one_view(const std::vector<std::string>& members);
  bool wait_one_view(const std::vector<std::string>& members,
                     std::chrono::milliseconds timeout = 30s);
  // A description of what each node answers now, for failure messages.
  std::string describe_views();
  // The epochs for which the nodes' logs ("membership epoch N: nodes ...") name more than one
  // member set, described; "" when every epoch means one membership.
  std::string conflicting_epochs() const;
  // What each node says about the group and its resources now, for failure messages.
  std::string describe_group(const std::string& group);

  // Waits until every node of `observers` says `group` is Online on one owner that is not
  // in `not_on`; that owner, or "" when the deadline passed.
  std::string wait_group_online(const std::string& group, const std::vector<std::string>& observers,
                                const std::vector<std::string>& not_on = {},
                                std::chrono::milliseconds timeout = 30s);

  // SIGSTOP / SIGCONT of the node's whole process group (clussvc and its monitors at once).
  void freeze(const std::string& name);
  void thaw(const std::string& name);
  // SIGKILL of the node's clussvc only (a crash): its monitors must end by themselves.
  void kill(const std::string& name);
  // Waits until the monitors of the nodes killed so far have ended; kills those that have
  // not in time (shut_down() reports them) and returns false then.
  bool wait_killed_monitors_gone(std::chrono::milliseconds timeout = 10s);
  // PUT /lab/faults on a node: drop all peer traffic to and from `block`.
  void set_faults(const std::string& name, const std::vector<std::string>& block, int delay_ms = 0);

  // Pids of every running process whose command line mentions this cluster's directory
  // (the nodes and their monitors).
  std::vector<int> processes_of_dir() const;

  // Stops every node at once (SIGTERM; thawed first), waits for each, then kills whatever
  // still mentions the directory. What was not clean: a node that did not exit with 0, a
  // monitor that outlived its node, a process left; "" when everything ended as it should.
  // The destructor does it again (for what a test started after its own call).
  std::string shut_down();

  // Marks the cluster failed (the listener does it for every failed assertion).
  void mark_failed() { failed_ = true; }

 private:
  temp_dir dir_;
  std::filesystem::path secret_;
  std::vector<std::string> names_;
  std::map<std::string, std::unique_ptr<clussvc_node>> nodes_;
  std::vector<int> killed_monitors_;
  std::vector<int> orphaned_monitors_;
  std::string teardown_errors_;
  bool failed_ = false;
};

// ---- API helpers --------------------------------------------------------------------------

// One request that must answer with a 2xx status; throws with the answer otherwise.
json api_ok(clussvc_node& node, const std::string& method, const std::string& path,
            const json& body = nullptr);

// Creates `group` through `node` (which then owns it) with a Dummy resource for each name,
// each depending on the one before it (names[1] on names[0], ...), polled every
// `poll_ms` (LooksAlive; IsAlive every 3 × poll_ms) and, when `call_log` is not empty,
// logging every call into that file.
void create_dummy_group(clussvc_node& node, const std::string& group,
                        const std::vector<std::string>& names,
                        const std::filesystem::path& call_log = {}, int poll_ms = 100);

// ---- the shared call log ------------------------------------------------------------------

// The first entry from `node` into `resource` with entry point `entry` (any, when empty), at
// or after mono_ns `after`.
std::optional<json> first_call(const std::vector<json>& log, const std::string& node,
                               const std::string& resource, const std::string& entry,
                               std::int64_t after = 0);
// The calls from `node` into `resource` after mono_ns `after` that are not Terminate,
// Offline or Close: the ones a node that lost the resource must not make.
std::vector<json> calls_after_loss(const std::vector<json>& log, const std::string& node,
                                   const std::string& resource, std::int64_t after);
// One line per entry; without `polls`, LooksAlive and IsAlive lines are counted, not listed.
std::string dump_calls(const std::vector<json>& log, bool polls = true);

// CLOCK_MONOTONIC in nanoseconds, as the Dummy writes it.
std::int64_t mono_now_ns();

// Milliseconds on the steady clock since `start`.
long long ms_since(std::chrono::steady_clock::time_point start);

}  // namespace wolfpack::itest
