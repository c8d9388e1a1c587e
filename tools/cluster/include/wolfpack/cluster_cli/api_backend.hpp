// The CLI's only view of a node: HTTP/JSON calls and the event stream (docs/api.md). Keeping it
// this small lets the tests script every reply, and keeps the CLI independent of the HTTP
// library (http_backend.cpp adapts wolfpack::http::client to it).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster_cli {

// One HTTP answer: the status and the JSON body (null when the body is empty, e.g. 204).
struct api_reply {
  int status = 0;
  nlohmann::json body;
};

class api_backend {
 public:
  virtual ~api_backend() = default;

  // Sends `method target` with an optional JSON body. A failure means no answer came (refused
  // connection, broken stream); an answer with a 4xx/5xx status is a successful call whose
  // body carries {"error":{...}}.
  virtual result<api_reply> call(std::string_view method, std::string_view target,
                                 const nlohmann::json* body) = 0;

  // Starts receiving change events (GET /events). False when this backend has no event
  // stream; the caller then polls. Called before the request whose effect it waits for, so
  // that no event is missed.
  virtual bool subscribe_events() { return false; }

  // The next event, or nullopt when none came within `timeout`.
  virtual std::optional<nlohmann::json> next_event(std::chrono::milliseconds timeout) {
    (void)timeout;
    return std::nullopt;
  }
};

}  // namespace wolfpack::cluster_cli
