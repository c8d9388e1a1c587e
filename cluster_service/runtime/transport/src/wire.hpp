#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_transport/peer_transport.hpp"
#include "wolfpack/common/platform/crypto.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster_transport {

// The messages between nodes (docs/internals/multinode.md, "Transport and authentication").
// Every MAC is HMAC-SHA256 under the cluster secret over the canonical bytes of the fields it
// covers: the compact JSON array [tag, field...]. The tag keeps one message kind from
// passing for another, and the array keeps field boundaries unambiguous (a '|' inside a
// cluster name cannot shift them).

// JSON text as it goes on the wire: invalid UTF-8 is replaced rather than thrown on, the same
// way encode_frame treats it, so that both ends hash the same text.
std::string dump_compact(const nlohmann::json& value);

// Fresh per connection: the dialler's in hello, the acceptor's in welcome. Every peer frame's
// MAC covers both, so a frame recorded on one connection is worthless on any other.
struct session_nonces {
  std::string nonce_a;
  std::string nonce_d;
};

struct hello {
  std::string cluster;
  std::uint32_t node = 0;
  std::uint32_t version = 0;
  std::string nonce_d;
  // The cluster's earlier names (SetClusterName): an acceptor that has not applied the
  // rename, or was started with an old name, knows the cluster by one of them.
  std::vector<std::string> aka = {};
  // The sender's heartbeat period and threshold (transport_config); 0 when not given.
  std::uint32_t heartbeat_ms = 0;
  std::uint32_t threshold = 0;
};

struct refusal {
  std::uint32_t code = 0;
  std::string message;
};

nlohmann::json make_hello(const hello& h, std::string_view secret);

// The names frames of this cluster may carry: the current one first, then earlier ones.
using cluster_names = std::vector<std::string>;
cluster_names names_of(const transport_config& config);
// `name` is one of them, ignoring case (as MSCS compares names).
bool names_cluster(const cluster_names& names, std::string_view name);
// A peer calling its cluster `name`, which was also called `aka`, is in this one: the two
// share a name. Either side may have applied a rename the other has not, or have been
// started with a name the cluster had.
bool names_cluster(const cluster_names& names, std::string_view name,
                   const std::vector<std::string>& aka);

// The acceptor's checks, in the order that tells the dialler most: shape, cluster name (5893
// ERROR_CLUSTER_INSTANCE_ID_MISMATCH), version (5075 ERROR_CLUSTER_INCOMPATIBLE_VERSIONS),
// then the MAC (ERROR_ACCESS_DENIED, "authentication failed"). The MAC comes last because a
// node of another cluster or version may well hold another secret, and "wrong cluster" is
// the answer that helps its operator.
// `heartbeat_ms` and `threshold` are this node's; a hello that gives others is refused with
// 5075 too (an incompatible configuration).
std::variant<hello, refusal> check_hello(const nlohmann::json& message,
                                         const cluster_names& cluster, std::uint32_t version,
                                         std::string_view secret, std::uint32_t heartbeat_ms = 0,
                                         std::uint32_t threshold = 0);

// The welcome names no node: a joining node dials its sponsors by address alone, before it
// knows their ids. `cluster` is the name the hello carried.
nlohmann::json make_welcome(std::string_view cluster, const session_nonces& nonces,
                            std::string_view secret);
// nonce_a of a welcome whose MAC proves the acceptor holds the secret and answers our hello.
result<std::string> check_welcome(const nlohmann::json& message, std::string_view cluster,
                                  std::string_view nonce_d, std::string_view secret);

nlohmann::json make_refused(const refusal& r);
// A refusal carries no MAC (the acceptor cannot trust us yet), so it is read leniently.
refusal read_refused(const nlohmann::json& message);

// A peer frame is a binary frame (frame.hpp), not JSON: the tag 'P', the counter (8 bytes,
// big-endian), the MAC (32 bytes), then the body, the frame dumped with dump_compact. The MAC
// is HMAC-SHA256 under the cluster secret (`key`) over "wolfpack peer frame", nonce_a and
// nonce_d, each followed by a 0x00, then the counter's 8 bytes and the body. Binary because
// every global update travels in one: as a JSON string its body was escaped on the way out and
// unescaped on the way in, and its MAC field was hex.
inline constexpr std::size_t peer_frame_header_bytes = 1 + 8 + 32;
std::string make_peer_frame(platform::hmac_sha256_key& key, const session_nonces& nonces,
                            std::uint64_t ctr, std::string_view body);
// The frame's body, parsed, when the MAC is right, ctr is `expected_ctr` and the body is a
// JSON object; else why not.
result<nlohmann::json> open_peer_frame(platform::hmac_sha256_key& key, std::string_view data,
                                       const session_nonces& nonces, std::uint64_t expected_ctr);

// Frames after this one on the connection come from `node`: a joining node's temporary id
// has become its real one. Counted and authenticated like a frame, so it keeps its place
// among them.
nlohmann::json make_rename(const session_nonces& nonces, std::uint64_t ctr, std::uint32_t node,
                           std::string_view secret);
// The new node id when the MAC and counter are right; else why not.
result<std::uint32_t> open_rename(const nlohmann::json& message, const session_nonces& nonces,
                                  std::uint64_t expected_ctr, std::string_view secret);

// `to` is covered too, so a datagram captured on its way to one node is refused by another.
struct heartbeat {
  std::string cluster;
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  std::uint64_t inc = 0;  // the sender's incarnation, random per start
  std::uint64_t seq = 0;  // grows by one per datagram the sender sends
  nlohmann::json body;
  std::vector<std::string> aka = {};  // as hello::aka
};

std::string make_heartbeat(const heartbeat& hb, std::string_view secret);
// Parses and authenticates one datagram addressed to `self` in `cluster`. Replays are the
// receiver's to detect: this only proves who sent it.
result<heartbeat> open_heartbeat(std::string_view datagram, const cluster_names& cluster,
                                 std::uint32_t self, std::string_view secret);

}  // namespace wolfpack::cluster_transport
