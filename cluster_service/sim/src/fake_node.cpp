#include "wolfpack/sim/fake_node.hpp"

#include <algorithm>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "wolfpack/common/json_member.hpp"
#include "wolfpack/common/json_object_builder.hpp"

namespace wolfpack::cluster::sim {

namespace {

constexpr std::uint32_t error_success = 0;
constexpr std::uint32_t error_gen_failure = 31;
constexpr std::uint32_t error_io_pending = 997;
constexpr std::uint32_t error_invalid_state = 5023;
constexpr std::uint32_t error_resource_not_online = 5004;
constexpr std::uint32_t error_resource_not_found = 5007;
constexpr std::uint32_t error_resmon_create_failed = 5017;
constexpr std::uint32_t error_cluster_node_not_ready = 5072;
constexpr std::uint32_t error_timeout = 1460;

// quorum_manager::monitor_id: the unleased monitor that runs the witness.
constexpr const char* quorum_monitor = "quorum";

template <typename>
inline constexpr bool always_false = false;

core_config config_of(const fake_node_options& o) {
  core_config c;
  c.node_name = o.node_name;
  c.cluster_name = o.cluster_name;
  c.random_seed = o.seed;
  c.default_types = {{"Dummy", "/fake/wp_dummy.so", "Dummy"}};
  if (o.witness != nullptr && !o.witness_type.empty())
    c.default_types.push_back({o.witness_type, "/fake/wp_witness.so", o.witness_type});
  c.peer_address = o.peer_address;
  // The simulated nodes' addresses are names ("n1"): each gets an interface on one subnet.
  if (!o.peer_address.empty())
    c.peer_nic = {"10.0.0." + std::to_string(o.process.first), "", "", "eth0"};
  c.join = o.join;
  c.heartbeat_ms = o.heartbeat_ms;
  c.threshold = o.threshold;
  c.lease_margin_ms = o.lease_margin_ms;
  c.breaks = o.breaks;
  c.promised_epoch = o.promised_epoch;
  c.events = o.keep_history;  // events() keeps none otherwise
  return c;
}

}  // namespace

std::uint32_t api_result::error_code() const {
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object())
    return 0;
  return body["error"].value("code", std::uint32_t{0});
}

fake_node::fake_node(fake_node_options options)
    : core_(std::make_unique<node_core>(config_of(options), options.tree, options.seq)),
      now_(options.start_time),
      multi_node_(!options.peer_address.empty()),
      keep_history_(options.keep_history),
      strict_frames_(options.strict_frames),
      unreadable_is_error_(options.unreadable_is_error),
      store_delay_ms_(options.store_delay_ms),
      stored_tree_(std::move(options.tree)),
      stored_seq_(options.seq),
      stored_promise_(options.promised_epoch),
      witness_(options.witness),
      witness_type_(options.witness_type),
      process_(options.process) {}

fake_node::~fake_node() = default;

// ---- driving ---------------------------------------------------------------------------------

void fake_node::deliver(input in) {
  queue_.push_back(std::move(in));
  run_until_idle();
}

void fake_node::start() {
  deliver(in_start{});
}

void fake_node::shutdown() {
  deliver(in_shutdown{});
}

void fake_node::handle_now(input in) {
  std::string restarted;
  if (const auto* exit = std::get_if<in_monitor_exit>(&in);
      exit != nullptr && restarting_.erase(exit->monitor_id) != 0)
    restarted = exit->monitor_id;
  process(core_->handle(now_, std::move(in)));
  // The host starts it again by itself once it ended, as after a crash (the backoff is not
  // modelled): after the core heard of the end, so that nothing meant for the old process
  // reaches the new one.
  if (!restarted.empty() && auto_ready_ && !monitors_[restarted].running)
    start_monitor_process(restarted);
  if (core_->view_epoch() != last_epoch_) {
    last_epoch_ = core_->view_epoch();
    if (view_hook_)
      view_hook_();
  }
}

void fake_node::run_until_idle() {
  for (int guard = 0;; ++guard) {
    if (guard > 1000000)
      throw std::logic_error("fake_node: the core does not settle (input loop)");
    if (!queue_.empty()) {
      auto in = std::move(queue_.front());
      queue_.pop_front();
      handle_now(std::move(in));
      continue;
    }
    // A monitor whose lease ran out acts before the core's timers (it is another process).
    if (expire_leases() || expire_pending() || run_witness_deadlines())
      continue;
    if (complete_due_writes())
      continue;
    // Timers that are due at this time (armed in the past, or for now).
    const auto due = due_timer();
    if (!due)
      return;
    timers_.erase(due->second);
    handle_now(in_timer{due->second});
  }
}

std::optional<std::pair<time_ms, std::uint64_t>> fake_node::due_timer() const {
  std::optional<std::pair<time_ms, std::uint64_t>> due;
  for (const auto& [id, at] : timers_) {
    if (at <= now_ && (!due || std::pair{at, id} < *due))
      due = std::pair{at, id};
  }
  return due;
}

void fake_node::advance(time_ms ms) {
  const time_ms target = now_ + ms;
  run_until_idle();
  for (;;) {
    // Idle: nothing is due now, so the next timer or lease deadline lies ahead. All timers
    // due at one time fire in (time, id) order by run_until_idle().
    auto next = next_timer();
    for (const auto other :
         {next_monitor_deadline(), next_store_completion(), next_witness_deadline()}) {
      if (other && (!next || *other < *next))
        next = other;
    }
    if (!next || *next > target)
      break;
    now_ = std::max(now_, *next);
    run_until_idle();
  }
  now_ = target;
  run_until_idle();
}

bool fake_node::fire_next_timer(time_ms limit) {
  run_until_idle();
  std::optional<std::pair<time_ms, std::uint64_t>> next;
  for (const auto& [id, at] : timers_) {
    if (!next || std::pair{at, id} < *next)
      next = std::pair{at, id};
  }
  if (!next || next->first > now_ + limit)
    return false;
  if (next->first > now_)
    now_ = next->first;
  timers_.erase(next->second);
  handle_now(in_timer{next->second});
  run_until_idle();
  return true;
}

// ---- driven from outside -----------------------------------------------------------------------

void fake_node::set_clock(time_ms now) {
  if (now < now_) {
    throw std::logic_error("fake_node: the clock goes back from " + std::to_string(now_) + " to " +
                           std::to_string(now));
  }
  now_ = now;
}

bool fake_node::idle() const {
  if (!queue_.empty() || due_timer())
    return false;
  if (!writing_.empty() && writing_.front().first <= now_)
    return false;
  if (const auto w = next_witness_deadline(); w && *w <= now_)
    return false;
  return std::none_of(monitors_.begin(), monitors_.end(), [this](const auto& m) {
    return lease_due(m.second) || pending_due(m.second);
  });
}

std::optional<time_ms> fake_node::next_timer() const {
  std::optional<time_ms> next;
  for (const auto& [id, at] : timers_) {
    if (!next || at < *next)
      next = at;
  }
  return next;
}

std::optional<time_ms> fake_node::next_lease_deadline() const {
  std::optional<time_ms> next;
  for (const auto& [id, m] : monitors_) {
    if (m.running && m.lease_deadline && !m.fenced && (!next || *m.lease_deadline < *next))
      next = m.lease_deadline;
  }
  return next;
}

std::optional<time_ms> fake_node::next_monitor_deadline() const {
  auto next = next_lease_deadline();
  for (const auto& [id, m] : monitors_) {
    if (!m.running || !m.maybe_pending)
      continue;
    for (const auto& [name, r] : m.resources) {
      if (r.pending_until && (!next || *r.pending_until < *next))
        next = r.pending_until;
    }
  }
  return next;
}

std::optional<time_ms> fake_node::next_store_completion() const {
  if (writing_.empty())
    return std::nullopt;
  return writing_.front().first;
}

bool fake_node::run_monitor_deadlines() {
  const bool leases = expire_leases();
  const bool pending = expire_pending();
  return leases || pending;
}

bool fake_node::pending_due(const fake_monitor& m) const {
  if (!m.running || !m.maybe_pending)
    return false;
  bool any = false;
  for (const auto& [name, r] : m.resources) {
    if (!r.pending_until)
      continue;
    any = true;
    if (*r.pending_until <= now_)
      return true;
  }
  m.maybe_pending = any;
  return false;
}

bool fake_node::expire_pending() {
  bool any = false;
  for (auto& [id, m] : monitors_) {
    if (!m.running || !m.maybe_pending || !pending_due(m))
      continue;
    for (auto& [name, r] : m.resources) {
      if (!r.pending_until || *r.pending_until > now_)
        continue;
      // As resrcmon's pending timer: the operation is reported timed out, then the resource
      // fails and is terminated.
      emit_frame(id, {{"type", "operation"},
                      {"resource", name},
                      {"entry", "Online"},
                      {"exec", "timed_out"},
                      {"status", error_timeout},
                      {"pending_timeout_ms", r.pending_timeout_ms}});
      record_call(id, name, "terminate", "pending_timeout");
      state_frame(id, name, "Failed", 4,
                  "PendingTimeout of " + std::to_string(r.pending_timeout_ms) +
                      " ms expired while OnlinePending; terminated");
      any = true;
    }
  }
  return any;
}

bool fake_node::complete_due_writes() {
  bool any = false;
  while (!writing_.empty() && writing_.front().first <= now_) {
    acknowledge_write(writing_.front().second);
    writing_.pop_front();
    any = true;
  }
  return any;
}

bool fake_node::lease_due(const fake_monitor& m) const {
  return m.running && m.lease_deadline && !m.fenced && now_ >= *m.lease_deadline;
}

bool fake_node::expire_leases() {
  bool any = false;
  for (auto& [id, m] : monitors_) {
    if (lease_due(m)) {
      fence(id);
      any = true;
    }
  }
  return any;
}

void fake_node::end_process(const std::string& cause, bool machine) {
  for (auto& [name, w] : witness_resources_)
    w->process_gone(!machine, now_);
  witness_resources_.clear();
  // The monitors see their parent go (or are shut down): every resource that is not offline
  // is terminated at once (docs/monitor-protocol.md, "parent loss").
  for (auto& [id, m] : monitors_) {
    if (!m.running)
      continue;
    for (const auto& [name, r] : m.resources) {
      if (r.state != "Offline" && r.state != "Failed")
        record_call(id, name, "terminate", cause);
    }
    m = fake_monitor{};
  }
  queue_.clear();
  held_.clear();
  restarting_.clear();
  timers_.clear();
  held_db_.clear();  // not durable: lost with the process
  writing_.clear();
}

void fake_node::renew_leases(time_ms until) {
  for (auto& [id, m] : monitors_) {
    if (m.running && m.ready && m.leased)
      renew_lease(id, until);
  }
}

void fake_node::renew_lease(const std::string& monitor_id, time_ms until) {
  auto& m = monitors_[monitor_id];
  // A renewal after the deadline does not undo what the expiry did (resrcmon fences first).
  if (lease_due(m))
    fence(monitor_id);
  if (until <= now_)
    return;  // arrived too late: it renews nothing
  m.lease_deadline = until;
  m.fenced = false;
}

std::optional<time_ms> fake_node::lease_deadline(const std::string& monitor_id) const {
  auto it = monitors_.find(monitor_id);
  return it == monitors_.end() ? std::nullopt : it->second.lease_deadline;
}

bool fake_node::lease_expired(const std::string& monitor_id) const {
  auto it = monitors_.find(monitor_id);
  return it != monitors_.end() && (it->second.fenced || lease_due(it->second));
}

void fake_node::fence(const std::string& monitor_id) {
  auto& m = monitors_[monitor_id];
  if (m.fenced)
    return;
  m.fenced = true;
  // As resrcmon's fence(): lease_expired first, then every resource that is (becoming)
  // online is terminated and reported Failed; pending calls are dropped.
  emit_frame(monitor_id, {{"type", "lease_expired"}, {"resources", m.resources.size()}});
  for (auto& [name, r] : m.resources) {
    if (r.state == "Online" || r.state == "OnlinePending" || r.state == "OfflinePending") {
      record_call(monitor_id, name, "terminate", "lease");
      state_frame(monitor_id, name, "Failed", 4, "the monitor's lease ran out; terminated");
    }
  }
}

void fake_node::record_call(const std::string& monitor_id, const std::string& resource,
                            const std::string& type, const std::string& cause, bool ran) {
  calls_.push_back(monitor_call{now_, monitor_id, resource, type, cause, ran});
  if (call_hook_)
    call_hook_(calls_.back());
}

// ---- the fake store
// ------------------------------------------------------------------------------

void fake_node::on_write_db(const out_write_db& write) {
  const auto& update = write.update;
  const auto seq = update.seq;
  if (!multi_node_ && !write.replace && !db_writes_.empty() && seq != db_writes_.back().seq + 1) {
    throw std::logic_error("fake_node: database update " + std::to_string(seq) + " follows " +
                           std::to_string(db_writes_.back().seq));
  }
  if (write.replace)
    db_replacements_.push_back(seq);
  else
    db_writes_.push_back(update);
  if (fail_db_) {
    queue_.push_back(in_db_written{seq, false, *fail_db_});
    fail_db_.reset();
  } else if (hold_db_ || !held_db_.empty()) {
    held_db_.push_back(write);
  } else if (store_delay_ms_ > 0 || !writing_.empty()) {
    // In seq order: a write is never durable before the one issued ahead of it.
    auto at = now_ + store_delay_ms_;
    if (!writing_.empty())
      at = std::max(at, writing_.back().first);
    writing_.emplace_back(at, write);
  } else {
    acknowledge_write(write);
  }
}

void fake_node::acknowledge_write(const out_write_db& write) {
  const auto& update = write.update;
  if (write.replace) {
    // sqlite_store::replace_all: any seq.
    stored_tree_ = *write.replace;
    stored_seq_ = update.seq;
    queue_.push_back(in_db_written{update.seq, true, {}});
    return;
  }
  std::string error;
  if (multi_node_ && update.seq <= stored_seq_) {
    error = "update " + std::to_string(update.seq) + " does not follow the stored seq " +
            std::to_string(stored_seq_);
  } else if (auto s = update.apply(stored_tree_); !s) {
    error = "update " + std::to_string(update.seq) + ": " + s.error();
  }
  if (!error.empty()) {
    store_errors_.push_back(error);
    queue_.push_back(in_db_written{update.seq, false, "fake store: " + error});
    return;
  }
  stored_seq_ = update.seq;
  queue_.push_back(in_db_written{update.seq, true, {}});
}

void fake_node::process(std::vector<output> outputs) {
  for (auto& o : outputs) {
    std::visit(
        [this](auto& out) {
          using T = std::decay_t<decltype(out)>;
          if constexpr (std::is_same_v<T, out_ensure_monitor>) {
            ensured_.push_back(out.monitor_id);
            auto& m = monitors_[out.monitor_id];
            if (!m.running)
              m.leased = out.leased;  // kept by ready_monitor() and kill_monitor()
            if (!m.running && auto_ready_)
              start_monitor_process(out.monitor_id);
          } else if constexpr (std::is_same_v<T, out_stop_monitor>) {
            stopped_.push_back(out.monitor_id);
            restarting_.erase(out.monitor_id);  // stopped for good: the host starts it no more
            if (out.monitor_id == quorum_monitor)
              witness_resources_.clear();
            monitors_[out.monitor_id] = fake_monitor{};
          } else if constexpr (std::is_same_v<T, out_restart_monitor>) {
            restart_monitor(out.monitor_id, out.reason);
          } else if constexpr (std::is_same_v<T, out_send_monitor>) {
            on_send(out.monitor_id, out.command);
          } else if constexpr (std::is_same_v<T, out_arm_timer>) {
            timers_[out.timer_id] = out.at;
          } else if constexpr (std::is_same_v<T, out_cancel_timer>) {
            timers_.erase(out.timer_id);
          } else if constexpr (std::is_same_v<T, out_write_db>) {
            on_write_db(out);
          } else if constexpr (std::is_same_v<T, out_respond>) {
            if (responses_.contains(out.request_id)) {
              throw std::logic_error("fake_node: request " + std::to_string(out.request_id) +
                                     " answered twice");
            }
            responses_[out.request_id] = api_result{out.status, std::move(out.body)};
          } else if constexpr (std::is_same_v<T, out_event>) {
            if (keep_history_)
              events_.push_back(std::move(out.event));
          } else if constexpr (std::is_same_v<T, out_log>) {
            // The core drops a frame it could not read rather than end the process; every
            // frame of the simulation is one a node sent, so that is a bug of the core.
            if ((unreadable_is_error_ && out.fields.contains("unreadable")) ||
                (strict_frames_ && out.fields.contains("dropped")))
              throw std::logic_error("fake_node: " + out.message);
            logs_.push_back(std::move(out));
          } else if constexpr (std::is_same_v<T, out_exit>) {
            if (!exit_)
              exit_ = out;
          } else if constexpr (std::is_same_v<T, out_peers>) {
            peers_ = out;
            if (peer_hook_)
              peer_hook_(out);
          } else if constexpr (std::is_same_v<T, out_send_peer> ||
                               std::is_same_v<T, out_heartbeat>) {
            // Moved on: a frame can be a whole database, and nothing here reads it again.
            if (peer_hook_)
              peer_hook_(std::move(out));
          } else if constexpr (std::is_same_v<T, out_renew_lease>) {
            renew_leases(out.until);
          } else if constexpr (std::is_same_v<T, out_keep_promise>) {
            stored_promise_ = std::max(stored_promise_, out.epoch);
          } else {
            static_assert(always_false<T>, "fake_node: an output kind is not handled");
          }
        },
        o);
  }
}

// ---- the API ---------------------------------------------------------------------------------

std::uint64_t fake_node::api_async(const std::string& method, const std::string& path,
                                   nlohmann::json body) {
  in_api_request req;
  req.id = next_request_++;
  req.method = method;
  req.body = std::move(body);
  std::string p = path;
  if (const auto q = p.find('?'); q != std::string::npos) {
    std::string query = p.substr(q + 1);
    p.resize(q);
    std::size_t start = 0;
    while (start <= query.size()) {
      auto end = query.find('&', start);
      if (end == std::string::npos)
        end = query.size();
      const auto part = query.substr(start, end - start);
      if (!part.empty()) {
        const auto eq = part.find('=');
        if (eq == std::string::npos)
          req.query[part] = "";
        else
          req.query[part.substr(0, eq)] = part.substr(eq + 1);
      }
      start = end + 1;
    }
  }
  std::size_t start = 0;
  while (start <= p.size()) {
    auto end = p.find('/', start);
    if (end == std::string::npos)
      end = p.size();
    if (end > start)
      req.path.push_back(p.substr(start, end - start));
    start = end + 1;
  }
  queue_.push_back(std::move(req));
  return next_request_ - 1;
}

api_result fake_node::api(const std::string& method, const std::string& path, nlohmann::json body) {
  const auto id = api_async(method, path, std::move(body));
  run_until_idle();
  auto r = response(id);
  return r ? *r : api_result{};
}

std::optional<api_result> fake_node::response(std::uint64_t request_id) const {
  if (const auto* r = find_response(request_id))
    return *r;
  return std::nullopt;
}

const api_result* fake_node::find_response(std::uint64_t request_id) const {
  auto it = responses_.find(request_id);
  return it == responses_.end() ? nullptr : &it->second;
}

// ---- what came out ---------------------------------------------------------------------------

const std::string& fake_node::database_hash() const {
  if (!hash_memo_ || hash_memo_->writes != db_writes_.size() ||
      hash_memo_->replacements != db_replacements_.size())
    hash_memo_ = hash_memo{db_writes_.size(), db_replacements_.size(), core_->database().hash()};
  return hash_memo_->hash;
}

std::vector<nlohmann::json> fake_node::events_of(const std::string& kind,
                                                 const std::string& name) const {
  std::vector<nlohmann::json> out;
  for (const auto& e : events_) {
    if (e.value("kind", "") == kind && (name.empty() || e.value("name", "") == name))
      out.push_back(e);
  }
  return out;
}

std::vector<std::string> fake_node::states_of(const std::string& kind,
                                              const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& e : events_of(kind, name))
    out.push_back(e.value("state", ""));
  return out;
}

bool fake_node::logged(const std::string& fragment) const {
  for (const auto& l : logs_) {
    if (l.message.find(fragment) != std::string::npos)
      return true;
  }
  return false;
}

std::vector<std::string> fake_node::command_trace(const std::set<std::string>& types,
                                                  std::size_t from) const {
  std::vector<std::string> out;
  for (std::size_t i = from; i < commands_.size(); ++i) {
    const auto& c = commands_[i];
    const auto type = c.type();
    if (!types.empty() && !types.contains(type))
      continue;
    std::string what =
        c.command.contains("resource") ? c.resource() : c.command.value("resource_type", "");
    out.push_back(what.empty() ? type : type + " " + what);
  }
  return out;
}

std::vector<sent_command> fake_node::commands_of(const std::string& type,
                                                 const std::string& resource) const {
  std::vector<sent_command> out;
  for (const auto& c : commands_) {
    if (c.type() == type && (resource.empty() || c.resource() == resource))
      out.push_back(c);
  }
  return out;
}

// ---- the fake monitors -----------------------------------------------------------------------

bool fake_node::monitor_running(const std::string& monitor_id) const {
  auto it = monitors_.find(monitor_id);
  return it != monitors_.end() && it->second.running;
}

const fake_resource* fake_node::monitor_resource(const std::string& monitor_id,
                                                 const std::string& name) const {
  auto it = monitors_.find(monitor_id);
  if (it == monitors_.end())
    return nullptr;
  auto r = it->second.resources.find(name);
  return r == it->second.resources.end() ? nullptr : &r->second;
}

const fake_resource* fake_node::find_resource(const std::string& name) const {
  const auto mid = monitor_holding(name);
  return mid.empty() ? nullptr : monitor_resource(mid, name);
}

std::vector<std::string> fake_node::resources_in_state(const std::string& state) const {
  std::vector<std::string> out;
  for (const auto& [id, m] : monitors_) {
    if (!m.running)
      continue;
    for (const auto& [name, r] : m.resources) {
      if (r.state == state)
        out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string fake_node::describe_monitors() const {
  std::string out;
  for (const auto& [id, m] : monitors_) {
    if (!m.running)
      continue;
    if (!out.empty())
      out += "; ";
    out += id;
    if (m.fenced)
      out += " [lease ran out]";
    else if (m.lease_deadline)
      out += " [lease " + std::to_string(*m.lease_deadline) + "]";
    out += ":";
    for (const auto& [name, r] : m.resources)
      out += " " + name + " " + r.state;
  }
  return out.empty() ? "none" : out;
}

void fake_node::start_monitor_process(const std::string& monitor_id) {
  auto& m = monitors_[monitor_id];
  const bool leased = m.leased;
  m = fake_monitor{};
  m.leased = leased;
  m.fenced = leased && multi_node_;  // as resrcmon --leased (a node with peers): no lease yet
  m.running = true;
  m.ready = true;
  queue_.push_back(in_monitor_ready{monitor_id});
}

void fake_node::end_monitor_process(const std::string& monitor_id, bool released) {
  if (monitor_id == quorum_monitor) {
    // One that dies gives nothing up (the reservation lapses); one that shuts down releases.
    for (auto& [name, w] : witness_resources_)
      w->process_gone(released, now_);
    witness_resources_.clear();
  }
  const bool leased = monitors_[monitor_id].leased;
  monitors_[monitor_id] = fake_monitor{};
  monitors_[monitor_id].leased = leased;
  std::erase_if(held_, [&](const held_frame& f) { return f.monitor == monitor_id; });
  // Frames it sent before it ended but the core has not read yet are lost with the socket.
  std::erase_if(queue_, [&](const input& in) {
    const auto* e = std::get_if<in_monitor_event>(&in);
    return e != nullptr && e->monitor_id == monitor_id;
  });
}

void fake_node::ready_monitor(const std::string& monitor_id) {
  start_monitor_process(monitor_id);
  run_until_idle();
}

void fake_node::kill_monitor(const std::string& monitor_id, const std::string& reason) {
  end_monitor_process(monitor_id, false);
  deliver(in_monitor_exit{monitor_id, reason});
}

void fake_node::restart_monitor(const std::string& monitor_id, const std::string& reason) {
  auto it = monitors_.find(monitor_id);
  if (it == monitors_.end() || !it->second.running)
    return;
  restarts_.push_back(monitor_id);
  // As resrcmon's shutdown: every resource that is not offline is terminated, the witness
  // given up, then the process exits and the host starts it again (handle_now).
  for (const auto& [name, r] : it->second.resources) {
    if (r.state != "Offline" && r.state != "Failed")
      record_call(monitor_id, name, "terminate", "restart");
  }
  end_monitor_process(monitor_id, true);
  restarting_.insert(monitor_id);
  queue_.push_back(in_monitor_exit{monitor_id, "restarted: " + reason + " (exited with code 0)"});
}

void fake_node::fail_online(const std::string& name, bool on) {
  if (on)
    fail_online_.insert(name);
  else
    fail_online_.erase(name);
}

void fake_node::pend_online(const std::string& name, bool on) {
  if (on)
    pend_online_.insert(name);
  else
    pend_online_.erase(name);
}

void fake_node::hang_online(const std::string& name, bool on) {
  if (on)
    hang_online_.insert(name);
  else
    hang_online_.erase(name);
}

void fake_node::fail_open(const std::string& name, bool on) {
  if (on)
    fail_open_.insert(name);
  else
    fail_open_.erase(name);
}

std::string fake_node::monitor_holding(const std::string& name) const {
  for (const auto& [id, m] : monitors_) {
    if (m.running && m.resources.contains(name))
      return id;
  }
  return {};
}

bool fake_node::inject_failure(const std::string& name, const std::string& reason) {
  const auto mid = monitor_holding(name);
  if (mid.empty())
    return false;
  auto& r = monitors_[mid].resources[name];
  if (r.state != "Online")
    return false;
  // resrcmon fails a resource by reporting Failed, then calling Terminate.
  state_frame(mid, name, "Failed", 4, reason);
  record_call(mid, name, "terminate", "failure");
  run_until_idle();
  return true;
}

void fake_node::report_state(const std::string& name, const std::string& state, int code,
                             const std::string& reason) {
  const auto mid = monitor_holding(name);
  if (mid.empty())
    throw std::logic_error("fake_node: no running monitor has resource '" + name + "'");
  state_frame(mid, name, state, code, reason);
  run_until_idle();
}

void fake_node::hold_monitor(const std::string& monitor_id, bool on) {
  if (on)
    held_monitors_.insert(monitor_id);
  else
    held_monitors_.erase(monitor_id);
}

void fake_node::hold_resource(const std::string& name, bool on) {
  if (on)
    held_resources_.insert(name);
  else
    held_resources_.erase(name);
}

void fake_node::release_held(std::size_t n) {
  if (n == 0)
    n = held_.size();
  for (std::size_t i = 0; i < n && !held_.empty(); ++i) {
    auto f = std::move(held_.front());
    held_.pop_front();
    queue_.push_back(in_monitor_event{f.monitor, std::move(f.frame)});
  }
  run_until_idle();
}

void fake_node::release_db() {
  while (!held_db_.empty()) {
    acknowledge_write(held_db_.front());
    held_db_.pop_front();
  }
  run_until_idle();
}

void fake_node::emit_frame(const std::string& monitor_id, nlohmann::json frame) {
  if (!held_monitors_.empty() || !held_resources_.empty()) {  // only some tests hold frames
    // A type's load is held by the type's name (it is about no resource).
    const std::string resource = frame.value("resource", frame.value("resource_type", ""));
    if (held_monitors_.contains(monitor_id) ||
        (!resource.empty() && held_resources_.contains(resource))) {
      held_.push_back(held_frame{monitor_id, resource, std::move(frame)});
      return;
    }
  }
  queue_.push_back(in_monitor_event{monitor_id, std::move(frame)});
}

void fake_node::state_frame(const std::string& monitor_id, const std::string& name,
                            const std::string& state, int code, const std::string& reason) {
  auto& r = monitors_[monitor_id].resources[name];
  const auto previous = r.state;
  r.state = state;
  if (state != "OnlinePending")
    r.pending_until.reset();
  // Member by member: every resource's every change of state is one of these.
  emit_frame(monitor_id, json_object_builder()
                             .add("code", code)
                             .add("previous", previous)
                             .add("reason", reason)
                             .add("resource", name)
                             .add("state", state)
                             .add("type", "state")
                             .take());
}

void fake_node::respond_frame(const std::string& monitor_id, const nlohmann::json& command, bool ok,
                              std::uint32_t status, nlohmann::json extra) {
  if (!command.contains("id"))
    return;
  auto frame = json_object_builder()
                   .add("exec", "completed")
                   .add("id", command["id"])
                   .add("ok", ok)
                   .add("status", status)
                   .add("type", "response")
                   .take();
  for (auto& [k, v] : extra.items())
    frame[k] = v;
  // The response is about the command's resource (so holding a resource holds it too).
  if (command.contains("resource") && !frame.contains("resource"))
    frame["resource"] = command["resource"];
  emit_frame(monitor_id, std::move(frame));
}

void fake_node::on_send(const std::string& monitor_id, const nlohmann::json& command) {
  auto mit = monitors_.find(monitor_id);
  const bool delivered = mit != monitors_.end() && mit->second.running && mit->second.ready;
  if (keep_history_)
    commands_.push_back(sent_command{now_, monitor_id, command, delivered});
  if (!delivered)
    return;  // the runtime drops frames for a monitor that is not ready
  auto& m = mit->second;
  const std::string type = command.value("type", "");
  const std::string name = command.value("resource", "");
  auto refused = [&](std::uint32_t code, const std::string& message) {
    respond_frame(monitor_id, command, false, code,
                  {{"exec", "refused"},
                   {"error", {{"code", code}, {"name", "refused"}, {"message", message}}}});
  };

  // The lease (resrcmon's lease_ok()/fence()): once it has run out only calls that stop a
  // resource reach the plugin until it is renewed.
  if (lease_due(m))
    fence(monitor_id);
  if (type == "renew_lease") {
    renew_lease(monitor_id, now_ + command.value("ms", std::uint32_t{0}));
    return respond_frame(monitor_id, command, true, error_success);
  }
  const bool stopping = type == "terminate" || type == "offline" || type == "close";
  const bool lease_free =
      stopping || type == "set_properties" || type == "set_trace" || type == "status" ||
      type == "shutdown" ||
      (type == "load_type" && m.types.contains(command.value("resource_type", "")));
  if (m.fenced && !lease_free) {
    if (command.contains("resource"))
      record_call(monitor_id, name, type, "command", false);
    return refused(
        error_cluster_node_not_ready,
        "the monitor's lease has run out; only terminate, offline and close are accepted");
  }

  if (type == "load_type") {
    const auto loaded = command.value("resource_type", "");
    m.types.insert(loaded);
    return respond_frame(
        monitor_id, command, true, error_success,
        {{"quorum_capable", witness_ != nullptr && !loaded.empty() && loaded == witness_type_},
         {"resource_type", loaded}});
  }
  if (auto* w = witness_resource(monitor_id, name); w != nullptr && w->command(command, now_)) {
    if (type == "close") {
      m.resources.erase(name);
      witness_resources_.erase(name);
    }
    return;
  }
  if (type == "open") {
    record_call(monitor_id, name, type);
    if (fail_open_.contains(name)) {
      return respond_frame(monitor_id, command, false, error_resmon_create_failed,
                           {{"error",
                             {{"code", error_resmon_create_failed},
                              {"name", "ERROR_RESMON_CREATE_FAILED"},
                              {"message", "Open returned NULL"}}}});
    }
    fake_resource opened;
    opened.type = command.value("resource_type", "");
    if (const auto t = command.find("timing"); t != command.end() && t->is_object())
      opened.pending_timeout_ms = t->value("pending_timeout_ms", opened.pending_timeout_ms);
    m.resources[name] = std::move(opened);
    if (monitor_id == quorum_monitor && witness_ != nullptr &&
        m.resources[name].type == witness_type_)
      open_witness(name, command);
    return respond_frame(monitor_id, command, true, error_success);
  }
  if (type == "set_properties" || type == "set_trace") {
    // As resrcmon: a new PendingTimeout applies from the next pending operation on.
    if (auto rit = m.resources.find(name); rit != m.resources.end()) {
      if (const auto t = command.find("timing"); t != command.end() && t->is_object())
        rit->second.pending_timeout_ms =
            t->value("pending_timeout_ms", rit->second.pending_timeout_ms);
    }
    return respond_frame(monitor_id, command, true, error_success);
  }
  if (type == "resource_type_control") {
    auto it = type_control_out_.find(
        {command.value("resource_type", ""), command.value("code", std::uint32_t{0})});
    const std::string out = it != type_control_out_.end() ? it->second : "";
    return respond_frame(monitor_id, command, true, error_success,
                         {{"out", out}, {"bytes_returned", out.size() / 2}});
  }

  auto rit = m.resources.find(name);
  if (rit == m.resources.end())
    return refused(error_resource_not_found, "no resource '" + name + "' in this monitor");
  auto& r = rit->second;
  // As resrcmon: a provider named in `needs` that this monitor has stopped by itself (a
  // lease that ran out) refuses the online before it reaches the plugin.
  if (type == "online" && (r.state == "Offline" || r.state == "Failed")) {
    for (const auto& needed : member_or(command, "needs", json_empty_array())) {
      const auto p =
          needed.is_string() ? m.resources.find(needed.get<std::string>()) : m.resources.end();
      if (p != m.resources.end() && p->second.state != "Online") {
        return refused(error_resource_not_online, "resource '" + name + "' depends on '" +
                                                      p->first + "', which is " + p->second.state +
                                                      " here");
      }
    }
  }
  if (type != "online" || r.state == "Offline" || r.state == "Failed")
    record_call(monitor_id, name, type);

  if (type == "close") {
    m.resources.erase(rit);
    return respond_frame(monitor_id, command, true, error_success);
  }
  if (type == "online") {
    if (r.state == "Online" || r.state == "OnlinePending")
      return respond_frame(monitor_id, command, true, error_success, {{"state", r.state}});
    if (r.state != "Offline" && r.state != "Failed")
      return refused(error_invalid_state, "resource '" + name + "' is " + r.state);
    state_frame(monitor_id, name, "OnlinePending", 129, "online requested");
    if (fail_online_.contains(name)) {
      state_frame(monitor_id, name, "Failed", 4, "Online returned 31");
      record_call(monitor_id, name, "terminate", "failure");
      return respond_frame(monitor_id, command, false, error_gen_failure);
    }
    if (pend_online_.contains(name))
      return respond_frame(monitor_id, command, true, error_io_pending);
    if (hang_online_.contains(name)) {
      r.pending_until = now_ + r.pending_timeout_ms;
      m.maybe_pending = true;
      return respond_frame(monitor_id, command, true, error_io_pending);
    }
    state_frame(monitor_id, name, "Online", 2, "Online returned 0");
    return respond_frame(monitor_id, command, true, error_success);
  }
  if (type == "offline") {
    if (m.fenced && r.state != "Offline") {
      state_frame(monitor_id, name, "Offline", 3,
                  "offline while the lease had run out: terminated");
    } else if (r.state == "Online") {
      state_frame(monitor_id, name, "OfflinePending", 130, "offline requested");
      state_frame(monitor_id, name, "Offline", 3, "Offline returned 0");
    } else if (r.state == "Failed") {
      state_frame(monitor_id, name, "Offline", 3, "offline requested after failure");
    } else if (r.state == "OnlinePending") {
      state_frame(monitor_id, name, "Offline", 3,
                  "offline requested while online was pending: terminated");
    }
    return respond_frame(monitor_id, command, true, error_success, {{"state", "Offline"}});
  }
  if (type == "terminate") {
    if (r.state != "Offline")
      state_frame(monitor_id, name, "Offline", 3, "terminated on request");
    return respond_frame(monitor_id, command, true, error_success, {{"state", "Offline"}});
  }
  if (type == "resource_control") {
    if (control_hook_) {
      if (auto answer = control_hook_(name, command.value("code", std::uint32_t{0}), command)) {
        auto frame = *answer;
        frame["type"] = "response";
        if (command.contains("id"))
          frame["id"] = command["id"];
        if (!frame.contains("resource"))
          frame["resource"] = name;
        return emit_frame(monitor_id, std::move(frame));
      }
    }
    return respond_frame(monitor_id, command, true, error_success,
                         {{"out", ""}, {"bytes_returned", 0}});
  }
  respond_frame(monitor_id, command, true, error_success);
}

// ---- the witness in the quorum monitor ---------------------------------------------------------

fake_witness_resource* fake_node::witness_resource(const std::string& monitor_id,
                                                   const std::string& name) {
  if (monitor_id != quorum_monitor)
    return nullptr;
  auto it = witness_resources_.find(name);
  return it == witness_resources_.end() ? nullptr : it->second.get();
}

void fake_node::open_witness(const std::string& name, const nlohmann::json& command) {
  std::uint32_t looks_alive_ms = 5000;
  if (const auto t = command.find("timing"); t != command.end() && t->is_object())
    looks_alive_ms = t->value("looks_alive_ms", looks_alive_ms);
  fake_witness_resource::host h;
  h.respond = [this, name](const nlohmann::json& c, bool ok, std::uint32_t status,
                           nlohmann::json extra) {
    respond_frame(quorum_monitor, c, ok, status, std::move(extra));
  };
  h.state = [this, name](const std::string& state, int code, const std::string& reason) {
    state_frame(quorum_monitor, name, state, code, reason);
  };
  h.current_state = [this, name] {
    const auto* r = monitor_resource(quorum_monitor, name);
    return r == nullptr ? std::string() : r->state;
  };
  h.emit = [this](nlohmann::json frame) { emit_frame(quorum_monitor, std::move(frame)); };
  h.call = [this, name](const std::string& type, const std::string& cause) {
    record_call(quorum_monitor, name, type, cause);
  };
  witness_resources_[name] =
      std::make_unique<fake_witness_resource>(*witness_, process_, name, looks_alive_ms, h);
}

std::optional<time_ms> fake_node::next_witness_deadline() const {
  std::optional<time_ms> next;
  for (const auto& [name, w] : witness_resources_) {
    const auto t = w->next_deadline();
    if (t && (!next || *t < *next))
      next = t;
  }
  return next;
}

bool fake_node::run_witness_deadlines() {
  const auto next = next_witness_deadline();
  if (!next || *next > now_)
    return false;
  bool any = false;
  // A deadline may close nothing but the map may not change here: only commands close.
  for (auto& [name, w] : witness_resources_)
    any = w->run_deadlines(now_) || any;
  return any;
}

}  // namespace wolfpack::cluster::sim
