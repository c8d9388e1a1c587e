// A backend over the nodes of a cluster: tries each address in order until one answers, then
// stays with it. Only the first request moves on: once a node has answered, a later failure
// is reported, since the request may have reached it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "wolfpack/cluster_cli/api_backend.hpp"

namespace wolfpack::cluster_cli {

// Makes a backend for one "HOST:PORT" (connecting lazily or at once, as it likes).
// A backend for one node's API; `api_key` (empty: none) authenticates every request.
using backend_factory = std::function<std::unique_ptr<api_backend>(const std::string& address,
                                                                   const std::string& api_key)>;

class node_list_backend : public api_backend {
 public:
  node_list_backend(std::vector<std::string> addresses, backend_factory factory,
                    std::string api_key = {});

  result<api_reply> call(std::string_view method, std::string_view target,
                         const nlohmann::json* body) override;
  bool subscribe_events() override;
  std::optional<nlohmann::json> next_event(std::chrono::milliseconds timeout) override;

  // The address that answered, or "" before any has.
  const std::string& current_address() const { return current_address_; }

 private:
  std::vector<std::string> addresses_;
  backend_factory factory_;
  std::string api_key_;
  std::unique_ptr<api_backend> current_;
  std::string current_address_;
};

}  // namespace wolfpack::cluster_cli
