#pragma once

// What the verbs do to a lab's nodes: start a clussvc, wait for it, stop, kill, freeze and
// thaw its process tree, tell it its faults. Each function updates `lab` (and, where a
// later verb must find what it started, lab.json at once).

#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include <wolfpack/common/result.hpp>

#include "wolfpack/tool/lab.hpp"

namespace wolfpack::tool {

using lab_clock = std::chrono::steady_clock;
using lab_deadline = lab_clock::time_point;

// Polls `done` every `step` until it is true or the deadline has passed; its last answer.
template <typename Done>
bool wait_until(Done done, lab_deadline deadline,
                std::chrono::milliseconds step = std::chrono::milliseconds(50)) {
  for (;;) {
    if (done())
      return true;
    if (lab_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(step);
  }
}

enum class node_process { not_running, running, frozen };
std::string to_string(node_process p);

// The recorded pid is still this node's clussvc (its command line names the node's state
// directory, so a reused pid is not taken for it), and whether it is stopped.
node_process process_state(const lab_node& node);

std::filesystem::path output_file(const lab_node& node);  // clussvc's stdout and stderr
std::filesystem::path log_file(const lab_node& node);     // clussvc.log
// "See DIR/node2/clussvc.out and DIR/node2/clussvc.log (monitors: DIR/node2/monitors/)".
std::string where_to_look(const lab_node& node);

// Removes the node's old endpoint files, starts its clussvc in a session of its own and
// records the pid in lab.json before returning, so `down` finds it whatever happens next.
status spawn_node(lab_state& lab, lab_node& node, std::vector<std::string> join);

// Waits until each of `nodes` has written api.endpoint and peer.endpoint (their addresses go
// into `lab`), failing early when one ends, naming it, its exit and its last output.
status wait_for_endpoints(lab_state& lab, const std::vector<std::string>& nodes,
                          lab_deadline deadline);

// Waits until GET /nodes on `observer` lists every one of `nodes` as Up.
status wait_until_up(const lab_state& lab, const std::string& observer,
                     const std::vector<std::string>& nodes, lab_deadline deadline);

// SIGTERM to each node's clussvc (thawing frozen trees), up to `grace` for them to exit,
// then SIGKILL of every process left in their trees and in their stale sessions. Lines for
// the user go to `out`; the failure lists what could not be ended.
status stop_nodes(lab_state& lab, const std::vector<std::string>& nodes,
                  std::chrono::milliseconds grace, std::ostream& out);

// SIGKILL of the node's clussvc only; its monitors are left to notice (their session is
// remembered for `down`). Returns the pids left running in that session.
result<std::vector<int>> kill_clussvc(lab_state& lab, lab_node& node);

// SIGSTOP / SIGCONT of the node's whole tree; returns the pids signalled.
result<std::vector<int>> freeze_node(const lab_node& node);
result<std::vector<int>> thaw_node(const lab_node& node);

// Whether the running nodes other than `node` still count it in the cluster (GET
// /nodes/NODE): a member when any of them does, evicted when none does and one says so; a
// failure when none answers.
result<bool> counted_as_member(const lab_state& lab, const lab_node& node);
// The node's state directory holds a cluster database.
bool has_database(const lab_node& node);

// `node cleanup` (cluster node N /forcecleanup): refuses while a running member still counts
// the node in the cluster (or none runs to ask); stops the node's service if it runs; removes
// its database and endpoint files (its logs stay), so that `node start` adds it again as a
// new node through a member. Updates lab.json.
status cleanup_node(lab_state& lab, lab_node& node, std::chrono::milliseconds grace,
                    std::ostream& out);

// Sends the node its fault set from `lab` (PUT /lab/faults) when it runs and is not frozen;
// otherwise marks the set not applied and says so on `warn`. Failure: the node refused or
// did not answer.
status push_faults(lab_state& lab, const std::string& node, std::ostream& warn);

// Processes of the node's stale sessions that still run.
std::vector<int> leftover_processes(const lab_node& node);

// The API address of a node that runs and is not frozen, preferring `preferred`; empty
// when there is none.
std::string responsive_api(const lab_state& lab, const std::string& preferred = {});

}  // namespace wolfpack::tool
