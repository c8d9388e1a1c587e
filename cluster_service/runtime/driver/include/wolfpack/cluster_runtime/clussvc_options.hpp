#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/logging.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::runtime {

// What clussvc was asked to do, after the command line and the --config file were merged
// (command-line options win).
struct clussvc_options {
  std::filesystem::path state_dir;
  std::string node;
  std::string cluster_name;
  endpoint listen;      // node-to-node (TCP; used by the multi-node issue)
  endpoint api_listen;  // the HTTP/WebSocket API (TCP, or unix:PATH)
  std::vector<endpoint> join;
  // The lab's shared secret (raw bytes, from --secret-file: hex text). Without it the node
  // runs alone: no peer traffic, nothing to join.
  std::optional<std::string> secret;
  std::optional<std::filesystem::path> secret_file;
  std::uint32_t heartbeat_ms = 1000;  // SameSubnetDelay
  std::uint32_t threshold = 5;        // SameSubnetThreshold
  std::string quorum = "majority";
  std::optional<std::filesystem::path> config_file;
  log_level level = log_level::info;
  // --stop-with-parent: a clean stop when the process that started this one ends (Linux;
  // what tests and benchmarks ask, so that a crash of theirs leaves no node running).
  bool stop_with_parent = false;

  // --help was given: print `help_text` and exit 0; nothing else is filled in.
  bool help = false;
  std::string help_text;
};

// Exit code of clussvc for a bad command line or configuration file.
inline constexpr int clussvc_exit_usage = 2;

// Parses
//   --state-dir DIR --node NAME --cluster-name CNAME --listen HOST:PORT
//   --api-listen HOST:PORT [--join HOST:PORT]... [--config FILE] [--log-level LEVEL]
//   [--secret-file FILE] [--heartbeat-ms MS] [--threshold K] [--quorum majority]
// The config file is a JSON object with the same names (state_dir or state-dir, node,
// cluster_name, listen, api_listen, join as an array of strings, log_level); a relative
// state_dir in it is relative to the file's directory. Errors are usage errors (exit 2)
// and name the option or key: "--config '/x/c.json': unknown key 'nodes'".
[[nodiscard]] result<clussvc_options> parse_clussvc_options(int argc, const char* const* argv);

// The JSON config file's part on its own (for tests and parse_clussvc_options): every key
// that the object sets, as the option values it stands for. `base_dir` resolves a relative
// state_dir. Errors name the key.
struct clussvc_config_values {
  std::optional<std::filesystem::path> state_dir;
  std::optional<std::string> node;
  std::optional<std::string> cluster_name;
  std::optional<std::string> listen;
  std::optional<std::string> api_listen;
  std::optional<std::vector<std::string>> join;
  std::optional<std::string> log_level;
  std::optional<std::filesystem::path> secret_file;
  std::optional<std::string> heartbeat_ms;
  std::optional<std::string> threshold;
  std::optional<std::string> quorum;
};

[[nodiscard]] result<clussvc_config_values> parse_clussvc_config(
    const nlohmann::json& config, const std::filesystem::path& base_dir);

// "127.0.0.1:5000", "[::1]:5000", or the tcp:/unix: forms of parse_endpoint. Errors name
// `option`.
[[nodiscard]] result<endpoint> parse_host_port(std::string_view option, std::string_view text);

// The endpoint as HOST:PORT (IPv6 hosts in brackets) for TCP, unix:PATH otherwise: what
// api.endpoint holds and what `cluster /cluster:` accepts.
std::string host_port_text(const endpoint& ep);

}  // namespace wolfpack::runtime
