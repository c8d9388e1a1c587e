#pragma once

// A lab: N clussvc nodes on this machine that `wolfpack up` started, described by
// DIR/lab.json. The file is the only memory the verbs share: every verb reads it, acts, and
// writes it back, so `wolfpack node kill node2` in one shell and `wolfpack status` in
// another agree on what runs where.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <wolfpack/common/result.hpp>

namespace wolfpack::tool {

inline constexpr std::string_view default_lab_dir = "wolfpack-lab";
inline constexpr std::string_view default_lab_name = "lab";
inline constexpr std::string_view lab_file_name = "lab.json";

// What a node is asked to do to its peer traffic (PUT /lab/faults). The lab keeps the
// wanted state; `applied` is false while the node could not be told (stopped or frozen), so
// that `node start` and `node thaw` catch up.
struct node_faults {
  std::vector<std::string> block;  // peers whose traffic the node drops, both ways
  std::uint32_t delay_ms = 0;      // added to the node's outgoing peer traffic
  bool applied = true;

  bool empty() const { return block.empty() && delay_ms == 0; }
  bool operator==(const node_faults&) const = default;
};

struct lab_node {
  std::string name;  // node1..nodeN
  int pid = 0;       // the clussvc we started last; 0 once it is known to be gone
  std::filesystem::path state_dir;
  std::string api;   // HOST:PORT, empty until the node first wrote api.endpoint
  std::string peer;  // HOST:PORT, from peer.endpoint
  // Sessions of clussvcs ended by `node kill`: their monitors may outlive them for a while,
  // and `down` must leave nothing running.
  std::vector<int> stale_sessions;

  bool operator==(const lab_node&) const = default;
};

// How the nodes are started; `node start` and a second `up` reuse it.
struct lab_settings {
  std::filesystem::path clussvc;
  std::uint32_t heartbeat_ms = 1000;  // MSCS SameSubnetDelay default
  std::uint32_t threshold = 5;        // MSCS SameSubnetThreshold default
  std::string quorum;                 // empty: clussvc's default
  std::uint16_t base_port = 0;        // 0: ephemeral ports, kept across restarts
  std::string log_level = "info";

  bool operator==(const lab_settings&) const = default;
};

struct lab_state {
  std::filesystem::path dir;  // where lab.json lives (not stored in it)
  std::string name;           // cluster name and registration name
  std::filesystem::path secret_file;
  lab_settings settings;
  std::vector<lab_node> nodes;
  std::map<std::string, node_faults> faults;  // by node; absent means none

  lab_node* find_node(std::string_view name);
  const lab_node* find_node(std::string_view name) const;
  std::vector<std::string> node_names() const;
  // The node's fault set (an empty one when it has none).
  node_faults faults_of(const std::string& node) const;
  void set_faults(const std::string& node, node_faults f);

  bool operator==(const lab_state&) const = default;
};

nlohmann::json to_json(const lab_state& lab);
// `dir` is where the file was read from. Errors name the field that is wrong.
result<lab_state> lab_from_json(const nlohmann::json& j, const std::filesystem::path& dir);

// nullopt when DIR has no lab.json; a failure when it has one that cannot be read.
result<std::optional<lab_state>> read_lab(const std::filesystem::path& dir);
// Written to a temporary file and renamed, so a concurrent reader never sees half of it.
status write_lab(const lab_state& lab);

// For the verbs that need a lab: a failure saying there is none in DIR (and how to make one).
result<lab_state> load_lab(const std::filesystem::path& dir);

}  // namespace wolfpack::tool
