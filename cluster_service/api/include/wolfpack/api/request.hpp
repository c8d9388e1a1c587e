#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wolfpack::api {

// One HTTP request as the core sees it: the transport has already split and decoded the
// target and parsed the body, so the core never touches HTTP syntax.
struct request {
  std::string method;             // as sent: "GET", "POST", ... (unknown ones too)
  std::vector<std::string> path;  // percent-decoded segments: /groups/File%20Server/online
                                  //   -> {"groups", "File Server", "online"}; "/" -> {}
  std::map<std::string, std::string> query;  // percent-decoded; '+' means a space here
  nlohmann::json body;                       // null when the request had no body
  std::string remote;                        // the peer, "127.0.0.1:54321" (for logs)
  std::uint64_t id = 0;                      // unique per server, in arrival order (for logs)
};

struct response {
  int status = 200;
  nlohmann::json body;  // null: no body (e.g. 204)
};

// Answers one request. Call it exactly once, on the io_context's thread, now or later. A
// responder destroyed without being called answers 500, so a lost request never hangs its
// client; calls after the first are ignored (and logged). Responders hold the connection:
// drop them before the io_context is destroyed.
using responder = std::function<void(response)>;

// Runs on the io_context's thread for every request except the ones the transport answers
// itself (malformed HTTP, oversized or non-JSON body, bad percent-encoding, GET /events).
using request_handler = std::function<void(request, responder)>;

}  // namespace wolfpack::api
