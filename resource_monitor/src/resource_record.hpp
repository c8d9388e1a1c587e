#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <wolfpack/resapi.h>
#include <wolfpack/registry_tree.hpp>

#include "core_types.hpp"

namespace wolfpack::monitor {

// The monitor's view of one resource. The states are those the service sees (SPEC 4.2);
// `opening` and `closing` cover the Open and Close calls.
enum class rstate : std::uint8_t {
  opening,
  offline,
  online_pending,
  online,
  offline_pending,
  failed,
  closing
};

std::string_view state_name(rstate);
CLUSTER_RESOURCE_STATE state_code(rstate);

struct resource_timing {
  std::uint32_t looks_alive_ms = 5000;
  std::uint32_t is_alive_ms = 60000;
  std::uint32_t pending_timeout_ms = 180000;
  std::uint32_t deadlock_timeout_ms = 300000;
};

struct status_report {
  CLUSTER_RESOURCE_STATE state = ClusterResourceStateUnknown;
  std::uint32_t checkpoint = 0;
};

struct waiting_op {
  std::function<void(mono_ns)> run;
  std::optional<std::int64_t> id;  // answered with an error if the op is dropped
};

// An optional call id in 8 bytes (std::optional takes 16): call ids are never 0.
class call_ref {
 public:
  call_ref() = default;
  call_ref& operator=(std::uint64_t id) {
    id_ = id;
    return *this;
  }
  explicit operator bool() const { return id_ != 0; }
  bool has_value() const { return id_ != 0; }
  std::uint64_t operator*() const { return id_; }
  void reset() { id_ = 0; }
  friend bool operator==(const call_ref& a, std::uint64_t b) { return a.id_ != 0 && a.id_ == b; }

 private:
  std::uint64_t id_ = 0;
};

// Operations held back while a resource is busy, oldest first. Almost always empty, so it is
// one pointer until something waits.
class waiting_queue {
 public:
  bool empty() const { return !q_ || q_->empty(); }
  void push_back(waiting_op&& op) {
    if (!q_)
      q_ = std::make_unique<std::deque<waiting_op>>();
    q_->push_back(std::move(op));
  }
  waiting_op& front() { return q_->front(); }
  void pop_front() { q_->pop_front(); }
  void clear() { q_.reset(); }
  std::deque<waiting_op> take() {
    auto q = std::move(q_);
    return q ? std::move(*q) : std::deque<waiting_op>{};
  }

 private:
  std::unique_ptr<std::deque<waiting_op>> q_;
};

// Field order matters: at 10,000 resources a record has left the cache by its next poll, so
// what a poll touches is packed into the first cache lines (the core prefetches them).
struct alignas(64) resource_record {
  // Line 0: read and written by every poll.
  std::uint64_t slot = 0;
  RESID resid = nullptr;
  // One call at a time into a resource (SPEC 2.7); Terminate is the only exception.
  call_ref busy_call;
  call_ref terminate_call;
  // Bumped by Terminate: outcomes and reports of the abandoned operation are ignored.
  std::uint64_t generation = 0;
  // Polling, while Online.
  std::uint64_t poll_generation = 0;
  // The poll in flight, if busy_call is one (see monitor_core::submit_poll).
  std::uint64_t poll_submit_generation = 0;
  entry_point poll_entry = entry_point::looks_alive;
  rstate state = rstate::opening;
  bool looks_alive_due = false;
  bool is_alive_due = false;

  // Line 1: read by every poll.
  std::string name;
  resource_timing timing;
  const plugin_type* type = nullptr;  // plugin.get()
  waiting_queue waiting;              // operations held back while busy

  // The rest: not touched by polls.
  std::shared_ptr<plugin_type> plugin;
  std::uint64_t token = 0;  // the RESOURCE_HANDLE given to the plugin
  std::unique_ptr<wolfpack::registry_tree> registry;
  std::vector<std::function<void(mono_ns)>> after_terminate;

  // Pending Online/Offline supervision.
  std::uint64_t pending_generation = 0;
  bool pending_call_returned = false;  // Online/Offline has returned ERROR_IO_PENDING
  std::uint32_t last_checkpoint = 0;
  std::optional<status_report> early_report;  // arrived before the call returned 997

  // Log events raised while a control call is in flight go back with its response.
  std::optional<std::uint64_t> control_call;
  std::vector<std::string> control_messages;
};

}  // namespace wolfpack::monitor
