#include "wolfpack/sim/fake_network.hpp"

#include <algorithm>
#include <stdexcept>
#include <type_traits>
#include <variant>

namespace wolfpack::cluster::sim {

namespace {

constexpr std::size_t trace_lines = 200;

std::string id_text(std::uint32_t id) {
  if (id >= temp_node_id_base)
    return "temp#" + std::to_string(id - temp_node_id_base);
  return std::to_string(id);
}

}  // namespace

fake_network::fake_network(std::vector<std::string> addresses, time_ms latency_ms,
                           std::uint64_t seed)
    : latency_(latency_ms), side_(addresses.size(), 0), random_(seed) {
  for (auto& a : addresses) {
    endpoint e;
    e.address = std::move(a);
    endpoints_.push_back(std::move(e));
  }
}

fake_network::endpoint& fake_network::endpoint_of(std::size_t i) {
  if (i == 0 || i > endpoints_.size())
    throw std::out_of_range("fake_network: no node " + std::to_string(i));
  return endpoints_[i - 1];
}

const fake_network::endpoint& fake_network::endpoint_of(std::size_t i) const {
  if (i == 0 || i > endpoints_.size())
    throw std::out_of_range("fake_network: no node " + std::to_string(i));
  return endpoints_[i - 1];
}

std::size_t fake_network::node_at(const std::string& address) const {
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    if (endpoints_[i].address == address)
      return i + 1;
  }
  return 0;
}

// ---- processes -----------------------------------------------------------------------------

void fake_network::process_started(std::size_t i) {
  auto& e = endpoint_of(i);
  e.alive = true;
  e.incarnation++;
  e.self = 0;
  e.book.clear();
  e.heartbeats_sent = 0;
  e.heard.clear();
  std::erase_if(links_, [i](const auto& l) { return l.first.first == i; });
}

void fake_network::process_ended(std::size_t i) {
  endpoint_of(i).alive = false;
  std::erase_if(links_, [i](const auto& l) { return l.first.first == i; });
}

// ---- partitions ----------------------------------------------------------------------------

void fake_network::partition(const std::vector<std::vector<std::size_t>>& sides) {
  // Every node alone first, then the sides.
  for (std::size_t i = 0; i < side_.size(); ++i)
    side_[i] = -static_cast<int>(i) - 1;
  for (std::size_t s = 0; s < sides.size(); ++s) {
    for (auto n : sides[s]) {
      endpoint_of(n);  // range check
      side_[n - 1] = static_cast<int>(s) + 1;
    }
  }
  note("partition");
}

void fake_network::heal() {
  std::fill(side_.begin(), side_.end(), 0);
  note("heal");
}

bool fake_network::connected(std::size_t a, std::size_t b) const {
  endpoint_of(a);
  endpoint_of(b);
  return a == b || side_[a - 1] == side_[b - 1];
}

// ---- sending -------------------------------------------------------------------------------

void fake_network::send(std::size_t from, time_ms now, output&& out) {
  now_ = std::max(now_, now);
  std::visit(
      [&](auto& o) {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, out_peers>) {
          auto& e = endpoint_of(from);
          e.self = o.self;
          e.book = o.addresses;
        } else if constexpr (std::is_same_v<T, out_send_peer>) {
          send_frame(from, now, std::move(o));
        } else if constexpr (std::is_same_v<T, out_heartbeat>) {
          send_heartbeat(from, now, std::move(o));
        }
      },
      out);
}

void fake_network::send_frame(std::size_t from, time_ms now, out_send_peer&& out) {
  stats_.frames_sent++;
  const auto& sender = endpoint_of(from);
  // Named only for the notes of a dropped frame, not for every frame sent.
  const auto who = [&] {
    return "node " + std::to_string(from) + " (" + id_text(sender.self) + ")";
  };
  auto book = sender.book.find(out.node);
  if (book == sender.book.end()) {
    stats_.dropped_no_address++;
    note(who() + " -> " + id_text(out.node) + ": no address for that id, frame " +
         out.frame->value("type", "?") + " dropped");
    return;
  }
  const std::string address = book->second;
  const std::size_t to = node_at(address);
  if (to != 0 && !connected(from, to)) {
    // A partition: the connection attempt or the frame vanishes; nothing is reported.
    stats_.dropped_partition++;
    return;
  }
  if (filter_ && to != 0 && filter_(from, to, *out.frame)) {
    stats_.dropped_filter++;
    note(who() + " -> " + id_text(out.node) + ": frame " + out.frame->value("type", "?") +
         " dropped by the test's filter");
    return;
  }
  auto& l = links_[{from, address}];
  if (to == 0 || !endpoint_of(to).alive) {
    stats_.dropped_dead++;
    l.up = false;
    link_event(from, now, address, out.node, false, "connection refused by " + address);
    return;
  }
  const auto& target = endpoint_of(to);
  if (target.self != out.node && out.node < temp_node_id_base) {
    stats_.dropped_wrong_id++;
    note(who() + " -> " + id_text(out.node) + " at " + address + ": the node there is " +
         id_text(target.self) + ", frame " + out.frame->value("type", "?") + " dropped");
    return;
  }
  if (l.up && l.incarnation != target.incarnation) {
    // The connection reached a process that is gone: the write fails.
    stats_.dropped_dead++;
    l.up = false;
    link_event(from, now, address, out.node, false, "connection to " + address + " reset");
    return;
  }
  l.node = out.node;
  if (!l.up) {
    l.up = true;
    l.incarnation = target.incarnation;
    link_event(from, now, address, out.node, true, "connected to " + address);
  }
  // A stream: whatever its own delay, a frame never overtakes an earlier one.
  const auto at = std::max(now + latency_ + extra_delay(), last_at_[{from, to}]);
  last_at_[{from, to}] = at;
  post(at, item{kind::frame,
                from,
                to,
                target.incarnation,
                {},
                0,
                0,
                in_peer_frame{sender.self, std::move(out.frame)}});
}

void fake_network::send_heartbeat(std::size_t from, time_ms now, out_heartbeat&& out) {
  const auto& sender = endpoint_of(from);
  const auto body = std::make_shared<const nlohmann::json>(std::move(out.body));
  for (const auto& [id, address] : sender.book) {
    if (id == sender.self)
      continue;
    const std::size_t to = node_at(address);
    if (to == 0 || to == from || !endpoint_of(to).alive) {
      stats_.dropped_dead++;
      continue;
    }
    const auto& target = endpoint_of(to);
    if (target.self != id && id < temp_node_id_base) {
      stats_.dropped_wrong_id++;
      continue;
    }
    if (random_.chance(faults_.heartbeat_loss)) {
      stats_.dropped_loss++;
      continue;
    }
    item it{kind::heartbeat,
            from,
            to,
            target.incarnation,
            {},
            sender.incarnation,
            ++endpoint_of(from).heartbeats_sent,
            in_heartbeat{sender.self, body}};
    const int copies = random_.chance(faults_.heartbeat_duplicate) ? 2 : 1;
    for (int c = 0; c < copies; ++c) {
      time_ms at = now + latency_;
      if (faults_.jitter_ms == 0) {
        // Without jitter, datagrams between two nodes keep their order (loopback does).
        at = std::max(at, last_at_[{from, to}]);
        last_at_[{from, to}] = at;
      } else {
        at += extra_delay();
      }
      if (c == 1)
        stats_.duplicated++;
      post(at, it);
    }
  }
}

time_ms fake_network::extra_delay() {
  return faults_.jitter_ms == 0 ? 0 : random_.below(faults_.jitter_ms + 1);
}

bool fake_network::fresh(std::size_t to, const item& it) {
  // heartbeat_socket::is_fresh: a new incarnation of the sender (not one seen retired), or a
  // higher seq of the current one.
  const auto* hb = std::get_if<in_heartbeat>(&it.in);
  auto& s = endpoint_of(to).heard[hb->from];
  if (s.incarnation == 0) {
    s.incarnation = it.from_incarnation;
    s.seq = it.heartbeat_seq;
    return true;
  }
  if (it.from_incarnation == s.incarnation) {
    if (it.heartbeat_seq <= s.seq)
      return false;
    s.seq = it.heartbeat_seq;
    return true;
  }
  if (std::find(s.retired.begin(), s.retired.end(), it.from_incarnation) != s.retired.end())
    return false;
  s.retired.push_back(s.incarnation);
  if (s.retired.size() > 8)
    s.retired.pop_front();
  s.incarnation = it.from_incarnation;
  s.seq = it.heartbeat_seq;
  return true;
}

bool fake_network::break_connection(std::size_t from, std::size_t to) {
  const auto& address = endpoint_of(to).address;
  auto l = links_.find({from, address});
  if (l == links_.end() || !l->second.up)
    return false;
  l->second.up = false;
  const auto lost = std::erase_if(queue_, [&](const auto& q) {
    return q.second.k == kind::frame && q.second.from == from && q.second.to == to;
  });
  stats_.dropped_broken += lost;
  link_event(from, now_, address, l->second.node, false,
             "connection to " + address + " reset (" + std::to_string(lost) + " frames lost)");
  return true;
}

void fake_network::link_event(std::size_t from, time_ms now, const std::string& address,
                              std::uint32_t node, bool up, const std::string& reason) {
  auto& l = links_[{from, address}];
  if (!up) {
    if (l.down_in_flight)
      return;
    l.down_in_flight = true;
  }
  note("node " + std::to_string(from) + ": link to " + id_text(node) + " " + (up ? "up" : "down") +
       " (" + reason + ")");
  post(now + latency_, item{kind::link, from, from, endpoint_of(from).incarnation, address, 0, 0,
                            in_peer_link{node, up, reason}});
}

void fake_network::post(time_ms at, item it) {
  queue_.emplace(std::pair{at, next_seq_++}, std::move(it));
}

// ---- delivering ----------------------------------------------------------------------------

std::optional<time_ms> fake_network::next_delivery() const {
  if (queue_.empty())
    return std::nullopt;
  return queue_.begin()->first.first;
}

std::vector<fake_network::delivery> fake_network::take_due(time_ms now) {
  now_ = std::max(now_, now);
  std::vector<delivery> out;
  while (!queue_.empty() && queue_.begin()->first.first <= now) {
    auto it = std::move(queue_.begin()->second);
    queue_.erase(queue_.begin());
    if (it.k == kind::link) {
      auto l = links_.find({it.from, it.link_address});
      const auto* e = std::get_if<in_peer_link>(&it.in);
      if (l != links_.end() && e != nullptr && !e->up)
        l->second.down_in_flight = false;
    }
    const auto& target = endpoint_of(it.to);
    if (!target.alive || target.incarnation != it.to_incarnation) {
      stats_.dropped_dead++;
      continue;
    }
    if (it.k != kind::link && !connected(it.from, it.to)) {
      stats_.dropped_partition++;
      continue;
    }
    if (it.k == kind::heartbeat && !fresh(it.to, it)) {
      stats_.dropped_stale++;
      continue;
    }
    switch (it.k) {
      case kind::frame:
        stats_.frames_delivered++;
        break;
      case kind::heartbeat:
        stats_.heartbeats_delivered++;
        break;
      case kind::link:
        stats_.link_events++;
        break;
    }
    out.push_back(delivery{it.to, std::move(it.in)});
  }
  return out;
}

void fake_network::note(std::string line) {
  trace_.push_back("[" + std::to_string(now_) + "] " + std::move(line));
  while (trace_.size() > trace_lines)
    trace_.pop_front();
}

}  // namespace wolfpack::cluster::sim
