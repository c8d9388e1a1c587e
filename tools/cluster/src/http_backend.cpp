// Adapter over the HTTP client library (wolfpack::http::client and event_stream): everything
// the CLI needs from the transport is in this file.
#include "wolfpack/cluster_cli/http_backend.hpp"

#include <optional>
#include <utility>

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/http/client.hpp"
#include "wolfpack/http/event_stream.hpp"

namespace wolfpack::cluster_cli {
namespace {

// "HOST:PORT" as the CLI takes it, or an endpoint string with its "tcp:"/"unix:" prefix.
result<endpoint> to_endpoint(const std::string& address) {
  if (address.rfind("tcp:", 0) == 0 || address.rfind("unix:", 0) == 0)
    return parse_endpoint(address);
  return parse_endpoint("tcp:" + address);
}

class http_backend : public api_backend {
 public:
  http_backend(std::string address, std::string api_key)
      : address_(std::move(address)), api_key_(std::move(api_key)) {}

  result<api_reply> call(std::string_view method, std::string_view target,
                         const nlohmann::json* body) override {
    if (!client_) {
      auto ep = to_endpoint(address_);
      if (!ep)
        return failure{"bad cluster address '" + address_ + "': " + ep.error()};
      auto c = http::client::connect(*ep);
      if (!c)
        return failure{c.error()};
      client_.emplace(std::move(c).value());
      client_->set_api_key(api_key_);
    }
    auto response = client_->request(method, target, body);
    if (!response)
      return failure{response.error()};
    return api_reply{response->status, std::move(response->body)};
  }

  bool subscribe_events() override {
    auto ep = to_endpoint(address_);
    if (!ep)
      return false;
    auto stream = http::event_stream::open(*ep, std::nullopt, std::chrono::seconds(5), api_key_);
    if (!stream)
      return false;
    events_.emplace(std::move(stream).value());
    return true;
  }

  std::optional<nlohmann::json> next_event(std::chrono::milliseconds timeout) override {
    if (!events_)
      return std::nullopt;
    return events_->next(timeout);
  }

 private:
  std::string address_;
  std::string api_key_;
  std::optional<http::client> client_;
  std::optional<http::event_stream> events_;
};

}  // namespace

std::unique_ptr<api_backend> make_http_backend(const std::string& address,
                                               const std::string& api_key) {
  return std::make_unique<http_backend>(address, api_key);
}

}  // namespace wolfpack::cluster_cli
