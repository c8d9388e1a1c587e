#pragma once

#include <functional>
#include <map>
#include <string>

namespace wolfpack::cluster_transport {

// How the pieces of the transport report: transport_handlers::on_log's shape, never empty
// (peer_transport hands them a function that drops lines when the owner set no handler).
using log_fn = std::function<void(std::string level, std::string message,
                                  std::map<std::string, std::string> fields)>;

}  // namespace wolfpack::cluster_transport
