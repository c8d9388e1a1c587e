#include "wolfpack/cluster_core/node_core.hpp"

#include "cluster_identity.hpp"
#include "core_state.hpp"
#include "db_schema.hpp"
#include "monitor_response_check.hpp"
#include "peer_frame_check.hpp"
#include "wolfpack/cluster_db/db_path.hpp"
#include "wolfpack/common/json_member.hpp"

namespace wolfpack::cluster {

core_state::core_state(core_config config, db_tree tree, std::uint64_t last_seq)
    : config_(std::move(config)),
      ctx_(config_.node_name, config_.random_seed, config_.events),
      db_(ctx_, std::move(tree), last_seq),
      quorum_(ctx_, db_, index_),
      members_(ctx_, config_, db_, index_, quorum_),
      gum_(ctx_, db_, members_),
      rm_(ctx_, db_, index_),
      api_(ctx_, db_, index_, rm_, config_.cluster_name) {
  index_.rebuild(db_.tree());
  wire();
}

void core_state::handle(const input& in) {
  if (started_ && !exited_)
    members_.check_stall();
  std::visit([this](const auto& i) { on(i); }, in);
  if (started_ && !exited_) {
    check_witness_shown();
    if (members_.check_timing())
      arm_start_gate();
  }
}

void core_state::check_witness_shown() {
  const auto& id = quorum_.witness_id();
  if (id.empty() && shown_witness_id_.empty())
    return;
  const auto now = id.empty() ? resource_state::offline : rm_.witness_state();
  if (id == shown_witness_id_ && now == shown_witness_state_)
    return;
  const auto before = id == shown_witness_id_ ? shown_witness_state_ : resource_state::offline;
  shown_witness_id_ = id;
  shown_witness_state_ = now;
  if (!id.empty())
    rm_.witness_shown(id, before);
}

void core_state::on(const in_start&) {
  if (started_)
    return;
  const bool multi = members_.multi_node();
  const bool fresh = !db_.tree().get(std::string(), schema::cluster_name).has_value();
  const bool joiner = multi && !config_.join.empty() &&
                      (fresh || index_.node_by_name(config_.node_name) == nullptr);
  if (!joiner) {
    if (multi && !fresh && index_.node_by_name(config_.node_name) == nullptr) {
      exit(1, "node '" + config_.node_name + "' is not in the database of cluster '" +
                  identity_of(db_.tree(), config_.cluster_name).name +
                  "'; start it with --join to add it");
      return;
    }
    if (!bootstrap())
      return;
  }
  started_ = true;
  ctx_.log("info", "node", joiner ? "node started: joining the cluster" : "node started",
           {{"cluster", identity_of(db_.tree(), config_.cluster_name).name},
            {"db_seq", std::to_string(db_.seq())}});
  rm_.start();
  members_.check_timing();
  members_.start(!joiner);
}

void core_state::on(const in_api_request& req) {
  if (!started_ || exited_) {
    ctx_.emit(out_respond{req.id,
                          503,
                          {{"error",
                            {{"code", 5072},
                             {"name", "ERROR_CLUSTER_NODE_NOT_READY"},
                             {"message", "node '" + config_.node_name + "' is not ready"}}}}});
    return;
  }
  if (forward(req))
    return;
  api_.handle(req);
}

void core_state::on(const in_monitor_ready& m) {
  if (!started_)
    return;
  if (m.monitor_id == quorum_manager::monitor_id) {
    quorum_.monitor_ready();
  } else {
    // A leased monitor starts without a lease: it gets the one the others have, no longer,
    // before anything is asked of it.
    members_.resend_lease();
    rm_.monitor_ready(m.monitor_id, m.pid);
  }
}
void core_state::on(const in_monitor_event& m) {
  if (!started_)
    return;
  // A monitor of another version, or a broken one: the node goes on instead of ending, but
  // what the monitor runs is no longer known (the frame may have answered a command, or told a
  // state). It is restarted, as after a crash: its resources are terminated, its commands fail
  // when it ends (monitor_exit), and the restart policy brings them back.
  const auto unreadable = [&](const char* what) {
    ctx_.log("error", "resource",
             "a frame from monitor '" + m.monitor_id +
                 "' could not be read; restarting the monitor: " + what,
             {{"monitor", m.monitor_id}, {"frame", m.event.dump()}, {"unreadable", what}});
    ctx_.emit(out_restart_monitor{m.monitor_id,
                                  std::string("a frame it sent could not be read: ") + what});
  };
  try {
    if (m.monitor_id == quorum_manager::monitor_id)
      quorum_.monitor_event(m.event);
    else
      rm_.monitor_event(m.monitor_id, m.event);
  } catch (const unreadable_monitor_frame& e) {
    unreadable(e.what());
  } catch (const nlohmann::json::exception& e) {
    unreadable(e.what());
  }
}
void core_state::on(const in_monitor_exit& m) {
  if (!started_)
    return;
  if (m.monitor_id == quorum_manager::monitor_id)
    quorum_.monitor_exit(m.reason);
  else
    rm_.monitor_exit(m.monitor_id, m.reason);
}
void core_state::on(const in_timer& t) {
  ctx_.fire_timer(t.timer_id);
}

void core_state::on(const in_db_written& w) {
  if (!db_.written(w)) {
    exit(1, "the cluster database could not be written: " + w.error);
    return;
  }
  maybe_exit_after_shutdown();
}

void core_state::on(const in_shutdown&) {
  if (stopping_ || exited_)
    return;
  stopping_ = true;
  ctx_.log("info", "node", "shutting down: taking groups offline");
  members_.stopping();
  if (!started_) {
    exit(0, "stopped before start");
    return;
  }
  rm_.shutdown([this] {
    offline_done_ = true;
    maybe_exit_after_shutdown();
  });
}

void core_state::on(const in_peer_frame& f) {
  if (!started_ || exited_ || !f.frame)
    return;
  const auto& frame = *f.frame;
  if (const auto problem = peer_frame_problem(frame)) {
    const auto t = frame.is_object() ? frame.find("type") : frame.end();
    const auto named = t != frame.end() && t->is_string() ? "'" + t->get<std::string>() + "' " : "";
    // A request with a readable rid is answered: dropped, it would come again every window.
    if (const auto rid = frame.is_object() ? frame.find("rid") : frame.end();
        t != frame.end() && *t == "gum_req" && rid != frame.end() && rid->is_number_unsigned())
      gum_.refuse_malformed(f.from, rid->get<std::uint64_t>(), *problem);
    ctx_.log(
        "warn", "node",
        "a frame " + named + "from node " + std::to_string(f.from) + " was dropped: " + *problem,
        {{"peer", std::to_string(f.from)}, {"dropped", *problem}});
    return;
  }
  try {
    dispatch_peer_frame(f.from, frame);
  } catch (const nlohmann::json::exception& e) {
    // Last resort, for a member the check does not know: the frame is dropped, the node goes
    // on. peer_frame_fuzz_test makes sure no frame a node sends ends here.
    const auto& type = frame.at("type").get_ref<const std::string&>();
    ctx_.log("error", "node",
             "a frame '" + type + "' from node " + std::to_string(f.from) +
                 " could not be read and was dropped: " + e.what(),
             {{"frame", type}, {"unreadable", e.what()}});
  }
}

void core_state::dispatch_peer_frame(std::uint32_t from, const nlohmann::json& frame) {
  const auto& type = frame.at("type").get_ref<const std::string&>();
  if (type.rfind("gum_", 0) == 0 || type.rfind("db_", 0) == 0)
    gum_.peer_frame(from, frame);
  else if (type == "state")
    remote_state(from, member_or(frame, "event", json_empty_object()));
  else if (type == "states") {
    const auto& events = member_or(frame, "events", json_empty_array());
    if (events.is_array()) {
      for (const auto& e : events)
        remote_state(from, e);
    }
  } else if (type == "state_request") {
    if (members_.active() && members_.view().contains(from))
      send_local_states(from);
  } else if (type == "join_fwd") {
    if (members_.active() && members_.view().contains(from))
      on_join_forwarded(from, frame);
  } else if (type == "join_fwd_answer")
    on_join_forward_answer(frame);
  else if (type == "api_fwd")
    on_forwarded(from, frame);
  else if (type == "api_answer")
    on_forward_answer(frame);
  else
    members_.peer_frame(from, frame);
}

void core_state::on(const in_peer_link& l) {
  if (started_ && !exited_)
    members_.peer_link(l.node, l.up, l.reason);
}

void core_state::on(const in_heartbeat& h) {
  // No body is no heartbeat (a null JSON body never was one either).
  if (!started_ || exited_ || !h.body)
    return;
  if (auto problem = heartbeat_problem(*h.body)) {
    // Once per peer and problem: heartbeats come ten times a second.
    if (auto& last = bad_heartbeat_[h.from]; last != *problem) {
      ctx_.log("warn", "membership",
               "heartbeats from node " + std::to_string(h.from) + " are dropped: " + *problem,
               {{"peer", std::to_string(h.from)}, {"dropped", *problem}});
      last = std::move(*problem);
    }
    return;
  }
  if (!bad_heartbeat_.empty())
    bad_heartbeat_.erase(h.from);  // a problem that comes back after good ones is logged again
  members_.heartbeat(h.from, *h.body);
}

void core_state::on(const in_wall_clock& c) {
  const bool changed = local_hour_ != c.local_hour;
  local_hour_ = c.local_hour;
  if (changed && started_ && !exited_)
    check_failback();
}

void core_state::maybe_exit_after_shutdown() {
  if (stopping_ && offline_done_ && db_.writes_in_flight() == 0) {
    // Last: the groups are down, so the members may take them over without waiting out this
    // node's lease, and a survivor may take the witness without a challenge.
    members_.leave();
    quorum_.shutdown();
    exit(0, "shutdown complete");
  }
}

void core_state::exit(int code, std::string reason) {
  if (exited_)
    return;
  exited_ = true;
  ctx_.log(code == 0 ? "info" : "error", "node", reason);
  ctx_.emit(out_exit{code, std::move(reason)});
}

// A new database becomes the cluster: the cluster's name, this node, the default resource
// types. An existing one must be this cluster's, and this node must be in it.
bool core_state::bootstrap() {
  const auto& tree = db_.tree();
  std::vector<db_op> ops;
  const auto existing = tree.get(std::string(), schema::cluster_name);
  if (!existing) {
    ops.push_back(db_op::set_value("", std::string(schema::cluster_name),
                                   typed_value::sz(config_.cluster_name)));
    if (members_.multi_node()) {
      // The heartbeat settings are properties like any other from now on: a joiner takes them
      // with the database, and `cluster /prop SameSubnetDelay=...` changes them everywhere.
      ops.push_back(db_op::set_value("", std::string(schema::same_subnet_delay),
                                     typed_value::dword(config_.heartbeat_ms)));
      ops.push_back(db_op::set_value("", std::string(schema::same_subnet_threshold),
                                     typed_value::dword(config_.threshold)));
    }
    ops.push_back(db_op::create_key(std::string(schema::groups_key)));
    ops.push_back(db_op::create_key(std::string(schema::resources_key)));
    ops.push_back(db_op::create_key(std::string(schema::types_key)));
    ops.push_back(db_op::create_key(std::string(schema::nodes_key)));
    for (const auto& t : config_.default_types) {
      const auto path = schema::type_path(t.name);
      ops.push_back(db_op::create_key(path));
      ops.push_back(
          db_op::set_value(path, std::string(schema::name),
                           typed_value::sz(t.display_name.empty() ? t.name : t.display_name)));
      ops.push_back(db_op::set_value(path, std::string(schema::dll_name), typed_value::sz(t.dll)));
    }
  } else if (existing->type != value_type::sz) {
    exit(1, "the database in the state directory names no cluster (ClusterName is not a string)");
    return false;
  } else if (const bool other_name = !stored_identity(tree)->names_it(config_.cluster_name);
             other_name && !members_.multi_node()) {
    // Alone, nobody can say the name is the cluster's new one: a mistaken state directory.
    exit(1, "the database in the state directory belongs to cluster '" + existing->as_string() +
                "', not '" + config_.cluster_name + "'");
    return false;
  } else if (other_name) {
    // Either this node was down while the cluster was renamed (its peers say the new name,
    // and it learns the rename from them), or the state directory is another cluster's (its
    // peers, holding another secret, will not let it in).
    ctx_.log("warn", "node",
             "started as a node of cluster '" + config_.cluster_name + "', but the database in " +
                 "the state directory is cluster '" + existing->as_string() +
                 "': taking both names until the other nodes say which is current");
  } else if (fold_case(existing->as_string()) != fold_case(config_.cluster_name)) {
    ctx_.log("info", "node",
             "cluster '" + config_.cluster_name + "' was renamed '" + existing->as_string() +
                 "': this node uses the name in its database");
  }
  if (index_.node_by_name(config_.node_name) == nullptr) {
    // Node ids are numbers, as in MSCS: the next one free.
    std::uint32_t next = 1;
    for (const auto& id : tree.subkeys(schema::nodes_key)) {
      try {
        next = std::max<std::uint32_t>(next, static_cast<std::uint32_t>(std::stoul(id)) + 1);
      } catch (const std::exception&) {
      }
    }
    const auto path = schema::node_path(std::to_string(next));
    ops.push_back(db_op::create_key(path));
    ops.push_back(
        db_op::set_value(path, std::string(schema::node_name), typed_value::sz(config_.node_name)));
    if (!config_.peer_address.empty()) {
      ops.push_back(db_op::set_value(path, std::string(schema::address),
                                     typed_value::sz(config_.peer_address)));
    }
  }
  if (auto st = db_.submit(std::move(ops)); !st) {
    exit(1, "could not initialise the cluster database: " + st.error());
    return false;
  }
  return true;
}

node_core::node_core(core_config config, db_tree tree, std::uint64_t last_seq)
    : state_(std::make_unique<core_state>(std::move(config), std::move(tree), last_seq)) {}

node_core::~node_core() = default;

std::vector<output> node_core::handle(time_ms now, input in) {
  std::vector<output> out;
  state_->ctx_.begin(now, &out);
  state_->handle(in);
  state_->ctx_.begin(now, nullptr);
  state_->route_answers(out);
  return out;
}

const db_tree& node_core::database() const {
  return state_->db_.tree();
}
std::uint64_t node_core::database_seq() const {
  return state_->db_.seq();
}
std::uint64_t node_core::event_seq() const {
  return state_->ctx_.event_seq();
}

int node_core::resource_state(const std::string& name) const {
  const auto* r = state_->index_.resource_by_name(name);
  return r != nullptr ? code(state_->rm_.state_of(r->id)) : -1;
}

int node_core::group_state(const std::string& name) const {
  const auto* g = state_->index_.group_by_name(name);
  return g != nullptr ? code(state_->rm_.state_of_group(g->id)) : -1;
}

bool node_core::held_by_policy(const std::string& name) const {
  const auto* r = state_->index_.resource_by_name(name);
  return r != nullptr && state_->rm_.held_by_policy(r->id);
}

}  // namespace wolfpack::cluster

namespace wolfpack::cluster {

std::uint32_t node_core::node_id() const {
  return state_->members_.self();
}
std::uint64_t node_core::view_epoch() const {
  return state_->members_.view().epoch;
}
std::vector<std::uint32_t> node_core::members() const {
  return state_->members_.view().members;
}
bool node_core::has_quorum() const {
  return state_->members_.active();
}
std::vector<node_view> node_core::nodes() const {
  std::vector<node_view> out;
  for (const auto* n : state_->index_.nodes()) {
    node_view v;
    v.id = static_cast<std::uint32_t>(std::stoul(n->id));
    v.name = n->name;
    v.state = std::string(to_string(state_->node_state_of(*n)));
    out.push_back(std::move(v));
  }
  return out;
}
std::uint32_t node_core::group_owner(const std::string& group_name) const {
  const auto* g = state_->index_.group_by_name(group_name);
  return g != nullptr ? state_->owner_of(g->id) : 0;
}

}  // namespace wolfpack::cluster
