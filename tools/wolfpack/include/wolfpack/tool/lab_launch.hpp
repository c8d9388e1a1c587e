#pragma once

// How a lab node is started: its name, ports, the clussvc command line and the shared
// secret. Pure functions (apart from the secret and endpoint files), so the unit tests pin
// the command line the launcher and clussvc agree on.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <wolfpack/common/result.hpp>

#include "wolfpack/tool/lab.hpp"

namespace wolfpack::tool {

inline constexpr int max_lab_nodes = 64;

// "node3" for 3; node names are what clussvc, GET /nodes and lab.json use.
std::string lab_node_name(int index);
// 3 for "node3"; nullopt for anything else ("node0", "node03", "n3").
std::optional<int> lab_node_index(std::string_view name);

struct node_ports {
  std::uint16_t peer = 0;  // 0: any free port (read back from peer.endpoint)
  std::uint16_t api = 0;
  bool operator==(const node_ports&) const = default;
};

// The port of a "HOST:PORT" text; nullopt when there is none.
std::optional<std::uint16_t> port_of(std::string_view host_port);

// Node `index` (1-based) with a base port P: peer P+2(index-1), API the next one. Without a
// base port, the ports the node had before (`recorded`, HOST:PORT texts from lab.json), so
// a restarted node is found where its peers' databases remember it; 0 for a new node.
result<node_ports> ports_for(std::uint16_t base_port, int index,
                             std::string_view recorded_peer = {},
                             std::string_view recorded_api = {});

// Refuses a base port whose range for `nodes` nodes runs past 65535.
status check_base_port(std::uint16_t base_port, int nodes);

struct clussvc_launch {
  std::filesystem::path state_dir;
  std::string node;
  std::string cluster_name;
  node_ports ports;
  std::filesystem::path secret_file;
  std::uint32_t heartbeat_ms = 1000;
  std::uint32_t threshold = 5;
  std::string quorum;             // empty: not passed
  std::vector<std::string> join;  // HOST:PORT of members to join through
  std::string log_level = "info";
};

// The launch of node `node` of `lab` (ports from ports_for) joining through `join`.
result<clussvc_launch> launch_for(const lab_state& lab, const lab_node& node,
                                  std::vector<std::string> join);

// argv[1..] of clussvc:
//   --state-dir DIR --node NAME --cluster-name NAME --listen 127.0.0.1:PORT
//   --api-listen 127.0.0.1:PORT --secret-file FILE --heartbeat-ms MS --threshold K
//   [--quorum Q] [--join HOST:PORT]... --log-level LEVEL
std::vector<std::string> clussvc_arguments(const clussvc_launch& launch);

// Writes 32 random bytes as hex to `file` (this user's only: platform::create_private_file)
// unless it exists. True when written.
result<bool> ensure_secret(const std::filesystem::path& file);

// The "HOST:PORT" line of api.endpoint / peer.endpoint; nullopt while the file is absent or
// incomplete (clussvc renames it into place, but a hand-made one may be half written).
std::optional<std::string> read_endpoint_file(const std::filesystem::path& file);

}  // namespace wolfpack::tool
