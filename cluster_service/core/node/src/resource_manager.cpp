#include "resource_manager.hpp"

#include <algorithm>
#include <utility>

#include "db_schema.hpp"
#include "property_reader.hpp"
#include "wolfpack/clusapi.h"

namespace wolfpack::cluster {

namespace {

bool is_up(resource_state s) {
  return s == resource_state::online || s == resource_state::online_pending;
}

}  // namespace

resource_manager::resource_manager(core_context& ctx, database_manager& db,
                                   const object_index& index)
    : ctx_(ctx), db_(db), index_(index) {}

// ---- lifecycle --------------------------------------------------------------------------

void resource_manager::start() {
  started_ = true;
  for (const auto* r : index_.resources()) {
    resource_added(r->id);
    find(r->id)->wanted = wanted_by_persistent_state(r->id);
  }
  for (const auto* g : index_.groups())
    group(g->id).was_local = local(g->id);
  // The default monitor runs even without resources, so that the first resource created
  // opens at once.
  if (!monitors_.contains("default")) {
    monitors_["default"];
    ctx_.emit(out_ensure_monitor{"default"});
  }
  for (const auto* g : index_.groups())
    update_group_state(g->id);
  reconcile_all();
}

void resource_manager::shutdown(std::function<void()> done) {
  shutting_down_ = true;
  shutdown_done_ = std::move(done);
  std::vector<std::string> waiting;
  for (const auto& [id, w] : open_waiters_)
    waiting.push_back(id);
  for (const auto& id : waiting)
    notify_open_waiters(id, false);
  for (auto& [id, r] : resources_) {
    ctx_.cancel_timer(r.restart_timer);
    ctx_.cancel_timer(r.retry_timer);
    r.restart_wait = false;
  }
  reconcile_all();
  check_shutdown_done();
}

void resource_manager::check_shutdown_done() {
  if (!shutting_down_ || !shutdown_done_)
    return;
  for (const auto& [id, r] : resources_) {
    // A resource whose monitor is gone is down: the monitor terminated it on its way out.
    const bool reachable = r.open_phase == phase::open && monitors_.contains(r.monitor) &&
                           monitors_.at(r.monitor).ready;
    if (reachable && (!is_down(r.state) || r.busy))
      return;
  }
  auto done = std::move(shutdown_done_);
  shutdown_done_ = nullptr;
  done();
}

// ---- database changes ---------------------------------------------------------------------

void resource_manager::resource_added(const std::string& id) {
  if (find(id) != nullptr)
    return;
  auto& r = add_resource(id);
  if (started_)
    ensure_open(r);
  update_group_state(group_of(id));
}

void resource_manager::resource_removed(const std::string& id) {
  auto* r = find(id);
  if (r == nullptr)
    return;
  ctx_.cancel_timer(r->restart_timer);
  ctx_.cancel_timer(r->retry_timer);
  close_in_monitor(*r);
  erase_resource(id);
  notify_open_waiters(id, false);
  stop_unused_monitors();
  for (const auto* g : index_.groups())
    update_group_state(g->id);
}

void resource_manager::resource_changed(const std::string& id) {
  auto* r = find(id);
  if (r == nullptr)
    return;
  // A wanted resource that was given a provider needs it online, whatever the provider's own
  // PersistentState: bringing a resource online brings its providers online first (SPEC 4.1,
  // 4.9: OnlineClusterResource), and a restart is such an online. Otherwise a dependent
  // waiting to come back (failed, restarting) would wait for the new provider for good.
  if (r->wanted && local(group_of(id)))
    want_providers(id);
  if (r->open_phase == phase::opening)
    r->properties_stale = true;
  if (r->open_phase == phase::open) {
    if (wanted_monitor(id) != r->monitor) {
      // SeparateMonitor changed: the move happens while the resource is down.
      if (is_down(r->state) && !r->busy) {
        close_in_monitor(*r);
        ensure_open(*r);
      }
    } else {
      auto sections = open_sections(id);
      send(r->monitor, {{"type", "set_properties"},
                        {"resource", r->monitor_key},
                        {"common", sections["common"]},
                        {"parameters", sections["parameters"]},
                        {"timing", sections["timing"]}});
    }
  }
  reconcile(group_of(id));
}

std::vector<std::string> resource_manager::in_name_order(
    const std::set<std::string>& group_ids) const {
  if (group_ids.size() == 1 && index_.group_by_id(*group_ids.begin()) != nullptr)
    return {*group_ids.begin()};
  std::vector<std::string> out;
  for (const auto* g : index_.groups()) {
    if (group_ids.contains(g->id))
      out.push_back(g->id);
  }
  return out;
}

void resource_manager::groups_changed(const std::set<std::string>& group_ids) {
  // Membership of the groups may have changed (a resource moved in or out). A resource moves
  // by an update that writes both groups' Contains, so both are among them; the other groups
  // did not change.
  const auto order = in_name_order(group_ids);
  for (const auto& id : order)
    update_group_state(id);
  for (const auto& id : order)
    reconcile(id);
  check_shutdown_done();
}

// ---- operations -----------------------------------------------------------------------------

void resource_manager::clear_failure_memory(resource_rt& r) {
  // An administrator's action starts the count afresh (MSCS resets the restart and retry
  // state when a resource is brought online or offline by hand).
  ctx_.cancel_timer(r.restart_timer);
  ctx_.cancel_timer(r.retry_timer);
  r.restart_wait = false;
  r.blocked = false;
  r.retry_used = false;
  r.restarts.clear();
}

bool resource_manager::online_resource(const std::string& id) {
  bool already = true;
  for (const auto& current : index_.with_providers(id)) {
    auto* r = find(current);
    if (r == nullptr)
      continue;
    r->wanted = true;
    if (r->state != resource_state::online)
      already = false;
    if (r->state == resource_state::failed || r->blocked)
      clear_failure_memory(*r);
    // A resource whose Open failed gets another Open: the administrator may have fixed what
    // made it fail.
    if (r->open_phase == phase::closed && started_)
      ensure_open(*r);
  }
  const auto gid = group_of(id);
  group(gid).failed_hold = false;
  reconcile(gid);
  return already;
}

void resource_manager::retry_after_lease(const std::string& group_id) {
  auto& g = group(group_id);
  if (g.lease_retry_timer != 0)
    return;
  g.lease_retry_timer = ctx_.arm_timer(ctx_.now() + lease_retry_ms, [this, group_id] {
    group(group_id).lease_retry_timer = 0;
    reconcile(group_id);
  });
}

void resource_manager::persistent_state_written(const std::string& id, bool online) {
  const auto* r = find(id);
  if (r == nullptr || r->wanted == online || !local(group_of(id)))
    return;
  if (online)
    online_resource(id);
  else
    offline_resource(id);
}

bool resource_manager::offline_resource(const std::string& id) {
  bool already = true;
  for (const auto& current : index_.with_dependents(id)) {
    auto* r = find(current);
    if (r == nullptr)
      continue;
    r->wanted = false;
    clear_failure_memory(*r);
    if (r->state != resource_state::offline)
      already = false;
  }
  reconcile(group_of(id));
  return already;
}

void resource_manager::fail_resource(const std::string& id) {
  auto* r = find(id);
  if (r == nullptr)
    return;
  // FailClusterResource: the resource goes through the failure path (restart policy) as if
  // it had failed by itself; the monitor is told to Terminate it.
  if (r->open_phase == phase::open && monitors_[r->monitor].ready && !is_down(r->state)) {
    r->ignore_next_offline = true;
    send(r->monitor, {{"type", "terminate"}, {"resource", r->monitor_key}});
  }
  r->busy = false;
  r->abandoning = false;
  resource_failed(*r, "failure requested by an administrator (FailClusterResource)");
}

bool resource_manager::online_group(const std::string& group_id) {
  const auto* g = index_.group_by_id(group_id);
  if (g == nullptr)
    return true;
  bool already = true;
  for (const auto& id : g->resources) {
    auto* r = find(id);
    if (r == nullptr)
      continue;
    r->wanted = true;
    if (r->state == resource_state::failed || r->blocked)
      clear_failure_memory(*r);
    // A resource whose Open failed gets another Open: the administrator may have fixed what
    // made it fail.
    if (r->open_phase == phase::closed && started_)
      ensure_open(*r);
    if (r->state != resource_state::online)
      already = false;
  }
  group(group_id).failed_hold = false;
  reconcile(group_id);
  return already;
}

bool resource_manager::offline_group(const std::string& group_id) {
  const auto* g = index_.group_by_id(group_id);
  if (g == nullptr)
    return true;
  bool already = true;
  for (const auto& id : g->resources) {
    auto* r = find(id);
    if (r == nullptr)
      continue;
    r->wanted = false;
    clear_failure_memory(*r);
    if (r->state != resource_state::offline)
      already = false;
  }
  group(group_id).failed_hold = false;
  reconcile(group_id);
  return already;
}

// ---- reconcile ------------------------------------------------------------------------------

void resource_manager::reconcile_all() {
  for (const auto* g : index_.groups())
    reconcile(g->id);
  check_shutdown_done();
}

void resource_manager::reconcile(const std::string& group_id) {
  const auto* g = index_.group_by_id(group_id);
  if (g == nullptr)
    return;
  const auto order = index_.online_order(*g);
  const auto& grt = group(group_id);  // entries of groups_ stay where they are
  const bool hold = grt.failed_hold;

  // must_stop: the resource may not run now (not wanted, the group is held down, or a
  // provider is down or must stop). Providers come first in `order`, so one pass suffices.
  // Indexed like `order`; a provider outside the group (a damaged database) counts as not
  // stopping, as an absent entry did.
  std::vector<char> stopping(order.size(), 0);
  const auto must_stop = [&](const std::string& id) {
    const auto at = std::find(order.begin(), order.end(), id);
    return at != order.end() && stopping[static_cast<std::size_t>(at - order.begin())] != 0;
  };
  static const std::vector<std::string> none;
  const auto providers = [this](const resource_entry& e) -> const std::vector<std::string>& {
    return breaks.ignore_dependencies ? none : e.depends_on;  // broken on purpose when set
  };
  // Each member's state and entry, looked up once for the three passes: nothing below runs a
  // callback (commands are only emitted), so no resource comes or goes meanwhile.
  std::vector<resource_rt*> rts(order.size());
  std::vector<const resource_entry*> entries(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    rts[i] = find(order[i]);
    entries[i] = rts[i] != nullptr ? entry_of(*rts[i]) : nullptr;  // unused without rts[i]
  }
  const bool stop_all = shutting_down_ || hold || !local(group_id) || grt.releasing;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto* r = rts[i];
    const auto* e = entries[i];
    if (r == nullptr || e == nullptr)
      continue;
    bool stop = stop_all || !r->wanted;
    for (const auto& p : providers(*e)) {
      const auto* pr = find(p);
      if (pr == nullptr)
        continue;
      if (must_stop(p) || pr->state == resource_state::offline ||
          pr->state == resource_state::failed || pr->state == resource_state::offline_pending) {
        stop = true;
      }
    }
    stopping[i] = stop ? 1 : 0;
  }

  // Offline pass, dependents first: a resource goes down once all its dependents are down.
  for (std::size_t i = order.size(); i-- > 0;) {
    auto* r = rts[i];
    const auto* e = entries[i];
    if (r == nullptr || e == nullptr || stopping[i] == 0 || r->open_phase != phase::open)
      continue;
    // An online still pending is abandoned the documented way (the monitor terminates it)
    // rather than waited out, which could take PendingTimeout.
    const bool abandon = r->busy && r->state == resource_state::online_pending && !r->abandoning;
    if (r->busy && !abandon)
      continue;
    if (!monitors_[r->monitor].ready)
      continue;
    const bool up = is_up(r->state);
    // A failed resource that is no longer wanted is put to Offline, as cluster.exe /offline
    // does with a failed resource.
    const bool failed_unwanted =
        r->state == resource_state::failed && !r->wanted && !r->restart_wait && !shutting_down_;
    if (!up && !failed_unwanted)
      continue;
    bool dependents_down = true;
    for (const auto& d : e->dependents) {
      const auto* dr = find(d);
      if (dr != nullptr && (!is_down(dr->state) || dr->busy))
        dependents_down = false;
    }
    if (!dependents_down)
      continue;
    r->busy = true;
    r->abandoning = abandon;
    send(r->monitor, {{"type", "offline"}, {"resource", r->monitor_key}},
         [this, id = r->id](const nlohmann::json& response) {
           auto* rr = find(id);
           if (rr == nullptr || response.value("ok", false))
             return;
           rr->busy = false;
           rr->abandoning = false;
           ctx_.log("warn", "resource", "offline refused by the monitor",
                    {{"resource", id}, {"response", response.dump()}});
         });
  }

  // Online pass, providers first.
  const bool starting = !may_start || may_start();
  for (std::size_t n = 0; starting && n < order.size(); ++n) {
    // Broken on purpose (core_breaks::ignore_dependencies): dependents first.
    const std::size_t i = breaks.ignore_dependencies ? order.size() - 1 - n : n;
    const auto& id = order[i];
    auto* r = rts[i];
    const auto* e = entries[i];
    if (r == nullptr || e == nullptr || stopping[i] != 0 || !r->wanted || r->busy)
      continue;
    if (r->open_phase != phase::open || !monitors_[r->monitor].ready)
      continue;
    if (r->restart_wait || r->blocked || r->ignore_next_offline || r->start_holds > 0)
      continue;
    if (r->state != resource_state::offline && r->state != resource_state::failed)
      continue;
    bool providers_online = true;
    // Those in the same monitor: it refuses the online if it has stopped one by itself since
    // (its lease ran out and was renewed before this node heard of it).
    nlohmann::json needs = nlohmann::json::array();
    for (const auto& p : providers(*e)) {
      const auto* pr = find(p);
      if (pr != nullptr && pr->state != resource_state::online)
        providers_online = false;
      else if (pr != nullptr && pr->monitor == r->monitor)
        needs.push_back(pr->monitor_key);
    }
    if (!providers_online)
      continue;
    r->busy = true;
    send(r->monitor,
         {{"type", "online"}, {"resource", r->monitor_key}, {"needs", std::move(needs)}},
         [this, id](const nlohmann::json& response) {
           auto* rr = find(id);
           if (rr == nullptr || response.value("ok", false))
             return;
           // The call ran and failed: the state event (Failed) carries the failure. Refused
           // without running (wrong state, lease): nothing changed in the monitor.
           if (response.value("exec", "") == "refused") {
             rr->busy = false;
             rr->abandoning = false;
             ctx_.log("warn", "resource", "online refused by the monitor",
                      {{"resource", id}, {"response", response.dump()}});
             // Refused for the monitor's lease, or for a provider the monitor stopped by
             // itself: nothing else might bring the group back here, so it is tried again
             // shortly (by then the provider's state has come, and it waits for it).
             const auto code = response.value("/error/code"_json_pointer, 0);
             if (code == ERROR_CLUSTER_NODE_NOT_READY || code == ERROR_RESOURCE_NOT_ONLINE)
               retry_after_lease(group_of(id));
           }
         });
  }
  // What is wanted may have changed without any resource changing state (an online or
  // offline was just asked for, a hold was set or lifted): what is shown follows. The group's
  // state reads the resources' states, which showing them does not change, so it is updated
  // with the first resource and again only after a release callback ran (which may change
  // anything): the same events, in the same order, as an update after every resource.
  bool group_too = true;
  for (const auto& id : order) {
    if (auto* r = find(id)) {
      const auto runs = release_runs_;
      refresh_shown(*r, r->reason, group_too);
      group_too = release_runs_ != runs;
    }
  }
  update_group_state(group_id);
  check_shutdown_done();
}

// ---- states -------------------------------------------------------------------------------

bool resource_manager::held_down(const resource_rt& r) const {
  // Its group's entry looked up again only after the index changed (or while it has none):
  // update_group_state asks this for every resource of a group and each provider down the
  // chain.
  if (r.group == nullptr || r.group_generation != index_.generation()) {
    static const std::string none;  // what group_ref() reads for a resource without an entry
    const auto* e = entry_of(r);
    auto it = groups_.find(e != nullptr ? e->group : none);
    r.group = it != groups_.end() ? &it->second : nullptr;
    r.group_generation = index_.generation();
  }
  return r.group != nullptr && r.group->failed_hold;
}

const std::vector<const resource_manager::resource_rt*>& resource_manager::providers_of(
    const resource_rt& r) const {
  if (r.providers_generation != index_.generation() || r.providers_epoch != resource_epoch_) {
    r.providers.clear();
    if (const auto* e = entry_of(r)) {
      for (const auto& p : e->depends_on)
        r.providers.push_back(find(p));
    }
    r.providers_generation = index_.generation();
    r.providers_epoch = resource_epoch_;
  }
  return r.providers;
}

bool resource_manager::would_start(const resource_rt& r, int depth) const {
  if (depth > 64 || !r.wanted || r.blocked || shutting_down_)
    return false;
  // Its entry looked up once: update_group_state asks this for every resource of a group, and
  // again for each provider down the chain.
  if (held_down(r))
    return false;
  const auto* e = entry_of(r);
  if (r.state == resource_state::online || r.state == resource_state::online_pending)
    return true;
  if (e == nullptr)
    return false;
  for (const auto* pr : providers_of(r)) {
    if (pr != nullptr && !would_start(*pr, depth + 1))
      return false;
  }
  return true;
}

bool resource_manager::transitioning(const resource_rt& r) const {
  if (r.busy)
    return true;
  if (is_up(r.state)) {
    if (!r.wanted || shutting_down_)
      return true;
    if (held_down(r))
      return true;
    for (const auto* pr : providers_of(r)) {
      if (pr != nullptr && !is_up(pr->state))
        return true;
    }
    return false;
  }
  // A failed resource that the policy restarts (waiting out RestartDelay, or its monitor's
  // restart) is on its way back; one the policy gave up on is Failed.
  if (r.state == resource_state::failed) {
    if (!r.wanted || r.blocked || shutting_down_)
      return false;
    return !held_down(r);
  }
  return r.state == resource_state::offline && would_start(r, 0);
}

void resource_manager::set_state(resource_rt& r, resource_state s, const std::string& reason) {
  r.state = s;
  r.reason = reason;
  refresh_shown(r, reason);
}

resource_state resource_manager::shown_state(const resource_rt& r) const {
  // What the monitor says, except that a resource the manager has decided to move reads as
  // pending at once (MSCS shows a resource waiting for its providers as Online Pending), so
  // that an administrator or a `/wait` never mistakes a change under way for its end.
  // While a provider is Failed (being restarted), its dependents read Offline: they went
  // down because of it and wait for it, not for an administrator's request.
  if (r.state == resource_state::offline && transitioning(r) && !provider_failed(r, 0))
    return resource_state::online_pending;
  if (r.state == resource_state::online && transitioning(r))
    return resource_state::offline_pending;
  return r.state;
}

bool resource_manager::provider_failed(const resource_rt& r, int depth) const {
  if (depth > 64)
    return false;
  for (const auto* pr : providers_of(r)) {
    if (pr != nullptr && (pr->state == resource_state::failed || provider_failed(*pr, depth + 1)))
      return true;
  }
  return false;
}

void resource_manager::refresh_shown(resource_rt& r, const std::string& reason, bool group_too) {
  const auto s = shown_state(r);
  if (s == r.shown) {
    // No event, but what else changed with it (blocked, held) may move the group's state.
    if (group_too)
      update_group_state(group_of(r.id));
    return;
  }
  const auto previous = r.shown;
  r.shown = s;
  std::string why = reason;
  if (s != r.state) {
    if (s == resource_state::online_pending)
      why = r.busy ? "online requested" : "waiting for its providers to come online";
    else if (r.busy)
      why = "offline requested";
    else if (r.wanted && !shutting_down_)
      why = "a provider is down: waiting for its dependents to go offline";
    else
      why = "waiting for its dependents to go offline";
  }
  const auto* e = entry_of(r);
  // Built only where it is published, on the owner: the other nodes follow every resource's
  // state too, and after a view change they would build an event for each to throw away.
  if (e == nullptr || local(e->group)) {
    const auto* g = e != nullptr ? index_.group_by_id(e->group) : nullptr;
    static const std::string no_group;
    auto event = resource_event(r.id, e != nullptr ? e->name : r.id,
                                g != nullptr ? g->name : no_group, s, previous, why);
    ctx_.publish(std::as_const(event));
    if (on_state_published)
      on_state_published(std::move(event));
  }
  if (e != nullptr && group_too)
    update_group_state(e->group);
}

void resource_manager::update_group_state(const std::string& group_id) {
  const auto* g = index_.group_by_id(group_id);
  if (g == nullptr)
    return;
  bool pending = false, failed = false, any_online = false, any_offline = false;
  for (const auto& id : g->resources) {
    if (is_witness && is_witness(id)) {
      // Run by the quorum manager of whichever member needs it, not by this group's owner:
      // it counts as it is shown (Online while a member holds it), as MSCS's Cluster Group
      // reads Online with its quorum resource.
      if (witness_state && witness_state() == resource_state::online)
        any_online = true;
      else
        any_offline = true;
      continue;
    }
    const auto* r = find(id);
    if (r == nullptr)
      continue;
    // A resource the manager is about to move counts as pending, so that a group coming
    // online through a dependency chain reads Pending until it is done, never a passing
    // PartialOnline.
    if (transitioning(*r)) {
      pending = true;
      continue;
    }
    switch (r->state) {
      case resource_state::online:
        any_online = true;
        break;
      case resource_state::offline:
        any_offline = true;
        break;
      case resource_state::failed:
        failed = true;
        break;
      default:
        pending = true;
    }
  }
  group_state s = group_state::offline;
  if (pending)
    s = group_state::pending;
  else if (failed)
    s = group_state::failed;
  else if (any_online && any_offline)
    s = group_state::partial_online;
  else if (any_online)
    s = group_state::online;
  auto& rt = group(group_id);
  if (rt.releasing && !rt.released.empty())
    check_released(group_id);  // which asks the same first
  if (rt.state == s)
    return;
  const auto previous = rt.state;
  rt.state = s;
  if (!local(group_id))
    return;  // the owner's word counts
  auto event = group_event(*g, s, previous);
  ctx_.publish(std::as_const(event));
  if (on_state_published)
    on_state_published(std::move(event));
}

// ---- lookups ------------------------------------------------------------------------------

resource_manager::resource_rt* resource_manager::find(const std::string& id) {
  auto it = resource_lookup_.find(std::string_view(id));
  return it == resource_lookup_.end() ? nullptr : it->second;
}

const resource_manager::resource_rt* resource_manager::find(const std::string& id) const {
  auto it = resource_lookup_.find(std::string_view(id));
  return it == resource_lookup_.end() ? nullptr : it->second;
}

const resource_entry* resource_manager::entry_of(const resource_rt& r) const {
  if (r.entry_generation != index_.generation()) {
    r.entry = index_.resource_by_id(r.id);
    r.entry_generation = index_.generation();
  }
  return r.entry;
}

resource_manager::resource_rt& resource_manager::add_resource(const std::string& id) {
  auto [it, inserted] = resources_.try_emplace(id);
  if (inserted) {
    it->second.id = id;
    resource_lookup_.emplace(std::string_view(it->first), &it->second);
    ++resource_epoch_;
  }
  return it->second;
}

void resource_manager::erase_resource(const std::string& id) {
  const auto it = resources_.find(id);
  if (it == resources_.end())
    return;
  resource_lookup_.erase(std::string_view(it->first));
  resources_.erase(it);
  ++resource_epoch_;
}

resource_manager::group_rt& resource_manager::group(const std::string& group_id) {
  return groups_[group_id];
}

void resource_manager::witness_shown(const std::string& id, resource_state before) {
  const auto* e = index_.resource_by_id(id);
  if (e == nullptr)
    return;
  const auto now = witness_state ? witness_state() : resource_state::offline;
  if (now != before && local(e->group)) {
    const auto* g = index_.group_by_id(e->group);
    static const std::string no_group;
    const auto event =
        resource_event(id, e->name, g != nullptr ? g->name : no_group, now, before,
                       now == resource_state::online ? "a member holds the quorum witness"
                                                     : "no member holds the quorum witness");
    ctx_.publish(event);
  }
  update_group_state(e->group);
}

std::string resource_manager::group_of(const std::string& id) const {
  return group_ref(id);
}

const std::string& resource_manager::group_ref(const std::string& id) const {
  static const std::string none;
  const auto* e = index_.resource_by_id(id);
  return e != nullptr ? e->group : none;
}

bool resource_manager::hold_start(const std::string& id) {
  auto* r = find(id);
  if (r == nullptr || !local(group_of(id)))
    return false;
  ++r->start_holds;
  return true;
}

void resource_manager::release_start(const std::string& id) {
  auto* r = find(id);
  if (r == nullptr || r->start_holds == 0)
    return;
  if (--r->start_holds == 0)
    reconcile(group_of(id));
}

bool resource_manager::starting_or_up(const std::string& id) const {
  const auto* r = find(id);
  if (r == nullptr || !local(group_of(id)))
    return is_up(state_of(id));
  // busy while down: the online command is out (an offline is sent only to what is up).
  return is_up(r->state) || is_up(r->shown) || (r->busy && r->wanted);
}

resource_state resource_manager::state_of(const std::string& id) const {
  if (is_witness && is_witness(id))
    return witness_state ? witness_state() : resource_state::offline;
  if (const auto gid = group_of(id); !gid.empty() && !local(gid)) {
    auto it = remote_resources_.find(id);
    return it != remote_resources_.end() ? it->second : resource_state::offline;
  }
  const auto* r = find(id);
  return r != nullptr ? r->shown : resource_state::unknown;
}

group_state resource_manager::state_of_group(const std::string& group_id) const {
  if (index_.group_by_id(group_id) == nullptr)
    return group_state::unknown;
  if (!local(group_id)) {
    auto it = remote_groups_.find(group_id);
    return it != remote_groups_.end() ? it->second : group_state::offline;
  }
  auto it = groups_.find(group_id);
  return it == groups_.end() ? group_state::offline : it->second.state;
}

std::string resource_manager::monitor_of(const std::string& id) const {
  const auto* r = find(id);
  return r != nullptr ? r->monitor : std::string();
}

std::string resource_manager::failure_reason(const std::string& id) const {
  const auto* r = find(id);
  return r != nullptr ? r->reason : std::string();
}

bool resource_manager::open(const std::string& id) const {
  const auto* r = find(id);
  return r != nullptr && r->open_phase == phase::open;
}

std::optional<int> resource_manager::monitor_pid(const std::string& id) const {
  const auto* r = find(id);
  if (r == nullptr || r->open_phase != phase::open)
    return std::nullopt;
  auto it = monitors_.find(r->monitor);
  if (it == monitors_.end() || !it->second.ready || it->second.pid == 0)
    return std::nullopt;
  return it->second.pid;
}

resource_timing resource_manager::timing(const std::string& id) const {
  const auto& tree = db_.tree();
  const auto* e = index_.resource_by_id(id);
  const std::string rpath = schema::resource_path(id);
  const std::string tpath = e != nullptr ? schema::type_path(e->type) : std::string();
  auto pick = [&](std::string_view name) {
    const auto own = effective_dword(tree, object_kind::resource, rpath, name);
    if (own != 0xFFFFFFFFu)
      return own;
    return effective_dword(tree, object_kind::resource_type, tpath, name);
  };
  resource_timing t;
  t.looks_alive_ms = pick("LooksAlivePollInterval");
  t.is_alive_ms = pick("IsAlivePollInterval");
  t.pending_timeout_ms = pick("PendingTimeout");
  t.deadlock_timeout_ms = pick("DeadlockTimeout");
  return t;
}

}  // namespace wolfpack::cluster
