// Waits for a resource or group to settle after /online, /offline or /move: from the event
// stream when the backend has one (with a GET whenever the stream is quiet, in case an event
// was missed), by polling GET otherwise.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_cli/api_backend.hpp"
#include "wolfpack/cluster_cli/cli_error.hpp"
#include "wolfpack/cluster_cli/command.hpp"
#include "wolfpack/cluster_cli/wait_clock.hpp"

namespace wolfpack::cluster_cli {

struct wait_request {
  object_kind kind = object_kind::resource;  // resource or group
  std::string name;
  // True for a state (the API's name: "Online", "OnlinePending", "PartialOnline") that ends
  // the wait.
  std::function<bool(std::string_view state)> settled;
  // nullopt: no limit.
  std::optional<std::chrono::milliseconds> limit;
};

struct wait_result {
  enum class outcome { settled, timed_out, failed };
  outcome what = outcome::failed;
  // The object as last read (GET), for the status table.
  nlohmann::json object;
  // Why the wait could not go on (outcome::failed): a request failed.
  cli_error error;
};

class state_waiter {
 public:
  // `events`: the backend's event stream was subscribed before the action was sent.
  state_waiter(api_backend& api, wait_clock& clock, bool events,
               std::chrono::milliseconds poll_interval = std::chrono::milliseconds(250),
               std::chrono::milliseconds quiet_check = std::chrono::milliseconds(1000));

  wait_result wait(const wait_request& request);

 private:
  // GET the object; false (and `result.error`) when the request failed.
  bool read(const wait_request& request, wait_result& result);
  bool event_settles(const wait_request& request, const nlohmann::json& event) const;

  api_backend& api_;
  wait_clock& clock_;
  bool events_;
  std::chrono::milliseconds poll_interval_;
  std::chrono::milliseconds quiet_check_;
};

// The API's state name of an object ("Online"), or "" when it has none.
std::string state_name(const nlohmann::json& object);

}  // namespace wolfpack::cluster_cli
