#include "wire.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>
#include <utility>

#include "crypto.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster_transport {
namespace {

using nlohmann::json;

// Nonces are ours (32 hex digits); the bound only keeps a hostile peer from making us hash
// megabytes per hello.
constexpr std::size_t max_nonce_chars = 128;

std::optional<std::string> get_string(const json& message, const char* key) {
  const auto it = message.find(key);
  if (it == message.end() || !it->is_string()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::uint64_t> get_u64(
    const json& message, const char* key,
    std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) {
  const auto it = message.find(key);
  if (it == message.end() || !it->is_number_unsigned()) {
    return std::nullopt;
  }
  const auto value = it->get<std::uint64_t>();
  if (value > max) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::uint32_t> get_u32(const json& message, const char* key) {
  const auto value = get_u64(message, key, std::numeric_limits<std::uint32_t>::max());
  if (!value) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(*value);
}

std::optional<std::string> get_nonce(const json& message, const char* key) {
  auto nonce = get_string(message, key);
  if (!nonce || nonce->empty() || nonce->size() > max_nonce_chars) {
    return std::nullopt;
  }
  return nonce;
}

constexpr char peer_frame_tag = 'P';

void append_be64(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

platform::sha256_digest peer_frame_mac(platform::hmac_sha256_key& key, const session_nonces& nonces,
                                       std::string_view ctr_bytes, std::string_view body) {
  using namespace std::string_view_literals;
  const auto nul = "\0"sv;
  return key.mac(
      {"wolfpack peer frame"sv, nul, nonces.nonce_a, nul, nonces.nonce_d, nul, ctr_bytes, body});
}

std::string mac_of(std::string_view secret, const json& fields) {
  return hmac_sha256_hex(secret, dump_compact(fields));
}

// The earlier names are covered only when there are some: a cluster never renamed speaks
// exactly as before.
json hello_fields(const hello& h) {
  auto fields = json::array({"hello", h.cluster, h.node, h.version, h.nonce_d});
  if (!h.aka.empty())
    fields.push_back(h.aka);
  if (h.heartbeat_ms != 0)
    fields.push_back(json::array({h.heartbeat_ms, h.threshold}));
  return fields;
}

json welcome_fields(std::string_view cluster, std::string_view nonce_d, std::string_view nonce_a) {
  return json::array({"welcome", cluster, nonce_d, nonce_a});
}

json rename_fields(const session_nonces& nonces, std::uint64_t ctr, std::uint32_t node) {
  return json::array({"rename", nonces.nonce_a, nonces.nonce_d, ctr, node});
}

status check_counter(std::uint64_t ctr, std::uint64_t expected_ctr) {
  if (ctr != expected_ctr) {
    return fail("frame counter " + std::to_string(ctr) + ", expected " +
                std::to_string(expected_ctr) + " (replayed or reordered)");
  }
  return {};
}

json heartbeat_fields(const heartbeat& hb, std::string_view body) {
  auto fields = json::array({"hb", hb.cluster, hb.from, hb.to, hb.inc, hb.seq, body});
  if (!hb.aka.empty())
    fields.push_back(hb.aka);
  return fields;
}

// "aka": absent, or an array of strings; nullopt when it is something else.
std::optional<std::vector<std::string>> get_aka(const json& message) {
  std::vector<std::string> out;
  const auto it = message.find("aka");
  if (it == message.end())
    return out;
  if (!it->is_array())
    return std::nullopt;
  for (const auto& name : *it) {
    if (!name.is_string())
      return std::nullopt;
    out.push_back(name.get<std::string>());
  }
  return out;
}

}  // namespace

std::string dump_compact(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json make_hello(const hello& h, std::string_view secret) {
  json out = {{"type", "hello"},      {"cluster", h.cluster},
              {"node", h.node},       {"version", h.version},
              {"nonce_d", h.nonce_d}, {"mac", mac_of(secret, hello_fields(h))}};
  if (!h.aka.empty())
    out["aka"] = h.aka;
  if (h.heartbeat_ms != 0)
    out["timing"] = json::array({h.heartbeat_ms, h.threshold});
  return out;
}

cluster_names names_of(const transport_config& config) {
  cluster_names names{config.cluster_name};
  names.insert(names.end(), config.earlier_cluster_names.begin(),
               config.earlier_cluster_names.end());
  return names;
}

bool names_cluster(const cluster_names& names, std::string_view name) {
  const auto same = [name](const std::string& n) {
    return std::equal(n.begin(), n.end(), name.begin(), name.end(), [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) ==
             std::tolower(static_cast<unsigned char>(b));
    });
  };
  return std::any_of(names.begin(), names.end(), same);
}

bool names_cluster(const cluster_names& names, std::string_view name,
                   const std::vector<std::string>& aka) {
  return names_cluster(names, name) || std::any_of(aka.begin(), aka.end(), [&](const auto& a) {
           return names_cluster(names, a);
         });
}

std::variant<hello, refusal> check_hello(const json& message, const cluster_names& cluster,
                                         std::uint32_t version, std::string_view secret,
                                         std::uint32_t heartbeat_ms, std::uint32_t threshold) {
  hello h;
  auto their_cluster = get_string(message, "cluster");
  auto node = get_u32(message, "node");
  auto their_version = get_u32(message, "version");
  auto nonce_d = get_nonce(message, "nonce_d");
  auto mac = get_string(message, "mac");
  auto aka = get_aka(message);
  if (get_string(message, "type") != "hello" || !their_cluster || !node || !their_version ||
      !nonce_d || !mac || !aka) {
    return refusal{ERROR_INVALID_DATA,
                   "malformed hello: expected {type:\"hello\", cluster, node, version, nonce_d, "
                   "[aka: [names]], mac}"};
  }
  if (!names_cluster(cluster, *their_cluster, *aka)) {
    return refusal{ERROR_CLUSTER_INSTANCE_ID_MISMATCH,
                   "cluster instance mismatch: node " + std::to_string(*node) +
                       " belongs to cluster '" + *their_cluster + "', this node to '" +
                       cluster.front() + "'"};
  }
  if (*their_version != version) {
    return refusal{ERROR_CLUSTER_INCOMPATIBLE_VERSIONS,
                   "incompatible versions: node " + std::to_string(*node) + " speaks protocol " +
                       std::to_string(*their_version) + ", this node " + std::to_string(version)};
  }
  h.cluster = std::move(*their_cluster);
  h.node = *node;
  h.version = *their_version;
  h.nonce_d = std::move(*nonce_d);
  h.aka = std::move(*aka);
  if (const auto timing = message.find("timing"); timing != message.end()) {
    const auto u32 = [](const json& v) {
      return v.is_number_integer() && v.get<long long>() >= 0 &&
             v.get<long long>() <= static_cast<long long>(UINT32_MAX);
    };
    if (!timing->is_array() || timing->size() != 2 || !u32((*timing)[0]) || !u32((*timing)[1])) {
      return refusal{ERROR_INVALID_DATA,
                     "malformed hello: 'timing' must be [heartbeat_ms, threshold]"};
    }
    h.heartbeat_ms = (*timing)[0].get<std::uint32_t>();
    h.threshold = (*timing)[1].get<std::uint32_t>();
  }
  if (!mac_equal(*mac, mac_of(secret, hello_fields(h)))) {
    return refusal{ERROR_ACCESS_DENIED, "authentication failed: the hello of node " +
                                            std::to_string(h.node) +
                                            " has a wrong MAC (a different cluster secret?)"};
  }
  // After the MAC: a node with the secret but started with other heartbeat settings would
  // hold its lease for another time than its peers wait (docs/semantics.md, "Fencing").
  if (heartbeat_ms != 0 && h.heartbeat_ms != 0 &&
      (h.heartbeat_ms != heartbeat_ms || h.threshold != threshold)) {
    return refusal{ERROR_CLUSTER_INCOMPATIBLE_VERSIONS,
                   "incompatible heartbeat settings: node " + std::to_string(h.node) +
                       " heartbeats every " + std::to_string(h.heartbeat_ms) +
                       " ms with threshold " + std::to_string(h.threshold) + ", this node every " +
                       std::to_string(heartbeat_ms) + " ms with threshold " +
                       std::to_string(threshold) +
                       " (--heartbeat-ms and --threshold must be the same on every node)"};
  }
  return h;
}

json make_welcome(std::string_view cluster, const session_nonces& nonces, std::string_view secret) {
  return {{"type", "welcome"},
          {"nonce_a", nonces.nonce_a},
          {"mac", mac_of(secret, welcome_fields(cluster, nonces.nonce_d, nonces.nonce_a))}};
}

result<std::string> check_welcome(const json& message, std::string_view cluster,
                                  std::string_view nonce_d, std::string_view secret) {
  auto nonce_a = get_nonce(message, "nonce_a");
  auto mac = get_string(message, "mac");
  if (!nonce_a || !mac) {
    return fail("malformed welcome: expected {type:\"welcome\", nonce_a, mac}");
  }
  if (!mac_equal(*mac, mac_of(secret, welcome_fields(cluster, nonce_d, *nonce_a)))) {
    return fail(
        "authentication failed: the welcome has a wrong MAC (the acceptor does not hold the "
        "cluster secret)");
  }
  return std::move(*nonce_a);
}

json make_refused(const refusal& r) {
  return {{"type", "refused"}, {"code", r.code}, {"message", r.message}};
}

refusal read_refused(const json& message) {
  return refusal{get_u32(message, "code").value_or(0),
                 get_string(message, "message").value_or("(no message)")};
}

std::string make_peer_frame(platform::hmac_sha256_key& key, const session_nonces& nonces,
                            std::uint64_t ctr, std::string_view body) {
  std::string out;
  out.reserve(peer_frame_header_bytes + body.size());
  out.push_back(peer_frame_tag);
  append_be64(out, ctr);
  const auto mac = peer_frame_mac(key, nonces, std::string_view(out).substr(1, 8), body);
  out.append(reinterpret_cast<const char*>(mac.data()), mac.size());
  out.append(body);
  return out;
}

result<json> open_peer_frame(platform::hmac_sha256_key& key, std::string_view data,
                             const session_nonces& nonces, std::uint64_t expected_ctr) {
  if (data.size() < peer_frame_header_bytes || data[0] != peer_frame_tag) {
    return fail("malformed frame: expected a peer frame ('P', counter, MAC, body), got " +
                std::to_string(data.size()) + " bytes");
  }
  const auto ctr_bytes = data.substr(1, 8);
  std::uint64_t ctr = 0;
  for (char c : ctr_bytes) {
    ctr = (ctr << 8) | static_cast<unsigned char>(c);
  }
  const auto mac = data.substr(9, 32);
  const auto body = data.substr(peer_frame_header_bytes);
  const auto expected = peer_frame_mac(key, nonces, ctr_bytes, body);
  if (!mac_equal(
          mac, std::string_view(reinterpret_cast<const char*>(expected.data()), expected.size()))) {
    return fail("frame " + std::to_string(ctr) + " has a wrong MAC");
  }
  if (auto in_order = check_counter(ctr, expected_ctr); !in_order) {
    return fail(in_order.error());
  }
  auto parsed = json::parse(body, nullptr, false);
  if (!parsed.is_object()) {
    return fail("frame " + std::to_string(ctr) + ": the body is not a JSON object");
  }
  return parsed;
}

json make_rename(const session_nonces& nonces, std::uint64_t ctr, std::uint32_t node,
                 std::string_view secret) {
  return {{"type", "rename"},
          {"ctr", ctr},
          {"node", node},
          {"mac", mac_of(secret, rename_fields(nonces, ctr, node))}};
}

result<std::uint32_t> open_rename(const json& message, const session_nonces& nonces,
                                  std::uint64_t expected_ctr, std::string_view secret) {
  const auto ctr = get_u64(message, "ctr");
  const auto node = get_u32(message, "node");
  const auto mac = get_string(message, "mac");
  if (get_string(message, "type") != "rename" || !ctr || !node || !mac) {
    return fail("malformed rename: expected {type:\"rename\", ctr, node, mac}");
  }
  if (!mac_equal(*mac, mac_of(secret, rename_fields(nonces, *ctr, *node)))) {
    return fail("rename " + std::to_string(*ctr) + " has a wrong MAC");
  }
  if (auto in_order = check_counter(*ctr, expected_ctr); !in_order) {
    return fail(in_order.error());
  }
  return *node;
}

std::string make_heartbeat(const heartbeat& hb, std::string_view secret) {
  const std::string body = dump_compact(hb.body);
  json out = {{"type", "hb"},    {"cluster", hb.cluster},
              {"from", hb.from}, {"to", hb.to},
              {"inc", hb.inc},   {"seq", hb.seq},
              {"body", body},    {"mac", mac_of(secret, heartbeat_fields(hb, body))}};
  if (!hb.aka.empty())
    out["aka"] = hb.aka;
  return dump_compact(out);
}

result<heartbeat> open_heartbeat(std::string_view datagram, const cluster_names& cluster,
                                 std::uint32_t self, std::string_view secret) {
  const auto message = json::parse(datagram, nullptr, false);
  if (!message.is_object()) {
    return fail("not a JSON object");
  }
  auto their_cluster = get_string(message, "cluster");
  const auto from = get_u32(message, "from");
  const auto to = get_u32(message, "to");
  const auto inc = get_u64(message, "inc");
  const auto seq = get_u64(message, "seq");
  const auto body = get_string(message, "body");
  const auto mac = get_string(message, "mac");
  auto aka = get_aka(message);
  if (get_string(message, "type") != "hb" || !their_cluster || !from || !to || !inc || !seq ||
      !body || !mac || !aka) {
    return fail("malformed heartbeat");
  }
  if (!names_cluster(cluster, *their_cluster, *aka)) {
    return fail("heartbeat of cluster '" + *their_cluster + "'");
  }
  if (*to != self) {
    return fail("heartbeat addressed to node " + std::to_string(*to));
  }
  heartbeat hb{std::move(*their_cluster), *from, *to, *inc, *seq, nullptr, std::move(*aka)};
  if (!mac_equal(*mac, mac_of(secret, heartbeat_fields(hb, *body)))) {
    return fail("heartbeat from node " + std::to_string(*from) + " has a wrong MAC");
  }
  hb.body = json::parse(*body, nullptr, false);
  if (hb.body.is_discarded()) {
    return fail("heartbeat from node " + std::to_string(*from) + ": the body is not JSON");
  }
  return hb;
}

}  // namespace wolfpack::cluster_transport
