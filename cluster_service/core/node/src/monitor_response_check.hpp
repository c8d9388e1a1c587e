// A monitor's `response` frame checked before the command it answers is taken off the list of
// those waiting (docs/monitor-protocol.md, "Monitor to parent"): a member of the wrong type
// would throw in the command's callback, after which nothing could answer it any more. With
// the check, the frame is refused whole, the monitor is restarted (node_core.cpp) and the
// command fails as the monitor ends, like every other command it had.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace wolfpack::cluster {

// A frame from a monitor that the core cannot read.
struct unreadable_monitor_frame : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What is wrong with a response frame's members ("member 'status' must be a count (...), not a
// string"), or nothing. Members it does not know are left alone.
std::optional<std::string> monitor_response_problem(const nlohmann::json& frame);

// Throws unreadable_monitor_frame when monitor_response_problem finds something.
void check_monitor_response(const nlohmann::json& frame);

}  // namespace wolfpack::cluster
