#pragma once

// What clussvc and resrcmon say to each other over their local stream socket.
// Frames are those of wolfpack/common/frame.hpp; docs/monitor-protocol.md describes each message.

#include <cstdint>
#include <string_view>

namespace wolfpack::monitor {

inline constexpr int protocol_version = 1;

// Exit codes of resrcmon in monitor mode (the parent tells why its child ended).
inline constexpr int exit_clean = 0;
inline constexpr int exit_usage = 2;
inline constexpr int exit_deadlock = 3;
inline constexpr int exit_parent_lost = 4;

// Exit codes of the standalone harness.
inline constexpr int harness_exit_ok = 0;
inline constexpr int harness_exit_resource_failed = 1;
inline constexpr int harness_exit_usage = 2;

// Did the call run? Reported apart from what the resource answered.
enum class exec_status : std::uint8_t {
  completed,  // the entry point ran and returned
  timed_out,  // a pending operation outlived PendingTimeout
  refused,    // the monitor did not call the plugin (bad state, lease expired, unknown object)
  crashed,    // the plugin crashed the process (reported by the parent or the harness)
};

std::string_view to_string(exec_status);

}  // namespace wolfpack::monitor
