#include "server_state.hpp"

#include <algorithm>
#include <vector>

#include "wolfpack/common/logging.hpp"

namespace wolfpack::api::detail {

server_state::server_state(boost::asio::io_context& io, request_handler handler,
                           server_options options)
    : io_(io), handler_(std::move(handler)), options_(options) {}

std::uint64_t server_state::add_connection(connection* c) {
  const auto id = next_connection_id_++;
  connections_.emplace(id, c);
  return id;
}

void server_state::remove_connection(std::uint64_t id) {
  connections_.erase(id);
  subscribers_.erase(id);
}

bool server_state::subscribe(std::uint64_t id, subscriber* s, std::optional<std::uint64_t> since) {
  if (since) {
    // Seqs increase along the ring, so the replay starts at the first one past *since.
    const auto first = std::partition_point(retained_.begin(), retained_.end(),
                                            [&](const auto& e) { return e.first <= *since; });
    for (auto it = first; it != retained_.end(); ++it) {
      if (!s->deliver(it->second)) {
        return false;
      }
    }
  }
  subscribers_.emplace(id, s);
  return true;
}

void server_state::unsubscribe(std::uint64_t id) {
  subscribers_.erase(id);
}

void server_state::broadcast(const nlohmann::json& event) {
  if (closed_) {
    return;
  }
  // replace: a bad UTF-8 sequence in some name must not take the event processor down.
  auto text = std::make_shared<const std::string>(
      event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));

  const auto seq_it = event.is_object() ? event.find("seq") : event.end();
  if (seq_it != event.end() && seq_it->is_number_unsigned()) {
    const auto seq = seq_it->get<std::uint64_t>();
    if (!retained_.empty() && seq <= retained_.back().first) {
      // Replay relies on increasing seqs; a repeat means the caller's numbering is broken.
      log::error("api", "event seq {} does not follow {}; not retained", seq,
                 retained_.back().first);
    } else if (options_.retained_events > 0) {
      if (retained_.size() >= options_.retained_events) {
        retained_.pop_front();
      }
      retained_.emplace_back(seq, text);
    }
  } else {
    log::error("api", "event without an unsigned integer \"seq\" is sent but not retained");
  }

  std::vector<std::pair<std::uint64_t, subscriber*>> too_slow;
  for (const auto& [id, s] : subscribers_) {
    if (!s->deliver(text)) {
      too_slow.emplace_back(id, s);
    }
  }
  for (const auto& [id, s] : too_slow) {
    subscribers_.erase(id);
    s->drop("too slow");
  }
}

void server_state::close() {
  if (closed_) {
    return;
  }
  closed_ = true;
  auto actions = std::move(on_close_);
  on_close_.clear();
  for (auto& action : actions) {
    action();
  }
  subscribers_.clear();
  retained_.clear();
  // shut_down() never destroys synchronously, but copy anyway: the map is theirs to edit.
  std::vector<connection*> open;
  open.reserve(connections_.size());
  for (const auto& [id, c] : connections_) {
    open.push_back(c);
  }
  for (auto* c : open) {
    c->shut_down();
  }
}

}  // namespace wolfpack::api::detail
