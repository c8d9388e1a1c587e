#pragma once

// Fakes for every seam of monitor_core: the tests decide when calls finish and what they
// return, and pass time by hand.

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core_types.hpp"
#include "monitor_core.hpp"
#include "plugin_type.hpp"

namespace wolfpack::monitor::testing {

struct fake_executor final : call_executor {
  std::vector<call_request> calls;  // submitted, not yet completed by the test
  std::vector<running_call> running_calls;
  std::optional<mono_ns> lease;
  void submit(std::vector<call_request>&& batch) override {
    for (auto& c : batch)
      calls.push_back(std::move(c));
  }
  std::vector<running_call> running() const override { return running_calls; }
  void set_lease_deadline(std::optional<mono_ns> d) override { lease = d; }
};

struct fake_sink final : event_sink {
  std::vector<nlohmann::json> events;
  std::optional<int> exit_code;
  void emit(nlohmann::json&& e) override { events.push_back(std::move(e)); }
  void request_exit(int code) override { exit_code = code; }
};

struct fake_handles final : handle_table {
  std::vector<std::uint64_t> bound;
  void bind(std::uint64_t t) override { bound.push_back(t); }
  void unbind(std::uint64_t t) override { std::erase(bound, t); }
  void set_terminating(std::uint64_t, bool) override {}
};

struct fake_loader final : plugin_loader {
  call_outcome load(const std::string&, const std::string&) override { return {}; }
};

inline DWORD WINAPI fake_arbitrate(RESID, PQUORUM_RESOURCE_LOST) {
  return 0;
}
inline DWORD WINAPI fake_release(RESID) {
  return 0;
}

struct core_env {
  fake_executor executor;
  fake_sink sink;
  fake_handles handles;
  fake_loader loader;
  std::vector<registry_write> writes;
  monitor_core core;
  mono_ns now = 1'000'000'000;  // an arbitrary origin
  std::int64_t next_id = 1;

  explicit core_env(core_settings settings = {})
      : core(core_context{executor, sink, handles, loader,
                          [this](registry_write&& w) { writes.push_back(std::move(w)); }},
             settings) {}

  std::int64_t command(nlohmann::json c) {
    const std::int64_t id = next_id++;
    c["id"] = id;
    core.handle_command(c, now);
    return id;
  }

  void advance_ms(std::int64_t ms) {
    now += ms_to_ns(ms);
    core.handle_tick(now);
  }

  // Completes the oldest submitted call for `entry` (and resource, if given).
  bool complete(entry_point entry, call_outcome o = {}, const std::string& resource = {}) {
    auto it =
        std::find_if(executor.calls.begin(), executor.calls.end(), [&](const call_request& c) {
          return c.entry == entry && (resource.empty() || c.resource == resource);
        });
    if (it == executor.calls.end())
      return false;
    const std::uint64_t id = it->call_id;
    executor.calls.erase(it);
    o.started = now;
    o.finished = now;
    core.handle_completion(id, std::move(o), now);
    return true;
  }

  bool has_call(entry_point entry, const std::string& resource = {}) const {
    return std::any_of(executor.calls.begin(), executor.calls.end(), [&](const call_request& c) {
      return c.entry == entry && (resource.empty() || c.resource == resource);
    });
  }

  std::optional<nlohmann::json> response(std::int64_t id) const {
    for (const auto& e : sink.events) {
      if (e.value("type", "") == "response" && e.value("id", std::int64_t{-1}) == id)
        return e;
    }
    return std::nullopt;
  }

  std::vector<std::string> states(const std::string& resource) const {
    std::vector<std::string> out;
    for (const auto& e : sink.events) {
      if (e.value("type", "") == "state" && e.value("resource", "") == resource)
        out.push_back(e["state"]);
    }
    return out;
  }

  std::size_t count(const std::string& type) const {
    return static_cast<std::size_t>(
        std::count_if(sink.events.begin(), sink.events.end(),
                      [&](const auto& e) { return e.value("type", "") == type; }));
  }

  void load_dummy() {
    command(
        {{"type", "load_type"}, {"resource_type", "Dummy"}, {"plugin", "/plugins/wp_dummy.so"}});
    CLRES_V1_FUNCTIONS fns{};
    fns.Arbitrate = &fake_arbitrate;
    fns.Release = &fake_release;
    call_outcome o;
    o.loaded_type = std::make_shared<plugin_type>("Dummy", "/plugins/wp_dummy.so", fns, nullptr);
    complete(entry_point::startup, std::move(o));
  }

  // Loads the type, opens `name` with the given timing and returns once it is Offline.
  void open(const std::string& name, nlohmann::json timing = nlohmann::json::object()) {
    command({{"type", "open"},
             {"resource", name},
             {"resource_type", "Dummy"},
             {"timing", timing},
             {"parameters", {{"OnlineDelayMs", 0}}}});
    call_outcome o;
    o.resid = reinterpret_cast<RESID>(0x1234);
    complete(entry_point::open, std::move(o), name);
  }

  void bring_online(const std::string& name) {
    command({{"type", "online"}, {"resource", name}});
    complete(entry_point::online, {}, name);
  }
};

inline call_outcome returns(std::uint32_t status) {
  call_outcome o;
  o.status = status;
  return o;
}

}  // namespace wolfpack::monitor::testing
