#include "membership.hpp"

#include <algorithm>
#include <memory>

#include "cluster_identity.hpp"
#include "db_schema.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/common/json_member.hpp"
#include "wolfpack/common/json_object_builder.hpp"

namespace wolfpack::cluster {

namespace {

// Joining nodes reach their sponsors under these ids until they have a real one.
constexpr std::uint32_t sponsor_id_base = 0xFFFFFF00u;

// A view's epoch is its ballot in one number, so that two coordinators that picked the same
// round can never install different members under one epoch.
constexpr unsigned coordinator_bits = 20;
std::uint64_t epoch_of(const ballot& b) {
  return (b.round << coordinator_bits) | (b.coordinator & ((1u << coordinator_bits) - 1));
}
std::uint64_t round_of(std::uint64_t epoch) {
  return epoch >> coordinator_bits;
}

nlohmann::json to_json(const ballot& b) {
  return {{"round", b.round}, {"coordinator", b.coordinator}};
}
ballot ballot_of(const nlohmann::json& j) {
  ballot b;
  if (j.is_object()) {
    b.round = j.value("round", std::uint64_t{0});
    b.coordinator = j.value("coordinator", std::uint32_t{0});
  }
  return b;
}
nlohmann::json to_json(const db_version& v) {
  return {{"epoch", v.epoch}, {"seq", v.seq}};
}
db_version version_of(const nlohmann::json& j) {
  db_version v;
  if (j.is_object()) {
    v.epoch = j.value("epoch", std::uint64_t{0});
    v.seq = j.value("seq", std::uint64_t{0});
  }
  return v;
}

// The epoch a witness record names, 0 when it names none: the record is what a plugin read back
// from the witness, and a member of another type must not throw in the round.
std::uint64_t record_epoch(const nlohmann::json& record) {
  const auto it = record.find("epoch");
  return it != record.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

std::vector<std::uint32_t> ids_of(const nlohmann::json& j) {
  std::vector<std::uint32_t> out;
  if (j.is_array()) {
    for (const auto& v : j) {
      if (v.is_number_unsigned())
        out.push_back(v.get<std::uint32_t>());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}
nlohmann::json to_json(const vote_config& c) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& [id, w] : c.weights)
    nodes.push_back({id, w});
  return {{"nodes", std::move(nodes)}, {"witness", c.witness}};
}
vote_config vote_config_of(const nlohmann::json& j) {
  vote_config c;
  if (!j.is_object())
    return c;
  c.witness = string_or(j, "witness", std::string());
  if (const auto it = j.find("nodes"); it != j.end() && it->is_array()) {
    for (const auto& n : *it) {
      if (n.is_array() && n.size() == 2 && n[0].is_number_unsigned() && n[1].is_number_unsigned())
        c.weights.emplace_back(n[0].get<std::uint32_t>(), n[1].get<std::uint64_t>());
    }
  }
  std::sort(c.weights.begin(), c.weights.end());
  return c;
}
bool listed(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& weights, std::uint32_t id) {
  const auto it = std::lower_bound(weights.begin(), weights.end(),
                                   std::pair<std::uint32_t, std::uint64_t>{id, 0});
  return it != weights.end() && it->first == id;
}
bool quorum_of(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& weights,
               bool witness_configured, const std::vector<std::uint32_t>& members,
               bool holding_witness) {
  std::uint64_t total = 0;
  std::uint64_t have = 0;
  if (witness_configured) {
    total += 1;
    have += holding_witness ? 1 : 0;
  }
  for (const auto& [id, w] : weights) {
    total += w;
    if (std::find(members.begin(), members.end(), id) != members.end())
      have += w;
  }
  return total > 0 && 2 * have > total;
}

// quorum_of's count with the members added one at a time (each once), for renew_lease, which
// asks after each member it adds: asking quorum_of each time cost the cube of the nodes for
// every heartbeat with an echo.
class vote_tally {
 public:
  vote_tally(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& weights,
             bool witness_configured)
      : weights_(weights), witness_configured_(witness_configured) {
    total_ = witness_configured ? 1 : 0;
    for (const auto& [id, w] : weights)
      total_ += w;
  }
  void add(std::uint32_t id) {
    const auto it = std::lower_bound(weights_.begin(), weights_.end(),
                                     std::pair<std::uint32_t, std::uint64_t>{id, 0});
    if (it != weights_.end() && it->first == id)
      have_ += it->second;
  }
  bool quorum(bool holding_witness) const {
    const std::uint64_t have = have_ + (witness_configured_ && holding_witness ? 1 : 0);
    return total_ > 0 && 2 * have > total_;
  }

 private:
  const std::vector<std::pair<std::uint32_t, std::uint64_t>>& weights_;  // sorted by id
  bool witness_configured_;
  std::uint64_t total_ = 0;
  std::uint64_t have_ = 0;
};

std::string list(const std::vector<std::uint32_t>& ids) {
  std::string s;
  for (auto id : ids)
    s += (s.empty() ? "" : ",") + std::to_string(id);
  return s;
}

}  // namespace

bool membership_manager::settled() const {
  return active_ && epoch_of(promised_) <= view_.epoch && !round_ && short_of_quorum_since_ == 0;
}

bool vote_config::contains(std::uint32_t id) const {
  return listed(weights, id);
}

bool vote_config::has_quorum(const std::vector<std::uint32_t>& members,
                             bool holding_witness) const {
  return quorum_of(weights, !witness.empty(), members, holding_witness);
}

bool cluster_view::contains(std::uint32_t id) const {
  return std::find(members.begin(), members.end(), id) != members.end();
}

membership_manager::membership_manager(core_context& ctx, const core_config& config,
                                       database_manager& db, const object_index& index,
                                       quorum_manager& quorum)
    : ctx_(ctx),
      config_(config),
      db_(db),
      index_(index),
      quorum_(quorum),
      heartbeat_ms_(config.heartbeat_ms),
      threshold_(config.threshold) {}

bool membership_manager::check_timing(bool replaced) {
  if (db_.seq() == timing_seq_ && !replaced)
    return false;
  timing_seq_ = db_.seq();
  const auto& tree = db_.tree();
  auto hb = tree.get_dword("", schema::same_subnet_delay, config_.heartbeat_ms);
  auto th = tree.get_dword("", schema::same_subnet_threshold, config_.threshold);
  if (hb == 0)
    hb = config_.heartbeat_ms;
  if (th == 0)
    th = config_.threshold;
  if (hb == heartbeat_ms_ && th == threshold_)
    return false;
  const auto before = window_ms();
  const auto now = ctx_.now();
  // Another node may apply the change later than this one (it is behind in the updates), or
  // have applied it earlier: either value may be in use elsewhere for a while. Several windows
  // cover a member that lags (its updates are sent again every window).
  const bool recent = now < recent_windows_until_;
  recent_window_min_ = recent ? std::min(recent_window_min_, before) : before;
  recent_window_max_ = recent ? std::max(recent_window_max_, before) : before;
  heartbeat_ms_ = hb;
  threshold_ = th;
  recent_windows_until_ =
      now + 4 * std::max(recent_window_max_, window_ms()) + config_.lease_margin_ms;
  ctx_.log("info", "membership",
           "heartbeat every " + std::to_string(hb) + " ms, suspicion after " + std::to_string(th) +
               " missed (SameSubnetDelay, SameSubnetThreshold): window " +
               std::to_string(window_ms()) + " ms, was " + std::to_string(before) + " ms",
           {{"heartbeat_ms", std::to_string(hb)}, {"threshold", std::to_string(th)}});
  // A node that installed its view on an older database (it took the newest after) set its
  // start gate from the window it knew then: a longer one moves the gate.
  // Passed or not: it may have opened before the newest database came.
  if (gate_set_at_ != 0 && awaited_lease_ms() > gate_lease_) {
    gate_lease_ = awaited_lease_ms();
    const time_ms gate = gate_set_at_ + gate_lease_ + config_.lease_margin_ms;
    if (gate > now && gate > start_gate_) {
      start_gate_ = gate;
      return true;
    }
  }
  return false;
}

std::uint32_t membership_manager::granted_lease_ms() const {
  if (ctx_.now() < recent_windows_until_)
    return std::min(window_ms(), recent_window_min_);
  return window_ms();
}

std::uint32_t membership_manager::awaited_lease_ms() const {
  if (ctx_.now() < recent_windows_until_)
    return std::max(window_ms(), recent_window_max_);
  return window_ms();
}

std::uint32_t membership_manager::locker() const {
  return view_.members.empty() ? self_ : view_.members.front();
}

std::string membership_manager::state_of(std::uint32_t node) const {
  if (active_ && view_.contains(node))
    return "Up";
  if (node == self_)
    return joining_ || started_ ? "Joining" : "Down";
  if (alive().contains(node))
    return "Joining";
  return "Down";
}

time_ms membership_manager::last_heard(std::uint32_t node) const {
  auto it = peers_.find(node);
  if (it == peers_.end() || !it->second.ever)
    return started_at_;
  return std::max(it->second.heard, started_at_);
}

const std::vector<std::pair<std::uint32_t, std::uint64_t>>& membership_manager::configured_weights()
    const {
  if (weights_generation_ == db_.generation())
    return weights_;
  std::set<std::uint32_t> ids;
  for (const auto* n : index_.nodes()) {
    try {
      ids.insert(static_cast<std::uint32_t>(std::stoul(n->id)));
    } catch (const std::exception&) {
    }
  }
  weights_.clear();
  for (auto id : ids)
    weights_.emplace_back(id, weight(id));
  weights_generation_ = db_.generation();
  return weights_;
}

bool membership_manager::heard_recently(std::uint32_t node, time_ms within) const {
  auto it = peers_.find(node);
  // A peer whose database has other heartbeat settings (it was down when they changed, or
  // took them first) is judged by the longer window: its heartbeats may come slower.
  return it != peers_.end() && it->second.ever && !it->second.link_down &&
         ctx_.now() <= it->second.heard + std::max<time_ms>(within, it->second.window_ms);
}

std::set<std::uint32_t> membership_manager::alive() const {
  std::set<std::uint32_t> out;
  if (self_ != 0 && !joining_)
    out.insert(self_);
  // Every real node heard within the window, configured or not: one that joined after this
  // node took the database counts too (the coordinator, which knows it, needs everyone's word
  // on it); an outsider does not.
  const auto newest = newest_config();
  for (const auto& [id, p] : peers_) {
    if (id != self_ && id < temp_node_id_base && heard_recently(id, window_ms()) &&
        !outsider(id, newest))
      out.insert(id);
  }
  return out;
}

bool membership_manager::described_config::lists(std::uint32_t id) const {
  return own != nullptr ? listed(*own, id) : std::binary_search(peer->begin(), peer->end(), id);
}

db_version membership_manager::my_version() const {
  if (version_generation_ != db_.generation()) {
    version_ = db_version_of ? db_version_of() : db_version{};
    version_generation_ = db_.generation();
  }
  return version_;
}

membership_manager::described_config membership_manager::newest_config() const {
  described_config best{my_version(), &configured_weights(), nullptr};
  if (!described_newer_)
    return best;
  bool newer = false;
  for (const auto& [id, p] : peers_) {
    if (!p.described || p.nodes_ver <= best.ver)
      continue;
    newer = true;
    if (heard_recently(id, window_ms()))
      best = {p.nodes_ver, nullptr, &p.nodes};
  }
  described_newer_ = newer;
  return best;
}

bool membership_manager::outsider(std::uint32_t node) const {
  return outsider(node, newest_config());
}

// A configuration changes only through global updates, each applied by every member of a view
// with quorum; so a node that the newest configuration this node knows of does not list, while
// that configuration's database is at least as new as the node's own, was evicted (or never
// joined): letting it coordinate or answer would count the votes of a configuration the
// cluster has left. Node ids are never given twice, so an id once out stays out.
bool membership_manager::outsider(std::uint32_t node, const described_config& newest) const {
  if (node == self_ || node >= temp_node_id_base || joining_ || !started_)
    return false;
  const auto it = peers_.find(node);
  return it != peers_.end() && it->second.ever && it->second.ver <= newest.ver &&
         !newest.lists(node);
}

bool membership_manager::hears_outside_view() const {
  for (const auto& [id, p] : peers_) {
    if (id != self_ && !view_.contains(id) && heard_recently(id, window_ms()))
      return true;
  }
  return false;
}

std::vector<std::uint32_t> membership_manager::outsiders_heard(
    const described_config& newest) const {
  std::vector<std::uint32_t> out;
  for (const auto& [id, p] : peers_) {
    if (heard_recently(id, window_ms()) && outsider(id, newest))
      out.push_back(id);
  }
  return out;
}

void membership_manager::told_outsider(std::uint32_t by) {
  outsider_until_ = ctx_.now() + window_ms();
  if (outsider_by_ == 0) {
    outsider_by_ = by;
    ctx_.log("error", "membership",
             "node " + std::to_string(by) +
                 ", whose database is newer than this node's, does not list this node: it was "
                 "evicted from the cluster. It stays out: remove its database (cluster node " +
                 ctx_.node_name() +
                 " /forcecleanup) and add it again (cluster /add:" + ctx_.node_name() + ")",
             {{"peer", std::to_string(by)}});
  }
  // The members need the witness and cannot take it while this node holds it.
  if (quorum_.held())
    quorum_.hand_over();
  if (active_)
    fence("this node was evicted from the cluster (node " + std::to_string(by) + " says so)");
}

std::uint32_t membership_manager::coordinator() const {
  const auto a = alive();
  return a.empty() ? self_ : *a.begin();
}

std::uint64_t membership_manager::weight(std::uint32_t node) const {
  return db_.tree().get_dword(schema::node_path(std::to_string(node)), "NodeWeight", 1);
}

bool membership_manager::has_quorum(const std::vector<std::uint32_t>& members, bool witness) const {
  return quorum_of(configured_weights(), quorum_.configured(), members, witness);
}

vote_config membership_manager::votes() const {
  return {configured_weights(), quorum_.witness_id()};
}

bool membership_manager::vouching() const {
  // Once this node promised a newer ballot, the view it would vouch under may be replaced
  // without the node it vouches for: the survivors count on no echo after the promise.
  return active_ && epoch_of(promised_) <= view_.epoch;
}

// ---- lifecycle ------------------------------------------------------------------------------

void membership_manager::start(bool configured_here) {
  // A promise this node's earlier process made still binds: it answers no lower ballot and
  // starts its own above it.
  kept_epoch_ = config_.promised_epoch;
  promised_ = {round_of(kept_epoch_),
               static_cast<std::uint32_t>(kept_epoch_ & ((1u << coordinator_bits) - 1))};
  max_epoch_seen_ = std::max(max_epoch_seen_, kept_epoch_);
  started_ = true;
  started_at_ = ctx_.now();
  last_tick_ = ctx_.now();
  if (configured_here) {
    if (const auto* n = index_.node_by_name(ctx_.node_name()))
      self_ = static_cast<std::uint32_t>(std::stoul(n->id));
  }
  if (!multi_node()) {
    // One node without peers: it is the whole membership and always has quorum.
    const auto old = view_;
    view_ = {1, {self_}};
    active_ = true;
    if (on_view)
      on_view(old);
    return;
  }
  if (!configured_here) {
    joining_ = true;
    temp_id_ = temp_node_id_base + ctx_.random_number(0x7FFFFEFFu);
    self_ = temp_id_;
    emit_peers();  // the sponsors' addresses first: the join request goes to them
    send_join();
  }
  emit_peers();
  tick();
}

void membership_manager::nodes_changed() {
  if (!multi_node())
    return;
  emit_peers();
  if (active_ && !listed(configured_weights(), self_)) {
    fence("this node was evicted from the cluster");
    return;
  }
  // Each configuration change was ordered with quorum of the configuration before it; the
  // next must be ordered with quorum of this one, or a view that grew its configuration past
  // its own votes (joiners that never came into it) would go on committing what a quorum of
  // the joiners and the nodes it lacks could form without (reviewed case J).
  if (active_ && short_of_quorum_since_ == 0 && !has_quorum(view_.members, witness_holder() != 0)) {
    short_of_quorum_since_ = ctx_.now();
    ctx_.log("warn", "membership",
             "the view (nodes " + list(view_.members) +
                 ") has no quorum of the configuration as it is now: nothing more is ordered "
                 "until a regroup takes the new nodes in");
  }
}

void membership_manager::adopt_id(std::uint32_t id) {
  self_ = id;
  joining_ = false;
  ctx_.log("info", "membership", "joined the cluster as node " + std::to_string(id));
  emit_peers();
}

void membership_manager::emit_peers() {
  std::map<std::uint32_t, std::string> addresses;
  for (const auto* n : index_.nodes()) {
    const auto address = db_.tree().get(schema::node_path(n->id), "Address");
    if (!address || address->type != value_type::sz)
      continue;
    try {
      const auto id = static_cast<std::uint32_t>(std::stoul(n->id));
      if (id != self_)
        addresses[id] = address->as_string();
    } catch (const std::exception&) {
    }
  }
  for (const auto& [id, p] : peers_) {
    if (!p.address.empty() && id != self_ && id < temp_node_id_base)
      addresses[id] = p.address;
  }
  for (const auto& [id, a] : temp_addresses_)
    addresses[id] = a;
  if (joining_) {
    for (std::size_t i = 0; i < config_.join.size() && i < 0xFF; ++i)
      addresses[sponsor_id_base + static_cast<std::uint32_t>(i)] = config_.join[i];
  }
  auto identity = identity_of(db_.tree(), config_.cluster_name);
  if (addresses == sent_addresses_ && self_ == sent_self_ && identity == sent_identity_)
    return;
  sent_addresses_ = addresses;
  sent_self_ = self_;
  sent_identity_ = identity;
  ctx_.emit(out_peers{self_, std::move(addresses), std::move(identity.name),
                      std::move(identity.earlier)});
}

void membership_manager::remember_temp(std::uint32_t temp, const std::string& address) {
  if (temp_addresses_[temp] == address)
    return;
  temp_addresses_[temp] = address;
  emit_peers();
}

void membership_manager::send_join() {
  if (config_.join.empty())
    return;
  const auto i = join_attempt_++ % config_.join.size();
  send(sponsor_id_base + static_cast<std::uint32_t>(i), {{"type", "join_req"},
                                                         {"name", ctx_.node_name()},
                                                         {"address", config_.peer_address},
                                                         {"cluster", config_.cluster_name},
                                                         {"version", 1}});
}

// ---- the heartbeat tick ---------------------------------------------------------------------

void membership_manager::tick() {
  const time_ms now = ctx_.now();
  tick_timer_ = ctx_.arm_timer(now + heartbeat_ms_, [this] { tick(); });
  check_stall();
  last_tick_ = now;
  send_heartbeat();
  if (joining_) {
    if (hb_seq_ % 5 == 1)
      send_join();
    return;
  }
  if (now < outsider_until_)
    return;  // evicted: no regroup, no witness, no lease (told_outsider)
  // Still short of quorum of the grown configuration a window later: the regroup that would
  // have taken the new nodes in did not (a member that is not the coordinator learns it so).
  if (active_ && short_of_quorum_since_ != 0 && now > short_of_quorum_since_ + window_ms())
    fence("lost quorum: nodes " + list(view_.members) + " have no quorum of the configuration");
  std::string why;
  if (needs_regroup(why)) {
    if (coordinator() == self_) {
      if (!round_ && now >= next_round_)
        start_round(why);
    } else if (hb_seq_ % 3 == 0) {
      send(coordinator(), {{"type", "rg_nudge"}, {"why", why}});
    }
  }
  keep_witness();
  record_view();
  renew_lease();
}

// Once every member has this node's database, any of them may later form the cluster with
// the witness: the holder writes the view into the witness record.
void membership_manager::record_view() {
  if (!quorum_.held() || !settled() || recording_ ||
      recorded_ == std::make_pair(view_.epoch, view_.members))
    return;
  const auto mine = my_version();
  for (auto m : view_.members) {
    auto it = peers_.find(m);
    if (m != self_ && (it == peers_.end() || it->second.ver != mine))
      return;
  }
  recording_ = true;
  auto record = std::make_pair(view_.epoch, view_.members);
  quorum_.write_record(witness_record(record.first, record.second),
                       [this, record](bool ok, const std::string&) {
                         recording_ = false;
                         if (ok)
                           recorded_ = record;
                       });
}

void membership_manager::send_heartbeat() {
  const time_ms now = ctx_.now();
  // The echo: the last heartbeat heard from each member of this view, while this node may
  // vouch for them. It is what their leases are renewed on.
  nlohmann::json echo = nlohmann::json::object();
  if (vouching()) {
    for (const auto& [id, p] : peers_) {
      if (view_.contains(id) && heard_recently(id, window_ms()))
        echo[std::to_string(id)] = p.seq;
    }
  }
  hb_sent_[++hb_seq_] = now;
  while (hb_sent_.size() > 4 * threshold_ + 8)
    hb_sent_.erase(hb_sent_.begin());
  // Every node sends one every heartbeat period: built in key order, the echo moved in. Its
  // configuration and the outsiders it hears only while it hears nodes outside its view: a
  // node down while others were added or evicted learns who votes now, and an evicted node
  // that it is out.
  json_object_builder body;
  body.add("address", config_.peer_address)
      .add("echo", std::move(echo))
      .add("epoch", view_.epoch)
      .add("member", active_)
      .add("members", view_.members)
      .add("name", ctx_.node_name());
  if (!settled() || hears_outside_view()) {
    const auto newest = newest_config();
    std::vector<std::uint32_t> nodes;
    for (const auto& [id, w] : configured_weights())
      nodes.push_back(id);
    body.add("nodes", std::move(nodes));
    if (auto outsiders = outsiders_heard(newest); !outsiders.empty())
      body.add("outsiders",
               nlohmann::json{{"ids", std::move(outsiders)}, {"ver", to_json(newest.ver)}});
  }
  body.add("seq", hb_seq_)
      .add("stopping", stopping_)
      .add("ver", to_json(my_version()))
      .add("window", window_ms())
      .add("witness", quorum_.held());
  ctx_.emit(out_heartbeat{body.take()});
}

void membership_manager::check_stall() {
  if (!multi_node() || !started_)
    return;
  const time_ms now = ctx_.now();
  if (now <= last_tick_ + window_ms() || now < ignore_evidence_until_)
    return;
  // The process did not run for longer than the heartbeat window (SIGSTOP, a VM pause): the
  // others have removed it by now. Its monitors' leases ran out too; evidence that arrived
  // while it was stopped is stale. Checked before any input is handled, so that nothing a
  // monitor reported meanwhile is acted on as if this node still owned its groups.
  ignore_evidence_until_ = now + 2 * heartbeat_ms_;
  if (active_)
    fence("this node did not run for " + std::to_string(now - last_tick_) + " ms");
}

bool membership_manager::needs_regroup(std::string& why) const {
  if (!active_) {
    why = "no membership with quorum";
    return true;
  }
  // A promise to a round that never committed (its coordinator died or lost quorum) stops
  // this node's echoes and global updates until a view newer than the promise is installed.
  if (epoch_of(promised_) > view_.epoch && !round_ &&
      ctx_.now() > promised_at_ + 3 * std::max<time_ms>(heartbeat_ms_, 50)) {
    why = "regroup round " + std::to_string(promised_.round) + " did not finish";
    return true;
  }
  // The joiners get a few heartbeats to be heard, then the round takes in those that came.
  if (short_of_quorum_since_ != 0 && ctx_.now() > short_of_quorum_since_ + 2 * heartbeat_ms_) {
    why = "the view has no quorum of the configuration";
    return true;
  }
  const auto a = alive();
  for (auto m : view_.members) {
    if (!a.contains(m)) {
      auto it = peers_.find(m);
      why = "node " + std::to_string(m) +
            (it != peers_.end() && it->second.link_down ? " closed its connection"
                                                        : " missed its heartbeats");
      return true;
    }
  }
  for (auto n : a) {
    if (!view_.contains(n)) {
      why = "node " + std::to_string(n) + " wants to join";
      return true;
    }
    auto it = peers_.find(n);
    if (n != self_ && it != peers_.end() && it->second.epoch != view_.epoch &&
        ctx_.now() > installed_at_ + 3 * heartbeat_ms_) {
      why = "node " + std::to_string(n) + " is in epoch " + std::to_string(it->second.epoch);
      return true;
    }
  }
  return false;
}

void membership_manager::renew_lease() {
  if (!active_ || ctx_.now() < ignore_evidence_until_)
    return;
  // A node whose database is older than the view's may run groups that have moved on: its
  // lease lapses until it has taken the newest database (and released them).
  if (db_version_of && db_version_of() < newest_)
    return;
  // T: the latest time at which a quorum of this view (this node included, at now) is known
  // to have heard this node: members are taken newest evidence first until they have quorum.
  // Any view that leaves this node out has quorum too, so one of its members echoed a
  // heartbeat sent at T or later, before it promised that view's ballot: the lease, which ends
  // at T + L, ends before L has passed since that view was installed (takeover_ready).
  std::vector<std::pair<time_ms, std::uint32_t>> evidence{{ctx_.now(), self_}};
  for (auto m : view_.members) {
    auto it = peers_.find(m);
    if (m != self_ && it != peers_.end() && it->second.echo_epoch == view_.epoch &&
        it->second.echo_sent != 0) {
      evidence.emplace_back(it->second.echo_sent, m);
    }
  }
  std::sort(evidence.begin(), evidence.end(), std::greater<>());
  // The witness's vote counts from the newest evidence that vouches for it: this node while it
  // holds it, or a member whose echo came in a heartbeat that said it held it.
  std::vector<std::uint32_t> heard_by;
  vote_tally votes(configured_weights(), quorum_.configured());  // has_quorum(heard_by, ...)
  bool witness = false;
  for (const auto& [at, m] : evidence) {
    if (std::find(heard_by.begin(), heard_by.end(), m) == heard_by.end())
      votes.add(m);
    heard_by.push_back(m);
    if (m == self_)
      witness = witness || quorum_.held();
    else if (auto it = peers_.find(m); it != peers_.end())
      witness = witness || it->second.echo_witness;
    if (votes.quorum(witness) || config_.breaks.skip_quorum) {
      const time_ms end = at + granted_lease_ms();
      if (end > ctx_.now()) {
        lease_end_ = end;
        ctx_.emit(out_renew_lease{static_cast<std::uint32_t>(end - ctx_.now()), end});
      }
      return;
    }
  }
}

void membership_manager::resend_lease() {
  if (lease_end_ > ctx_.now())
    ctx_.emit(out_renew_lease{static_cast<std::uint32_t>(lease_end_ - ctx_.now()), lease_end_});
}

// ---- inputs ---------------------------------------------------------------------------------

void membership_manager::heartbeat(std::uint32_t from, const nlohmann::json& body) {
  if (!body.is_object() || from == self_)
    return;
  // A datagram a member sent before it left, arriving late, does not make it alive again.
  if (auto gone = left_.find(from);
      gone != left_.end() && ctx_.now() < gone->second.at + window_ms())
    return;
  auto& p = peers_[from];
  p.heard = ctx_.now();
  p.ever = true;
  p.link_down = false;
  p.epoch = body.value("epoch", std::uint64_t{0});
  p.members = ids_of(member_or(body, "members", json_empty_array()));
  p.member_of_its_view = body.value("member", false);
  p.witness = body.value("witness", false);
  // Never cleared by a heartbeat (an older one may arrive late); a heartbeat of another view
  // says nothing about this one.
  if (body.value("stopping", false) && p.member_of_its_view && p.epoch == view_.epoch)
    p.stopping_epoch = view_.epoch;
  p.ver = version_of(member_or(body, "ver", json_null()));
  static const std::string no_address;
  if (const auto& address = string_or(body, "address", no_address); address != p.address) {
    p.address = address;
    emit_peers();
  }
  max_epoch_seen_ = std::max({max_epoch_seen_, p.epoch, p.ver.epoch});
  p.seq = body.value("seq", std::uint64_t{0});
  p.window_ms = body.value("window", std::uint32_t{0});
  if (const auto& nodes = member_or(body, "nodes", json_null()); nodes.is_array()) {
    p.nodes = ids_of(nodes);
    p.nodes_ver = p.ver;
    p.described = true;
    described_newer_ = described_newer_ || p.nodes_ver > my_version();
  }
  if (const auto& named = member_or(body, "outsiders", json_null());
      named.is_object() && !joining_ && started_ &&
      version_of(member_or(named, "ver", json_null())) >= (my_version())) {
    const auto ids = ids_of(member_or(named, "ids", json_empty_array()));
    if (std::binary_search(ids.begin(), ids.end(), self_))
      told_outsider(from);
  }
  if (!p.outsider_logged && outsider(from)) {
    p.outsider_logged = true;
    ctx_.log("warn", "membership",
             "node " + std::to_string(from) +
                 " is not in the newest configuration this node knows of, and its database is "
                 "not newer: an evicted node, kept out of the membership",
             {{"peer", std::to_string(from)}});
  }
  const auto& echo = member_or(body, "echo", json_empty_object());
  const auto mine = echo.is_object() ? echo.find(std::to_string(self_)) : echo.end();
  if (mine != echo.end() && mine->is_number_unsigned() && ctx_.now() >= ignore_evidence_until_ &&
      p.member_of_its_view && active_ && p.epoch == view_.epoch) {
    if (auto sent = hb_sent_.find(mine->get<std::uint64_t>()); sent != hb_sent_.end()) {
      if (p.echo_epoch != view_.epoch || sent->second > p.echo_sent) {
        p.echo_sent = sent->second;
        p.echo_witness = p.witness;
      }
      p.echo_epoch = view_.epoch;
      // At once, not at the next tick: after a regroup every millisecond of the lease counts.
      renew_lease();
    }
  }
  if (active_ && p.member_of_its_view && p.epoch > view_.epoch &&
      std::find(p.members.begin(), p.members.end(), self_) == p.members.end()) {
    fence("node " + std::to_string(from) + " is in a newer membership (epoch " +
          std::to_string(p.epoch) + ") without this node");
  }
}

void membership_manager::peer_link(std::uint32_t node, bool up, const std::string& reason) {
  if (up) {
    peers_[node].link_down = false;
    return;
  }
  peers_[node].stopping_epoch = 0;  // its process may be gone: a new one is not stopping
  gone(node, "connection to node " + std::to_string(node) + " lost: " + reason, "connection lost");
}

void membership_manager::gone(std::uint32_t node, const std::string& what, const std::string& why) {
  auto& p = peers_[node];
  if (p.link_down)
    return;
  p.link_down = true;
  // A round waiting for its answer need not wait out the stage: the process is gone.
  if (round_ && round_->expected.erase(node) && round_->expected.empty()) {
    ctx_.cancel_timer(round_->timer);
    finish_round();
  }
  if (!view_.contains(node) || !active_)
    return;
  ctx_.log("info", "membership", what, {{"peer", std::to_string(node)}});
  suspect(node, why);
}

void membership_manager::leave() {
  if (!active_)
    return;
  ctx_.log("info", "membership", "leaving the cluster: every resource here is down");
  for (auto m : view_.members) {
    if (m != self_)
      send(m, {{"type", "leave"}, {"epoch", view_.epoch}});
  }
}

void membership_manager::stopping() {
  if (stopping_)
    return;
  stopping_ = true;
  if (!active_)
    return;
  for (auto m : view_.members) {
    if (m != self_)
      send(m, {{"type", "stopping"}, {"epoch", view_.epoch}});
  }
}

std::vector<std::uint32_t> membership_manager::hosts() const {
  std::vector<std::uint32_t> out;
  for (auto m : view_.members) {
    if (m == self_ ? stopping_ : (peers_.contains(m) && peers_.at(m).stopping_epoch == view_.epoch))
      continue;
    out.push_back(m);
  }
  return out;
}

void membership_manager::on_leave(std::uint32_t from, const nlohmann::json& f) {
  const auto epoch = f.value("epoch", std::uint64_t{0});
  if (!active_ || from == self_ || !view_.contains(from) || epoch != view_.epoch)
    return;
  left_[from] = {epoch, ctx_.now()};
  // Gone as if its connection had closed: the regroup need not wait for its heartbeats.
  gone(from, "node " + std::to_string(from) + " left the cluster: its resources are down",
       "node " + std::to_string(from) + " left");
}

bool membership_manager::left_cleanly(std::uint32_t node, std::uint64_t epoch) const {
  const auto it = left_.find(node);
  return it != left_.end() && it->second.epoch == epoch;
}

void membership_manager::suspect(std::uint32_t node, const std::string& why) {
  (void)node;
  if (coordinator() == self_) {
    if (!round_)
      start_round(why);
  } else {
    send(coordinator(), {{"type", "rg_nudge"}, {"why", why}});
  }
}

std::uint32_t membership_manager::witness_holder() const {
  if (quorum_.held())
    return self_;
  if (!active_)
    return 0;
  for (auto m : view_.members) {
    auto it = peers_.find(m);
    if (m != self_ && it != peers_.end() && it->second.witness && heard_recently(m, window_ms()))
      return m;
  }
  return 0;
}

void membership_manager::witness_lost(const std::string& why) {
  next_witness_try_ = ctx_.now() + witness_retry_ms();
  if (!active_ || has_quorum(view_.members, witness_holder() != 0))
    return;
  fence("lost quorum: the witness " + why);
  suspect(self_, "this node lost the witness");
}

void membership_manager::arbitrate_witness(const std::vector<std::uint32_t>& members) {
  // No other round until the plugin has decided: a challenge takes seconds.
  next_round_ = ctx_.now() + window_ms();
  round_members_ = members;
  ask_for_witness();
}

void membership_manager::keep_witness() {
  if (!settled() || !quorum_.configured())
    return;
  // A holder that is not the locker hands it over while the view does not need it (the
  // coordinator of a round that needs it must hold it itself), once the record names this
  // view, so that the locker may rely on it alone.
  if (quorum_.held() && locker() != self_ && has_quorum(view_.members, false) &&
      view_.contains(locker()) && heard_recently(locker(), window_ms()) &&
      recorded_ == std::make_pair(view_.epoch, view_.members)) {
    quorum_.hand_over();
    return;
  }
  if (quorum_.held() || quorum_.arbitrating() || locker() != self_ ||
      ctx_.now() < next_witness_try_ || ctx_.now() < installed_at_ + window_ms() ||
      witness_holder() != 0)
    return;
  ask_for_witness();
}

void membership_manager::ask_for_witness() {
  // Only this manager arbitrates, so an arbitration under way is one it asked for.
  if (quorum_.arbitrating())
    return;
  quorum_.arbitrate([this](bool won, const std::string& why) {
    auto members = std::exchange(round_members_, {});
    if (won) {
      next_round_ = 0;
      std::string reason;
      if (!round_ && coordinator() == self_ && ctx_.now() >= outsider_until_ &&
          needs_regroup(reason))
        start_round("this node won the witness");
      return;
    }
    next_witness_try_ = ctx_.now() + witness_retry_ms();
    if (members.empty())
      return;  // the view has quorum without it
    next_round_ = ctx_.now() + 2 * heartbeat_ms_;
    ctx_.log("warn", "membership", "nodes " + list(members) + " do not have quorum: " + why);
    if (active_)
      fence("lost quorum: " + why);
  });
}

void membership_manager::peer_frame(std::uint32_t from, const nlohmann::json& f) {
  const auto type = f.value("type", "");
  // An evicted node has no say in the membership (outsider); joins come under temporary ids.
  if (outsider(from) && type.rfind("join", 0) != 0)
    return;
  if (type == "rg_query")
    return on_query(from, f);
  if (type == "rg_info")
    return on_info(from, f);
  if (type == "rg_commit")
    return on_commit(from, f);
  if (type == "rg_nack") {
    const auto promised = ballot_of(member_or(f, "promised", json_null()));
    max_epoch_seen_ = std::max(max_epoch_seen_, epoch_of(promised));
    if (round_ && promised > round_->b) {
      ctx_.cancel_timer(round_->timer);
      round_.reset();
      next_round_ = ctx_.now() + heartbeat_ms_;
    }
    return;
  }
  if (type == "leave")
    return on_leave(from, f);
  if (type == "stopping") {
    if (active_ && view_.contains(from) && f.value("epoch", std::uint64_t{0}) == view_.epoch)
      peers_[from].stopping_epoch = view_.epoch;
    return;
  }
  if (type == "witness_handover") {
    // The coordinator of a round this node answered needs the witness itself.
    if (epoch_of(promised_) > view_.epoch || !active_)
      quorum_.hand_over();
    return;
  }
  if (type == "rg_nudge") {
    if (!round_ && coordinator() == self_ && ctx_.now() >= next_round_ &&
        ctx_.now() >= outsider_until_)
      start_round("asked by node " + std::to_string(from) + ": " + f.value("why", ""));
    return;
  }
  if (type == "join_req") {
    if (on_join_request)
      on_join_request(from, f);
    return;
  }
  if (type == "join_refused") {
    // The sponsor is still committing this node's earlier request: its answer follows.
    const bool in_progress = f.value("code", 0u) == ERROR_CLUSTER_JOIN_IN_PROGRESS;
    ctx_.log(in_progress ? "info" : "error", "membership",
             "join refused by the sponsor: " + f.value("message", std::string("no reason")));
    return;
  }
  if (type == "join_accept") {
    if (joining_ && on_join_accepted)
      on_join_accepted(f);
    return;
  }
}

// ---- regroup --------------------------------------------------------------------------------

void membership_manager::start_round(const std::string& why) {
  // A process keeps no promise across a restart; its database's epoch is what it keeps of
  // the views it was in.
  if (db_version_of)
    max_epoch_seen_ = std::max(max_epoch_seen_, db_version_of().epoch);
  ballot b{std::max({round_of(max_epoch_seen_), promised_.round, round_of(view_.epoch)}) + 1,
           self_};
  promised_ = b;
  promised_at_ = ctx_.now();
  keep_promise();
  round_.emplace();
  round_->b = b;
  const auto a = alive();
  round_->sees[self_] = a;
  round_->versions[self_] = my_version();
  round_->configs[self_] = votes();
  if (quorum_.held())
    round_->witness.insert(self_);
  for (auto n : a) {
    if (n != self_)
      round_->expected.insert(n);
  }
  ctx_.log("info", "membership", "regroup round " + std::to_string(b.round) + ": " + why,
           {{"round", std::to_string(b.round)}});
  for (auto n : round_->expected)
    send(n, {{"type", "rg_query"}, {"ballot", to_json(b)}});
  // Short: from the promise to the new view's first echoes, the members' leases are not
  // renewed (renew_lease), so a node that does not answer must not hold the round long.
  const time_ms stage = std::max<time_ms>(heartbeat_ms_, 50);
  round_->timer = ctx_.arm_timer(ctx_.now() + stage, [this] {
    if (round_) {
      round_->timer = 0;
      finish_round();
    }
  });
  if (round_->expected.empty())
    finish_round();
}

void membership_manager::on_query(std::uint32_t from, const nlohmann::json& f) {
  if (ctx_.now() < outsider_until_)
    return;  // evicted: its answer would count a configuration the cluster has left
  const auto b = ballot_of(member_or(f, "ballot", json_null()));
  if (b < promised_) {
    send(from, {{"type", "rg_nack"}, {"promised", to_json(promised_)}});
    return;
  }
  if (promised_ != b)
    promised_at_ = ctx_.now();
  promised_ = b;
  keep_promise();
  max_epoch_seen_ = std::max(max_epoch_seen_, epoch_of(b));
  if (round_ && round_->b < b) {
    ctx_.cancel_timer(round_->timer);
    round_.reset();
  }
  const auto a = alive();
  send(from, {{"type", "rg_info"},
              {"ballot", to_json(b)},
              {"sees", std::vector<std::uint32_t>(a.begin(), a.end())},
              {"witness", quorum_.held()},
              {"ver", to_json(my_version())},
              {"config", to_json(votes())}});
}

void membership_manager::on_info(std::uint32_t from, const nlohmann::json& f) {
  if (!round_ || ballot_of(member_or(f, "ballot", json_null())) != round_->b)
    return;
  const auto sees = ids_of(member_or(f, "sees", json_empty_array()));
  round_->sees[from] = std::set<std::uint32_t>(sees.begin(), sees.end());
  round_->versions[from] = version_of(member_or(f, "ver", json_null()));
  round_->configs[from] = vote_config_of(member_or(f, "config", json_null()));
  max_epoch_seen_ = std::max(max_epoch_seen_, round_->versions[from].epoch);
  if (f.value("witness", false))
    round_->witness.insert(from);
  round_->expected.erase(from);
  if (round_->expected.empty()) {
    ctx_.cancel_timer(round_->timer);
    finish_round();
  }
}

void membership_manager::finish_round() {
  auto r = std::move(*round_);
  round_.reset();
  ctx_.cancel_timer(r.timer);
  // Votes are counted against the newest configuration among the repliers, not this node's:
  // a node that was down while nodes were added or evicted would count a majority of a
  // configuration the cluster has left (two nodes of an old three could form without the
  // three that joined since, losing what those acknowledged). Every configuration change was
  // applied by a quorum of the one before it, so a set of nodes that has a quorum of the
  // newest configuration among them holds the newest one there is (as in Raft).
  std::uint32_t newest = self_;
  for (const auto& [n, v] : r.versions) {
    if (v > version_in(r, newest))
      newest = n;
  }
  if (const auto& newest_votes = r.configs[newest]; !newest_votes.contains(self_)) {
    if (!newest_votes.weights.empty())
      told_outsider(newest);
    return no_quorum(
        r, {self_},
        "node " + std::to_string(newest) + "'s database, the newest, does not list this node");
  }
  auto members = prune(r, r.configs[newest]);
  // The view takes the newest database among its members, so it counts against that one's
  // configuration; members it does not list have no vote there.
  vote_config counted;
  for (;;) {
    std::uint32_t source = self_;
    for (auto m : members) {
      if (version_in(r, m) > version_in(r, source))
        source = m;
    }
    counted = r.configs[source];
    const auto before = members.size();
    std::erase_if(members, [&](std::uint32_t m) { return !counted.contains(m); });
    if (members.size() == before)
      break;
  }
  if (std::find(members.begin(), members.end(), self_) == members.end())
    return no_quorum(r, {self_}, "the newest database among the reachable nodes omits this node");
  // Databases are ordered by the epoch of the view that wrote their last update, then their
  // seq (Raft's last term and index). A view whose epoch is not above every member's database
  // epoch would stamp its updates older than a database they supersede, and a later regroup
  // would take that database back, losing them: ballots of restarted processes start low.
  for (auto m : members) {
    if (version_in(r, m).epoch >= epoch_of(r.b)) {
      return start_round("node " + std::to_string(m) + "'s database is from epoch " +
                         std::to_string(version_in(r, m).epoch) + ", above this round's");
    }
  }
  if (counted.has_quorum(members, false) || config_.breaks.skip_quorum)
    return commit_round(r, members);
  if (!quorum_.configured() || !counted.has_quorum(members, true))
    return no_quorum(r, members, "waiting for more nodes");
  // The witness this node would arbitrate must be the one the counted configuration names: a
  // witness replaced since this node's database could be won by a second partition.
  if (quorum_.witness_id() != counted.witness)
    return no_quorum(r, members,
                     "the witness changed since this node's database was written; waiting for "
                     "more nodes");
  if (config_.breaks.skip_witness_arbitration)
    return commit_round(r, members);
  // The witness would give these members quorum. Only a coordinator that holds it may rely
  // on it (it checks and writes the witness record first): a member that holds it hands it
  // over.
  if (!r.witness.contains(self_)) {
    for (auto m : members) {
      if (m != self_ && r.witness.contains(m))
        send(m, {{"type", "witness_handover"}});
    }
    if (ctx_.now() < next_witness_try_ && !quorum_.arbitrating())
      return no_quorum(r, members, "the witness could not be won lately");
    ctx_.log("info", "membership",
             "regroup round " + std::to_string(r.b.round) + ": nodes " + list(members) +
                 " have half of the votes; arbitrating for the witness",
             {{"round", std::to_string(r.b.round)}});
    return arbitrate_witness(members);
  }
  commit_with_witness(r, members);
}

std::vector<std::uint32_t> membership_manager::prune(const round_state& r,
                                                     const vote_config& votes) const {
  // Keep the coordinator, then every node (by id) that has a vote, sees, and is seen by, all
  // those kept so far.
  std::vector<std::uint32_t> members{self_};
  for (const auto& [n, sees] : r.sees) {
    if (n == self_ || !votes.contains(n))
      continue;
    bool ok = true;
    for (auto m : members) {
      const auto it = r.sees.find(m);
      if (!sees.contains(m) || it == r.sees.end() || !it->second.contains(n)) {
        ok = false;
        break;
      }
    }
    if (ok)
      members.push_back(n);
  }
  std::sort(members.begin(), members.end());
  return members;
}

void membership_manager::no_quorum(const round_state& r, const std::vector<std::uint32_t>& members,
                                   const std::string& why) {
  ctx_.log("warn", "membership",
           "regroup round " + std::to_string(r.b.round) + ": nodes " + list(members) +
               " do not have quorum; " + why,
           {{"round", std::to_string(r.b.round)}});
  // Nodes that are starting answer within a few heartbeats: try again soon.
  next_round_ = ctx_.now() + 2 * heartbeat_ms_;
  // A view short only of the joiners of its grown configuration keeps its resources for the
  // window (tick fences it then): a joiner whose first heartbeats were lost comes in at the
  // next round instead of stopping every group (its lease still lapses without quorum).
  const bool joining_grace =
      short_of_quorum_since_ != 0 && ctx_.now() <= short_of_quorum_since_ + window_ms();
  if (active_ && !joining_grace)
    fence("lost quorum");
}

// The witness record names the members of the last view whose databases were all the newest
// (written while the witness was held). A view that relies on the witness must contain one
// of them, or it could form with a database that misses acknowledged updates (a partition in
// time); and its own record is written before it commits, so that nothing is acknowledged in
// it that a later witness holder would not know about.
void membership_manager::commit_with_witness(const round_state& r,
                                             const std::vector<std::uint32_t>& members) {
  const ballot b = r.b;
  next_round_ = ctx_.now() + window_ms();
  quorum_.read_record(
      [this, r, members, b](const nlohmann::json& record, bool supported, const std::string& why) {
        if (promised_ != b)
          return;  // a newer round took over meanwhile
        if (supported && !why.empty())
          return no_quorum(r, members, why);
        if (!supported) {
          ctx_.log("warn", "membership",
                   why + ": a node with an old database could form the cluster with it alone");
        } else if (record.is_object() && record.contains("members")) {
          const auto last = ids_of(record["members"]);
          const bool overlap = std::any_of(members.begin(), members.end(), [&](std::uint32_t m) {
            return std::find(last.begin(), last.end(), m) != last.end();
          });
          if (!overlap && !last.empty() && !config_.breaks.skip_witness_record) {
            next_witness_try_ = ctx_.now() + witness_retry_ms();
            return no_quorum(r, members,
                             "the witness record says the newest database is on nodes " +
                                 list(last) + " (epoch " + std::to_string(record_epoch(record)) +
                                 "): start one of them (a partition in time)");
          }
        }
        quorum_.write_record(witness_record(epoch_of(b), newest_members(r, members)),
                             [this, r, members, b](bool ok, const std::string& write_why) {
                               if (promised_ != b)
                                 return;
                               if (!ok)
                                 return no_quorum(r, members, write_why);
                               recorded_ = {epoch_of(b), newest_members(r, members)};
                               commit_round(r, members);
                             });
      });
}

std::vector<std::uint32_t> membership_manager::newest_members(
    const round_state& r, const std::vector<std::uint32_t>& members) const {
  db_version newest;
  for (auto m : members)
    newest = std::max(newest, version_in(r, m));
  std::vector<std::uint32_t> out;
  for (auto m : members) {
    if (version_in(r, m) == newest)
      out.push_back(m);
  }
  return out;
}

db_version membership_manager::version_in(const round_state& r, std::uint32_t node) {
  auto it = r.versions.find(node);
  return it != r.versions.end() ? it->second : db_version{};
}

nlohmann::json membership_manager::witness_record(std::uint64_t epoch,
                                                  const std::vector<std::uint32_t>& members) const {
  return {{"cluster", identity_of(db_.tree(), config_.cluster_name).name},
          {"epoch", epoch},
          {"members", members}};
}

void membership_manager::commit_round(const round_state& r,
                                      const std::vector<std::uint32_t>& members) {
  std::uint32_t source = self_;
  db_version newest = version_in(r, self_);
  for (auto m : members) {
    if (version_in(r, m) > newest) {
      newest = version_in(r, m);
      source = m;
    }
  }
  bool uniform = true;
  for (auto m : members)
    uniform = uniform && version_in(r, m) == newest;
  nlohmann::json commit{{"type", "rg_commit"}, {"ballot", to_json(r.b)}, {"members", members},
                        {"source", source},    {"ver", to_json(newest)}, {"uniform", uniform}};
  for (auto m : members) {
    if (m != self_)
      send(m, commit);
  }
  on_commit(self_, commit);
}

void membership_manager::on_commit(std::uint32_t from, const nlohmann::json& f) {
  (void)from;
  const auto b = ballot_of(member_or(f, "ballot", json_null()));
  if (b < promised_)
    return;
  promised_ = b;
  keep_promise();
  cluster_view v{epoch_of(b), ids_of(member_or(f, "members", json_empty_array()))};
  install(v, f.value("source", std::uint32_t{0}), version_of(member_or(f, "ver", json_null())),
          f.value("uniform", false));
}

void membership_manager::install(const cluster_view& v, std::uint32_t source, db_version newest,
                                 bool uniform) {
  const auto old = view_;
  max_epoch_seen_ = std::max(max_epoch_seen_, v.epoch);
  if (!v.contains(self_)) {
    fence("not in the new membership (epoch " + std::to_string(v.epoch) + ")");
    return;
  }
  // A node outside this view holds its lease at most until L after a heartbeat it sent
  // before some member promised this view's ballot (renew_lease), so until less than L after
  // this install. Only a view that merely adds nodes to the one this node ran in, with every
  // database alike, can have no such node and no stale owner; otherwise nothing starts here
  // until the lease has surely run out. The margin covers clock rates and the hand-over to
  // the monitors.
  // A member that left cleanly (leave) had stopped its resources first, so it is no stale
  // owner either: a view that only loses such members counts as an extension too.
  const bool extension = !fenced_since_view_ && uniform &&
                         std::all_of(old.members.begin(), old.members.end(), [&](std::uint32_t m) {
                           return v.contains(m) || left_cleanly(m, old.epoch);
                         });
  if (!extension) {
    // A node left out may still use a longer window than this node knows of (it lags in
    // the updates past the time a change is remembered): the longest it said counts too.
    time_ms lease = awaited_lease_ms();
    for (auto m : old.members) {
      if (auto it = peers_.find(m); !v.contains(m) && it != peers_.end())
        lease = std::max<time_ms>(lease, it->second.window_ms);
    }
    gate_lease_ = lease;
    gate_set_at_ = ctx_.now();
    start_gate_ = std::max(start_gate_, ctx_.now() + lease + config_.lease_margin_ms);
  }
  fenced_since_view_ = false;
  // A member still stopping stays so in the next view (its connection held: the same
  // process), until its heartbeats say so again.
  for (auto& [id, p] : peers_) {
    p.stopping_epoch =
        p.stopping_epoch == old.epoch && old.contains(id) && v.contains(id) && !p.link_down
            ? v.epoch
            : 0;
  }
  for (auto it = left_.begin(); it != left_.end();)  // back in, or from an older view
    it = v.contains(it->first) || it->second.epoch < old.epoch ? left_.erase(it) : std::next(it);
  newest_ = newest;
  view_ = v;
  installed_at_ = ctx_.now();
  short_of_quorum_since_ = 0;
  active_ = true;
  // A joiner's temporary id is no longer needed once it is a member under its own.
  for (auto it = temp_addresses_.begin(); it != temp_addresses_.end();) {
    bool member = false;
    for (auto m : v.members) {
      const auto a = db_.tree().get(schema::node_path(std::to_string(m)), "Address");
      member = member || (a && a->type == value_type::sz && a->as_string() == it->second);
    }
    it = member ? temp_addresses_.erase(it) : std::next(it);
  }
  emit_peers();
  // The members echo this heartbeat under the new view: their leases are renewed without
  // waiting for the next tick.
  send_heartbeat();
  // Before anything is started under the new view: a monitor whose lease ran out refuses
  // to bring resources online until it is renewed.
  renew_lease();
  ctx_.log("info", "membership",
           "membership epoch " + std::to_string(v.epoch) + ": nodes " + list(v.members),
           {{"epoch", std::to_string(v.epoch)}, {"members", list(v.members)}});
  if (db_version_of && db_version_of() != newest && source != self_ && on_sync_needed)
    on_sync_needed(source, newest);
  if (on_view)
    on_view(old);
}

// Ballots are Paxos promises: a process that forgot one after a restart could let a view with
// a lower epoch than one it promised write updates, which would then count as older than
// that view's (seed 276 of 2 nodes with a witness lost acknowledged writes so).
void membership_manager::keep_promise() {
  const auto epoch = epoch_of(promised_);
  if (epoch <= kept_epoch_ || !multi_node())
    return;
  kept_epoch_ = epoch;
  ctx_.emit(out_keep_promise{epoch});
}

void membership_manager::fence(const std::string& why) {
  const bool was = active_;
  active_ = false;
  fenced_since_view_ = true;
  ctx_.log(was ? "warn" : "info", "membership", "this node stops its resources: " + why);
  if (on_fenced)
    on_fenced(why);
}

// ---- sending --------------------------------------------------------------------------------

void membership_manager::send(std::uint32_t node, nlohmann::json frame) {
  if (!multi_node() || node == self_)
    return;
  ctx_.emit(out_send_peer{node, std::make_shared<const nlohmann::json>(std::move(frame))});
}

void membership_manager::send(std::uint32_t node, const peer_frame_ptr& frame) {
  if (!multi_node() || node == self_)
    return;
  ctx_.emit(out_send_peer{node, frame});
}

void membership_manager::broadcast(nlohmann::json frame) {
  const auto shared = std::make_shared<const nlohmann::json>(std::move(frame));
  for (const auto m : view_.members)
    send(m, shared);
}

}  // namespace wolfpack::cluster
