#pragma once

#include <chrono>
#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::http {

struct http_response {
  int status = 0;
  nlohmann::json body;  // null when the response had no body
};

// A synchronous HTTP/1.1 client for the cluster API: one kept-alive connection, reopened
// when the server has closed it. Not thread-safe: one client per thread. Transport problems
// (refused, timed out, closed, a body that is not JSON) are failures; any HTTP status,
// 4xx and 5xx included, is a successful http_response.
class client {
 public:
  // Connects now, so that "cannot connect to 127.0.0.1:5000: connection refused" surfaces
  // before the first request.
  [[nodiscard]] static result<client> connect(
      const endpoint& ep, std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // `target` is sent as is: percent-encode names with encode_segment(). `body`, when given,
  // is sent as application/json. The timeout bounds the whole exchange, reconnecting
  // included. A request that fails on a reused connection before any response byte arrived
  // (the server had closed it) is retried once on a new connection.
  [[nodiscard]] result<http_response> request(
      std::string_view method, std::string_view target, const nlohmann::json* body = nullptr,
      std::chrono::milliseconds timeout = std::chrono::seconds(30));

  const endpoint& remote() const;

  // Sent as `Authorization: Bearer KEY` with every request from now on; empty sends none. A
  // cluster started with a secret refuses requests without its key (401, ERROR_ACCESS_DENIED).
  void set_api_key(std::string key);

  client(client&&) noexcept;
  client& operator=(client&&) noexcept;
  ~client();

 private:
  struct impl;
  explicit client(std::unique_ptr<impl> impl);
  std::unique_ptr<impl> impl_;
};

}  // namespace wolfpack::http
