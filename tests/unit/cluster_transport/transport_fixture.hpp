#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "wolfpack/cluster_transport/peer_transport.hpp"
#include "wolfpack/common/endpoint_io.hpp"
#include "wolfpack/common/framed_channel.hpp"

namespace wolfpack::cluster_transport::test {

using namespace std::chrono_literals;
using nlohmann::json;

inline const std::string lab_secret = "0123456789abcdef0123456789abcdef";

inline transport_config config_for(std::uint32_t node, std::string cluster = "lab",
                                   std::string secret = lab_secret) {
  transport_config config;
  config.cluster_name = std::move(cluster);
  config.node_id = node;
  config.secret = std::move(secret);
  return config;
}

// Runs `io` on this thread until `done()` holds or `timeout` passes; says whether it held.
template <typename Predicate>
bool run_until(boost::asio::io_context& io, Predicate done,
               std::chrono::milliseconds timeout = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    if (io.stopped()) {
      io.restart();
    }
    io.run_one_for(10ms);
  }
  return true;
}

// Runs `io` for `period`: long enough for anything in flight on loopback to arrive, to show
// that something did not happen.
inline void run_for(boost::asio::io_context& io, std::chrono::milliseconds period) {
  run_until(
      io, [] { return false; }, period);
}

// What one transport reported, in order.
struct recorder {
  struct link_event {
    std::uint32_t node;
    bool up;
    std::string reason;
  };
  std::vector<std::pair<std::uint32_t, json>> frames;
  std::vector<std::pair<std::uint32_t, json>> heartbeats;
  std::vector<link_event> links;
  std::vector<std::pair<std::string, std::string>> logs;  // level, message

  transport_handlers handlers() {
    transport_handlers h;
    h.on_frame = [this](std::uint32_t from, json frame) {
      frames.emplace_back(from, std::move(frame));
    };
    h.on_link = [this](std::uint32_t node, bool up, std::string reason) {
      links.push_back({node, up, std::move(reason)});
    };
    h.on_heartbeat = [this](std::uint32_t from, json body) {
      heartbeats.emplace_back(from, std::move(body));
    };
    h.on_log = [this](std::string level, std::string message, std::map<std::string, std::string>) {
      logs.emplace_back(std::move(level), std::move(message));
    };
    return h;
  }

  std::size_t downs() const {
    std::size_t n = 0;
    for (const auto& e : links) {
      n += e.up ? 0 : 1;
    }
    return n;
  }
  std::size_t ups() const { return links.size() - downs(); }
  std::optional<std::string> last_down_reason() const {
    for (auto it = links.rbegin(); it != links.rend(); ++it) {
      if (!it->up) {
        return it->reason;
      }
    }
    return std::nullopt;
  }
  bool logged(const std::string& level, const std::string& part) const {
    for (const auto& [l, message] : logs) {
      if (l == level && message.find(part) != std::string::npos) {
        return true;
      }
    }
    return false;
  }
};

// Two started transports, nodes 1 and 2, that know each other's address.
struct node_pair {
  explicit node_pair(transport_config config_a = config_for(1),
                     transport_config config_b = config_for(2)) {
    a = std::make_unique<peer_transport>(io, std::move(config_a), events_a.handlers());
    b = std::make_unique<peer_transport>(io, std::move(config_b), events_b.handlers());
    start_a = a->start();
    start_b = b->start();
    if (start_a && start_b) {
      a->set_peer(2, "127.0.0.1", b->port());
      b->set_peer(1, "127.0.0.1", a->port());
    }
  }

  // Sends one frame each way and waits for both (so both connections are up).
  bool connect_both() {
    a->send(2, {{"type", "warmup"}});
    b->send(1, {{"type", "warmup"}});
    return run_until(io,
                     [&] { return events_a.frames.size() == 1 && events_b.frames.size() == 1; });
  }

  boost::asio::io_context io;
  recorder events_a;
  recorder events_b;
  std::unique_ptr<peer_transport> a;
  std::unique_ptr<peer_transport> b;
  status start_a;
  status start_b;
};

// A hand-driven client connection, for speaking the wire protocol wrongly on purpose. What it
// receives lives in shared state, so a handler that runs after the client is gone is harmless.
struct raw_client {
  struct state {
    std::vector<json> received;
    std::optional<std::string> closed;
  };

  raw_client(boost::asio::io_context& io, std::uint16_t port) {
    auto socket = connect_to(io, endpoint::tcp("127.0.0.1", port));
    if (!socket) {
      seen->closed = socket.error();
      return;
    }
    channel = framed_channel::create(std::move(socket).value(), "raw client");
    channel->start([seen = seen](json message) { seen->received.push_back(std::move(message)); },
                   [seen = seen](const std::string& reason) { seen->closed = reason; });
  }
  ~raw_client() {
    if (channel) {
      channel->close();
    }
  }
  raw_client(const raw_client&) = delete;
  raw_client& operator=(const raw_client&) = delete;

  std::shared_ptr<state> seen = std::make_shared<state>();
  std::shared_ptr<framed_channel> channel;
};

}  // namespace wolfpack::cluster_transport::test
