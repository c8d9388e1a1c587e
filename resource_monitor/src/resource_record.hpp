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
enum class rstate { opening, offline, online_pending, online, offline_pending, failed, closing };

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

struct resource_record {
  std::uint64_t slot = 0;
  std::string name;
  std::uint64_t token = 0;  // the RESOURCE_HANDLE given to the plugin
  std::shared_ptr<plugin_type> plugin;
  std::unique_ptr<wolfpack::registry_tree> registry;
  RESID resid = nullptr;
  resource_timing timing;
  rstate state = rstate::opening;

  // One call at a time into a resource (SPEC 2.7); Terminate is the only exception.
  std::optional<std::uint64_t> busy_call;
  std::deque<waiting_op> waiting;  // operations held back while busy

  // Bumped by Terminate: outcomes and reports of the abandoned operation are ignored.
  std::uint64_t generation = 0;
  std::optional<std::uint64_t> terminate_call;
  std::vector<std::function<void(mono_ns)>> after_terminate;

  // The poll in flight, if busy_call is one (see monitor_core::submit_poll).
  entry_point poll_entry = entry_point::looks_alive;
  std::uint64_t poll_submit_generation = 0;

  // Polling, while Online.
  std::uint64_t poll_generation = 0;
  bool looks_alive_due = false;
  bool is_alive_due = false;

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
