#include "wolfpack/cluster_cli/state_waiter.hpp"

#include <algorithm>

#include "wolfpack/cluster_cli/api_paths.hpp"

namespace wolfpack::cluster_cli {

using std::chrono::milliseconds;

std::string state_name(const nlohmann::json& object) {
  if (object.is_object() && object.contains("state") && object["state"].is_string()) {
    return object["state"].get<std::string>();
  }
  return {};
}

state_waiter::state_waiter(api_backend& api, wait_clock& clock, bool events,
                           milliseconds poll_interval, milliseconds quiet_check)
    : api_(api),
      clock_(clock),
      events_(events),
      poll_interval_(poll_interval),
      quiet_check_(quiet_check) {}

bool state_waiter::read(const wait_request& request, wait_result& result) {
  auto reply = api_.call("GET", object_path(request.kind, request.name), nullptr);
  if (!reply) {
    result.what = wait_result::outcome::failed;
    result.error = cli_error::unreachable(reply.error());
    return false;
  }
  if (reply->status >= 300) {
    result.what = wait_result::outcome::failed;
    result.error = cli_error::from_reply(*reply);
    return false;
  }
  result.object = std::move(reply->body);
  return true;
}

bool state_waiter::event_settles(const wait_request& request, const nlohmann::json& event) const {
  if (!event.is_object())
    return false;
  const std::string wanted = request.kind == object_kind::group ? "group" : "resource";
  if (event.contains("object") && event["object"].is_string()) {
    if (event["object"].get<std::string>() != wanted)
      return false;
  } else if (event.contains("kind") && event["kind"].is_string()) {
    const auto kind = event["kind"].get<std::string>();
    if (!same_name(kind.substr(0, wanted.size()), wanted))
      return false;
  } else {
    return false;
  }
  if (!event.contains("name") || !event["name"].is_string() ||
      !same_name(event["name"].get<std::string>(), request.name)) {
    return false;
  }
  const std::string state = state_name(event);
  return !state.empty() && request.settled(state);
}

wait_result state_waiter::wait(const wait_request& request) {
  wait_result result;
  std::optional<wait_clock::time_point> deadline;
  if (request.limit)
    deadline = clock_.now() + *request.limit;
  auto left = [&]() -> std::optional<milliseconds> {
    if (!deadline)
      return std::nullopt;
    const auto now = clock_.now();
    if (now >= *deadline)
      return milliseconds(0);
    return std::chrono::duration_cast<milliseconds>(*deadline - now);
  };
  auto settled_now = [&] { return request.settled(state_name(result.object)); };

  // The first look: the state may have settled before the wait began.
  if (!read(request, result))
    return result;
  if (settled_now()) {
    result.what = wait_result::outcome::settled;
    return result;
  }

  for (;;) {
    const auto remaining = left();
    if (remaining && remaining->count() == 0) {
      result.what = wait_result::outcome::timed_out;
      return result;
    }
    if (events_) {
      const milliseconds slice = remaining ? std::min(*remaining, quiet_check_) : quiet_check_;
      auto event = api_.next_event(slice);
      if (event) {
        if (event_settles(request, *event)) {
          if (!read(request, result))
            return result;
          result.what = wait_result::outcome::settled;
          return result;
        }
        continue;
      }
      // A quiet stream: look directly, in case the connection dropped an event.
    } else {
      clock_.sleep_for(remaining ? std::min(*remaining, poll_interval_) : poll_interval_);
    }
    if (!read(request, result))
      return result;
    if (settled_now()) {
      result.what = wait_result::outcome::settled;
      return result;
    }
  }
}

}  // namespace wolfpack::cluster_cli
