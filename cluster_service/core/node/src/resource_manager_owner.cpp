// Group ownership across nodes: which groups this node runs, what it does when a group
// arrives or leaves, fencing, and the states other nodes publish.
#include <utility>

#include "db_schema.hpp"
#include "resource_manager.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/common/json_member.hpp"
#include "wolfpack/common/json_object_builder.hpp"

namespace wolfpack::cluster {

bool resource_manager::local(const std::string& group_id) const {
  return !is_local || is_local(group_id);
}

bool resource_manager::wanted_by_persistent_state(const std::string& id) const {
  // A resource without a PersistentState of its own follows its group's (SPEC 4.2).
  const auto& tree = db_.tree();
  const auto own = tree.get(schema::resource_path(id), schema::persistent_state);
  if (own && own->type == value_type::dword)
    return own->as_number() != 0;
  return tree.get_dword(schema::group_path(group_of(id)), schema::persistent_state, 0) != 0;
}

bool resource_manager::is_wanted(const std::string& id) const {
  const auto* r = find(id);
  return r != nullptr && r->wanted;
}

void resource_manager::arrive(const std::string& group_id) {
  // A group that comes to this node (failover, move, the node's own start) comes up as its
  // PersistentState says: what was online before stays online (SPEC 4.5, 4.9).
  const auto* g = index_.group_by_id(group_id);
  if (g == nullptr)
    return;
  auto& rt = group(group_id);
  rt.failed_hold = false;
  // A group this node is moving away (releasing) stays down: it looks gone and back while the
  // node takes a newer database, but the move's update may start it on the target at any
  // time. keep_group ends the release once the move is over (or fence, with the membership).
  for (const auto& id : g->resources) {
    auto* r = find(id);
    if (r == nullptr)
      continue;
    r->wanted = wanted_by_persistent_state(id);
    clear_failure_memory(*r);
    if (started_ && !shutting_down_)
      ensure_open(*r);
  }
  // Bringing a resource online brings its providers online first (OnlineClusterResource),
  // whatever their own PersistentState says: a provider added while it was offline must not
  // hold its dependent down on the next node.
  for (const auto& id : g->resources) {
    const auto* r = find(id);
    if (r != nullptr && r->wanted)
      want_providers(id);
  }
}

void resource_manager::want_providers(const std::string& id) {
  for (const auto& p : index_.with_providers(id)) {
    if (auto* provider = find(p))
      provider->wanted = true;
  }
}

void resource_manager::start_gate_opened() {
  if (!started_ || shutting_down_ || (may_start && !may_start()))
    return;
  for (auto& [id, r] : resources_) {
    if (r.open_phase == phase::closed && local(group_of(id)))
      ensure_open(r);
  }
  reconcile_all();
}

void resource_manager::ownership_changed() {
  std::vector<std::string> all;
  for (const auto* g : index_.groups())
    all.push_back(g->id);
  follow_ownership(all);
}

void resource_manager::owners_changed(const std::set<std::string>& group_ids) {
  follow_ownership(in_name_order(group_ids));
}

void resource_manager::follow_ownership(const std::vector<std::string>& group_ids) {
  for (const auto& id : group_ids) {
    auto& rt = group(id);
    const bool now_local = local(id);
    if (now_local && !rt.was_local)
      arrive(id);
    rt.was_local = now_local;
  }
  for (const auto& id : group_ids)
    update_group_state(id);
  for (const auto& id : group_ids)
    reconcile(id);
  check_shutdown_done();
}

void resource_manager::fence(const std::string& why) {
  // Nothing graceful: another node may be about to start these resources, and the lease
  // makes the monitor terminate them anyway. Terminate, then forget they were open.
  for (auto& [id, r] : resources_) {
    ctx_.cancel_timer(r.restart_timer);
    ctx_.cancel_timer(r.retry_timer);
    r.restart_wait = false;
    auto m = monitors_.find(r.monitor);
    if (r.open_phase == phase::open && m != monitors_.end() && m->second.ready &&
        (!is_down(r.state) || r.busy)) {
      send(r.monitor, {{"type", "terminate"}, {"resource", r.monitor_key}});
    }
    r.busy = false;
    r.abandoning = false;
    if (r.state != resource_state::offline)
      set_state(r, resource_state::offline, "stopped: " + why);
  }
  for (auto& [gid, g] : groups_) {
    g.was_local = false;
    g.releasing = false;
    auto waiting = std::move(g.released);
    g.released.clear();
    (void)waiting;  // a move that was under way is abandoned with the node's membership
  }
}

void resource_manager::release_group(const std::string& group_id, std::function<void()> done) {
  auto& rt = group(group_id);
  rt.releasing = true;
  rt.released.push_back(std::move(done));
  reconcile(group_id);
  update_group_state(group_id);
  check_released(group_id);
}

void resource_manager::keep_group(const std::string& group_id) {
  auto& rt = group(group_id);
  rt.releasing = false;
  rt.released.clear();
  if (const auto* g = index_.group_by_id(group_id)) {
    for (const auto& id : g->resources) {
      if (auto* r = find(id); r != nullptr && started_ && !shutting_down_)
        ensure_open(*r);
    }
  }
  reconcile(group_id);
}

void resource_manager::check_released(const std::string& group_id) {
  auto& rt = group(group_id);
  if (!rt.releasing || rt.released.empty())
    return;
  const auto* g = index_.group_by_id(group_id);
  if (g == nullptr)
    return;
  for (const auto& id : g->resources) {
    const auto* r = find(id);
    if (r != nullptr && r->open_phase == phase::open && (!is_down(r->state) || r->busy))
      return;
  }
  auto done = std::move(rt.released);
  rt.released.clear();
  ++release_runs_;
  for (auto& d : done)
    d();
}

std::vector<nlohmann::json> resource_manager::local_state_events() const {
  std::vector<nlohmann::json> out;
  for (const auto* g : index_.groups()) {
    if (!local(g->id))
      continue;
    for (const auto& id : g->resources) {
      const auto* r = find(id);
      const auto* e = index_.resource_by_id(id);
      if (r == nullptr || e == nullptr)
        continue;
      out.push_back(resource_event(id, e->name, g->name, r->shown, r->shown, "state of the owner"));
    }
    auto it = groups_.find(g->id);
    const auto s = it != groups_.end() ? it->second.state : group_state::offline;
    out.push_back(group_event(*g, s, s));
  }
  return out;
}

// Member by member (json_object_builder), in key order: the owners publish these for every
// change of state and send them all to every member after each view change.
nlohmann::json resource_manager::resource_event(const std::string& id, const std::string& name,
                                                const std::string& group_name, resource_state s,
                                                resource_state previous,
                                                const std::string& reason) const {
  return json_object_builder()
      .add("code", code(s))
      .add("filter", CLUSTER_CHANGE_RESOURCE_STATE)
      .add("group", group_name)
      .add("id", id)
      .add("kind", "RESOURCE_STATE")
      .add("name", name)
      .add("object", "resource")
      .add("previous", std::string(to_string(previous)))
      .add("reason", reason)
      .add("state", std::string(to_string(s)))
      .take();
}

nlohmann::json resource_manager::group_event(const group_entry& g, group_state s,
                                             group_state previous) const {
  return json_object_builder()
      .add("code", code(s))
      .add("filter", CLUSTER_CHANGE_GROUP_STATE)
      .add("id", g.id)
      .add("kind", "GROUP_STATE")
      .add("name", g.name)
      .add("object", "group")
      .add("owner", owner_name ? owner_name(g.id) : ctx_.node_name())
      .add("previous", std::string(to_string(previous)))
      .add("state", std::string(to_string(s)))
      .take();
}

void resource_manager::remote_state(const nlohmann::json& event) {
  static const std::string none;
  const auto& id = string_or(event, "id", none);
  const auto c = event.value("code", -1);
  const auto& object = string_or(event, "object", none);
  if (object == "resource") {
    const auto& gid = group_ref(id);
    if (gid.empty() || local(gid))
      return;
    auto [it, added] = remote_resources_.try_emplace(id, static_cast<resource_state>(c));
    if (!added && it->second == static_cast<resource_state>(c))
      return;  // told again (a new view): nothing changed
    it->second = static_cast<resource_state>(c);
  } else if (object == "group") {
    if (index_.group_by_id(id) == nullptr || local(id))
      return;
    auto [it, added] = remote_groups_.try_emplace(id, static_cast<group_state>(c));
    if (!added && it->second == static_cast<group_state>(c))
      return;
    it->second = static_cast<group_state>(c);
  } else {
    return;
  }
  if (!ctx_.events()) {
    ctx_.publish(event);  // only counted: no copy to make
    return;
  }
  auto copy = event;
  copy.erase("seq");
  copy.erase("node");
  ctx_.publish(std::move(copy));
}

void resource_manager::database_replacing() {
  persistent_before_.clear();
  for (const auto& [id, r] : resources_)
    persistent_before_[id] = wanted_by_persistent_state(id);
}

void resource_manager::database_replaced() {
  std::vector<std::string> gone;
  for (const auto& [id, r] : resources_) {
    if (index_.resource_by_id(id) == nullptr)
      gone.push_back(id);
  }
  for (const auto& id : gone)
    resource_removed(id);
  for (const auto* r : index_.resources()) {
    if (find(r->id) == nullptr) {
      resource_added(r->id);
      find(r->id)->wanted = wanted_by_persistent_state(r->id);
    } else {
      resource_changed(r->id);
    }
  }
  ownership_changed();
  // An online or offline asked through another node reaches the owner as the update that
  // writes PersistentState (core_state::applied); in a database taken whole, as the change
  // between the two (seed 400769: an offline taken with a database left the owner wanting
  // the group online).
  auto before = std::exchange(persistent_before_, {});
  for (const auto& [id, was] : before) {
    if (find(id) != nullptr && wanted_by_persistent_state(id) != was)
      persistent_state_written(id, !was);
  }
}

}  // namespace wolfpack::cluster
