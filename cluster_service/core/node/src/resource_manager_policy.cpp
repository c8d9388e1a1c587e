// What happens when a resource fails (SPEC 4.3): restart on this node up to RestartThreshold
// times within RestartPeriod, each after RestartDelay; then, depending on RestartAction,
// leave it failed or fail the group over (SPEC 4.5), counted against the group's
// FailoverThreshold within FailoverPeriod; after RetryPeriodOnFailure in Failed, one more try.
#include <algorithm>

#include "db_schema.hpp"
#include "property_reader.hpp"
#include "resource_manager.hpp"

namespace wolfpack::cluster {

namespace {

constexpr std::uint32_t dont_restart = 0;
constexpr std::uint32_t restart_notify = 2;  // "if restart is unsuccessful, fail over the group"
constexpr std::uint32_t never = 0xFFFFFFFFu;

}  // namespace

void resource_manager::resource_failed(resource_rt& r, const std::string& reason) {
  ctx_.cancel_timer(r.restart_timer);
  r.restart_wait = false;
  set_state(r, resource_state::failed, reason);
  const auto gid = group_of(r.id);
  if (shutting_down_) {
    check_shutdown_done();
    return;
  }
  if (!r.wanted) {
    // It failed while going offline (or was not meant to run): nothing to restart.
    reconcile(gid);
    return;
  }

  const auto& tree = db_.tree();
  const auto path = schema::resource_path(r.id);
  const auto action = effective_dword(tree, object_kind::resource, path, "RestartAction");
  const auto threshold = effective_dword(tree, object_kind::resource, path, "RestartThreshold");
  const auto period = effective_dword(tree, object_kind::resource, path, "RestartPeriod");
  const auto delay = effective_dword(tree, object_kind::resource, path, "RestartDelay");
  const std::map<std::string, std::string> fields{{"resource", r.id}, {"reason", reason}};

  if (action == dont_restart) {
    r.blocked = true;
    ctx_.log("info", "failover", "resource failed; RestartAction says do not restart", fields);
    reconcile(gid);
    return;
  }

  const time_ms now = ctx_.now();
  while (!r.restarts.empty() && now - r.restarts.front() >= period)
    r.restarts.pop_front();
  if (r.restarts.size() < threshold) {
    r.restarts.push_back(now);
    r.restart_wait = true;
    ctx_.log("info", "failover",
             "restarting resource (" + std::to_string(r.restarts.size()) + " of " +
                 std::to_string(threshold) + " within RestartPeriod)",
             fields);
    r.restart_timer = ctx_.arm_timer(now + delay, [this, id = r.id] {
      auto* rr = find(id);
      if (rr == nullptr)
        return;
      rr->restart_timer = 0;
      rr->restart_wait = false;
      reconcile(group_of(id));
    });
    reconcile(gid);
    return;
  }

  // The threshold is exhausted on this node.
  r.blocked = true;
  ctx_.log("warn", "failover", "resource failed more than RestartThreshold times", fields);
  schedule_retry(r);
  if (action == restart_notify) {
    group_failed(gid, "resource '" + r.id + "' exhausted its restarts");
  }
  reconcile(gid);
}

void resource_manager::schedule_retry(resource_rt& r) {
  const auto retry = effective_dword(db_.tree(), object_kind::resource, schema::resource_path(r.id),
                                     "RetryPeriodOnFailure");
  if (retry == never || r.retry_used)
    return;
  ctx_.cancel_timer(r.retry_timer);
  r.retry_timer = ctx_.arm_timer(ctx_.now() + retry, [this, id = r.id] {
    auto* rr = find(id);
    if (rr == nullptr)
      return;
    rr->retry_timer = 0;
    if (rr->state != resource_state::failed || !rr->wanted)
      return;
    // One more attempt, as if the administrator had asked; if it fails through its restarts
    // again, the resource stays failed until someone acts.
    ctx_.log("info", "failover", "RetryPeriodOnFailure elapsed: trying the resource again",
             {{"resource", id}});
    rr->retry_used = true;
    rr->blocked = false;
    rr->restarts.clear();
    const auto gid = group_of(id);
    group(gid).failed_hold = false;
    reconcile(gid);
  });
}

std::vector<time_ms> resource_manager::failover_ages(const std::string& group_id) const {
  std::vector<time_ms> ages;
  const auto it = groups_.find(group_id);
  if (it == groups_.end())
    return ages;
  const time_ms now = ctx_.now();
  for (const auto t : it->second.failovers)
    ages.push_back(now >= t ? now - t : 0);
  return ages;
}

void resource_manager::set_failover_ages(const std::string& group_id,
                                         const std::vector<time_ms>& ages) {
  auto& rt = group(group_id);
  rt.failovers.clear();
  const time_ms now = ctx_.now();
  // Oldest first, as group_failed keeps them; an age beyond this node's clock is clamped.
  std::vector<time_ms> sorted(ages);
  std::sort(sorted.rbegin(), sorted.rend());
  for (const auto age : sorted)
    rt.failovers.push_back(now >= age ? now - age : 0);
}

void resource_manager::group_failed(const std::string& group_id, const std::string& cause) {
  const auto* g = index_.group_by_id(group_id);
  if (g == nullptr)
    return;
  auto& rt = group(group_id);
  const auto path = schema::group_path(group_id);
  const auto& tree = db_.tree();
  const auto threshold_value = effective_dword(tree, object_kind::group, path, "FailoverThreshold");
  const auto period_hours = effective_dword(tree, object_kind::group, path, "FailoverPeriod");
  const std::uint64_t nodes = index_.nodes().size();
  // 0xFFFFFFFF means "number of nodes - 1": one try on every other node.
  const std::uint64_t threshold =
      threshold_value == never ? (nodes > 0 ? nodes - 1 : 0) : threshold_value;
  const time_ms now = ctx_.now();
  const time_ms window = static_cast<time_ms>(period_hours) * 3600000ull;
  while (!rt.failovers.empty() && now - rt.failovers.front() >= window)
    rt.failovers.pop_front();

  std::map<std::string, std::string> fields{{"group", g->name}, {"cause", cause}};
  if (rt.failovers.size() < threshold) {
    rt.failovers.push_back(now);
    if (fail_over && fail_over(group_id)) {
      fields["failovers"] = std::to_string(rt.failovers.size());
      ctx_.log("warn", "failover", "group failover: moving the group to another node", fields);
      return;
    }
    // Choosing another owner needs other nodes (SPEC 4.6); a single node has none, so the
    // failover ends here, in Failed.
    fields["failovers"] = std::to_string(rt.failovers.size());
    ctx_.log("warn", "failover", "group failover: no other node can host the group", fields);
  } else {
    fields["threshold"] = std::to_string(threshold);
    ctx_.log("warn", "failover", "group failover: FailoverThreshold reached within FailoverPeriod",
             fields);
  }
  // "Fails all other resources in the group and leaves the group offline": the group is held
  // down (its other resources are taken offline) until a retry or an administrator acts.
  rt.failed_hold = true;
}

bool resource_manager::held_by_policy(const std::string& id) const {
  const auto* r = find(id);
  if (r == nullptr || (r->state != resource_state::failed && r->state != resource_state::offline))
    return false;
  const auto gid = group_of(id);
  const auto* g = index_.group_by_id(gid);
  const auto rt = groups_.find(gid);
  if (g == nullptr)
    return false;
  // A retry still to come brings the group back by itself.
  for (const auto& other : g->resources) {
    const auto* o = find(other);
    if (o != nullptr && o->retry_timer != 0)
      return false;
  }
  if (r->blocked && r->state == resource_state::failed)
    return true;
  return rt != groups_.end() && rt->second.failed_hold;
}

}  // namespace wolfpack::cluster
