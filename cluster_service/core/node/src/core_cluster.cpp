// The glue between membership, GUM, the resource manager and the API once there are several
// nodes: what follows an applied update or a new view, joins (sponsor and joiner), the
// placement of groups whose owner left (SPEC 4.7), moves (SPEC 4.9), failover after
// exhausted restarts (SPEC 4.5) and the forwarding of requests to a group's owner.
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "cluster_identity.hpp"
#include "core_state.hpp"
#include "db_schema.hpp"
#include "dependency_edits.hpp"
#include "forward_frame.hpp"
#include "group_contents.hpp"
#include "network_table.hpp"
#include "node_eviction.hpp"
#include "placement.hpp"
#include "property_reader.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/cluster_db/db_path.hpp"
#include "wolfpack/common/json_member.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster {

namespace {

// A DependsOn the ops write that names a resource gone or would close a cycle in `index` (the
// database as the locker has it when it orders them): a dependency asked at the same time as
// another one, or as its provider's deletion, through another node passes the API's check
// against the asking node's database.
status no_new_cycle(const object_index& index, const std::vector<db_op>& ops) {
  for (const auto& op : ops) {
    if (op.op != db_op::kind::set_value || op.value.type != value_type::multi_sz ||
        fold_case(op.name) != fold_case(schema::depends_on))
      continue;
    auto parts = split_key_path(op.path);
    if (!parts || parts->size() != 2 || fold_case((*parts)[0]) != fold_case(schema::resources_key))
      continue;
    const auto& id = (*parts)[1];
    for (const auto& provider : op.value.as_strings()) {
      if (index.resource_by_id(provider) == nullptr)
        return fail("resource '" + provider + "' was deleted meanwhile; no dependency on it");
      if (provider == id || index.depends_transitively(provider, id)) {
        const auto* r = index.resource_by_id(id);
        const auto* p = index.resource_by_id(provider);
        return fail("resource '" + (p ? p->name : provider) + "' already depends on resource '" +
                    (r ? r->name : id) + "'; the new dependency would make a cycle");
      }
    }
  }
  return {};
}

// A resource the ops delete that another resource still depends on in `index`: the
// dependency was ordered first, through another node, after the deleting node's API had
// checked that the resource had no dependents (MSCS refuses such a delete).
status no_orphaned_dependent(const object_index& index, const std::vector<db_op>& ops) {
  std::map<std::string, std::string> deleted;                 // folded id -> id as written
  std::map<std::string, std::vector<std::string>> rewritten;  // folded id -> DependsOn set
  for (const auto& op : ops) {
    auto parts = split_key_path(op.path);
    if (!parts || parts->size() != 2 || fold_case((*parts)[0]) != fold_case(schema::resources_key))
      continue;
    const auto& id = (*parts)[1];
    if (op.op == db_op::kind::delete_key)
      deleted.emplace(fold_case(id), id);
    else if (op.op == db_op::kind::set_value && op.value.type == value_type::multi_sz &&
             fold_case(op.name) == fold_case(schema::depends_on))
      rewritten[fold_case(id)] = op.value.as_strings();
  }
  for (const auto& [folded_gone, gone] : deleted) {
    const auto* r = index.resource_by_id(gone);
    if (r == nullptr)
      continue;
    for (const auto& dependent : r->dependents) {
      const auto folded = fold_case(dependent);
      if (deleted.contains(folded))
        continue;
      if (const auto it = rewritten.find(folded); it != rewritten.end()) {
        const bool still =
            std::any_of(it->second.begin(), it->second.end(),
                        [&](const std::string& p) { return fold_case(p) == folded_gone; });
        if (!still)
          continue;
      }
      const auto* d = index.resource_by_id(dependent);
      return fail("resource '" + (d ? d->name : dependent) + "' came to depend on resource '" +
                  r->name + "' meanwhile; it cannot be deleted");
    }
  }
  return {};
}

std::uint32_t parse_id(const std::string& s) {
  // The common case (a node id the core wrote: a few digits) without stoul's exceptions and
  // locale; anything else reads as stoul reads it.
  if (!s.empty() && s.size() <= 9 &&
      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::uint32_t id = 0;
    for (const char c : s)
      id = id * 10 + static_cast<std::uint32_t>(c - '0');
    return id;
  }
  try {
    return static_cast<std::uint32_t>(std::stoul(s));
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

void core_state::wire() {
  gum_.breaks = config_.breaks;
  gum_.check = [this](std::uint32_t origin, const std::vector<db_op>& ops) {
    if (auto ok = no_new_cycle(index_, ops); !ok)
      return ok;
    if (auto ok = owner_change_allowed(ops, origin, members_.view().members,
                                       [this](const std::string& gid) { return owner_of(gid); });
        !ok)
      return ok;
    if (auto ok = rename_still_valid(db_.tree(), index_, ops); !ok)
      return ok;
    if (auto ok = eviction_still_valid(index_, ops, members_.view().members); !ok)
      return ok;
    if (auto ok = group_contents_still_valid(index_, ops); !ok)
      return ok;
    if (auto ok = dependency_edits_still_valid(index_, ops); !ok)
      return ok;
    return no_orphaned_dependent(index_, ops);
  };
  rm_.breaks = config_.breaks;
  db_.on_applied = [this](const db_update& u) { index_.apply(db_.tree(), u.ops); };
  db_.before_replaced = [this] {
    if (started_)
      rm_.database_replacing();
  };
  db_.on_replaced = [this] {
    // The heartbeat settings are read again even at the same seq, before anything may start:
    // a longer window moves the start gate.
    if (members_.check_timing(true))
      arm_start_gate();
    index_.rebuild(db_.tree());
    if (started_) {
      rm_.database_replaced();
      rm_.start_gate_opened();
    }
    members_.nodes_changed();
    // States told before this node had the objects were dropped: ask the owners again.
    if (members_.multi_node() && members_.active())
      members_.broadcast({{"type", "state_request"}});
    // A locker that was taking the newest database when its view was installed skipped the
    // placement then (seed 787 of all,evict left a group on an evicted node for good). From a
    // timer, not here: the replacement's own write must reach the store before an update
    // ordered on top of it.
    if (started_ && place_timer_ == 0) {
      place_timer_ = ctx_.arm_timer(ctx_.now(), [this] {
        place_timer_ = 0;
        place_orphans();
      });
    }
  };
  gum_.on_applied = [this](const db_update& u, const nlohmann::json& events) {
    applied(u, events);
  };
  members_.db_version_of = [this] { return gum_.version(); };
  members_.on_view = [this](const cluster_view&) { view_changed(); };
  members_.on_fenced = [this](const std::string& why) { fenced(why); };
  members_.on_sync_needed = [this](std::uint32_t source, db_version) { gum_.sync_from(source); };
  members_.on_join_request = [this](std::uint32_t from, const nlohmann::json& r) {
    join_request(from, r);
  };
  members_.on_join_accepted = [this](const nlohmann::json& a) { join_accepted(a); };

  rm_.is_local = [this](const std::string& gid) { return is_local(gid); };
  rm_.may_start = [this] { return may_start(); };
  rm_.owner_name = [this](const std::string& gid) { return node_name_of(owner_of(gid)); };
  rm_.on_state_published = [this](nlohmann::json event) {
    if (members_.multi_node() && members_.active())
      members_.broadcast({{"type", "state"}, {"event", std::move(event)}});
  };
  rm_.propose = [this](std::vector<db_op> ops, nlohmann::json events,
                       std::function<void(status)> done) {
    gum_.propose(std::move(ops), std::move(events), std::move(done));
  };
  rm_.fail_over = [this](const std::string& gid) { return fail_over(gid); };
  rm_.is_witness = [this](const std::string& id) { return id == quorum_.witness_id(); };
  rm_.witness_state = [this] {
    return members_.witness_holder() != 0 ? resource_state::online : resource_state::offline;
  };
  quorum_.open_sections = [this](const std::string& id) { return rm_.open_sections(id); };
  quorum_.on_lost = [this](const std::string& why) { members_.witness_lost(why); };

  api_.hooks.propose = [this](std::vector<db_op> ops, nlohmann::json events,
                              std::function<void(status)> done, std::function<void()> applied) {
    gum_.propose(std::move(ops), std::move(events), std::move(done), std::move(applied));
  };
  api_.hooks.owner_name = [this](const std::string& gid) {
    return members_.multi_node() ? node_name_of(owner_of(gid)) : config_.node_name;
  };
  api_.hooks.node_state_of = [this](const node_entry& n) { return node_state_of(n); };
  api_.hooks.self = [this] { return members_.self(); };
  api_.hooks.stop_service = [this] { on(in_shutdown{}); };
  api_.hooks.move_target = [this](const group_entry& g, const node_entry* named,
                                  std::uint32_t& code,
                                  std::string& why) { return move_target(g, named, code, why); };
  api_.hooks.quorum_resource = [this] { return quorum_.witness_id(); };
  api_.hooks.witness_holder_name = [this] {
    const auto holder = members_.witness_holder();
    return holder != 0 ? node_name_of(holder) : std::string();
  };
  api_.hooks.check_quorum_capable =
      [this](const std::string& id, std::function<void(std::uint32_t, const std::string&)> done) {
        quorum_.check_capable(id, std::move(done));
      };
  api_.hooks.move = [this](const std::string& gid, std::uint32_t target,
                           std::function<void(status)> done,
                           bool online) { move_group(gid, target, std::move(done), online); };
}

// ---- lookups --------------------------------------------------------------------------------

std::uint32_t core_state::owner_of(const std::string& group_id) const {
  if (owners_generation_ != db_.generation()) {
    owners_.clear();
    owners_generation_ = db_.generation();
  }
  auto it = owners_.find(group_id);
  if (it == owners_.end()) {
    const auto* v = db_.tree().find_value(schema::group_path(group_id), schema::owner_node);
    std::optional<std::uint32_t> owner;
    if (v != nullptr && v->type == value_type::sz)
      owner = parse_id(v->as_string());
    it = owners_.emplace(group_id, owner).first;
  }
  if (!it->second)
    return members_.multi_node() ? 0 : members_.self();
  return *it->second;
}

std::string core_state::node_name_of(std::uint32_t id) const {
  if (const auto* n = index_.node_by_id(std::to_string(id)))
    return n->name;
  return {};
}

bool core_state::may_start() const {
  return !members_.multi_node() || ctx_.now() >= members_.start_gate();
}

void core_state::arm_start_gate() {
  // A gate still closed when this view came may be open now (the view was installed at the
  // very time its timer was due, before it fired): what waited for it is opened from the timer
  // all the same, or nothing would (seeds 101837 and 101987 of all,evict with a witness left a
  // group's resources closed, OnlinePending, for good).
  const bool waiting = gate_timer_ != 0;
  ctx_.cancel_timer(gate_timer_);
  gate_timer_ = 0;
  if (may_start() && !waiting)
    return;
  gate_timer_ = ctx_.arm_timer(std::max(members_.start_gate(), ctx_.now()), [this] {
    gate_timer_ = 0;
    rm_.start_gate_opened();
  });
}

bool core_state::is_local(const std::string& group_id) const {
  if (!members_.multi_node())
    return true;
  return members_.active() && !gum_.syncing() && owner_of(group_id) == members_.self();
}

node_state core_state::node_state_of(const node_entry& n) const {
  const bool paused = db_.tree().get_dword(schema::node_path(n.id), "Paused", 0) != 0;
  if (!members_.multi_node()) {
    if (n.name != config_.node_name)
      return node_state::down;
    return paused ? node_state::paused : node_state::up;
  }
  const auto s = members_.state_of(parse_id(n.id));
  if (s == "Up")
    return paused ? node_state::paused : node_state::up;
  return s == "Joining" ? node_state::joining : node_state::down;
}

// ---- what follows an update or a view -------------------------------------------------------

void core_state::applied(const db_update& update, const nlohmann::json& events) {
  // Every node reacts to the update itself, not to the request that caused it: the owner of
  // a group must open a resource created through another node.
  std::set<std::string> added, removed, changed, types, groups, owners;
  std::map<std::string, bool> asked;  // PersistentState written: what an administrator asked
  bool nodes = false, quorum = false, networks = false, renamed = false;
  // Names compared ignoring case in place and the path cut into views, not copies: every op
  // of every update passes here.
  const folded_equal same;
  for (const auto& op : update.ops) {
    if (op.path.empty() && same(op.name, schema::quorum_resource))
      quorum = true;
    if (op.path.empty() && same(op.name, schema::cluster_name))
      renamed = true;
    const std::string_view path = op.path;
    const auto cut = path.find(key_separator);
    if (cut == std::string_view::npos || !check_key_path(path))
      continue;  // fewer than two components, or no key path
    const auto top = path.substr(0, cut);
    const auto rest = path.substr(cut + 1);
    const bool object_key = rest.find(key_separator) == std::string_view::npos;
    const std::string id(rest.substr(0, rest.find(key_separator)));
    if (same(top, schema::resources_key)) {
      if (object_key && op.op == db_op::kind::create_key)
        added.insert(id);
      else if (object_key && op.op == db_op::kind::delete_key)
        removed.insert(id);
      else
        changed.insert(id);
      if (object_key && op.op == db_op::kind::set_value &&
          same(op.name, schema::persistent_state) && op.value.type == value_type::dword)
        asked[id] = op.value.as_number() != 0;
    } else if (same(top, schema::groups_key)) {
      groups.insert(id);
      if (op.op != db_op::kind::set_value || same(op.name, schema::owner_node))
        owners.insert(id);
    } else if (same(top, schema::types_key)) {
      types.insert(id);
    } else if (same(top, schema::nodes_key)) {
      nodes = true;
    } else if (same(top, schema::networks_key) || same(top, schema::netinterfaces_key)) {
      networks = true;
    }
  }
  if (started_) {
    for (const auto& id : removed)
      rm_.resource_removed(id);
    for (const auto& id : added) {
      if (!removed.contains(id))
        rm_.resource_added(id);
    }
    for (const auto& id : changed) {
      if (!added.contains(id) && !removed.contains(id))
        rm_.resource_changed(id);
    }
    for (const auto& t : types) {
      for (const auto* r : index_.resources_of_type(t))
        rm_.resource_changed(r->id);
    }
    if (!groups.empty())
      rm_.groups_changed(groups);
    const auto witness = quorum_.witness_id();
    if (quorum || removed.contains(witness) || changed.contains(witness)) {
      quorum_.configuration_changed();
      if (quorum)
        rm_.witness_changed();
    }
  }
  // A rename changes the name peers use on the wire (membership_manager::emit_peers).
  if (nodes || renamed)
    members_.nodes_changed();
  if (events.is_array()) {
    for (const auto& e : events) {
      if (!e.is_object())
        continue;  // the locker refuses such a request (gum.cpp check_events)
      if (e.contains("internal"))
        internal_event(e);
      else
        ctx_.publish(e);
    }
  }
  // groups_changed above has reconciled the groups the update touched; ownership is
  // re-evaluated for the groups whose owner changed, and for every group when the nodes did.
  if (started_ && (!owners.empty() || nodes)) {
    if (nodes)
      rm_.ownership_changed();
    else
      rm_.owners_changed(owners);
    place_orphans();
  }
  // An online or offline asked through another node (the owner was not in that node's view,
  // so the request was not forwarded) reaches the owner only as this update.
  if (started_) {
    for (const auto& [id, online] : asked) {
      if (!added.contains(id) && !removed.contains(id))
        rm_.persistent_state_written(id, online);
    }
  }
  if (nodes || networks) {
    publish_node_states();
    tidy_networks();
  }
}

void core_state::tidy_networks() {
  // One member does it (the lowest id in the view), one update at a time.
  if (!started_ || tidying_networks_ || !members_.active() || !members_.multi_node())
    return;
  const auto& members = members_.view().members;
  if (members.empty() || *std::min_element(members.begin(), members.end()) != members_.self())
    return;
  auto change = network_table(db_.tree()).housekeeping();
  if (change.ops.empty())
    return;
  nlohmann::json events = nlohmann::json::array();
  for (auto& e : change.events)
    events.push_back(std::move(e));
  tidying_networks_ = true;
  gum_.propose(std::move(change.ops), std::move(events), [this](const status& st) {
    tidying_networks_ = false;
    if (!st)
      ctx_.log("warn", "network", "tidying the networks failed: " + st.error());
  });
}

void core_state::internal_event(const nlohmann::json& e) {
  static const std::string none;
  const auto internal = e.find("internal");
  if (internal == e.end() || *internal != failover_history_event)
    return;  // from a newer version: nothing this one knows to do
  std::vector<time_ms> ages;
  if (const auto it = e.find("ages_ms"); it != e.end() && it->is_array()) {
    for (const auto& a : *it)
      if (a.is_number_unsigned())
        ages.push_back(a.get<time_ms>());
  }
  const auto g = e.find("group");
  const auto& group = g != e.end() && g->is_string() ? g->get_ref<const std::string&>() : none;
  if (index_.group_by_id(group) != nullptr)
    rm_.set_failover_ages(group, ages);
}

void core_state::view_changed() {
  gum_.view_changed();
  // A request forwarded to a node that is no longer a member will not be answered from there.
  fail_forwards(
      "the node that had the request left the membership; the change may or may not "
      "have been made",
      &members_.view());
  std::erase_if(admitted_,
                [this](const auto& kv) { return members_.view().contains(parse_id(kv.second)); });
  if (!started_)
    return;
  arm_start_gate();
  rm_.ownership_changed();
  publish_node_states();
  if (!members_.active())
    return;
  // A node that joined (or came back) knows the database but not how the owners' groups
  // run: every owner tells the new view.
  if (members_.multi_node())
    send_local_states(0);
  // A node that restarted on another port tells the others where it listens now, and records
  // its network interface (a new one, or one whose address or adapter changed).
  const auto self = std::to_string(members_.self());
  if (const auto* me = index_.node_by_id(self); members_.multi_node() && me != nullptr) {
    std::vector<db_op> ops;
    const auto address = db_.tree().get(schema::node_path(self), schema::address);
    if (!address || address->type != value_type::sz ||
        address->as_string() != config_.peer_address) {
      ops.push_back(db_op::set_value(schema::node_path(self), std::string(schema::address),
                                     typed_value::sz(config_.peer_address)));
    }
    auto recorded =
        network_table(db_.tree())
            .record(*me, network_table::complete(config_.peer_nic, config_.peer_address));
    ops.insert(ops.end(), recorded.ops.begin(), recorded.ops.end());
    nlohmann::json events = nlohmann::json::array();
    for (auto& e : recorded.events)
      events.push_back(std::move(e));
    if (!ops.empty()) {
      gum_.propose(std::move(ops), std::move(events), [this](const status& st) {
        // Refused when a concurrent update changed what it was computed from; the next view
        // change computes it again.
        if (!st)
          ctx_.log("warn", "network",
                   "recording this node's address and interface failed: " + st.error());
      });
    }
  }
  place_orphans();
  check_failback();
}

void core_state::fenced(const std::string& why) {
  // The moves under way are abandoned with the membership; their callers are answered now
  // (a release cut off by the fence would never finish).
  auto abandoned = std::move(moving_);
  moving_.clear();
  for (auto& [gid, m] : abandoned) {
    if (m.done)
      m.done(fail("node '" + config_.node_name +
                  "' left the membership; the move of the group was abandoned: " + why));
  }
  rm_.fence(why);
  gum_.view_changed();
  rm_.ownership_changed();
  fail_forwards("node '" + config_.node_name + "' left the membership: " + why);
  publish_node_states();
}

void core_state::send_local_states(std::uint32_t to) {
  // One frame for all of them: after a regroup every owner tells every member about each of
  // its objects, and a frame per object made that the largest part of a view change.
  nlohmann::json events = nlohmann::json::array();
  for (auto& e : rm_.local_state_events())
    events.push_back(std::move(e));
  if (events.empty())
    return;
  nlohmann::json frame = {{"type", "states"}, {"events", std::move(events)}};
  if (to == 0)
    members_.broadcast(std::move(frame));
  else
    members_.send(to, std::move(frame));
}

void core_state::remote_state(std::uint32_t from, const nlohmann::json& event) {
  if (!members_.active() || !members_.view().contains(from))
    return;
  static const std::string none;
  const std::string* group_id = &string_or(event, "id", none);
  if (string_or(event, "object", none) == "resource") {
    const auto* r = index_.resource_by_id(*group_id);
    group_id = r != nullptr ? &r->group : &none;
  }
  if (group_id->empty() || owner_of(*group_id) != from)
    return;
  rm_.remote_state(event);
}

void core_state::publish_node_states() {
  if (!members_.multi_node())
    return;  // one node: it is up while it runs
  for (const auto* n : index_.nodes()) {
    const auto s = node_state_of(*n);
    const std::string name(to_string(s));
    auto& last = node_states_[n->id];
    if (last == name)
      continue;
    last = name;
    ctx_.publish({{"kind", "NODE_STATE"},
                  {"filter", CLUSTER_CHANGE_NODE_STATE},
                  {"object", "node"},
                  {"name", n->name},
                  {"id", n->id},
                  {"state", name},
                  {"code", code(s)}});
  }
  // Interfaces and networks follow their nodes' states. One read of the interfaces serves
  // both (this runs at every view change). One that is gone is forgotten: if it comes back,
  // its state is news again.
  const network_table table(db_.tree());
  const auto interfaces = table.interfaces();
  const auto network_ids = db_.tree().subkeys(schema::networks_key);
  if (interfaces.empty() && network_ids.empty() && interface_states_.empty() &&
      network_states_.empty())
    return;
  std::set<std::string> present;
  std::map<std::string, std::pair<std::size_t, std::size_t>, folded_less> counts;  // avail, up
  for (const auto& i : interfaces) {
    present.insert(i.id);
    const auto s = api_.interface_state(i);
    auto& [available, up] = counts[i.network];
    available += s != netinterface_state::unavailable ? 1 : 0;
    up += s == netinterface_state::up ? 1 : 0;
    const std::string name(to_string(s));
    auto& last = interface_states_[i.id];
    if (last == name)
      continue;
    last = name;
    ctx_.publish({{"kind", "NETINTERFACE_STATE"},
                  {"filter", CLUSTER_CHANGE_NETINTERFACE_STATE},
                  {"object", "netinterface"},
                  {"name", i.name},
                  {"id", i.id},
                  {"state", name},
                  {"code", code(s)}});
  }
  std::erase_if(interface_states_, [&](const auto& kv) { return !present.contains(kv.first); });
  present.clear();
  for (const auto& id : network_ids) {
    present.insert(id);
    const auto& [available, up] = counts[id];
    const auto s = network_state_from(available, up);
    const std::string name(to_string(s));
    auto& last = network_states_[id];
    if (last == name)
      continue;
    last = name;
    ctx_.publish({{"kind", "NETWORK_STATE"},
                  {"filter", CLUSTER_CHANGE_NETWORK_STATE},
                  {"object", "network"},
                  {"name", db_.tree().get_sz(schema::network_path(id), schema::name, id)},
                  {"id", id},
                  {"state", name},
                  {"code", code(s)}});
  }
  std::erase_if(network_states_, [&](const auto& kv) { return !present.contains(kv.first); });
}

// ---- joins ----------------------------------------------------------------------------------

void core_state::join_request(std::uint32_t from, const nlohmann::json& r) {
  members_.remember_temp(from, r.value("address", std::string()));
  // Only the locker gives out node ids: two sponsors (or one whose updates the locker has not
  // ordered yet) would give two joiners the same one. Another member relays.
  if (members_.multi_node() && members_.active() && members_.locker() != members_.self()) {
    const auto fid = next_forward_++;
    joins_relayed_[fid] = from;
    members_.send(members_.locker(), {{"type", "join_fwd"}, {"fid", fid}, {"request", r}});
    return;
  }
  join_allocate(r, [this, from](const nlohmann::json& answer) { members_.send(from, answer); });
}

void core_state::on_join_forwarded(std::uint32_t from, const nlohmann::json& f) {
  const auto fid = f.value("fid", std::uint64_t{0});
  join_allocate(member_or(f, "request", json_empty_object()), [this, from,
                                                               fid](const nlohmann::json& answer) {
    members_.send(from, {{"type", "join_fwd_answer"}, {"fid", fid}, {"answer", answer}});
  });
}

void core_state::on_join_forward_answer(const nlohmann::json& f) {
  auto it = joins_relayed_.find(f.value("fid", std::uint64_t{0}));
  if (it == joins_relayed_.end())
    return;
  const auto joiner = it->second;
  joins_relayed_.erase(it);
  members_.send(joiner, member_or(f, "answer", json_empty_object()));
}

void core_state::join_allocate(const nlohmann::json& r,
                               std::function<void(const nlohmann::json&)> reply) {
  const auto name = r.value("name", std::string());
  const auto address = r.value("address", std::string());
  auto refuse = [this, reply](std::uint32_t code, const std::string& message) {
    ctx_.log("warn", "membership", "join refused: " + message);
    reply({{"type", "join_refused"}, {"code", code}, {"message", message}});
  };
  // A joiner started with a name the cluster had before a rename still means this cluster;
  // the database it receives tells it the name now.
  if (const auto identity = identity_of(db_.tree(), config_.cluster_name);
      !identity.names_it(r.value("cluster", std::string())))
    return refuse(
        ERROR_CLUSTER_INSTANCE_ID_MISMATCH,
        "this is cluster '" + identity.name + "', not '" + r.value("cluster", std::string()) + "'");
  if (r.value("version", 0) != 1)
    return refuse(ERROR_CLUSTER_INCOMPATIBLE_VERSIONS, "protocol version 1 is required");
  if (name.empty() || address.empty())
    return refuse(ERROR_INVALID_PARAMETER, "a join needs the node's name and address");
  const auto accept = [this, reply](const std::string& id) {
    const auto v = gum_.version();
    nlohmann::json answer{{"type", "join_accept"},
                          {"id", parse_id(id)},
                          {"seq", v.seq},
                          {"epoch", v.epoch},
                          {"tree", db_.tree().to_json()}};
    gum_.add_request_memory(answer);
    reply(std::move(answer));
  };
  if (!members_.active()) {
    // A node this process added to the configuration, whose answer it has not seen arrive
    // (the node was in no view since), asking again from the address it had: it gets the
    // database as it is here, as it would have then. Nothing changes, so no quorum is
    // needed; without it, a sponsor that added a node and lost quorum before the answer
    // arrived (one vote of two) and that node, which has no database to regroup with, would
    // wait for each other for good. No other node: one that was a member and lost its state
    // directory would vote again on a database that may lack what its vote committed.
    const auto admitted = admitted_.find(name);
    if (const auto* n = index_.node_by_name(name);
        n != nullptr && admitted != admitted_.end() && admitted->second == n->id &&
        db_.tree().get_sz(schema::node_path(n->id), schema::address, "") == address) {
      ctx_.log("info", "membership",
               "node '" + name + "' (node " + n->id +
                   ") gets this node's database to regroup with: it is configured already");
      return accept(n->id);
    }
    return refuse(ERROR_CLUSTER_NODE_NOT_READY,
                  "node '" + config_.node_name + "' is not in a membership with quorum");
  }

  std::vector<db_op> ops;
  nlohmann::json events = nlohmann::json::array();
  std::string id;
  bool added = false;
  if (const auto* n = index_.node_by_name(name)) {
    // The node is known (it lost its state directory, or restarts with --join): it gets its
    // id back and the cluster's database.
    id = n->id;
    ops.push_back(db_op::set_value(schema::node_path(id), std::string(schema::address),
                                   typed_value::sz(address)));
  } else if (auto in_flight = joining_.find(name); in_flight != joining_.end()) {
    return refuse(ERROR_CLUSTER_JOIN_IN_PROGRESS, "node '" + name + "' is already joining (node " +
                                                      std::to_string(in_flight->second) + ")");
  } else {
    // Above every id given before, evicted nodes' included (schema::highest_node_id).
    std::uint32_t next = db_.tree().get_dword("", schema::highest_node_id, 0) + 1;
    for (const auto* n : index_.nodes())
      next = std::max(next, parse_id(n->id) + 1);
    for (const auto& [other, reserved] : joining_)
      next = std::max(next, reserved + 1);
    joining_[name] = next;
    added = true;
    id = std::to_string(next);
    const auto path = schema::node_path(id);
    ops.push_back(
        db_op::set_value("", std::string(schema::highest_node_id), typed_value::dword(next)));
    ops.push_back(db_op::create_key(path));
    ops.push_back(db_op::set_value(path, std::string(schema::node_name), typed_value::sz(name)));
    ops.push_back(db_op::set_value(path, std::string(schema::address), typed_value::sz(address)));
    events.push_back({{"kind", "NODE_ADDED"},
                      {"filter", CLUSTER_CHANGE_NODE_ADDED},
                      {"object", "node"},
                      {"name", name},
                      {"id", id}});
  }
  ctx_.log("info", "membership", "node '" + name + "' joins as node " + id, {{"peer", address}});
  gum_.propose(
      std::move(ops), std::move(events), [this, accept, id, name, refuse, added](const status& st) {
        if (auto it = joining_.find(name); it != joining_.end() && std::to_string(it->second) == id)
          joining_.erase(it);
        if (!st)
          return refuse(ERROR_CLUSTER_JOIN_ABORTED, st.error());
        if (added)
          admitted_[name] = id;
        accept(id);
      });
}

void core_state::join_accepted(const nlohmann::json& a) {
  auto tree = db_tree::from_json(member_or(a, "tree", json_null()));
  const auto id = a.value("id", std::uint32_t{0});
  if (!tree || id == 0) {
    ctx_.log("error", "membership",
             "the sponsor's answer is not usable: " + (tree ? "no node id" : tree.error()));
    return;
  }
  db_.replace(std::move(*tree), a.value("seq", std::uint64_t{0}));
  gum_.take_request_memory(a);
  members_.adopt_id(id);
  members_.nodes_changed();
}

// ---- placement, moves and failover ----------------------------------------------------------

void core_state::place_orphans() {
  if (!members_.multi_node() || !members_.settled() || members_.locker() != members_.self() ||
      gum_.syncing() || placing_) {
    return;
  }
  // The locker decides for every group whose owner is not a member, in one global update:
  // exactly one node brings each group online. Not before the old owner's lease has surely
  // run out (membership_manager::start_gate): nothing could start earlier anyway, and a node
  // that is only late (a cluster starting again) gets that long to join and keep its groups.
  ctx_.cancel_timer(place_timer_);
  place_timer_ = 0;
  if (ctx_.now() < members_.start_gate()) {
    place_timer_ = ctx_.arm_timer(members_.start_gate(), [this] {
      place_timer_ = 0;
      place_orphans();
    });
    return;
  }
  std::vector<db_op> ops;
  std::map<std::string, std::uint32_t> planned;
  const auto& members = members_.view().members;
  const auto hosts = members_.hosts();  // a member whose service is stopping takes no group
  for (const auto* g : index_.groups()) {
    const auto owner = owner_of(g->id);
    if (owner != 0 && std::find(members.begin(), members.end(), owner) != members.end())
      continue;
    const auto target = choose_owner(index_, db_.tree(), {g, hosts, owner, false, &planned});
    if (!target) {
      ctx_.log("warn", "failover", "no node can host the group", {{"group", g->name}});
      continue;
    }
    ctx_.log("info", "failover",
             "group moves to node " + node_name_of(*target) +
                 (owner != 0 ? " (its owner, node " + std::to_string(owner) + ", left)" : ""),
             {{"group", g->name}});
    ops.push_back(db_op::set_value(schema::group_path(g->id), std::string(schema::owner_node),
                                   typed_value::sz(std::to_string(*target))));
    planned[g->id] = *target;
  }
  if (ops.empty())
    return;
  placing_ = true;
  gum_.propose(std::move(ops), nlohmann::json::array(), [this](const status&) {
    placing_ = false;
    place_orphans();
  });
}

std::optional<std::uint32_t> core_state::move_target(const group_entry& g, const node_entry* named,
                                                     std::uint32_t& code, std::string& why) const {
  const auto current = owner_of(g.id);
  if (moving_.contains(g.id)) {
    code = ERROR_INVALID_STATE;
    why = "group '" + g.name + "' is being moved already; try again once it has arrived";
    return std::nullopt;
  }
  // Already there (and that node is up): nothing to do, and it is a success (MS-CMRP,
  // ApiMoveGroupToNode). An owner that is down is not "there": its group waits for failover.
  const auto owner_up = [&] {
    if (!members_.multi_node())
      return true;
    const auto& up = members_.view().members;
    return members_.active() && std::find(up.begin(), up.end(), current) != up.end();
  };
  if (named != nullptr && parse_id(named->id) == current && owner_up()) {
    code = ERROR_SUCCESS;
    return std::nullopt;
  }
  if (!members_.multi_node() || !members_.active()) {
    code = ERROR_HOST_NODE_NOT_AVAILABLE;
    why = named != nullptr
              ? "node '" + named->name + "' is not up; group '" + g.name + "' stays on '" +
                    config_.node_name + "'"
              : "no other node can host group '" + g.name + "': node '" + config_.node_name +
                    "' is the only node up in cluster '" + config_.cluster_name + "'";
    return std::nullopt;
  }
  const auto& members = members_.view().members;
  if (named != nullptr) {
    const auto id = parse_id(named->id);
    if (std::find(members.begin(), members.end(), id) == members.end()) {
      code = ERROR_HOST_NODE_NOT_AVAILABLE;
      why = "node '" + named->name + "' is not up";
      return std::nullopt;
    }
    if (db_.tree().get_dword(schema::node_path(named->id), "Paused", 0) != 0) {
      code = ERROR_CLUSTER_NODE_PAUSED;
      why = "node '" + named->name + "' is paused: groups cannot move to it";
      return std::nullopt;
    }
    if (!can_host(index_, g, id)) {
      code = ERROR_NODE_CANT_HOST_RESOURCE;
      why = "node '" + named->name + "' is not a possible owner of every resource of group '" +
            g.name + "'";
      return std::nullopt;
    }
    return id;
  }
  auto target = choose_owner(index_, db_.tree(), {&g, members_.hosts(), current, true});
  if (!target) {
    code = ERROR_HOST_NODE_NOT_AVAILABLE;
    why = "no other node can host group '" + g.name + "'";
  }
  return target;
}

void core_state::move_group(const std::string& group_id, std::uint32_t target,
                            std::function<void(status)> done, bool online, nlohmann::json events) {
  if (!is_local(group_id)) {
    done(fail("group is not owned by node '" + config_.node_name + "'"));
    return;
  }
  const auto move = next_move_++;
  if (moving_.contains(group_id)) {
    done(fail("the group is being moved already"));
    return;
  }
  moving_[group_id] = move_under_way{move, done};
  // The group stays released (nothing of it opened or started here) until the move is over,
  // whatever this node's view does meanwhile (a database to take makes the group look gone
  // and back): the update, once proposed, may start it on the target at any time. A move
  // abandoned with the membership was answered then (fenced).
  done = [this, group_id, move, done = std::move(done)](const status& st) {
    const auto it = moving_.find(group_id);
    if (it == moving_.end() || it->second.number != move)
      return;
    moving_.erase(it);
    rm_.keep_group(group_id);
    done(st);
  };
  // Offline here (dependents first), then ownership changes in one global update that also
  // carries what each resource should be on arrival: the group returns to its pre-move state.
  rm_.release_group(group_id, [this, group_id, target, done, online, events, move] {
    // What each resource should be on arrival is read once this node's own updates in
    // flight have applied: an online or offline of one of the group's resources asked just
    // before the move (forwarded here, the owner) must not be undone by values read before it.
    gum_.after_own([this, group_id, target, done, online, events, move] {
      // The node left the membership meanwhile (its moves are abandoned with it, and the
      // group may be running here again): this move proposes nothing.
      if (const auto it = moving_.find(group_id); it == moving_.end() || it->second.number != move)
        return;
      propose_move(group_id, target, done, online, events);
    });
  });
}

void core_state::propose_move(const std::string& group_id, std::uint32_t target,
                              std::function<void(status)> done, bool online,
                              nlohmann::json events) {
  {
    const auto* g = index_.group_by_id(group_id);
    if (g == nullptr) {
      done(fail("the group was deleted during the move"));
      return;
    }
    std::vector<db_op> ops{db_op::set_value(schema::group_path(group_id),
                                            std::string(schema::owner_node),
                                            typed_value::sz(std::to_string(target)))};
    for (const auto& rid : g->resources) {
      ops.push_back(db_op::set_value(schema::resource_path(rid),
                                     std::string(schema::persistent_state),
                                     typed_value::dword(online || rm_.is_wanted(rid) ? 1 : 0)));
    }
    gum_.propose(std::move(ops), events, [this, group_id, done](const status& st) {
      if (!st)
        rm_.keep_group(group_id);
      done(st);
    });
  }
}

bool core_state::fail_over(const std::string& group_id) {
  if (!members_.multi_node() || !members_.active())
    return false;
  const auto* g = index_.group_by_id(group_id);
  if (g == nullptr)
    return false;
  const auto target =
      choose_owner(index_, db_.tree(), {g, members_.hosts(), members_.self(), true});
  if (!target)
    return false;
  // Every node learns the group's failovers with its new owner, so the count goes on there.
  const nlohmann::json history = {{"internal", failover_history_event},
                                  {"group", group_id},
                                  {"ages_ms", rm_.failover_ages(group_id)}};
  move_group(
      group_id, *target,
      [this, group_id](const status& st) {
        if (!st)
          ctx_.log("warn", "failover", "group failover failed: " + st.error(),
                   {{"group", group_id}});
      },
      false, nlohmann::json::array({history}));
  return true;
}

bool core_state::in_failback_window(const std::string& group_id) const {
  const auto path = schema::group_path(group_id);
  const auto start = effective_dword(db_.tree(), object_kind::group, path, "FailbackWindowStart");
  const auto end = effective_dword(db_.tree(), object_kind::group, path, "FailbackWindowEnd");
  if (start == 0xFFFFFFFFu || end == 0xFFFFFFFFu)
    return true;  // no window: failback at once
  if (!local_hour_)
    return false;  // a window, but the hour is not known yet
  const auto h = static_cast<std::uint32_t>(*local_hour_);
  if (start == end)
    return h == start;
  // [start, end), wrapping past midnight when start > end (22 to 6).
  return start < end ? (h >= start && h < end) : (h >= start || h < end);
}

void core_state::check_failback() {
  if (!members_.multi_node() || !members_.active())
    return;
  const auto self = std::to_string(members_.self());
  for (const auto* g : index_.groups()) {
    if (!is_local(g->id) || failing_back_.contains(g->id) || g->preferred_owners.empty())
      continue;
    const auto path = schema::group_path(g->id);
    if (effective_dword(db_.tree(), object_kind::group, path, "AutoFailbackType") != 1)
      continue;
    // The highest preferred owner that can take the group; only one above this node counts.
    std::optional<std::uint32_t> best;
    for (const auto& p : g->preferred_owners) {
      if (p == self)
        break;
      const auto id = parse_id(p);
      const auto& members = members_.view().members;
      if (std::find(members.begin(), members.end(), id) == members.end() ||
          db_.tree().get_dword(schema::node_path(p), "Paused", 0) != 0 || !can_host(index_, *g, id))
        continue;
      best = id;
      break;
    }
    if (!best || !in_failback_window(g->id))
      continue;
    ctx_.log("info", "failover", "failback: the group returns to node " + node_name_of(*best),
             {{"group", g->name}});
    failing_back_.insert(g->id);
    move_group(g->id, *best, [this, gid = g->id](const status& st) {
      failing_back_.erase(gid);
      if (!st)
        ctx_.log("warn", "failover", "failback failed: " + st.error(), {{"group", gid}});
    });
  }
}

// ---- forwarding to the owner ----------------------------------------------------------------

std::optional<std::string> core_state::owner_bound(const in_api_request& req) const {
  const auto& p = req.path;
  if (p.size() < 3 || req.method != (p[2] == "private" ? req.method : std::string("POST")))
    return std::nullopt;
  if (p[0] == "groups" && (p[2] == "online" || p[2] == "offline" || p[2] == "move")) {
    const auto* g = index_.group_by_name(p[1]);
    return g != nullptr ? std::optional<std::string>(g->id) : std::nullopt;
  }
  // A new dependency is checked against the dependent's state, which only the owner knows
  // for certain (an online it has sent but not heard back of).
  if (p[0] == "resources" &&
      (p[2] == "online" || p[2] == "offline" || p[2] == "fail" || p[2] == "private" ||
       p[2] == "control" || (p[2] == "dependencies" && p.size() == 3))) {
    const auto* r = index_.resource_by_name(p[1]);
    return r != nullptr ? std::optional<std::string>(r->group) : std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::uint32_t> core_state::node_bound(const in_api_request& req) const {
  const auto& p = req.path;
  if (p.size() != 3 || req.method != "POST" || p[0] != "nodes" || p[2] != "stop")
    return std::nullopt;
  const auto* n = index_.node_by_name(p[1]);
  if (n == nullptr)
    return std::nullopt;
  try {
    return static_cast<std::uint32_t>(std::stoul(n->id));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool core_state::forward(const in_api_request& req, std::uint32_t hops) {
  if (!members_.multi_node() || !members_.active())
    return false;
  // Where it goes depends on the object; the owner gets the request as the client sent it
  // (by id stays by id: a rename meanwhile does not send it elsewhere).
  const auto named = api_.named(req);
  if (named.refusal)
    return false;  // answered here
  const auto& target = named.request ? *named.request : req;
  std::uint32_t owner = 0;
  if (const auto gid = owner_bound(target))
    owner = owner_of(*gid);
  else if (const auto node = node_bound(target))
    owner = *node;
  else
    return false;
  const auto& members = members_.view().members;
  if (owner == members_.self() || owner == 0 ||
      std::find(members.begin(), members.end(), owner) == members.end()) {
    return false;
  }
  const auto fid = next_forward_++;
  forwarded_out_[fid] = {req.id, owner};
  members_.send(owner, {{"type", "api_fwd"},
                        {"fid", fid},
                        {"method", req.method},
                        {"path", req.path},
                        {"query", req.query},
                        {"body", req.body},
                        {"hops", hops}});
  return true;
}

void core_state::on_forwarded(std::uint32_t from, const nlohmann::json& f) {
  auto read = read_forwarded_request(f);
  if (const auto* p = std::get_if<forward_frame_problem>(&read)) {
    ctx_.log(
        "warn", "api",
        "a request forwarded by node " + std::to_string(from) + " is malformed: " + p->message);
    if (p->fid) {
      members_.send(from,
                    {{"type", "api_answer"},
                     {"fid", *p->fid},
                     {"status", 400},
                     {"body",
                      {{"error",
                        {{"code", ERROR_INVALID_PARAMETER},
                         {"name", "ERROR_INVALID_PARAMETER"},
                         {"message", "the forwarded request is malformed: " + p->message}}}}}});
    }
    return;
  }
  auto& fwd = std::get<forwarded_request>(read);
  auto& req = fwd.request;
  req.id = next_local_request_++;
  forwarded_in_[req.id] = {from, fwd.fid};
  // The sender took this node for the owner, but the group may have moved since (the move's
  // update reached this node first): the owner it knows now gets the request, its answer
  // going back the same way. A few hops only: two nodes on different sides of an ownership
  // change could otherwise pass the request back and forth until both have the update.
  if (fwd.hops < max_forward_hops && forward(req, fwd.hops + 1))
    return;
  api_.handle(req);
}

void core_state::route_answers(std::vector<output>& out) {
  if (forwarded_in_.empty())
    return;
  for (auto& o : out) {
    auto* r = std::get_if<out_respond>(&o);
    if (r == nullptr)
      continue;
    auto it = forwarded_in_.find(r->request_id);
    if (it == forwarded_in_.end())
      continue;
    const auto [from, fid] = it->second;
    forwarded_in_.erase(it);
    o = out_send_peer{
        from, std::make_shared<const nlohmann::json>(nlohmann::json{{"type", "api_answer"},
                                                                    {"fid", fid},
                                                                    {"status", r->status},
                                                                    {"body", std::move(r->body)}})};
  }
}

void core_state::on_forward_answer(const nlohmann::json& f) {
  auto read = read_forwarded_answer(f);
  if (const auto* p = std::get_if<forward_frame_problem>(&read)) {
    ctx_.log("warn", "api", "an answer to a forwarded request is malformed: " + p->message);
    if (!p->fid)
      return;
    auto it = forwarded_out_.find(*p->fid);
    if (it == forwarded_out_.end())
      return;
    const auto [id, owner] = it->second;
    forwarded_out_.erase(it);
    ctx_.emit(out_respond{
        id,
        500,
        {{"error",
          {{"code", ERROR_INVALID_DATA},
           {"name", "ERROR_INVALID_DATA"},
           {"message", "node " + std::to_string(owner) +
                           " ran the request, but its answer is malformed: " + p->message}}}}});
    return;
  }
  auto& answer = std::get<forwarded_answer>(read);
  auto it = forwarded_out_.find(answer.fid);
  if (it == forwarded_out_.end())
    return;
  const auto id = it->second.first;
  forwarded_out_.erase(it);
  ctx_.emit(out_respond{id, answer.status, std::move(answer.body)});
}

void core_state::fail_forwards(const std::string& why, const cluster_view* still) {
  for (auto it = forwarded_out_.begin(); it != forwarded_out_.end();) {
    const auto v = it->second;
    if (still != nullptr && still->contains(v.second)) {
      ++it;
      continue;
    }
    it = forwarded_out_.erase(it);
    ctx_.emit(out_respond{v.first,
                          503,
                          {{"error",
                            {{"code", ERROR_CLUSTER_NODE_NOT_READY},
                             {"name", "ERROR_CLUSTER_NODE_NOT_READY"},
                             {"message", why}}}}});
  }
}

}  // namespace wolfpack::cluster
