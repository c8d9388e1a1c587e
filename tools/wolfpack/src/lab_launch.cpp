// How a lab node is started: see lab_launch.hpp.

#include "wolfpack/tool/lab_launch.hpp"

#include <array>
#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>

#include "wolfpack/common/hex.hpp"
#include "wolfpack/common/platform/crypto.hpp"
#include "wolfpack/common/platform/files.hpp"

namespace wolfpack::tool {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view loopback = "127.0.0.1";

std::string address(std::uint16_t port) {
  return std::string(loopback) + ":" + std::to_string(port);
}

}  // namespace

std::string lab_node_name(int index) {
  return "node" + std::to_string(index);
}

std::optional<int> lab_node_index(std::string_view name) {
  if (!name.starts_with("node"))
    return std::nullopt;
  const auto digits = name.substr(4);
  if (digits.empty() || digits.front() == '0')
    return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size())
    return std::nullopt;
  return value;
}

std::optional<std::uint16_t> port_of(std::string_view host_port) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string_view::npos)
    return std::nullopt;
  const auto digits = host_port.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || value > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

status check_base_port(std::uint16_t base_port, int nodes) {
  if (base_port == 0)
    return {};
  const long last = static_cast<long>(base_port) + 2L * nodes - 1;
  if (last > 65535) {
    return fail("--base-port " + std::to_string(base_port) + " leaves no room for " +
                std::to_string(nodes) + " nodes (two ports each, up to " + std::to_string(last) +
                "; the last port is 65535)");
  }
  return {};
}

result<node_ports> ports_for(std::uint16_t base_port, int index, std::string_view recorded_peer,
                             std::string_view recorded_api) {
  if (index < 1)
    return fail("node index " + std::to_string(index) + " is not 1 or more");
  if (base_port != 0) {
    if (auto st = check_base_port(base_port, index); !st)
      return fail(st.error());
    const int peer = base_port + 2 * (index - 1);
    return node_ports{static_cast<std::uint16_t>(peer), static_cast<std::uint16_t>(peer + 1)};
  }
  return node_ports{port_of(recorded_peer).value_or(0), port_of(recorded_api).value_or(0)};
}

result<clussvc_launch> launch_for(const lab_state& lab, const lab_node& node,
                                  std::vector<std::string> join) {
  const auto index = lab_node_index(node.name);
  if (!index)
    return fail("'" + node.name + "' is not a lab node name (node1, node2, ...)");
  auto ports = ports_for(lab.settings.base_port, *index, node.peer, node.api);
  if (!ports)
    return fail(ports.error());
  clussvc_launch l;
  l.state_dir = node.state_dir;
  l.node = node.name;
  l.cluster_name = lab.name;
  l.ports = *ports;
  l.secret_file = lab.secret_file;
  l.heartbeat_ms = lab.settings.heartbeat_ms;
  l.threshold = lab.settings.threshold;
  // A witness lives in the cluster database (`wolfpack up` configures it through the API);
  // clussvc itself only knows node majority.
  l.quorum = lab.settings.quorum == "majority" ? lab.settings.quorum : std::string();
  l.join = std::move(join);
  l.log_level = lab.settings.log_level;
  return l;
}

std::vector<std::string> clussvc_arguments(const clussvc_launch& l) {
  std::vector<std::string> args = {"--state-dir",    l.state_dir.string(),
                                   "--node",         l.node,
                                   "--cluster-name", l.cluster_name,
                                   "--listen",       address(l.ports.peer),
                                   "--api-listen",   address(l.ports.api),
                                   "--secret-file",  l.secret_file.string(),
                                   "--heartbeat-ms", std::to_string(l.heartbeat_ms),
                                   "--threshold",    std::to_string(l.threshold)};
  if (!l.quorum.empty()) {
    args.push_back("--quorum");
    args.push_back(l.quorum);
  }
  for (const auto& j : l.join) {
    args.push_back("--join");
    args.push_back(j);
  }
  args.push_back("--log-level");
  args.push_back(l.log_level);
  return args;
}

result<bool> ensure_secret(const fs::path& file) {
  std::error_code ec;
  if (fs::exists(file, ec))
    return false;
  std::array<std::uint8_t, 32> bytes{};
  platform::random_bytes(bytes);
  // Private from the start: a secret must never be readable by others.
  if (auto st = platform::create_private_file(file, hex::encode(bytes) + "\n"); !st)
    return fail(st.error());
  return true;
}

std::optional<std::string> read_endpoint_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  std::string line = text.str();
  const auto nl = line.find('\n');
  if (nl == std::string::npos)
    return std::nullopt;
  line.resize(nl);
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  if (!port_of(line))
    return std::nullopt;
  return line;
}

}  // namespace wolfpack::tool
