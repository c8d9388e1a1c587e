#pragma once

// The seams between the deterministic monitor core and the threads, clock and plugins that
// drive it. The core never reads a clock or calls a plugin: time arrives with each input,
// and plugin calls leave as call_requests that an executor runs.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "entry_point.hpp"
#include "resource_monitor/protocol.hpp"

namespace wolfpack::monitor {

class plugin_type;

using mono_ns = std::int64_t;  // monotonic nanoseconds since an arbitrary origin

inline constexpr mono_ns ms_to_ns(std::int64_t ms) {
  return ms * 1'000'000;
}

struct call_outcome {
  exec_status exec = exec_status::completed;
  std::uint32_t status = 0;  // DWORD returned by the entry point; BOOL for LooksAlive/IsAlive
  void* resid = nullptr;     // what Open returned
  std::shared_ptr<plugin_type> loaded_type;  // what Startup produced
  std::vector<std::uint8_t> out;             // control output
  std::uint32_t bytes_returned = 0;
  std::string message;  // why the call did not run, or what went wrong loading a plugin
  mono_ns started = 0;
  mono_ns finished = 0;
};

struct call_request {
  std::uint64_t call_id = 0;
  entry_point entry = entry_point::open;
  std::string resource;  // empty for type-level calls; named in crash reports
  bool urgent = false;   // Terminate: a lane of its own, may overlap the resource's other call
  bool needs_lease = true;
  // A poll whose TRUE answer may be collected later with the others of its batch instead of
  // waking the core (see call_pool::harvest). FALSE, and any call that did not run, is
  // reported at once as usual.
  bool quiet = false;
  std::function<call_outcome()> invoke;
};

// A poll that completed and answered TRUE, as collected in bulk (see call_request::quiet).
struct poll_success {
  std::uint64_t call_id = 0;
  std::uint32_t status = 0;
  mono_ns started = 0;
  mono_ns finished = 0;
};

struct running_call {
  std::uint64_t call_id = 0;
  mono_ns started = 0;
};

// Runs plugin calls on other threads and hands outcomes back through the inbox.
class call_executor {
 public:
  virtual ~call_executor() = default;
  virtual void submit(std::vector<call_request>&& calls) = 0;
  virtual std::vector<running_call> running() const = 0;
  // Calls that need the lease are refused, without entering the plugin, once it has run out.
  virtual void set_lease_deadline(std::optional<mono_ns> deadline) = 0;
  // Called on every timer wake-up: lets the executor make sure queued work is not waiting
  // behind a worker stuck in a slow call.
  virtual void nudge() {}
};

// Where the core's events go: the parent's socket, or the harness's standard output.
class event_sink {
 public:
  virtual ~event_sink() = default;
  virtual void emit(nlohmann::json&& event) = 0;
  virtual void request_exit(int code) = 0;
};

// Maps the RESOURCE_HANDLEs given to plugins back to resources (see callback_router).
class handle_table {
 public:
  virtual ~handle_table() = default;
  virtual void bind(std::uint64_t token) = 0;
  virtual void unbind(std::uint64_t token) = 0;
  virtual void set_terminating(std::uint64_t token, bool terminating) = 0;
};

// Loads a plugin and calls its Startup; runs on an executor thread.
class plugin_loader {
 public:
  virtual ~plugin_loader() = default;
  virtual call_outcome load(const std::string& path, const std::string& type_name) = 0;
};

// A registry write a plugin made through ClusterReg*; arrives on the plugin's thread.
struct registry_write {
  std::uint64_t token = 0;
  std::string key;
  std::string name;
  std::optional<nlohmann::json> value;  // typed value JSON; nullopt = deleted
};

struct core_settings {
  bool trace_calls = false;
  std::uint32_t poll_quantum_ms = 20;  // polls due in the same slot run as one batch
  std::uint32_t deadlock_check_ms = 250;
  std::uint32_t type_deadlock_timeout_ms = 300000;
  std::uint32_t parent_lost_grace_ms = 10000;
};

struct core_context {
  call_executor& executor;
  event_sink& sink;
  handle_table& handles;
  plugin_loader& loader;
  // Called on plugin threads; must hand the write over to the core's thread.
  std::function<void(registry_write&&)> post_registry_write;
};

}  // namespace wolfpack::monitor
