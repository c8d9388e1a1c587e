// The resource manager's side of the monitor protocol (docs/monitor-protocol.md): which
// monitor hosts a resource, loading types and opening resources when a monitor is ready,
// the frames that come back, and what a monitor's death means.
#include <utility>

#include "db_schema.hpp"
#include "monitor_response_check.hpp"
#include "property_reader.hpp"
#include "resource_manager.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/cluster_db/db_path.hpp"

namespace wolfpack::cluster {

namespace {

nlohmann::json error_response(std::uint32_t code, const std::string& name,
                              const std::string& message) {
  return {{"type", "response"},
          {"ok", false},
          {"exec", "refused"},
          {"status", code},
          {"error", {{"code", code}, {"name", name}, {"message", message}}}};
}

nlohmann::json values_of(const db_tree& tree, const std::string& path) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& v : tree.values(path))
    out[v.name] = to_json(v.value);
  return out;
}

}  // namespace

std::string resource_manager::wanted_monitor(const std::string& id) const {
  const bool separate = effective_dword(db_.tree(), object_kind::resource,
                                        schema::resource_path(id), "SeparateMonitor") != 0;
  return separate ? "sep-" + id : "default";
}

void resource_manager::send(const std::string& monitor_id, nlohmann::json command,
                            std::function<void(const nlohmann::json&)> done) {
  const std::int64_t id = next_command_++;
  command["id"] = id;
  commands_[id] = pending_command{monitor_id, std::move(done)};
  ctx_.emit(out_send_monitor{monitor_id, std::move(command)});
}

nlohmann::json resource_manager::open_sections(const std::string& id) const {
  const auto& tree = db_.tree();
  const auto t = timing(id);
  return {{"common", values_of(tree, schema::resource_path(id))},
          {"parameters", values_of(tree, schema::parameters_path(id))},
          {"timing",
           {{"looks_alive_ms", t.looks_alive_ms},
            {"is_alive_ms", t.is_alive_ms},
            {"pending_timeout_ms", t.pending_timeout_ms},
            {"deadlock_timeout_ms", t.deadlock_timeout_ms}}}};
}

bool resource_manager::opens_here(const std::string& id) {
  // Resources are open only on their group's owner (the monitor there runs them), once the
  // start gate is open. A group on its way to another node (a move) is not: what is added to
  // it meanwhile, or waited for its monitor or its type, is opened by the next owner, which
  // may be running the group already when this node learns the move committed.
  const auto gid = group_of(id);
  return local(gid) && (!may_start || may_start()) && !group(gid).releasing;
}

void resource_manager::ensure_open(resource_rt& r) {
  if (r.open_phase != phase::closed || !opens_here(r.id))
    return;
  if (is_witness && is_witness(r.id))
    return;
  r.monitor = wanted_monitor(r.id);
  auto [it, inserted] = monitors_.try_emplace(r.monitor);
  if (inserted || !it->second.ready) {
    ctx_.emit(out_ensure_monitor{r.monitor});
    return;  // opened when the monitor says hello
  }
  open_in_monitor(r);
}

void resource_manager::open_in_monitor(resource_rt& r) {
  auto& m = monitors_[r.monitor];
  const auto* e = index_.resource_by_id(r.id);
  if (e == nullptr || !m.ready || r.open_phase != phase::closed || (may_start && !may_start()))
    return;
  const auto* type = index_.type_by_name(e->type);
  if (type == nullptr) {
    set_state(r, resource_state::failed, "resource type '" + e->type + "' is not registered");
    r.blocked = true;
    return;
  }
  auto loaded = m.types.find(type->id);
  if (loaded == m.types.end()) {
    m.types[type->id] = false;
    const std::string monitor = r.monitor;
    const std::string type_id = type->id;
    send(monitor, {{"type", "load_type"}, {"resource_type", type->id}, {"plugin", type->dll}},
         [this, monitor, type_id](const nlohmann::json& response) {
           auto mit = monitors_.find(monitor);
           if (mit == monitors_.end())
             return;
           const bool ok = response.value("ok", false);
           if (ok) {
             mit->second.types[type_id] = true;
             learn_type(monitor, type_id);
           } else {
             mit->second.types.erase(type_id);
           }
           if (!ok && response.value("exec", "") == "refused" &&
               response.value("/error/code"_json_pointer, 0) == ERROR_CLUSTER_NODE_NOT_READY) {
             // The monitor's lease had run out: the plugin was not tried. What waits for the
             // type tries again shortly, as a refused Open does.
             ctx_.arm_timer(ctx_.now() + lease_retry_ms, [this, monitor] {
               for (auto& [id, rr] : resources_) {
                 if (rr.monitor == monitor && rr.open_phase == phase::closed && local(group_of(id)))
                   ensure_open(rr);
               }
             });
             return;
           }
           // Every resource of this type waiting on this monitor opens now, or fails.
           for (auto& [id, rr] : resources_) {
             const auto* ee = index_.resource_by_id(id);
             // Only what this node owns now: `monitor` stays set on a resource whose group
             // has moved away since it waited here.
             if (rr.monitor != monitor || rr.open_phase != phase::closed || ee == nullptr ||
                 !opens_here(id))
               continue;
             const auto* tt = index_.type_by_name(ee->type);
             if (tt == nullptr || tt->id != type_id)
               continue;
             if (ok) {
               open_in_monitor(rr);
             } else {
               rr.blocked = true;
               rr.open_failed = true;
               notify_open_waiters(id, false);
               set_state(rr, resource_state::failed,
                         "resource type '" + type_id + "' could not be loaded: " +
                             response.value("/error/message"_json_pointer, std::string("?")));
             }
           }
         });
    return;
  }
  if (!loaded->second)
    return;  // loading; opened when the answer comes

  r.open_phase = phase::opening;
  r.properties_stale = false;
  r.monitor_key = e->name;
  m.keys[r.monitor_key] = r.id;
  auto sections = open_sections(r.id);
  send(r.monitor,
       {{"type", "open"},
        {"resource", r.monitor_key},
        {"resource_type", type->id},
        {"common", sections["common"]},
        {"parameters", sections["parameters"]},
        {"timing", sections["timing"]}},
       [this, id = r.id](const nlohmann::json& response) {
         auto* rr = find(id);
         if (rr == nullptr || rr->open_phase != phase::opening)
           return;
         if (response.value("ok", false)) {
           rr->open_phase = phase::open;
           // A failed Open is what blocked it: open now, it may run again.
           if (std::exchange(rr->open_failed, false))
             rr->blocked = false;
           const bool stale = std::exchange(rr->properties_stale, false);
           notify_open_waiters(id, true);
           if (stale)
             resource_changed(id);  // sends what changed meanwhile, then reconciles
           else
             reconcile(group_of(id));
           return;
         }
         rr->open_phase = phase::closed;
         monitors_[rr->monitor].keys.erase(rr->monitor_key);
         if (response.value("exec", "") == "refused" &&
             response.value("/error/code"_json_pointer, 0) == ERROR_CLUSTER_NODE_NOT_READY) {
           // The monitor's lease had run out: nothing of the plugin ran and nothing failed.
           // Tried again shortly (the lease is renewed with the node's next evidence).
           notify_open_waiters(id, false);
           ctx_.cancel_timer(rr->retry_timer);
           rr->retry_timer = ctx_.arm_timer(ctx_.now() + lease_retry_ms, [this, id] {
             if (auto* again = find(id)) {
               again->retry_timer = 0;
               ensure_open(*again);
             }
           });
           return;
         }
         rr->blocked = true;
         rr->open_failed = true;
         notify_open_waiters(id, false);
         set_state(
             *rr, resource_state::failed,
             "Open failed: " + response.value("/error/message"_json_pointer, std::string("?")));
       });
}

void resource_manager::witness_changed() {
  for (auto& [id, r] : resources_) {
    if (is_witness && is_witness(id)) {
      close_in_monitor(r);
      set_state(r, resource_state::offline, "it became the quorum witness");
    } else if (r.open_phase == phase::closed && started_) {
      ensure_open(r);  // it may have been the witness until now
    }
  }
  for (const auto* g : index_.groups())
    reconcile(g->id);
}

void resource_manager::close_in_monitor(resource_rt& r) {
  if (r.open_phase == phase::closed)
    return;
  auto& m = monitors_[r.monitor];
  if (m.ready)
    send(r.monitor, {{"type", "close"}, {"resource", r.monitor_key}});
  m.keys.erase(r.monitor_key);
  r.open_phase = phase::closed;
  r.busy = false;
  r.abandoning = false;
}

void resource_manager::stop_unused_monitors() {
  std::vector<std::string> unused;
  for (const auto& [mid, m] : monitors_) {
    if (mid == "default")
      continue;
    bool used = false;
    for (const auto& [id, r] : resources_)
      used = used || r.monitor == mid || wanted_monitor(id) == mid;
    if (!used)
      unused.push_back(mid);
  }
  for (const auto& mid : unused) {
    monitors_.erase(mid);
    ctx_.emit(out_stop_monitor{mid});
  }
}

void resource_manager::learn_type(const std::string& monitor_id, const std::string& type_id) {
  auto& facts = types_[type_id];
  if (!facts.required) {
    send(monitor_id,
         {{"type", "resource_type_control"},
          {"resource_type", type_id},
          {"code", CLUSCTL_RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES},
          {"in", ""},
          {"out_size", 4096}},
         [this, type_id](const nlohmann::json& response) {
           if (!response.value("ok", false))
             return;
           if (auto parsed = parse_required_dependencies(response.value("out", ""))) {
             types_[type_id].required = std::move(*parsed);
           } else {
             ctx_.log("warn", "resource", "required dependencies of the type do not decode",
                      {{"resource_type", type_id}});
           }
         });
  }
  if (!facts.resource_class) {
    send(monitor_id,
         {{"type", "resource_type_control"},
          {"resource_type", type_id},
          {"code", CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO},
          {"in", ""},
          {"out_size", 8}},
         [this, type_id](const nlohmann::json& response) {
           if (!response.value("ok", false))
             return;
           if (auto rc = parse_class_info(response.value("out", "")))
             types_[type_id].resource_class = *rc;
         });
  }
}

std::optional<std::string> resource_manager::missing_required_dependency(
    const std::string& id) const {
  const auto* e = index_.resource_by_id(id);
  if (e == nullptr)
    return std::nullopt;
  const auto* type = index_.type_by_name(e->type);
  if (type == nullptr)
    return std::nullopt;
  auto it = types_.find(type->id);
  if (it == types_.end() || !it->second.required)
    return std::nullopt;
  const auto& required = *it->second.required;
  auto provider_matches = [&](auto&& predicate) {
    for (const auto& p : e->depends_on) {
      const auto* pe = index_.resource_by_id(p);
      const auto* pt = pe != nullptr ? index_.type_by_name(pe->type) : nullptr;
      if (pt != nullptr && predicate(*pt))
        return true;
    }
    return false;
  };
  for (const auto& name : required.type_names) {
    const bool ok = provider_matches([&](const type_entry& pt) {
      return fold_case(pt.id) == fold_case(name) || fold_case(pt.display_name) == fold_case(name);
    });
    if (!ok)
      return "a resource of type '" + name + "'";
  }
  for (auto rc : required.classes) {
    const bool ok = provider_matches([&](const type_entry& pt) {
      auto facts = types_.find(pt.id);
      return facts != types_.end() && facts->second.resource_class == rc;
    });
    if (!ok)
      return "a resource of class " + resource_class_name(rc);
  }
  return std::nullopt;
}

void resource_manager::when_open(const std::string& id, std::function<void(bool)> done) {
  auto* r = find(id);
  if (r == nullptr || shutting_down_) {
    done(false);
    return;
  }
  if (r->open_phase == phase::open && monitors_[r->monitor].ready) {
    done(true);
    return;
  }
  if (r->open_phase == phase::closed && r->open_failed) {
    done(false);  // its Open failed; only an online request tries again
    return;
  }
  open_waiters_[id].push_back(std::move(done));
}

void resource_manager::notify_open_waiters(const std::string& id, bool open) {
  auto it = open_waiters_.find(id);
  if (it == open_waiters_.end())
    return;
  auto waiters = std::move(it->second);
  open_waiters_.erase(it);
  for (auto& w : waiters)
    w(open);
}

void resource_manager::resource_control(const std::string& id, std::uint32_t code,
                                        const std::string& in_hex, std::uint32_t out_size,
                                        std::function<void(const nlohmann::json&)> done) {
  auto* r = find(id);
  if (r == nullptr || r->open_phase != phase::open || !monitors_[r->monitor].ready) {
    done(error_response(5006, "ERROR_RESOURCE_NOT_AVAILABLE",
                        "the resource is not open in a running resource monitor"));
    return;
  }
  send(r->monitor,
       {{"type", "resource_control"},
        {"resource", r->monitor_key},
        {"code", code},
        {"in", in_hex},
        {"out_size", out_size}},
       std::move(done));
}

void resource_manager::type_control(const std::string& type_id, std::uint32_t code,
                                    const std::string& in_hex, std::uint32_t out_size,
                                    std::function<void(const nlohmann::json&)> done) {
  const auto* type = index_.type_by_name(type_id);
  const auto m = monitors_.find("default");
  if (type == nullptr || m == monitors_.end() || !m->second.ready) {
    done(error_response(5006, "ERROR_RESOURCE_NOT_AVAILABLE",
                        "the default resource monitor is not running"));
    return;
  }
  send("default", {{"type", "load_type"}, {"resource_type", type->id}, {"plugin", type->dll}},
       [this, id = type->id, code, in_hex, out_size,
        done = std::move(done)](const nlohmann::json& loaded) mutable {
         if (!loaded.value("ok", false))
           return done(loaded);
         const auto mit = monitors_.find("default");
         if (mit == monitors_.end() || !mit->second.ready) {
           return done(error_response(5006, "ERROR_RESOURCE_NOT_AVAILABLE",
                                      "the default resource monitor stopped"));
         }
         if (!mit->second.types[id]) {
           mit->second.types[id] = true;
           learn_type("default", id);
         }
         send("default",
              {{"type", "resource_type_control"},
               {"resource_type", id},
               {"code", code},
               {"in", in_hex},
               {"out_size", out_size}},
              std::move(done));
       });
}

void resource_manager::monitor_ready(const std::string& monitor_id, int pid) {
  auto& m = monitors_[monitor_id];
  m.ready = true;
  m.pid = pid;
  m.types.clear();
  m.keys.clear();
  if (shutting_down_) {
    check_shutdown_done();
    return;
  }
  for (auto& [id, r] : resources_) {
    if (r.open_phase == phase::closed && wanted_monitor(id) == monitor_id && opens_here(id)) {
      r.monitor = monitor_id;
      open_in_monitor(r);
    }
  }
}

void resource_manager::monitor_exit(const std::string& monitor_id, const std::string& reason) {
  auto mit = monitors_.find(monitor_id);
  if (mit != monitors_.end()) {
    mit->second.ready = false;
    mit->second.pid = 0;
    mit->second.types.clear();
    mit->second.keys.clear();
  }
  // Commands that will never be answered.
  std::vector<std::function<void(const nlohmann::json&)>> orphaned;
  for (auto it = commands_.begin(); it != commands_.end();) {
    if (it->second.monitor == monitor_id) {
      if (it->second.done)
        orphaned.push_back(std::move(it->second.done));
      it = commands_.erase(it);
    } else {
      ++it;
    }
  }
  // First every resource of the monitor is closed, so that the policy decisions below never
  // send a command to the dead monitor; then the ones that were not offline fail.
  std::set<std::string> groups;
  std::vector<std::string> failed;
  for (auto& [id, r] : resources_) {
    if (r.monitor != monitor_id || r.open_phase == phase::closed)
      continue;
    r.open_phase = phase::closed;
    r.busy = false;
    r.abandoning = false;
    r.ignore_next_offline = false;
    groups.insert(group_of(id));
    if (r.state != resource_state::offline)
      failed.push_back(id);
  }
  for (auto& [id, r] : resources_) {
    if (r.monitor == monitor_id)
      notify_open_waiters(id, false);
  }
  // They all failed at the same moment: mark them before the policy runs for any of them, so
  // that no one reads as still running (or going offline) while another's failure is handled.
  const std::string why = "resource monitor '" + monitor_id + "' ended: " + reason;
  for (const auto& id : failed) {
    if (auto* r = find(id)) {
      r->state = resource_state::failed;
      r->reason = why;
    }
  }
  for (const auto& id : failed) {
    if (auto* r = find(id))
      resource_failed(*r, why);
  }
  for (auto& done : orphaned) {
    done(error_response(1726, "RPC_S_CALL_FAILED",
                        "resource monitor '" + monitor_id + "' ended: " + reason));
  }
  if (shutting_down_) {
    check_shutdown_done();
    return;
  }
  for (const auto& g : groups)
    reconcile(g);
}

void resource_manager::monitor_event(const std::string& monitor_id, const nlohmann::json& event) {
  const std::string type = event.value("type", "");
  if (type == "response") {
    check_monitor_response(event);
    const auto id = event.value("id", std::int64_t{0});
    auto it = commands_.find(id);
    if (it == commands_.end())
      return;
    auto done = std::move(it->second.done);
    commands_.erase(it);
    if (done)
      done(event);
    return;
  }
  auto mit = monitors_.find(monitor_id);
  resource_rt* r = nullptr;
  if (mit != monitors_.end() && event.contains("resource") && event["resource"].is_string()) {
    auto k = mit->second.keys.find(event["resource"].get<std::string>());
    if (k != mit->second.keys.end())
      r = find(k->second);
  }
  if (type == "state") {
    if (r != nullptr && r->open_phase == phase::open)
      on_state_event(*r, event);
    return;
  }
  if (type == "lease_expired" && mit != monitors_.end()) {
    for (const auto& [key, id] : mit->second.keys) {
      if (auto* fenced = find(id))
        fenced->lease_stop = true;
    }
  }
  if (type == "registry") {
    if (r != nullptr)
      on_registry_event(*r, event);
    return;
  }
  std::map<std::string, std::string> fields{{"monitor", monitor_id}, {"frame", event.dump()}};
  if (r != nullptr)
    fields["resource"] = r->id;
  if (type == "log") {
    const auto level = event.value("level", "info");
    ctx_.log(level == "error"     ? "error"
             : level == "warning" ? "warn"
                                  : "info",
             "resource", event.value("message", ""), std::move(fields));
  } else if (type == "poll_failed" || type == "operation" || type == "deadlock" ||
             type == "lease_expired" || type == "quorum_lost") {
    ctx_.log("warn", "resource", "monitor reported " + type, std::move(fields));
  }
}

void resource_manager::on_state_event(resource_rt& r, const nlohmann::json& event) {
  const auto s = static_cast<resource_state>(event.value("code", -1));
  const std::string reason = event.value("reason", "");
  const bool lease_stop = std::exchange(r.lease_stop, false);
  if (r.ignore_next_offline) {
    // The Terminate that followed a failure decided by the service: the service's Failed
    // stands.
    if (s == resource_state::offline || s == resource_state::failed) {
      r.ignore_next_offline = false;
      reconcile(group_of(r.id));  // a restart may have been waiting for the monitor
    }
    return;
  }
  if (lease_stop && s == resource_state::failed) {
    // Stopped by the lease, not failed: it comes back here when the lease is renewed (the
    // Online is refused until then and retried) unless the group has gone elsewhere.
    r.busy = false;
    r.abandoning = false;
    ctx_.cancel_timer(r.restart_timer);
    r.restart_wait = false;
    set_state(r, resource_state::offline, reason);
    // Not at once: the Failed of the other resources the fence stopped (a provider among
    // them) may still be on their way, and until they arrive they look online.
    retry_after_lease(group_of(r.id));
    return;
  }
  switch (s) {
    case resource_state::online:
    case resource_state::offline:
      r.busy = false;
      r.abandoning = false;
      if (s == resource_state::online) {
        // Online again: a later failure starts a new retry cycle, with its own
        // RetryPeriodOnFailure attempt.
        ctx_.cancel_timer(r.retry_timer);
        r.retry_used = false;
      }
      set_state(r, s, reason);
      break;
    case resource_state::failed:
      r.busy = false;
      r.abandoning = false;
      resource_failed(r, reason);
      break;
    case resource_state::online_pending:
    case resource_state::offline_pending:
    case resource_state::initializing:
      set_state(r, s, reason);
      break;
    default:
      ctx_.log("warn", "resource", "monitor reported an unknown state",
               {{"resource", r.id}, {"frame", event.dump()}});
      return;
  }
  reconcile(group_of(r.id));
}

void resource_manager::on_registry_event(resource_rt& r, const nlohmann::json& event) {
  // The plugin wrote its own key through ClusterReg*: the database keeps what it wrote.
  const std::string key = event.value("key", "");
  const std::string name = event.value("name", "");
  if (name.empty())
    return;
  const std::string path =
      key.empty() ? schema::resource_path(r.id) : schema::resource_path(r.id) + "\\" + key;
  std::vector<db_op> ops;
  // The same registry events as a write through the API (api_registry.cpp): a client's
  // notification port on the key hears what the DLL wrote.
  const auto registry_event = [&](const char* kind, DWORD filter) {
    return nlohmann::json{
        {"kind", kind}, {"filter", filter}, {"object", "registry"}, {"name", path}, {"id", ""}};
  };
  auto events = nlohmann::json::array();
  const auto& tree = db_.tree();
  if (event.contains("value") && !event["value"].is_null()) {
    auto value = parse_typed_value(event["value"]);
    if (!value) {
      ctx_.log("warn", "resource", "registry write with a bad value ignored: " + value.error(),
               {{"resource", r.id}});
      return;
    }
    if (tree.get(path, name) == *value)
      return;
    if (!tree.key_exists(path)) {
      ops.push_back(db_op::create_key(path));
      events.push_back(registry_event("REGISTRY_NAME", CLUSTER_CHANGE_REGISTRY_NAME));
    }
    ops.push_back(db_op::set_value(path, name, *value));
  } else {
    if (!tree.get(path, name))
      return;
    ops.push_back(db_op::delete_value(path, name));
  }
  events.push_back(registry_event("REGISTRY_VALUE", CLUSTER_CHANGE_REGISTRY_VALUE));
  propose(std::move(ops), std::move(events), [this, id = r.id](const status& st) {
    if (!st)
      ctx_.log("warn", "resource", "registry write not stored: " + st.error(), {{"resource", id}});
  });
}

}  // namespace wolfpack::cluster
