// A failed command: the Win32 code cluster.exe would report, and what we know about why.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_cli/api_backend.hpp"

namespace wolfpack::cluster_cli {

// Win32 codes the CLI produces itself (values from winerror.h).
inline constexpr std::uint32_t error_file_not_found = 2;
inline constexpr std::uint32_t error_invalid_parameter = 87;
inline constexpr std::uint32_t error_gen_failure = 31;
inline constexpr std::uint32_t error_not_found = 1168;
inline constexpr std::uint32_t error_connection_refused = 1225;
inline constexpr std::uint32_t error_timeout = 1460;
inline constexpr std::uint32_t error_resource_failed = 5038;
inline constexpr std::uint32_t error_group_not_online = 5014;
inline constexpr std::uint32_t error_invalid_state = 5023;
inline constexpr std::uint32_t error_cluster_netinterface_not_found = 5047;
inline constexpr std::uint32_t error_cluster_node_not_ready = 5072;

struct cli_error {
  std::uint32_t code = error_gen_failure;
  // What the API (or the CLI) said about this case, e.g. "group 'X' does not exist"; may be
  // empty. Printed after the standard Win32 message.
  std::string detail;
  // The API's error body when there was one ({"error":{...}}), for /json.
  nlohmann::json body;

  // An error the CLI found itself (usage, registry, timeout).
  static cli_error make(std::uint32_t code, std::string detail);
  // The error an API answer with a 4xx/5xx status carries. Without a usable body the code
  // follows the status: 400 → 87, 404 → 1168, 409 → 5023, 503 → 5072, else 31.
  static cli_error from_reply(const api_reply& reply);
  // No node answered: ERROR_CONNECTION_REFUSED with the transport's message.
  static cli_error unreachable(std::string detail);

  // {"error":{"code","name","message"}}: the API's body, or one built the same way.
  nlohmann::json to_json() const;
};

// The process exit status for a Win32 code: the code itself on Windows (as cluster.exe);
// elsewhere exit statuses have 8 bits, so codes above 255 become 255 (never 0).
int exit_status(std::uint32_t code);

}  // namespace wolfpack::cluster_cli
