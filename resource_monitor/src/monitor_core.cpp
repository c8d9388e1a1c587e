#include "monitor_core.hpp"

#include <algorithm>
#include <utility>

#include <wolfpack/winerror.h>

#include "default_controls.hpp"
#include "plugin_type.hpp"

namespace wolfpack::monitor {

using nlohmann::json;

namespace {

std::optional<std::int64_t> request_id(const json& c) {
  auto it = c.find("id");
  if (it != c.end() && it->is_number_integer()) {
    return it->get<std::int64_t>();
  }
  return std::nullopt;
}

}  // namespace

monitor_core::monitor_core(core_context context, core_settings settings)
    : ctx_(std::move(context)), settings_(settings) {}

monitor_core::~monitor_core() = default;

// ---------------------------------------------------------------------------------------------
// Commands

void monitor_core::handle_command(const json& c, mono_ns now) {
  dispatch_command(c, now);
  flush_submissions();
}

void monitor_core::dispatch_command(const json& c, mono_ns now) {
  const auto id = request_id(c);
  const auto type_it = c.find("type");
  if (!c.is_object() || type_it == c.end() || !type_it->is_string()) {
    respond_error(id, ERROR_INVALID_PARAMETER, "command has no string field 'type'");
    return;
  }
  const std::string type = type_it->get<std::string>();
  if (c.contains("id") && !id) {
    respond_error(std::nullopt, ERROR_INVALID_PARAMETER, "field 'id' must be an integer");
    return;
  }
  if (exiting_) {
    respond_error(id, ERROR_SHUTDOWN_IN_PROGRESS, "the monitor is shutting down");
    return;
  }

  if (type == "load_type")
    return cmd_load_type(c, id, now);
  if (type == "open")
    return cmd_open(c, id, now);
  if (type == "resource_type_control")
    return cmd_type_control(c, id, now);
  if (type == "renew_lease")
    return cmd_renew_lease(c, id, now);
  if (type == "status")
    return cmd_status(id);
  if (type == "shutdown")
    return cmd_shutdown(id, now);
  if (type == "set_trace") {
    auto it = c.find("calls");
    if (it == c.end() || !it->is_boolean()) {
      return respond_error(id, ERROR_INVALID_PARAMETER,
                           "set_trace: field 'calls' must be a boolean");
    }
    settings_.trace_calls = it->get<bool>();
    return respond_ok(id);
  }

  static const std::vector<std::string> per_resource = {
      "online",    "offline", "terminate",        "close",
      "arbitrate", "release", "resource_control", "set_properties"};
  if (std::find(per_resource.begin(), per_resource.end(), type) == per_resource.end()) {
    return respond_error(id, ERROR_INVALID_FUNCTION, "unknown command type '" + type + "'");
  }
  auto res_it = c.find("resource");
  if (res_it == c.end() || !res_it->is_string()) {
    return respond_error(id, ERROR_INVALID_PARAMETER, type + ": field 'resource' must be a string");
  }
  resource_record* r = find(res_it->get<std::string>());
  if (r == nullptr) {
    return respond_error(
        id, ERROR_RESOURCE_NOT_FOUND,
        "resource '" + res_it->get<std::string>() + "' is not open in this monitor");
  }
  // Once the lease has run out only calls that stop a resource may reach the plugin.
  const bool stopping = type == "terminate" || type == "close" || type == "offline";
  if (!stopping && type != "set_properties" && !lease_ok(now)) {
    fence(now);
    return respond_error(
        id, ERROR_CLUSTER_NODE_NOT_READY,
        "the monitor's lease has run out; only terminate, offline and close are accepted");
  }
  if (type == "online")
    return cmd_online(*r, c, id, now);
  if (type == "offline")
    return cmd_offline(*r, id, now);
  if (type == "terminate")
    return cmd_terminate(*r, id, now);
  if (type == "close")
    return cmd_close(*r, id, now);
  if (type == "arbitrate")
    return cmd_quorum(*r, entry_point::arbitrate, id, now);
  if (type == "release")
    return cmd_quorum(*r, entry_point::release, id, now);
  if (type == "resource_control")
    return cmd_resource_control(*r, c, id, now);
  return cmd_set_properties(*r, c, id, now);
}

void monitor_core::cmd_load_type(const json& c, std::optional<std::int64_t> id, mono_ns now) {
  auto t = c.find("resource_type");
  auto p = c.find("plugin");
  if (t == c.end() || !t->is_string() || t->get<std::string>().empty()) {
    return respond_error(id, ERROR_INVALID_PARAMETER,
                         "load_type: field 'resource_type' must be a non-empty string");
  }
  if (p == c.end() || !p->is_string() || p->get<std::string>().empty()) {
    return respond_error(id, ERROR_INVALID_PARAMETER,
                         "load_type: field 'plugin' must be a non-empty string");
  }
  const std::string type_name = t->get<std::string>();
  const std::string path = p->get<std::string>();
  if (auto it = types_.find(type_name); it != types_.end()) {
    if (it->second->path() != path) {
      return respond_error(
          id, ERROR_ALREADY_EXISTS,
          "resource type '" + type_name + "' is already loaded from " + it->second->path());
    }
    return respond_ok(id, {{"resource_type", type_name},
                           {"plugin", path},
                           {"quorum_capable", it->second->quorum_capable()}});
  }
  if (!lease_ok(now)) {
    fence(now);
    return respond_error(id, ERROR_CLUSTER_NODE_NOT_READY, "the monitor's lease has run out");
  }
  auto& waiters = loading_types_[type_name];
  waiters.push_back(id);
  if (waiters.size() > 1) {
    return;  // Startup for this type is already running; everyone gets its answer
  }
  plugin_loader& loader = ctx_.loader;
  submit(
      nullptr, entry_point::startup,
      [&loader, path, type_name] { return loader.load(path, type_name); }, std::nullopt, now, false,
      type_name);
}

void monitor_core::cmd_open(const json& c, std::optional<std::int64_t> id, mono_ns now) {
  auto n = c.find("resource");
  auto t = c.find("resource_type");
  if (n == c.end() || !n->is_string() || n->get<std::string>().empty()) {
    return respond_error(id, ERROR_INVALID_PARAMETER,
                         "open: field 'resource' must be a non-empty string");
  }
  if (t == c.end() || !t->is_string()) {
    return respond_error(id, ERROR_INVALID_PARAMETER,
                         "open: field 'resource_type' must be a string");
  }
  const std::string name = n->get<std::string>();
  if (find(name) != nullptr) {
    return respond_error(id, ERROR_OBJECT_ALREADY_EXISTS,
                         "resource '" + name + "' is already open in this monitor");
  }
  auto type_it = types_.find(t->get<std::string>());
  if (type_it == types_.end()) {
    return respond_error(
        id, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND,
        "resource type '" + t->get<std::string>() + "' is not loaded in this monitor");
  }
  resource_timing timing;
  std::string error;
  if (!parse_timing(c.value("timing", json::object()), timing, error)) {
    return respond_error(id, ERROR_INVALID_PARAMETER, "open: " + error);
  }
  auto registry = std::make_unique<wolfpack::registry_tree>();
  if (!load_registry_sections(c, *registry, error)) {
    return respond_error(id, ERROR_INVALID_PARAMETER, "open: " + error);
  }
  if (!lease_ok(now)) {
    fence(now);
    return respond_error(id, ERROR_CLUSTER_NODE_NOT_READY, "the monitor's lease has run out");
  }

  auto rec = std::make_unique<resource_record>();
  rec->name = name;
  rec->plugin = type_it->second;
  rec->type = rec->plugin.get();
  rec->timing = timing;
  rec->token = next_token_++;
  rec->registry = std::move(registry);
  const std::uint64_t slot = next_slot_++;
  const std::uint64_t token = rec->token;
  auto post = ctx_.post_registry_write;
  rec->registry->set_observer([post, token](const std::wstring& key, const std::wstring& value_name,
                                            const wolfpack::reg_value* value) {
    if (post) {
      post(make_registry_write(token, key, value_name, value));
    }
  });
  rec->slot = slot;
  resource_record& r = *rec;
  if (slots_.size() <= slot)
    slots_.resize(slot + 1);
  slots_[slot] = std::move(rec);
  by_name_.emplace(name, slot);
  by_token_.emplace(token, slot);
  ctx_.handles.bind(token);

  const CLRES_V1_FUNCTIONS fns = r.plugin->functions();
  std::wstring wide_name = widen(name);
  HKEY key = r.registry->root();
  RESOURCE_HANDLE handle = reinterpret_cast<RESOURCE_HANDLE>(static_cast<std::uintptr_t>(token));
  run_or_wait(
      r,
      [this, &r, fns, wide_name, key, handle, id](mono_ns t0) {
        submit(
            &r, entry_point::open,
            [fns, wide_name, key, handle] {
              call_outcome o;
              o.resid = fns.Open(wide_name.c_str(), key, handle);
              o.status = o.resid != nullptr ? ERROR_SUCCESS : ERROR_RESMON_CREATE_FAILED;
              return o;
            },
            id, t0, true);
      },
      now, id);
}

void monitor_core::cmd_online(resource_record& r, const json& c, std::optional<std::int64_t> id,
                              mono_ns now) {
  if (r.state == rstate::online || r.state == rstate::online_pending) {
    return respond_ok(id, {{"state", state_name(r.state)}});
  }
  if (r.state != rstate::offline && r.state != rstate::failed) {
    return respond_error(id, ERROR_INVALID_STATE,
                         "resource '" + r.name + "' is " + std::string(state_name(r.state)) +
                             "; it cannot be brought online now");
  }
  // The providers the service saw Online when it sent this, where they run here: one this
  // monitor has stopped since by itself (its lease ran out, then was renewed before the
  // service heard of it) must not have its dependent start without it.
  if (const auto needs = c.find("needs"); needs != c.end()) {
    if (!needs->is_array()) {
      return respond_error(id, ERROR_INVALID_PARAMETER,
                           "online: field 'needs' must be an array of resource names");
    }
    for (const auto& name : *needs) {
      if (!name.is_string()) {
        return respond_error(id, ERROR_INVALID_PARAMETER,
                             "online: field 'needs' must be an array of resource names");
      }
      const auto* provider = find(name.get<std::string>());
      if (provider != nullptr && provider->state != rstate::online) {
        return respond_error(id, ERROR_RESOURCE_NOT_ONLINE,
                             "resource '" + r.name + "' depends on '" + provider->name +
                                 "', which is " + std::string(state_name(provider->state)) +
                                 " here");
      }
    }
  }
  start_pending_operation(r, entry_point::online, id, now);
}

void monitor_core::cmd_offline(resource_record& r, std::optional<std::int64_t> id, mono_ns now) {
  switch (r.state) {
    case rstate::offline:
      return respond_ok(id, {{"state", "Offline"}});
    case rstate::failed:
      // Terminate already ran when it failed; the resource is down.
      set_state(r, rstate::offline, "offline requested after failure", now);
      return respond_ok(id, {{"state", "Offline"}});
    case rstate::offline_pending:
      return respond_ok(id, {{"state", "OfflinePending"}});
    case rstate::online_pending:
      // An online in progress is abandoned the documented way: Terminate.
      start_terminate(r, now, [this, &r, id](mono_ns t) {
        set_state(r, rstate::offline, "offline requested while online was pending: terminated", t);
        respond_ok(id, {{"state", "Offline"}});
      });
      return;
    case rstate::online:
      break;
    default:
      return respond_error(id, ERROR_INVALID_STATE,
                           "resource '" + r.name + "' is " + std::string(state_name(r.state)));
  }
  if (fenced_) {
    start_terminate(r, now, [this, &r, id](mono_ns t) {
      set_state(r, rstate::offline, "offline while the lease had run out: terminated", t);
      respond_ok(id, {{"state", "Offline"}});
    });
    return;
  }
  r.poll_generation++;
  start_pending_operation(r, entry_point::offline, id, now);
}

// Online and Offline share one shape: the pending state at once, then the call when the
// resource is free, unless a Terminate overtook the request meanwhile.
void monitor_core::start_pending_operation(resource_record& r, entry_point entry,
                                           std::optional<std::int64_t> id, mono_ns now) {
  const bool online = entry == entry_point::online;
  const rstate pending = online ? rstate::online_pending : rstate::offline_pending;
  set_state(r, pending, online ? "online requested" : "offline requested", now);
  r.pending_call_returned = false;
  r.early_report.reset();
  r.last_checkpoint = 0;
  const std::uint64_t gen = r.generation;
  run_or_wait(
      r,
      [this, &r, id, gen, entry, pending, online](mono_ns t0) {
        if (r.generation != gen || r.state != pending) {
          respond_error(id, ERROR_OPERATION_ABORTED,
                        std::string(online ? "online" : "offline") + " of '" + r.name +
                            "' was overtaken by terminate");
          return;
        }
        const CLRES_V1_FUNCTIONS fns = r.plugin->functions();
        RESID resid = r.resid;
        submit(
            &r, entry,
            [fns, resid, online] {
              call_outcome o;
              HANDLE event = nullptr;
              o.status = online ? fns.Online(resid, &event) : fns.Offline(resid);
              return o;
            },
            id, t0, true);
      },
      now, id);
}

void monitor_core::cmd_terminate(resource_record& r, std::optional<std::int64_t> id, mono_ns now) {
  if (r.state == rstate::opening || r.state == rstate::closing) {
    return respond_error(id, ERROR_INVALID_STATE,
                         "resource '" + r.name + "' is " + std::string(state_name(r.state)));
  }
  start_terminate(r, now, [this, &r, id](mono_ns t) {
    if (r.state != rstate::offline) {
      set_state(r, rstate::offline, "terminated on request", t);
    }
    respond_ok(id, {{"state", "Offline"}});
  });
}

void monitor_core::cmd_close(resource_record& r, std::optional<std::int64_t> id, mono_ns now) {
  if (r.state == rstate::closing || r.state == rstate::opening) {
    return respond_error(id, ERROR_INVALID_STATE,
                         "resource '" + r.name + "' is " + std::string(state_name(r.state)));
  }
  auto do_close = [this, &r, id](mono_ns t) {
    r.poll_generation++;
    r.state = rstate::closing;
    run_or_wait(
        r,
        [this, &r, id](mono_ns t0) {
          const CLRES_V1_FUNCTIONS fns = r.plugin->functions();
          RESID resid = r.resid;
          submit(
              &r, entry_point::close,
              [fns, resid] {
                fns.Close(resid);
                return call_outcome{};
              },
              id, t0, true);
        },
        t, id);
  };
  if (!r.terminate_call && (r.state == rstate::offline || r.state == rstate::failed)) {
    do_close(now);  // a failed resource has been terminated already
  } else {
    // Close of a resource that is not offline terminates it first, as MSCS does. A
    // Terminate still running (of an Offline resource too) is waited for: Close frees the
    // plugin's instance, which that Terminate is still using (SPEC 2.7).
    start_terminate(r, now, [this, &r, do_close](mono_ns t) {
      if (r.state != rstate::offline) {
        set_state(r, rstate::offline, "terminated before close", t);
      }
      do_close(t);
    });
  }
}

void monitor_core::cmd_quorum(resource_record& r, entry_point entry, std::optional<std::int64_t> id,
                              mono_ns now) {
  if (!r.plugin->quorum_capable()) {
    return respond_error(
        id, ERROR_NOT_QUORUM_CAPABLE,
        "resource type '" + r.plugin->name() + "' has no Arbitrate/Release entry points");
  }
  if (r.state == rstate::opening || r.state == rstate::closing) {
    return respond_error(id, ERROR_INVALID_STATE,
                         "resource '" + r.name + "' is " + std::string(state_name(r.state)));
  }
  run_or_wait(
      r,
      [this, &r, entry, id](mono_ns t0) {
        const CLRES_V1_FUNCTIONS fns = r.plugin->functions();
        RESID resid = r.resid;
        submit(
            &r, entry,
            [fns, resid, entry] {
              call_outcome o;
              o.status = entry == entry_point::arbitrate
                             ? fns.Arbitrate(resid, quorum_lost_callback())
                             : fns.Release(resid);
              return o;
            },
            id, t0, true);
      },
      now, id);
}

void monitor_core::cmd_resource_control(resource_record& r, const json& c,
                                        std::optional<std::int64_t> id, mono_ns now) {
  control_args args;
  std::string error;
  if (!parse_control_args(c, args, error)) {
    return respond_error(id, ERROR_INVALID_PARAMETER, "resource_control: " + error);
  }
  if (r.state == rstate::opening || r.state == rstate::closing) {
    return respond_error(id, ERROR_INVALID_STATE,
                         "resource '" + r.name + "' is " + std::string(state_name(r.state)));
  }
  run_or_wait(
      r,
      [this, &r, args, id](mono_ns t0) {
        const CLRES_V1_FUNCTIONS fns = r.plugin->functions();
        RESID resid = r.resid;
        r.control_messages.clear();
        const std::uint64_t call = submit(
            &r, entry_point::resource_control,
            [fns, resid, args] {
              call_outcome o;
              if (fns.ResourceControl == nullptr) {
                o.status = ERROR_INVALID_FUNCTION;
                return o;
              }
              o.out.resize(args.out_size);
              DWORD returned = 0;
              o.status = fns.ResourceControl(
                  resid, args.code,
                  args.in.empty() ? nullptr : const_cast<std::uint8_t*>(args.in.data()),
                  static_cast<DWORD>(args.in.size()), o.out.empty() ? nullptr : o.out.data(),
                  static_cast<DWORD>(o.out.size()), &returned);
              o.bytes_returned = returned;
              return o;
            },
            id, t0, true);
        r.control_call = call;
        inflight_[call].control = args;
      },
      now, id);
}

void monitor_core::cmd_type_control(const json& c, std::optional<std::int64_t> id, mono_ns now) {
  auto t = c.find("resource_type");
  if (t == c.end() || !t->is_string()) {
    return respond_error(id, ERROR_INVALID_PARAMETER,
                         "resource_type_control: field 'resource_type' must be a string");
  }
  auto type_it = types_.find(t->get<std::string>());
  if (type_it == types_.end()) {
    return respond_error(
        id, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND,
        "resource type '" + t->get<std::string>() + "' is not loaded in this monitor");
  }
  control_args args;
  std::string error;
  if (!parse_control_args(c, args, error)) {
    return respond_error(id, ERROR_INVALID_PARAMETER, "resource_type_control: " + error);
  }
  if (!lease_ok(now)) {
    fence(now);
    return respond_error(id, ERROR_CLUSTER_NODE_NOT_READY, "the monitor's lease has run out");
  }
  const CLRES_V1_FUNCTIONS fns = type_it->second->functions();
  const std::wstring wide_type = widen(type_it->first);
  const std::uint64_t call = submit(
      nullptr, entry_point::resource_type_control,
      [fns, wide_type, args] {
        call_outcome o;
        if (fns.ResourceTypeControl == nullptr) {
          o.status = ERROR_INVALID_FUNCTION;
          return o;
        }
        o.out.resize(args.out_size);
        DWORD returned = 0;
        o.status = fns.ResourceTypeControl(
            wide_type.c_str(), args.code,
            args.in.empty() ? nullptr : const_cast<std::uint8_t*>(args.in.data()),
            static_cast<DWORD>(args.in.size()), o.out.empty() ? nullptr : o.out.data(),
            static_cast<DWORD>(o.out.size()), &returned);
        o.bytes_returned = returned;
        return o;
      },
      id, now, false, type_it->first);
  type_control_calls_.push_back(call);
  inflight_[call].control = args;
}

void monitor_core::cmd_set_properties(resource_record& r, const json& c,
                                      std::optional<std::int64_t> id, mono_ns now) {
  std::string error;
  resource_timing timing = r.timing;
  if (c.contains("timing") && !parse_timing(c["timing"], timing, error)) {
    return respond_error(id, ERROR_INVALID_PARAMETER, "set_properties: " + error);
  }
  // Validate every section before changing anything.
  wolfpack::registry_tree scratch;
  if (!load_registry_sections(c, scratch, error)) {
    return respond_error(id, ERROR_INVALID_PARAMETER, "set_properties: " + error);
  }
  load_registry_sections(c, *r.registry, error);
  const bool intervals_changed = timing.looks_alive_ms != r.timing.looks_alive_ms ||
                                 timing.is_alive_ms != r.timing.is_alive_ms;
  r.timing = timing;
  if (intervals_changed && r.state == rstate::online) {
    schedule_polls(r, now);
  }
  respond_ok(id);
}

void monitor_core::cmd_renew_lease(const json& c, std::optional<std::int64_t> id, mono_ns now) {
  auto ms_it = c.find("ms");
  const auto ms = ms_it == c.end() ? std::nullopt : json_uint(*ms_it);
  if (!ms || *ms == 0 || *ms > 86'400'000) {
    return respond_error(id, ERROR_INVALID_PARAMETER,
                         "renew_lease: field 'ms' must be an integer from 1 to 86400000");
  }
  mono_ns deadline = now + ms_to_ns(static_cast<std::int64_t>(*ms));
  if (auto until_it = c.find("until_ns"); until_it != c.end()) {
    // The end itself, on the clock this process shares with its parent: a renewal that
    // reached the monitor late (both were stopped in between) must not last longer.
    if (!until_it->is_number_integer() || until_it->get<std::int64_t>() <= 0) {
      return respond_error(id, ERROR_INVALID_PARAMETER,
                           "renew_lease: field 'until_ns' must be a positive integer "
                           "(CLOCK_MONOTONIC nanoseconds)");
    }
    deadline = std::min(deadline, static_cast<mono_ns>(until_it->get<std::int64_t>()));
  }
  // A renewal that arrives after the deadline does not undo what the expiry did, but it
  // lets the parent use the monitor again.
  if (lease_deadline_ && now >= *lease_deadline_ && !fenced_) {
    fence(now);
  }
  if (deadline <= now) {
    // It ended before it arrived: nothing is renewed.
    if (!lease_deadline_ || !fenced_) {
      lease_deadline_ = deadline;
      ctx_.executor.set_lease_deadline(lease_deadline_);
      fence(now);
    }
    return respond_error(id, ERROR_CLUSTER_NODE_NOT_READY,
                         "renew_lease: the lease it carries ended before it arrived");
  }
  lease_deadline_ = deadline;
  lease_generation_++;
  fenced_ = false;
  ctx_.executor.set_lease_deadline(lease_deadline_);
  arm(*lease_deadline_, timer_kind::lease, 0, lease_generation_);
  if (id) {
    respond_ok(id, {{"lease_ms", *ms}});
  }
}

void monitor_core::cmd_status(std::optional<std::int64_t> id) {
  json resources = json::array();
  for (const auto& [name, slot] : by_name_) {
    const resource_record& r = *slots_[slot];
    json e = {{"resource", name},
              {"resource_type", r.plugin->name()},
              {"state", state_name(r.state)},
              {"code", static_cast<int>(state_code(r.state))},
              {"busy", r.busy_call.has_value()}};
    if (r.busy_call) {
      if ((*r.busy_call & poll_call_flag) != 0) {
        e["busy_entry"] = to_string(r.poll_entry);
      } else if (auto it = inflight_.find(*r.busy_call); it != inflight_.end()) {
        e["busy_entry"] = to_string(it->second.entry);
      }
    }
    resources.push_back(std::move(e));
  }
  json types = json::array();
  for (const auto& [name, t] : types_) {
    types.push_back({{"resource_type", name}, {"plugin", t->path()}});
  }
  json extra = {{"resources", std::move(resources)},
                {"resource_types", std::move(types)},
                {"fenced", fenced_},
                {"calls_in_flight", inflight_.size() + polls_in_flight_}};
  respond_ok(id, std::move(extra));
}

void monitor_core::cmd_shutdown(std::optional<std::int64_t> id, mono_ns now) {
  shutdown_request_ = id ? id : std::optional<std::int64_t>(-1);
  exiting_ = true;
  std::vector<std::uint64_t> slots;
  for (const auto& [name, slot] : by_name_)
    slots.push_back(slot);
  for (auto slot : slots) {
    resource_record* r = find_slot(slot);
    if (r == nullptr || r->state == rstate::closing || r->state == rstate::opening)
      continue;
    cmd_close(*r, std::nullopt, now);
  }
  maybe_exit_after_parent_lost();
}

// ---------------------------------------------------------------------------------------------
// Helpers for resource life

void monitor_core::run_or_wait(resource_record& r, std::function<void(mono_ns)> op, mono_ns now,
                               std::optional<std::int64_t> id) {
  if (r.busy_call) {
    r.waiting.push_back(waiting_op{std::move(op), id});
    return;
  }
  op(now);
}

void monitor_core::drop_waiting(resource_record& r, std::uint32_t code, const std::string& why) {
  auto waiting = r.waiting.take();
  for (auto& w : waiting)
    respond_error(w.id, code, why);
}

void monitor_core::release_busy(resource_record& r, mono_ns now) {
  r.busy_call.reset();
  while (!r.busy_call && !r.waiting.empty()) {
    auto op = std::move(r.waiting.front().run);
    r.waiting.pop_front();
    op(now);
  }
  if (!r.busy_call && r.state == rstate::online && !r.terminate_call) {
    if (r.is_alive_due) {
      start_poll(r, entry_point::is_alive, now);
    } else if (r.looks_alive_due) {
      start_poll(r, entry_point::looks_alive, now);
    }
  }
}

void monitor_core::start_terminate(resource_record& r, mono_ns now,
                                   std::function<void(mono_ns)> then) {
  if (then)
    r.after_terminate.push_back(std::move(then));
  if (r.terminate_call)
    return;  // one Terminate at a time; all continuations run after it
  r.generation++;
  r.pending_generation++;
  r.poll_generation++;
  r.looks_alive_due = r.is_alive_due = false;
  // Terminate never overlaps Open or Close (SPEC 2.7); anything else it may overlap.
  const CLRES_V1_FUNCTIONS fns = r.plugin->functions();
  RESID resid = r.resid;
  ctx_.handles.set_terminating(r.token, true);
  ++terminates_in_flight_;
  r.terminate_call = submit(
      &r, entry_point::terminate,
      [fns, resid] {
        fns.Terminate(resid);
        return call_outcome{};
      },
      std::nullopt, now, false);
}

void monitor_core::on_terminate_done(resource_record& r, mono_ns now) {
  r.terminate_call.reset();
  ctx_.handles.set_terminating(r.token, false);
  auto continuations = std::move(r.after_terminate);
  r.after_terminate.clear();
  for (auto& k : continuations)
    k(now);
  if (!r.busy_call)
    release_busy(r, now);
}

void monitor_core::set_state(resource_record& r, rstate s, const std::string& reason, mono_ns now,
                             std::optional<exec_status> exec) {
  (void)now;
  const rstate previous = r.state;
  r.state = s;
  json e = {{"type", "state"},
            {"resource", r.name},
            {"state", state_name(s)},
            {"code", static_cast<int>(state_code(s))},
            {"previous", state_name(previous)},
            {"reason", reason}};
  if (exec)
    e["exec"] = to_string(*exec);
  emit(std::move(e));
}

void monitor_core::become_online(resource_record& r, mono_ns now) {
  r.pending_generation++;
  set_state(r, rstate::online, "online", now);
  schedule_polls(r, now);
}

void monitor_core::fail(resource_record& r, const std::string& reason, mono_ns now,
                        std::optional<exec_status> exec) {
  r.pending_generation++;
  r.poll_generation++;
  // Terminate is under way before anyone hears of the failure, so that whatever they do
  // next (close, online) queues behind it.
  start_terminate(r, now, nullptr);
  set_state(r, rstate::failed, reason, now, exec);
}

void monitor_core::apply_report(resource_record& r, const status_report& report, mono_ns now) {
  const bool going_online = r.state == rstate::online_pending;
  const CLUSTER_RESOURCE_STATE pending_state =
      going_online ? ClusterResourceOnlinePending : ClusterResourceOfflinePending;
  if (report.state == pending_state) {
    // Progress: the PendingTimeout is measured between reports (SPEC 2.7 item 4.5).
    if (report.checkpoint != r.last_checkpoint) {
      r.last_checkpoint = report.checkpoint;
      arm_pending(r, now);
    }
    return;
  }
  if (going_online && report.state == ClusterResourceOnline) {
    return become_online(r, now);
  }
  if (!going_online && report.state == ClusterResourceOffline) {
    r.pending_generation++;
    return set_state(r, rstate::offline, "offline", now);
  }
  if (report.state == ClusterResourceFailed) {
    return fail(r,
                going_online ? "the resource reported Failed while coming online"
                             : "the resource reported Failed while going offline",
                now);
  }
  fail(r,
       "the resource reported state " + std::to_string(static_cast<int>(report.state)) + " while " +
           std::string(state_name(r.state)),
       now);
}

void monitor_core::arm_pending(resource_record& r, mono_ns now) {
  r.pending_generation++;
  arm(now + ms_to_ns(r.timing.pending_timeout_ms), timer_kind::pending, r.slot,
      r.pending_generation);
}

void monitor_core::schedule_polls(resource_record& r, mono_ns now) {
  r.poll_generation++;
  r.looks_alive_due = r.is_alive_due = false;
  const std::uint64_t slot = r.slot;
  arm(quantize(now + ms_to_ns(r.timing.looks_alive_ms)), timer_kind::looks_alive, slot,
      r.poll_generation);
  arm(quantize(now + ms_to_ns(r.timing.is_alive_ms)), timer_kind::is_alive, slot,
      r.poll_generation);
}

void monitor_core::start_poll(resource_record& r, entry_point entry, mono_ns now) {
  if (entry == entry_point::is_alive) {
    r.is_alive_due = false;
    r.looks_alive_due = false;  // a thorough check covers the cursory one
  } else {
    r.looks_alive_due = false;
  }
  // Polls are the hot path (10,000 resources): the closure holds two pointers, so it fits
  // std::function's inline storage and costs no allocation.
  RESID resid = r.resid;
  if (entry == entry_point::is_alive) {
    PIS_ALIVE_ROUTINE fn = r.type->functions().IsAlive;
    submit(
        &r, entry,
        [fn, resid] {
          call_outcome o;
          o.status = fn(resid) ? 1 : 0;
          return o;
        },
        std::nullopt, now, true);
  } else {
    PLOOKS_ALIVE_ROUTINE fn = r.type->functions().LooksAlive;
    submit(
        &r, entry,
        [fn, resid] {
          call_outcome o;
          o.status = fn(resid) ? 1 : 0;
          return o;
        },
        std::nullopt, now, true);
  }
}

void monitor_core::remove(resource_record& r) {
  ctx_.handles.unbind(r.token);
  by_token_.erase(r.token);
  const std::uint64_t slot = r.slot;
  by_name_.erase(r.name);
  slots_[slot].reset();  // r is gone after this line
}

// ---------------------------------------------------------------------------------------------
// Completions

void monitor_core::handle_completion(std::uint64_t call_id, call_outcome&& o, mono_ns now) {
  if ((call_id & poll_call_flag) != 0) {
    if (complete_poll(call_id, o, now)) {
      maybe_exit_after_parent_lost();
      flush_submissions();
    }
    return;
  }
  inflight f;
  {
    auto it = inflight_.find(call_id);
    if (it == inflight_.end())
      return;
    f = std::move(it->second);
    inflight_.erase(it);
  }
  trace_call(f, o);

  if (f.entry == entry_point::startup) {
    on_startup_done(f, std::move(o));
    flush_submissions();
    return;
  }
  if (f.entry == entry_point::resource_type_control) {
    std::erase(type_control_calls_, call_id);
    on_control_done(nullptr, f, std::move(o), now);
    flush_submissions();
    return;
  }
  if (f.entry == entry_point::terminate)
    --terminates_in_flight_;
  resource_record* r = find_slot(f.slot);
  if (r == nullptr) {
    maybe_exit_after_parent_lost();
    flush_submissions();
    return;
  }
  if (f.entry == entry_point::terminate) {
    on_terminate_done(*r, now);
    maybe_exit_after_parent_lost();
    flush_submissions();
    return;
  }
  if (f.serialized && r->busy_call == call_id) {
    // busy stays set during the handler so that new operations queue behind it
  }
  switch (f.entry) {
    case entry_point::open:
      on_open_done(*r, f, std::move(o), now);
      break;
    case entry_point::online:
      on_online_done(*r, f, std::move(o), now);
      break;
    case entry_point::offline:
      on_offline_done(*r, f, std::move(o), now);
      break;
    case entry_point::close:
      on_close_done(*r, f, std::move(o), now);
      flush_submissions();
      maybe_exit_after_parent_lost();
      return;
    case entry_point::resource_control:
      on_control_done(r, f, std::move(o), now);
      break;
    case entry_point::arbitrate:
    case entry_point::release:
      respond_call(f.request_id, f, o);
      break;
    default:
      break;
  }
  r = find_slot(f.slot);
  if (r != nullptr && r->busy_call == call_id) {
    release_busy(*r, now);
  }
  maybe_exit_after_parent_lost();
  flush_submissions();
}

// Polls keep their bookkeeping in the resource record (see submit_poll). Returns false when
// the outcome belongs to nothing any more (the resource is gone or the call was abandoned).
bool monitor_core::complete_poll(std::uint64_t call_id, const call_outcome& o, mono_ns now) {
  --polls_in_flight_;
  const std::uint64_t slot = (call_id & ~poll_call_flag) >> 20;
  resource_record* r = find_slot(slot);
  if (r == nullptr || r->busy_call != call_id)
    return false;
  if (settings_.trace_calls) {
    inflight f;
    f.entry = r->poll_entry;
    f.slot = r->slot;
    f.resource = r->name;
    trace_call(f, o);
  }
  // busy stays set during the handler so that new operations queue behind it
  on_poll_done(*r, r->poll_entry, r->poll_submit_generation, o, now);
  r = find_slot(slot);
  if (r != nullptr && r->busy_call == call_id)
    release_busy(*r, now);
  return true;
}

void monitor_core::handle_poll_successes(const std::vector<poll_success>& results, mono_ns now) {
  call_outcome o;
  bool any = false;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const poll_success& p = results[i];
    if (i + prefetch_distance < results.size())
      prefetch_record((results[i + prefetch_distance].call_id & ~poll_call_flag) >> 20, 2);
    o.status = p.status;
    o.started = p.started;
    o.finished = p.finished;
    any = complete_poll(p.call_id, o, now) || any;
  }
  // The polls these lead to (an IsAlive that waited behind a LooksAlive) go out with the
  // batch of the handle_tick() that follows.
  if (any)
    maybe_exit_after_parent_lost();
}

void monitor_core::on_startup_done(const inflight& f, call_outcome&& o) {
  auto waiters = std::move(loading_types_[f.type_name]);
  loading_types_.erase(f.type_name);
  if (o.exec == exec_status::completed && o.status == ERROR_SUCCESS && o.loaded_type) {
    types_[f.type_name] = o.loaded_type;
    for (auto id : waiters) {
      respond_ok(id, {{"resource_type", f.type_name},
                      {"plugin", o.loaded_type->path()},
                      {"quorum_capable", o.loaded_type->quorum_capable()}});
    }
    return;
  }
  for (auto id : waiters) {
    json extra = {{"resource_type", f.type_name}};
    respond_error(id, o.status == ERROR_SUCCESS ? ERROR_INVALID_DATA : o.status, o.message, o.exec,
                  extra);
  }
}

void monitor_core::on_open_done(resource_record& r, const inflight& f, call_outcome&& o,
                                mono_ns now) {
  if (o.exec == exec_status::completed && o.resid != nullptr) {
    r.resid = o.resid;
    set_state(r, rstate::offline, "opened", now);
    respond_call(f.request_id, f, o, {{"state", "Offline"}});
    return;
  }
  if (o.message.empty())
    o.message = "Open of '" + r.name + "' returned NULL";
  respond_call(f.request_id, f, o);
  r.busy_call.reset();
  drop_waiting(r, ERROR_RESOURCE_NOT_FOUND, "Open of '" + r.name + "' failed");
  remove(r);
}

void monitor_core::on_online_done(resource_record& r, const inflight& f, call_outcome&& o,
                                  mono_ns now) {
  on_pending_call_done(r, f, std::move(o), now);
}

void monitor_core::on_offline_done(resource_record& r, const inflight& f, call_outcome&& o,
                                   mono_ns now) {
  on_pending_call_done(r, f, std::move(o), now);
}

void monitor_core::on_pending_call_done(resource_record& r, const inflight& f, call_outcome&& o,
                                        mono_ns now) {
  respond_call(f.request_id, f, o);
  const bool online = f.entry == entry_point::online;
  const rstate pending = online ? rstate::online_pending : rstate::offline_pending;
  const std::string name(to_string(f.entry));
  if (f.generation != r.generation || r.state != pending)
    return;  // abandoned
  if (o.exec != exec_status::completed) {
    return fail(r, name + " did not run: " + o.message, now, o.exec);
  }
  if (o.status == ERROR_SUCCESS) {
    if (online)
      return become_online(r, now);
    r.pending_generation++;
    return set_state(r, rstate::offline, "offline", now);
  }
  if (o.status == ERROR_IO_PENDING) {
    r.pending_call_returned = true;
    arm_pending(r, now);
    if (r.early_report) {
      const status_report early = *r.early_report;
      r.early_report.reset();
      apply_report(r, early, now);
    }
    return;
  }
  fail(r, name + " returned error " + std::to_string(o.status), now);
}

void monitor_core::on_close_done(resource_record& r, const inflight& f, call_outcome&& o,
                                 mono_ns now) {
  (void)now;
  respond_call(f.request_id, f, o, {{"closed", true}});
  r.busy_call.reset();
  drop_waiting(r, ERROR_RESOURCE_NOT_FOUND, "resource '" + r.name + "' was closed");
  remove(r);
}

void monitor_core::on_poll_done(resource_record& r, entry_point entry, std::uint64_t generation,
                                const call_outcome& o, mono_ns now) {
  if (generation != r.generation || r.state != rstate::online)
    return;
  if (o.exec != exec_status::completed) {
    return fail(r, std::string(to_string(entry)) + " did not run: " + o.message, now, o.exec);
  }
  // The next poll is an interval after this one returned, however late its result is handled
  // (TRUE answers are collected once per slot).
  const mono_ns returned = o.finished > 0 && o.finished < now ? o.finished : now;
  const bool alive = o.status != 0;
  if (entry == entry_point::looks_alive) {
    if (alive) {
      arm(quantize(returned + ms_to_ns(r.timing.looks_alive_ms)), timer_kind::looks_alive, r.slot,
          r.poll_generation);
      return;
    }
    emit({{"type", "poll_failed"}, {"resource", r.name}, {"entry", "LooksAlive"}});
    // A failed LooksAlive is only a suspicion: IsAlive decides, at once (SPEC 3.2).
    r.is_alive_due = true;
    arm(quantize(returned + ms_to_ns(r.timing.looks_alive_ms)), timer_kind::looks_alive, r.slot,
        r.poll_generation);
    return;
  }
  if (alive) {
    arm(quantize(returned + ms_to_ns(r.timing.is_alive_ms)), timer_kind::is_alive, r.slot,
        r.poll_generation);
    return;
  }
  emit({{"type", "poll_failed"}, {"resource", r.name}, {"entry", "IsAlive"}});
  fail(r, "IsAlive returned FALSE", now);
}

void monitor_core::on_control_done(resource_record* r, const inflight& f, call_outcome&& o,
                                   mono_ns now) {
  (void)now;
  const control_args args = f.control.value_or(control_args{});
  std::vector<std::string> messages;
  if (r != nullptr) {
    messages = std::move(r->control_messages);
    r->control_messages.clear();
    r->control_call.reset();
  } else {
    messages = std::move(type_messages_[f.request_id.value_or(-1)]);
    type_messages_.erase(f.request_id.value_or(-1));
  }
  if (o.exec == exec_status::completed && o.status == ERROR_INVALID_FUNCTION) {
    // The plugin declined: the monitor does the default processing (SPEC 2.7 item 7).
    std::vector<registry_write> writes;
    control_result d = r != nullptr ? default_resource_control(*r->registry, r->token, args, writes)
                                    : default_type_control(args);
    o.status = d.status;
    o.out = std::move(d.out);
    o.bytes_returned = d.bytes_returned;
    for (auto& w : writes)
      emit_registry_write(r->name, std::move(w));
  }
  json extra = {{"bytes_returned", o.bytes_returned}};
  const std::size_t shown = std::min<std::size_t>(o.bytes_returned, o.out.size());
  extra["out"] = o.status == ERROR_SUCCESS ? to_hex(std::span(o.out.data(), shown)) : "";
  if (!messages.empty())
    extra["messages"] = messages;
  respond_call(f.request_id, f, o, std::move(extra));
}

// ---------------------------------------------------------------------------------------------
// Reports from plugin threads (arrive through the inbox, in order with completions)

void monitor_core::handle_status(std::uint64_t token, const status_report& report, mono_ns now) {
  resource_record* r = find_token(token);
  if (r == nullptr)
    return;
  if (r->state != rstate::online_pending && r->state != rstate::offline_pending) {
    emit({{"type", "log"},
          {"resource", r->name},
          {"level", "warning"},
          {"source", "monitor"},
          {"message", "SetResourceStatus(" + std::to_string(static_cast<int>(report.state)) +
                          ") outside a pending operation was ignored"}});
    return;
  }
  if (!r->pending_call_returned) {
    r->early_report = report;  // the Online/Offline call has not returned ERROR_IO_PENDING yet
    return;
  }
  apply_report(*r, report, now);
  flush_submissions();
}

void monitor_core::handle_log(std::uint64_t token, int level, std::string message, mono_ns now) {
  (void)now;
  static constexpr const char* levels[] = {"information", "warning", "error", "severe"};
  const char* level_name = level >= 0 && level <= 3 ? levels[level] : "information";
  resource_record* r = token != 0 ? find_token(token) : nullptr;
  json e = {{"type", "log"}, {"level", level_name}, {"source", "plugin"}, {"message", message}};
  if (r != nullptr) {
    e["resource"] = r->name;
    e["resource_type"] = r->plugin->name();
    if (r->control_call)
      r->control_messages.push_back(message);
  } else if (!type_control_calls_.empty()) {
    auto it = inflight_.find(type_control_calls_.front());
    if (it != inflight_.end()) {
      e["resource_type"] = it->second.type_name;
      type_messages_[it->second.request_id.value_or(-1)].push_back(message);
    }
  }
  emit(std::move(e));
}

void monitor_core::handle_quorum_lost(std::uint64_t token, mono_ns now) {
  (void)now;
  resource_record* r = find_token(token);
  if (r == nullptr)
    return;
  emit({{"type", "quorum_lost"}, {"resource", r->name}});
}

void monitor_core::handle_registry_write(registry_write&& w, mono_ns now) {
  (void)now;
  resource_record* r = find_token(w.token);
  if (r == nullptr)
    return;
  emit_registry_write(r->name, std::move(w));
}

void monitor_core::handle_stale_handle(const std::string& callback, std::uintptr_t handle,
                                       mono_ns now) {
  (void)now;
  emit({{"type", "log"},
        {"level", "warning"},
        {"source", "monitor"},
        {"message", callback + " called with an unknown or stale RESOURCE_HANDLE " +
                        std::to_string(handle) + "; ignored"}});
}

void monitor_core::emit_registry_write(const std::string& resource, registry_write&& w) {
  json e = {{"type", "registry"}, {"resource", resource}, {"key", w.key}, {"name", w.name}};
  e["value"] = w.value ? *w.value : json(nullptr);
  emit(std::move(e));
}

// ---------------------------------------------------------------------------------------------
// Time

void monitor_core::handle_tick(mono_ns now) {
  // Polls are rounded to 20 ms slots, so most timers share a bucket: taking a bucket whole
  // costs one map operation for hundreds of polls. Entries fire in arming order.
  std::vector<timer_entry> due;
  while (!timers_.empty() && timers_.begin()->first <= now) {
    auto bucket = timers_.extract(timers_.begin());
    if (due.empty()) {
      due = std::move(bucket.mapped());
    } else {
      due.insert(due.end(), bucket.mapped().begin(), bucket.mapped().end());
    }
  }
  if (!due.empty())
    last_armed_ = nullptr;  // it may have pointed into a bucket taken here
  for (std::size_t i = 0; i < due.size(); ++i) {
    const timer_entry& t = due[i];
    // A poll's first touch of its record is a cache miss: ask for those a few entries ahead.
    if (i + prefetch_distance < due.size())
      prefetch_record(due[i + prefetch_distance].slot, 2);
    switch (t.kind) {
      case timer_kind::looks_alive:
      case timer_kind::is_alive: {
        resource_record* r = find_slot(t.slot);
        if (r == nullptr || r->poll_generation != t.generation || r->state != rstate::online)
          break;
        if (!lease_ok(now)) {
          fence(now);
          break;
        }
        const entry_point entry =
            t.kind == timer_kind::is_alive ? entry_point::is_alive : entry_point::looks_alive;
        if (r->busy_call || r->terminate_call) {
          (entry == entry_point::is_alive ? r->is_alive_due : r->looks_alive_due) = true;
        } else {
          start_poll(*r, entry, now);
        }
        break;
      }
      case timer_kind::pending: {
        resource_record* r = find_slot(t.slot);
        if (r == nullptr || r->pending_generation != t.generation)
          break;
        if (r->state != rstate::online_pending && r->state != rstate::offline_pending)
          break;
        const bool online = r->state == rstate::online_pending;
        emit({{"type", "operation"},
              {"resource", r->name},
              {"entry", online ? "Online" : "Offline"},
              {"exec", "timed_out"},
              {"status", ERROR_TIMEOUT},
              {"pending_timeout_ms", r->timing.pending_timeout_ms}});
        fail(*r,
             std::string("PendingTimeout of ") + std::to_string(r->timing.pending_timeout_ms) +
                 " ms expired while " + (online ? "OnlinePending" : "OfflinePending") +
                 "; terminated",
             now, exec_status::timed_out);
        break;
      }
      case timer_kind::deadlock_check:
        deadlock_timer_armed_ = false;
        check_deadlocks(now);
        break;
      case timer_kind::lease:
        if (t.generation == lease_generation_ && !lease_ok(now))
          fence(now);
        break;
      case timer_kind::exit_grace:
        if (!exiting_done_) {
          exiting_done_ = true;
          ctx_.sink.request_exit(exit_parent_lost);
        }
        break;
    }
  }
  if ((!inflight_.empty() || polls_in_flight_ > 0) && !deadlock_timer_armed_) {
    deadlock_timer_armed_ = true;
    // On the poll slots' grid, so that it shares their wake-up.
    arm(quantize(now + ms_to_ns(settings_.deadlock_check_ms)), timer_kind::deadlock_check, 0, 0);
  }
  flush_submissions();
}

std::optional<mono_ns> monitor_core::next_deadline() const {
  if (timers_.empty())
    return std::nullopt;
  return timers_.begin()->first;
}

void monitor_core::arm(mono_ns at, timer_kind kind, std::uint64_t slot, std::uint64_t generation) {
  // Polls handled together arm the same slot: remember the last bucket.
  if (last_armed_ == nullptr || last_armed_at_ != at) {
    last_armed_ = &timers_[at];
    last_armed_at_ = at;
  }
  last_armed_->push_back(timer_entry{at, timer_seq_++, kind, slot, generation});
}

void monitor_core::prefetch_record(std::uint64_t slot, int lines) const {
  if (slot >= slots_.size())
    return;
  const resource_record* r = slots_[slot].get();
  if (r == nullptr)
    return;
  const char* p = reinterpret_cast<const char*>(r);
  for (int l = 0; l < lines; ++l)
    __builtin_prefetch(p + 64 * l, 1);
}

mono_ns monitor_core::quantize(mono_ns t) const {
  const mono_ns q = ms_to_ns(settings_.poll_quantum_ms);
  if (q <= 0)
    return t;
  return (t + q - 1) / q * q;
}

void monitor_core::start_unleased(mono_ns now) {
  lease_deadline_ = now;
  fenced_ = true;  // nothing runs yet: no lease_expired to say
  ctx_.executor.set_lease_deadline(lease_deadline_);
}

bool monitor_core::lease_ok(mono_ns now) const {
  return !fenced_ && (!lease_deadline_ || now < *lease_deadline_);
}

void monitor_core::fence(mono_ns now) {
  if (fenced_)
    return;
  fenced_ = true;
  emit({{"type", "lease_expired"}, {"resources", by_name_.size()}});
  // Terminate comes before any other call: a node that lost its lease may no longer own anything.
  std::vector<std::uint64_t> slots;
  for (const auto& [name, slot] : by_name_)
    slots.push_back(slot);
  for (auto slot : slots) {
    resource_record* r = find_slot(slot);
    if (r == nullptr)
      continue;
    drop_waiting(*r, ERROR_CLUSTER_NODE_NOT_READY, "the monitor's lease has run out");
    if (r->state == rstate::online || r->state == rstate::online_pending ||
        r->state == rstate::offline_pending) {
      fail(*r, "the monitor's lease ran out; terminated", now);
    }
  }
  flush_submissions();
}

void monitor_core::check_deadlocks(mono_ns now) {
  for (const running_call& rc : ctx_.executor.running()) {
    inflight poll;
    const inflight* found = nullptr;
    if ((rc.call_id & poll_call_flag) != 0) {
      resource_record* r = find_slot((rc.call_id & ~poll_call_flag) >> 20);
      if (r == nullptr || r->busy_call != rc.call_id)
        continue;
      poll.entry = r->poll_entry;
      poll.slot = r->slot;
      poll.resource = r->name;
      poll.type_name = r->plugin ? r->plugin->name() : std::string();
      poll.deadlock_timeout_ms = r->timing.deadlock_timeout_ms;
      found = &poll;
    } else {
      auto it = inflight_.find(rc.call_id);
      if (it == inflight_.end())
        continue;
      found = &it->second;
    }
    const inflight& f = *found;
    const mono_ns elapsed = now - rc.started;
    if (elapsed < ms_to_ns(f.deadlock_timeout_ms))
      continue;
    emit({{"type", "deadlock"},
          {"resource", f.resource.empty() || f.slot == 0 ? json(nullptr) : json(f.resource)},
          {"resource_type", f.type_name.empty() ? json(nullptr) : json(f.type_name)},
          {"entry", to_string(f.entry)},
          {"elapsed_ms", elapsed / 1'000'000},
          {"deadlock_timeout_ms", f.deadlock_timeout_ms}});
    exiting_ = true;
    ctx_.sink.request_exit(exit_deadlock);
    return;
  }
}

void monitor_core::handle_parent_lost(mono_ns now) {
  if (parent_lost_)
    return;
  parent_lost_ = true;
  exiting_ = true;
  // An MSCS monitor whose service died lets its resources go at once: Terminate, not Offline.
  std::vector<std::uint64_t> slots;
  for (const auto& [name, slot] : by_name_)
    slots.push_back(slot);
  for (auto slot : slots) {
    resource_record* r = find_slot(slot);
    if (r == nullptr)
      continue;
    drop_waiting(*r, ERROR_SHUTDOWN_IN_PROGRESS, "the monitor's parent went away");
    if (r->state != rstate::offline && r->state != rstate::opening && r->state != rstate::closing) {
      r->pending_generation++;
      r->poll_generation++;
      r->state = rstate::offline;
      start_terminate(*r, now, nullptr);
    }
  }
  arm(now + ms_to_ns(settings_.parent_lost_grace_ms), timer_kind::exit_grace, 0, 0);
  flush_submissions();
  maybe_exit_after_parent_lost();
}

void monitor_core::maybe_exit_after_parent_lost() {
  if (exiting_done_)
    return;
  if (parent_lost_) {
    if (terminates_in_flight_ > 0)
      return;
    exiting_done_ = true;
    ctx_.sink.request_exit(exit_parent_lost);
    return;
  }
  if (shutdown_request_ && by_name_.empty()) {
    exiting_done_ = true;
    if (*shutdown_request_ >= 0)
      respond_ok(*shutdown_request_);
    ctx_.sink.request_exit(exit_clean);
  }
}

// ---------------------------------------------------------------------------------------------
// Calls

std::uint64_t monitor_core::submit(resource_record* r, entry_point entry,
                                   std::function<call_outcome()> invoke,
                                   std::optional<std::int64_t> request_id, mono_ns now,
                                   bool serialized, const std::string& type_name) {
  (void)now;
  if (r != nullptr && (entry == entry_point::looks_alive || entry == entry_point::is_alive)) {
    return submit_poll(*r, entry, std::move(invoke));
  }
  const std::uint64_t call_id = next_call_++;
  inflight f;
  f.entry = entry;
  f.request_id = request_id;
  f.serialized = serialized;
  f.type_name = type_name;
  if (r != nullptr) {
    f.slot = r->slot;
    f.generation = r->generation;
    f.deadlock_timeout_ms = r->timing.deadlock_timeout_ms;
    f.resource = r->name;
    if (f.type_name.empty() && r->plugin)
      f.type_name = r->plugin->name();
    if (serialized)
      r->busy_call = call_id;
  } else {
    f.deadlock_timeout_ms = settings_.type_deadlock_timeout_ms;
  }
  call_request req;
  req.call_id = call_id;
  req.entry = entry;
  req.resource = f.resource;
  req.urgent = entry == entry_point::terminate;
  req.needs_lease = entry != entry_point::terminate && entry != entry_point::close &&
                    entry != entry_point::offline;
  req.invoke = std::move(invoke);
  inflight_.emplace(call_id, std::move(f));
  outgoing_.push_back(std::move(req));
  return call_id;
}

// Polls are most of the traffic (10,000 resources): their bookkeeping lives in the resource
// record, and the call id carries the slot, so a poll costs no map node.
std::uint64_t monitor_core::submit_poll(resource_record& r, entry_point entry,
                                        std::function<call_outcome()> invoke) {
  const std::uint64_t call_id = poll_call_flag | (r.slot << 20) | (poll_seq_++ & 0xFFFFF);
  r.busy_call = call_id;
  r.poll_entry = entry;
  r.poll_submit_generation = r.generation;
  ++polls_in_flight_;
  call_request req;
  req.call_id = call_id;
  req.entry = entry;
  req.quiet = !settings_.trace_calls;  // a traced call is reported as it returns
  req.resource = r.name;
  req.invoke = std::move(invoke);
  outgoing_.push_back(std::move(req));
  return call_id;
}

void monitor_core::flush_submissions() {
  if (outgoing_.empty())
    return;
  std::vector<call_request> batch;
  batch.swap(outgoing_);
  outgoing_.reserve(batch.size());  // the next slot's batch is likely as large
  ctx_.executor.submit(std::move(batch));
}

// ---------------------------------------------------------------------------------------------
// Events

void monitor_core::emit(json&& event) {
  ctx_.sink.emit(std::move(event));
}

void monitor_core::respond_ok(std::optional<std::int64_t> id, json extra) {
  if (!id)
    return;
  json r = {{"type", "response"}, {"id", *id}, {"ok", true}, {"exec", "completed"}, {"status", 0}};
  for (auto& [k, v] : extra.items())
    r[k] = v;
  emit(std::move(r));
}

void monitor_core::respond_error(std::optional<std::int64_t> id, std::uint32_t code,
                                 const std::string& message, exec_status exec, json extra) {
  if (!id) {
    emit({{"type", "log"}, {"level", "warning"}, {"source", "monitor"}, {"message", message}});
    return;
  }
  json r = {{"type", "response"},
            {"id", *id},
            {"ok", false},
            {"exec", to_string(exec)},
            {"status", code},
            {"error", {{"code", code}, {"name", win32_error_name(code)}, {"message", message}}}};
  for (auto& [k, v] : extra.items())
    r[k] = v;
  emit(std::move(r));
}

void monitor_core::respond_call(std::optional<std::int64_t> id, const inflight& f,
                                const call_outcome& o, json extra) {
  if (!id)
    return;
  const bool ok = o.exec == exec_status::completed &&
                  (o.status == ERROR_SUCCESS || o.status == ERROR_IO_PENDING);
  json r = {
      {"type", "response"},          {"id", *id},         {"ok", ok}, {"exec", to_string(o.exec)},
      {"entry", to_string(f.entry)}, {"status", o.status}};
  if (!f.resource.empty() && f.slot != 0)
    r["resource"] = f.resource;
  if (!ok) {
    std::string message = o.message;
    if (message.empty()) {
      message = std::string(to_string(f.entry)) + " returned " + std::to_string(o.status) + " (" +
                win32_error_name(o.status) + ")";
    }
    r["error"] = {{"code", o.status}, {"name", win32_error_name(o.status)}, {"message", message}};
  }
  for (auto& [k, v] : extra.items())
    r[k] = v;
  emit(std::move(r));
}

void monitor_core::trace_call(const inflight& f, const call_outcome& o) {
  if (!settings_.trace_calls)
    return;
  json e = {{"type", "call"},
            {"entry", to_string(f.entry)},
            {"exec", to_string(o.exec)},
            {"elapsed_ms", static_cast<double>(o.finished - o.started) / 1e6}};
  if (f.slot != 0)
    e["resource"] = f.resource;
  if (!f.type_name.empty() && f.slot == 0)
    e["resource_type"] = f.type_name;
  if (f.entry == entry_point::looks_alive || f.entry == entry_point::is_alive) {
    e["result"] = o.status != 0;
  } else if (f.entry == entry_point::open) {
    e["result"] = o.resid != nullptr ? "RESID" : "NULL";
  } else if (f.entry == entry_point::close || f.entry == entry_point::terminate) {
    e["result"] = nullptr;
  } else {
    e["result"] = o.status;
  }
  if (!o.message.empty())
    e["message"] = o.message;
  emit(std::move(e));
}

resource_record* monitor_core::find(const std::string& name) {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : find_slot(it->second);
}

resource_record* monitor_core::find_token(std::uint64_t token) {
  auto it = by_token_.find(token);
  return it == by_token_.end() ? nullptr : find_slot(it->second);
}

resource_record* monitor_core::find_slot(std::uint64_t slot) {
  return slot < slots_.size() ? slots_[slot].get() : nullptr;
}

std::optional<rstate> monitor_core::TEST_state(const std::string& resource) const {
  auto it = by_name_.find(resource);
  if (it == by_name_.end())
    return std::nullopt;
  return slots_[it->second]->state;
}

}  // namespace wolfpack::monitor
