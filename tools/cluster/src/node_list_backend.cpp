#include "wolfpack/cluster_cli/node_list_backend.hpp"

#include <utility>

namespace wolfpack::cluster_cli {

node_list_backend::node_list_backend(std::vector<std::string> addresses, backend_factory factory,
                                     std::string api_key)
    : addresses_(std::move(addresses)),
      factory_(std::move(factory)),
      api_key_(std::move(api_key)) {}

result<api_reply> node_list_backend::call(std::string_view method, std::string_view target,
                                          const nlohmann::json* body) {
  if (current_)
    return current_->call(method, target, body);
  std::string failures;
  for (const auto& address : addresses_) {
    auto backend = factory_(address, api_key_);
    if (!backend) {
      failures += (failures.empty() ? "" : "; ") + address + ": no transport";
      continue;
    }
    auto reply = backend->call(method, target, body);
    if (reply) {
      current_ = std::move(backend);
      current_address_ = address;
      return reply;
    }
    failures += (failures.empty() ? "" : "; ") + address + ": " + reply.error();
  }
  if (addresses_.size() == 1)
    return fail("No answer from " + failures);
  return fail("No node answered (" + failures + ")");
}

bool node_list_backend::subscribe_events() {
  if (current_)
    return current_->subscribe_events();
  // No node chosen yet: the first one whose event stream opens is alive, so it is the one.
  for (const auto& address : addresses_) {
    auto backend = factory_(address, api_key_);
    if (backend && backend->subscribe_events()) {
      current_ = std::move(backend);
      current_address_ = address;
      return true;
    }
  }
  return false;
}

std::optional<nlohmann::json> node_list_backend::next_event(std::chrono::milliseconds timeout) {
  if (!current_)
    return std::nullopt;
  return current_->next_event(timeout);
}

}  // namespace wolfpack::cluster_cli
