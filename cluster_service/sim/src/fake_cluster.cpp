#include "wolfpack/sim/fake_cluster.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "wolfpack/sim/invariants.hpp"

namespace wolfpack::cluster::sim {

namespace {

std::vector<std::string> addresses(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 1; i <= n; ++i)
    out.push_back(fake_cluster::address_of(i));
  return out;
}

std::string join_ids(const std::vector<std::uint32_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i)
    out += (i == 0 ? "" : ",") + std::to_string(ids[i]);
  return out + "]";
}

}  // namespace

std::string to_string(fake_cluster::node_status s) {
  switch (s) {
    case fake_cluster::node_status::not_started:
      return "not started";
    case fake_cluster::node_status::running:
      return "running";
    case fake_cluster::node_status::frozen:
      return "frozen";
    case fake_cluster::node_status::crashed:
      return "crashed";
    case fake_cluster::node_status::exited:
      return "exited";
  }
  return "?";
}

fake_cluster::fake_cluster(fake_cluster_options options)
    : options_(std::move(options)),
      network_(addresses(options_.nodes), options_.latency_ms, options_.seed),
      now_(options_.start_time) {
  if (options_.witness_interval_ms > 0)
    witness_ = std::make_unique<fake_witness>(options_.witness_interval_ms);
  for (std::size_t i = 1; i <= options_.nodes; ++i) {
    member m;
    m.name = name_of(i);
    m.address = address_of(i);
    if (i != 1)
      m.join = {address_of(1)};
    members_.push_back(std::move(m));
  }
}

fake_cluster::~fake_cluster() = default;

fake_cluster::member& fake_cluster::member_of(std::size_t i) {
  if (i == 0 || i > members_.size())
    throw std::out_of_range("fake_cluster: no node " + std::to_string(i));
  return members_[i - 1];
}

const fake_cluster::member& fake_cluster::member_of(std::size_t i) const {
  if (i == 0 || i > members_.size())
    throw std::out_of_range("fake_cluster: no node " + std::to_string(i));
  return members_[i - 1];
}

// ---- processes -------------------------------------------------------------------------------

void fake_cluster::launch(std::size_t i, db_tree tree, std::uint64_t seq,
                          std::vector<std::string> join, std::uint64_t promised_epoch) {
  auto& m = member_of(i);
  fake_node_options o;
  o.node_name = m.name;
  o.cluster_name = options_.cluster_name;
  // Every process draws its own object ids.
  o.seed = options_.seed * 1000003 + i * 1009 + m.processes.size();
  o.tree = std::move(tree);
  o.seq = seq;
  o.promised_epoch = promised_epoch;
  o.start_time = now_;
  o.peer_address = m.address;
  o.join = std::move(join);
  o.heartbeat_ms = options_.heartbeat_ms;
  o.threshold = options_.threshold;
  o.lease_margin_ms = options_.lease_margin_ms;
  o.breaks = options_.breaks;
  o.store_delay_ms = options_.store_delay_ms;
  o.keep_history = options_.keep_history;
  o.strict_frames = options_.strict_frames;
  o.unreadable_is_error = options_.unreadable_is_error;
  o.witness = witness_.get();
  o.witness_type = options_.witness_type;
  o.process = {i, m.processes.size() + 1};
  auto node = std::make_unique<fake_node>(std::move(o));
  node->set_peer_hook([this, i](output&& out) { network_.send(i, now_, std::move(out)); });
  node->set_call_hook([this, i, k = m.processes.size() + 1](const monitor_call& c) {
    if (call_hook_)
      call_hook_(cluster_call{c, i, k});
  });
  node->set_view_hook([this, i, k = m.processes.size() + 1] {
    if (view_hook_)
      view_hook_(i, k);
  });
  m.processes.push_back(std::move(node));
  m.status = node_status::running;
  network_.process_started(i);
  m.processes.back()->enqueue(in_start{});
  settle();
}

void fake_cluster::start(std::size_t i) {
  auto& m = member_of(i);
  if (m.status != node_status::not_started)
    throw std::logic_error("fake_cluster: " + m.name + " was started before; restart() it");
  launch(i, db_tree{}, 0, m.join);
}

void fake_cluster::restart(std::size_t i, std::optional<std::vector<std::string>> join) {
  auto& m = member_of(i);
  if (m.status == node_status::running || m.status == node_status::frozen)
    throw std::logic_error("fake_cluster: " + m.name + " still runs; crash() it first");
  if (m.processes.empty())
    return launch(i, db_tree{}, 0, join.value_or(m.join));
  const auto& last = *m.processes.back();
  launch(i, last.stored_database(), last.stored_seq(), join.value_or(m.join),
         last.stored_promise());
}

void fake_cluster::restart_empty(std::size_t i, std::vector<std::string> join) {
  auto& m = member_of(i);
  if (m.status == node_status::running || m.status == node_status::frozen)
    throw std::logic_error("fake_cluster: " + m.name + " still runs; crash() it first");
  launch(i, db_tree{}, 0, std::move(join));
}

void fake_cluster::end(std::size_t i, node_status status, const std::string& cause, bool machine) {
  auto& m = member_of(i);
  m.status = status;
  m.processes.back()->end_process(cause, machine);
  network_.process_ended(i);
}

void fake_cluster::crash(std::size_t i, bool machine) {
  if (!alive(i))
    throw std::logic_error("fake_cluster: " + member_of(i).name + " is not running");
  end(i, node_status::crashed, machine ? "machine" : "parent_lost", machine);
  settle();
}

void fake_cluster::shutdown(std::size_t i) {
  if (!alive(i))
    throw std::logic_error("fake_cluster: " + member_of(i).name + " is not running");
  node(i).enqueue(in_shutdown{});
  settle();
}

void fake_cluster::freeze(std::size_t i) {
  if (!running(i))
    throw std::logic_error("fake_cluster: " + member_of(i).name + " is not running");
  settle();
  member_of(i).status = node_status::frozen;
}

void fake_cluster::thaw(std::size_t i) {
  auto& m = member_of(i);
  if (m.status != node_status::frozen)
    throw std::logic_error("fake_cluster: " + m.name + " is not frozen");
  m.status = node_status::running;
  m.processes.back()->set_clock(now_);
  settle();
}

fake_cluster::node_status fake_cluster::status(std::size_t i) const {
  return member_of(i).status;
}

bool fake_cluster::alive(std::size_t i) const {
  const auto s = status(i);
  return s == node_status::running || s == node_status::frozen;
}

// ---- network ---------------------------------------------------------------------------------

void fake_cluster::partition(const std::vector<std::vector<std::size_t>>& sides) {
  settle();
  network_.partition(sides);
}

void fake_cluster::heal() {
  settle();
  network_.heal();
}

bool fake_cluster::break_connection(std::size_t from, std::size_t to) {
  settle();
  const bool broke = network_.break_connection(from, to);
  settle();
  return broke;
}

// ---- time ------------------------------------------------------------------------------------

void fake_cluster::set_clocks() {
  for (auto& m : members_) {
    if (m.status == node_status::running || m.status == node_status::frozen)
      m.processes.back()->set_clock(now_);
  }
}

void fake_cluster::settle() {
  for (int guard = 0;; ++guard) {
    if (guard > 100000)
      throw std::logic_error("fake_cluster: the nodes do not settle at " + std::to_string(now_));
    bool progressed = false;
    for (auto& d : network_.take_due(now_)) {
      member_of(d.to).processes.back()->enqueue(std::move(d.in));
      progressed = true;
    }
    for (std::size_t i = 1; i <= members_.size(); ++i) {
      auto& m = members_[i - 1];
      if (m.status == node_status::running) {
        auto& n = *m.processes.back();
        if (n.idle())
          continue;
        n.run_until_idle();
        progressed = true;
        if (n.exit())
          end(i, node_status::exited, "exit");
      } else if (m.status == node_status::frozen) {
        // Its monitors are other processes: their lease and pending timers run out; the
        // frames wait.
        if (m.processes.back()->run_monitor_deadlines())
          progressed = true;
      }
    }
    if (!progressed)
      return;
  }
}

std::optional<time_ms> fake_cluster::next_event() const {
  auto next = network_.next_delivery();
  auto consider = [&next](std::optional<time_ms> t) {
    if (t && (!next || *t < *next))
      next = t;
  };
  for (const auto& m : members_) {
    if (m.status == node_status::running) {
      consider(m.processes.back()->next_timer());
      consider(m.processes.back()->next_store_completion());
      consider(m.processes.back()->next_witness_deadline());
    }
    if (m.status == node_status::running || m.status == node_status::frozen)
      consider(m.processes.back()->next_monitor_deadline());
  }
  return next;
}

void fake_cluster::run_until_idle() {
  settle();
}

void fake_cluster::advance(time_ms ms) {
  run_until([] { return false; }, ms);
}

bool fake_cluster::run_until(const std::function<bool()>& done, time_ms limit_ms) {
  const time_ms deadline = now_ + limit_ms;
  settle();
  if (done())
    return true;
  for (;;) {
    const auto next = next_event();
    if (!next || *next > deadline)
      break;
    if (*next <= now_) {
      throw std::logic_error("fake_cluster: an event at " + std::to_string(*next) +
                             " is due but nothing handles it at " + std::to_string(now_));
    }
    now_ = *next;
    set_clocks();
    settle();
    if (done())
      return true;
  }
  now_ = deadline;
  set_clocks();
  settle();
  return done();
}

// ---- the nodes -------------------------------------------------------------------------------

fake_node& fake_cluster::node(std::size_t i) {
  auto& m = member_of(i);
  if (m.processes.empty())
    throw std::logic_error("fake_cluster: " + m.name + " was never started");
  return *m.processes.back();
}

const fake_node& fake_cluster::node(std::size_t i) const {
  const auto& m = member_of(i);
  if (m.processes.empty())
    throw std::logic_error("fake_cluster: " + m.name + " was never started");
  return *m.processes.back();
}

std::size_t fake_cluster::incarnations(std::size_t i) const {
  return member_of(i).processes.size();
}

const fake_node& fake_cluster::incarnation(std::size_t i, std::size_t k) const {
  const auto& m = member_of(i);
  if (k == 0 || k > m.processes.size())
    throw std::out_of_range("fake_cluster: " + m.name + " has no process " + std::to_string(k));
  return *m.processes[k - 1];
}

// ---- the API ---------------------------------------------------------------------------------

std::uint64_t fake_cluster::api_async(std::size_t i, const std::string& method,
                                      const std::string& path, nlohmann::json body) {
  if (!alive(i))
    return 0;  // connection refused: there is no answer to wait for
  return node(i).api_async(method, path, std::move(body));
}

std::optional<api_result> fake_cluster::response(std::size_t i, std::uint64_t id) const {
  if (const auto* r = find_response(i, id))
    return *r;
  return std::nullopt;
}

const api_result* fake_cluster::find_response(std::size_t i, std::uint64_t id) const {
  if (id == 0 || member_of(i).processes.empty())
    return nullptr;
  return node(i).find_response(id);
}

api_result fake_cluster::api(std::size_t i, const std::string& method, const std::string& path,
                             nlohmann::json body) {
  const auto id = api_async(i, method, path, std::move(body));
  settle();
  auto r = response(i, id);
  return r ? *r : api_result{};
}

api_result fake_cluster::api_wait(std::size_t i, const std::string& method, const std::string& path,
                                  nlohmann::json body, time_ms limit_ms) {
  const auto id = api_async(i, method, path, std::move(body));
  if (id == 0)
    return {};
  const auto process = incarnations(i);
  run_until(
      [&] { return incarnations(i) != process || !alive(i) || find_response(i, id) != nullptr; },
      limit_ms);
  if (incarnations(i) != process)
    return {};
  auto r = response(i, id);
  return r ? *r : api_result{};
}

// ---- checks ----------------------------------------------------------------------------------

std::vector<cluster_call> fake_cluster::monitor_log() const {
  std::vector<cluster_call> out;
  for (std::size_t i = 1; i <= members_.size(); ++i) {
    const auto& m = members_[i - 1];
    for (std::size_t k = 0; k < m.processes.size(); ++k) {
      for (const auto& c : m.processes[k]->monitor_calls())
        out.push_back(cluster_call{c, i, k + 1});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const cluster_call& a, const cluster_call& b) { return a.at < b.at; });
  return out;
}

std::optional<std::string> fake_cluster::double_online() const {
  const auto log = monitor_log();
  // resource -> (node, process) -> since when it has run there
  std::map<std::string, std::map<std::pair<std::size_t, std::size_t>, time_ms>> running;
  std::size_t i = 0;
  while (i < log.size()) {
    // One millisecond at a time: its onlines first, so that a stop at the same time does not
    // excuse an overlap.
    std::size_t j = i;
    while (j < log.size() && log[j].at == log[i].at)
      ++j;
    for (std::size_t k = i; k < j; ++k) {
      const auto& c = log[k];
      if (!c.ran || c.type != "online" || c.monitor == quorum_monitor_id)
        continue;
      auto& on = running[c.resource];
      for (const auto& [where, since] : on) {
        if (where.first == c.node && where.second == c.incarnation)
          continue;
        std::ostringstream s;
        s << "resource '" << c.resource << "' brought online by node" << c.node << " (process "
          << c.incarnation << ") at " << c.at << " while node" << where.first << " (process "
          << where.second << ") had it online since " << since;
        return s.str();
      }
      on.emplace(std::pair{c.node, c.incarnation}, c.at);
    }
    for (std::size_t k = i; k < j; ++k) {
      const auto& c = log[k];
      if (c.ran && is_stop_call(c.type))
        running[c.resource].erase({c.node, c.incarnation});
    }
    i = j;
  }
  return std::nullopt;
}

std::vector<std::string> fake_cluster::store_errors() const {
  std::vector<std::string> out;
  for (const auto& m : members_) {
    for (std::size_t k = 0; k < m.processes.size(); ++k) {
      for (const auto& e : m.processes[k]->store_errors())
        out.push_back(m.name + "#" + std::to_string(k + 1) + ": " + e);
    }
  }
  return out;
}

std::string fake_cluster::describe(const std::vector<std::string>& groups) const {
  std::ostringstream s;
  s << "at " << now_ << " ms:\n";
  for (std::size_t i = 1; i <= members_.size(); ++i) {
    const auto& m = members_[i - 1];
    s << "  " << m.name << " (" << m.address << "): " << to_string(m.status);
    if (m.processes.empty()) {
      s << "\n";
      continue;
    }
    const auto& n = *m.processes.back();
    const auto& c = n.core();
    s << ", process " << m.processes.size() << ", id " << c.node_id() << ", epoch "
      << c.view_epoch() << ", members " << join_ids(c.members())
      << (c.has_quorum() ? ", quorum" : ", no quorum") << "\n    nodes:";
    for (const auto& v : c.nodes())
      s << " " << v.name << "(" << v.id << ")=" << v.state;
    s << "\n    db seq " << c.database_seq() << " hash " << c.database().hash().substr(0, 12)
      << ", stored seq " << n.stored_seq();
    for (const auto& g : groups) {
      s << "\n    group " << g << ": owner " << c.group_owner(g) << ", state " << c.group_state(g);
    }
    if (m.status != node_status::crashed && m.status != node_status::exited)
      s << "\n    monitors: " << n.describe_monitors();
    if (n.exit())
      s << "\n    exit " << n.exit()->code << ": " << n.exit()->reason;
    for (const auto& e : n.store_errors())
      s << "\n    store error: " << e;
    s << "\n";
  }
  if (witness_) {
    const auto& r = witness_->current();
    s << "  witness: ";
    if (r.holder)
      s << "held by node" << r.holder->first << "#" << r.holder->second;
    else
      s << "free";
    s << ", epoch " << r.epoch << ", renewed at " << r.renewed
      << "; record: " << (witness_->record().empty() ? "none" : witness_->record()) << "\n";
  }
  const auto& st = network_.stats();
  s << "  network: " << st.frames_delivered << " frames and " << st.heartbeats_delivered
    << " heartbeats delivered, " << st.link_events
    << " link events; dropped: " << st.dropped_partition << " partition, " << st.dropped_filter
    << " by the filter, " << st.dropped_dead << " no process, " << st.dropped_no_address
    << " no address, " << st.dropped_wrong_id << " wrong id; " << network_.in_flight()
    << " in flight\n";
  const auto& trace = network_.trace();
  const std::size_t from = trace.size() > 20 ? trace.size() - 20 : 0;
  for (std::size_t k = from; k < trace.size(); ++k)
    s << "    " << trace[k] << "\n";
  return s.str();
}

}  // namespace wolfpack::cluster::sim
