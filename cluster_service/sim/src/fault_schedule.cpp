#include "wolfpack/sim/fault_schedule.hpp"

#include <algorithm>
#include <utility>

namespace wolfpack::cluster::sim {

namespace {

// Chance that a step starts a fault.
constexpr double fault_chance = 0.3;

nlohmann::json numbers(const std::vector<std::size_t>& ns) {
  return nlohmann::json(ns);
}

}  // namespace

fault_schedule::fault_schedule(fake_cluster& cluster, std::set<fault_kind> kinds, sim_random random,
                               sim_trace& trace, std::vector<std::string> targets)
    : cluster_(cluster),
      kinds_(kinds.begin(), kinds.end()),
      random_(std::move(random)),
      trace_(trace),
      targets_(std::move(targets)) {
  if (cluster_.witness() == nullptr)
    std::erase(kinds_, fault_kind::storage);
}

void fault_schedule::step() {
  undo_due();
  if (kinds_.empty() || !random_.chance(fault_chance))
    return;
  start(random_.pick(kinds_));
}

void fault_schedule::undo_due() {
  const auto now = cluster_.now();
  if (evicting_)
    check_eviction();
  for (auto [node, at] : std::map(crashed_)) {
    if (at <= now)
      restart(node);
  }
  for (auto [node, at] : std::map(frozen_)) {
    if (at <= now)
      thaw(node);
  }
  for (auto [node, at] : std::map(stopped_)) {
    if (at <= now)
      start_again(node, false);
  }
  if (partitioned_until_ && *partitioned_until_ <= now)
    heal();
  for (auto [k, at] : std::map(network_until_)) {
    if (at <= now)
      calm(k);
  }
  for (auto [r, at] : std::map(hung_)) {
    if (at <= now)
      recover(r);
  }
  if (storage_until_ && *storage_until_ <= now)
    reconnect_storage();
}

void fault_schedule::heal_all() {
  for (auto [node, at] : std::map(crashed_))
    restart(node);
  for (auto [node, at] : std::map(frozen_))
    thaw(node);
  for (auto [node, at] : std::map(stopped_))
    start_again(node, true);
  if (partitioned_until_)
    heal();
  for (auto [k, at] : std::map(network_until_))
    calm(k);
  for (auto [r, at] : std::map(hung_))
    recover(r);
  if (storage_until_)
    reconnect_storage();
}

std::vector<std::size_t> fault_schedule::nodes_that_can_stop() const {
  const auto n = cluster_.size();
  const auto down = cluster_.witness() != nullptr ? n / 2 : (n - 1) / 2;
  if (crashed_.size() + frozen_.size() + stopped_.size() + evicted_.size() >= down)
    return {};
  std::vector<std::size_t> out;
  for (std::size_t i = 1; i <= n; ++i) {
    if (cluster_.running(i))
      out.push_back(i);
  }
  return out;
}

std::optional<std::size_t> fault_schedule::pick_stoppable() {
  const auto candidates = nodes_that_can_stop();
  if (candidates.empty())
    return std::nullopt;
  return random_.pick(candidates);
}

void fault_schedule::start(fault_kind k) {
  const auto now = cluster_.now();
  switch (k) {
    case fault_kind::crash: {
      const auto picked = pick_stoppable();
      if (!picked)
        return;
      const auto node = *picked;
      crashed_[node] = until(200, 6000);
      stopped_.erase(node);  // a crash during a clean stop: the crash's restart starts it
      const bool machine = cluster_.witness() != nullptr && random_.chance(0.5);
      trace_.record(
          now, "fault",
          {{"fault", "crash"}, {"node", node}, {"until", crashed_[node]}, {"machine", machine}});
      cluster_.crash(node, machine);
      break;
    }
    case fault_kind::stop: {
      const auto picked = pick_stoppable();
      if (!picked)
        return;
      const auto node = *picked;
      stopped_[node] = until(200, 6000);
      trace_.record(now, "fault", {{"fault", "stop"}, {"node", node}, {"until", stopped_[node]}});
      cluster_.shutdown(node);
      break;
    }
    case fault_kind::freeze: {
      const auto picked = pick_stoppable();
      if (!picked)
        return;
      const auto node = *picked;
      frozen_[node] = until(100, 3000);
      trace_.record(now, "fault", {{"fault", "freeze"}, {"node", node}, {"until", frozen_[node]}});
      cluster_.freeze(node);
      break;
    }
    case fault_kind::partition: {
      if (partitioned_until_)
        return;
      std::vector<std::size_t> order;
      for (std::size_t i = 1; i <= cluster_.size(); ++i)
        order.push_back(i);
      // Fisher-Yates with our generator (std::shuffle's draws are not portable).
      for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[random_.below(i)]);
      const auto cut = random_.between(1, order.size() - 1);
      std::vector<std::size_t> a(order.begin(), order.begin() + static_cast<long>(cut));
      std::vector<std::size_t> b(order.begin() + static_cast<long>(cut), order.end());
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      partitioned_until_ = until(200, 6000);
      trace_.record(now, "fault",
                    {{"fault", "partition"},
                     {"sides", {numbers(a), numbers(b)}},
                     {"until", *partitioned_until_}});
      cluster_.partition({a, b});
      break;
    }
    case fault_kind::loss:
      network_.heartbeat_loss = 0.1 * static_cast<double>(random_.between(1, 6));
      network_until_[k] = until(500, 5000);
      trace_.record(now, "fault",
                    {{"fault", "loss"},
                     {"probability", network_.heartbeat_loss},
                     {"until", network_until_[k]}});
      apply_network();
      break;
    case fault_kind::duplicate:
      network_.heartbeat_duplicate = 0.1 * static_cast<double>(random_.between(1, 5));
      network_until_[k] = until(500, 5000);
      trace_.record(now, "fault",
                    {{"fault", "duplicate"},
                     {"probability", network_.heartbeat_duplicate},
                     {"until", network_until_[k]}});
      apply_network();
      break;
    case fault_kind::delay:
      network_.jitter_ms = random_.between(2, 100);
      network_until_[k] = until(500, 5000);
      trace_.record(
          now, "fault",
          {{"fault", "delay"}, {"jitter_ms", network_.jitter_ms}, {"until", network_until_[k]}});
      apply_network();
      break;
    case fault_kind::disconnect: {
      const auto from = random_.between(1, cluster_.size());
      const auto to = random_.between(1, cluster_.size());
      if (from == to || !cluster_.alive(from))
        return;
      const bool broke = cluster_.break_connection(from, to);
      trace_.record(now, "fault",
                    {{"fault", "disconnect"}, {"from", from}, {"to", to}, {"broke", broke}});
      break;
    }
    case fault_kind::fail: {
      const auto node = random_.between(1, cluster_.size());
      if (!cluster_.running(node))
        return;
      std::vector<std::string> online;
      for (const auto& r : cluster_.node(node).resources_in_state("Online")) {
        if (std::find(targets_.begin(), targets_.end(), r) != targets_.end())
          online.push_back(r);
      }
      if (online.empty())
        return;
      const auto r = random_.pick(online);
      trace_.record(now, "fault", {{"fault", "fail"}, {"node", node}, {"resource", r}});
      cluster_.node(node).inject_failure(r, "IsAlive failed (simulated)");
      cluster_.run_until_idle();
      break;
    }
    case fault_kind::hang: {
      if (targets_.empty())
        return;
      const auto r = random_.pick(targets_);
      if (hung_.contains(r))
        return;
      hung_[r] = until(1000, 10000);
      trace_.record(now, "fault", {{"fault", "hang"}, {"resource", r}, {"until", hung_[r]}});
      for (std::size_t i = 1; i <= cluster_.size(); ++i) {
        if (cluster_.alive(i))
          cluster_.node(i).hang_online(r);
      }
      break;
    }
    case fault_kind::evict:
      if (!evicted_.empty() || evicting_ || crashed_.empty())
        return;
      evict();
      break;
    case fault_kind::timing: {
      const auto via = random_.between(1, cluster_.size());
      if (!cluster_.running(via))
        return;
      // Windows of 0.75 to 4 s: slower than the start's 0.5 s, within the liveness deadline.
      nlohmann::json props;
      if (random_.chance(0.5))
        props["SameSubnetDelay"] = 250 + 50 * random_.below(6);
      else
        props["SameSubnetThreshold"] = random_.between(3, 8);
      trace_.record(now, "fault", {{"fault", "timing"}, {"via", via}, {"properties", props}});
      cluster_.api_async(via, "PUT", "/cluster/properties", {{"properties", std::move(props)}});
      break;
    }
    case fault_kind::storage: {
      if (storage_until_)
        return;
      // Every node, or each with even odds (at least one).
      std::vector<std::size_t> cut;
      const bool all = random_.chance(0.3);
      for (std::size_t i = 1; i <= cluster_.size(); ++i) {
        if (all || random_.chance(0.5))
          cut.push_back(i);
      }
      if (cut.empty())
        cut.push_back(random_.between(1, cluster_.size()));
      storage_until_ = until(300, 6000);
      for (auto i : cut)
        cluster_.witness()->cut_off(i, *storage_until_);
      trace_.record(now, "fault",
                    {{"fault", "storage"}, {"nodes", numbers(cut)}, {"until", *storage_until_}});
      break;
    }
  }
  injected_++;
}

void fault_schedule::evict() {
  std::vector<std::size_t> down;
  for (const auto& [node, at] : crashed_)
    down.push_back(node);
  std::vector<std::size_t> via;
  for (std::size_t i = 1; i <= cluster_.size(); ++i) {
    if (cluster_.running(i))
      via.push_back(i);
  }
  if (via.empty())
    return;
  evict_request r;
  r.node = random_.pick(down);
  r.via = random_.pick(via);
  r.process = cluster_.incarnations(r.via);
  r.id = cluster_.api_async(r.via, "POST", "/nodes/" + fake_cluster::name_of(r.node) + "/evict",
                            nullptr);
  trace_.record(cluster_.now(), "fault", {{"fault", "evict"}, {"node", r.node}, {"via", r.via}});
  evicting_ = r;
}

// The eviction counts once its global update is acknowledged; a refusal (the node was not
// down yet in that view) or a lost answer lets a later step try again.
void fault_schedule::check_eviction() {
  const auto& r = *evicting_;
  if (!cluster_.alive(r.via) || cluster_.incarnations(r.via) != r.process) {
    evicting_.reset();
    return;
  }
  const auto answer = cluster_.response(r.via, r.id);
  if (!answer)
    return;
  if (answer->status == 200) {
    evicted_.insert(r.node);
    trace_.record(cluster_.now(), "evicted", {{"node", r.node}});
  }
  evicting_.reset();
}

void fault_schedule::reconnect_storage() {
  storage_until_.reset();
  trace_.record(cluster_.now(), "heal", {{"fault", "storage"}});
  cluster_.witness()->restore_all();
}

void fault_schedule::restart(std::size_t node) {
  crashed_.erase(node);
  trace_.record(cluster_.now(), "heal", {{"fault", "crash"}, {"node", node}});
  cluster_.restart(node);
}

void fault_schedule::start_again(std::size_t node, bool now) {
  if (cluster_.status(node) == fake_cluster::node_status::frozen)
    return;  // its thaw comes first
  if (cluster_.running(node)) {
    if (!now)
      return;
    trace_.record(cluster_.now(), "fault", {{"fault", "stop"}, {"node", node}, {"killed", true}});
    cluster_.crash(node, false);
  }
  stopped_.erase(node);
  trace_.record(cluster_.now(), "heal", {{"fault", "stop"}, {"node", node}});
  cluster_.restart(node);
}

void fault_schedule::thaw(std::size_t node) {
  frozen_.erase(node);
  trace_.record(cluster_.now(), "heal", {{"fault", "freeze"}, {"node", node}});
  // A frozen node may have been ended meanwhile (it cannot: nothing crashes a frozen node),
  // so it is still frozen here.
  cluster_.thaw(node);
}

void fault_schedule::heal() {
  partitioned_until_.reset();
  trace_.record(cluster_.now(), "heal", {{"fault", "partition"}});
  cluster_.heal();
}

void fault_schedule::calm(fault_kind k) {
  network_until_.erase(k);
  if (k == fault_kind::loss)
    network_.heartbeat_loss = 0;
  else if (k == fault_kind::duplicate)
    network_.heartbeat_duplicate = 0;
  else if (k == fault_kind::delay)
    network_.jitter_ms = 0;
  trace_.record(cluster_.now(), "heal", {{"fault", std::string(to_string(k))}});
  apply_network();
}

void fault_schedule::recover(const std::string& resource) {
  hung_.erase(resource);
  trace_.record(cluster_.now(), "heal", {{"fault", "hang"}, {"resource", resource}});
  for (std::size_t i = 1; i <= cluster_.size(); ++i) {
    if (cluster_.alive(i))
      cluster_.node(i).hang_online(resource, false);
  }
}

void fault_schedule::apply_network() {
  cluster_.set_network_faults(network_);
}

}  // namespace wolfpack::cluster::sim
