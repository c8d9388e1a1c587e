#include "callback_router.hpp"

#include <cstdarg>

#include <wolfpack/log_format.hpp>
#include <wolfpack/resutils_log.hpp>
#include <wolfpack/wide_string.hpp>

namespace wolfpack::monitor {

callback_router& callback_router::instance() {
  static callback_router router;
  return router;
}

void callback_router::attach(callback_sink* sink) {
  {
    std::lock_guard lock(mutex_);
    sink_ = sink;
  }
  // What resutils refuses a plugin (a dependency lookup, say) goes to the cluster log as a
  // type-level warning, next to the plugin's own lines.
  wolfpack::set_resutils_log_sink(sink != nullptr ? &callback_router::resutils_refusal : nullptr);
}

void callback_router::resutils_refusal(const std::string& message) {
  callback_router& self = instance();
  callback_sink* sink = nullptr;
  {
    std::lock_guard lock(self.mutex_);
    sink = self.sink_;
  }
  if (sink != nullptr)
    sink->on_log(0, LOG_WARNING, message);
}

void callback_router::bind(std::uint64_t token) {
  std::lock_guard lock(mutex_);
  live_[token] = entry{};
}

void callback_router::unbind(std::uint64_t token) {
  std::lock_guard lock(mutex_);
  live_.erase(token);
}

void callback_router::set_terminating(std::uint64_t token, bool terminating) {
  std::lock_guard lock(mutex_);
  if (auto it = live_.find(token); it != live_.end())
    it->second.terminating = terminating;
}

bool callback_router::lookup(RESOURCE_HANDLE handle, const char* callback, std::uint64_t& token,
                             bool* terminating) {
  token = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(handle));
  callback_sink* sink = nullptr;
  {
    std::lock_guard lock(mutex_);
    sink = sink_;
    auto it = live_.find(token);
    if (it != live_.end()) {
      if (terminating != nullptr)
        *terminating = it->second.terminating;
      return sink != nullptr;
    }
  }
  if (sink != nullptr)
    sink->on_stale_handle(callback, reinterpret_cast<std::uintptr_t>(handle));
  return false;
}

DWORD WINAPI callback_router::set_resource_status(RESOURCE_HANDLE handle, PRESOURCE_STATUS status) {
  callback_router& self = instance();
  std::uint64_t token = 0;
  bool terminating = false;
  if (!self.lookup(handle, "SetResourceStatus", token, &terminating)) {
    return ResourceExitStateTerminate;
  }
  if (status == nullptr) {
    self.sink_->on_log(token, LOG_ERROR, "SetResourceStatus called with a NULL status; ignored");
    return ResourceExitStateContinue;
  }
  self.sink_->on_status(token, status_report{status->ResourceState, status->CheckPoint});
  // Tells a worker thread to stop when Terminate has been called (SPEC 2.7 item 4.6).
  return terminating ? ResourceExitStateTerminate : ResourceExitStateContinue;
}

VOID WINAPI callback_router::log_event(RESOURCE_HANDLE handle, LOG_LEVEL level, LPCWSTR format,
                                       ...) {
  callback_router& self = instance();
  std::uint64_t token = 0;
  // Type-level code (ResourceTypeControl, Startup) has no resource handle and passes NULL.
  if (handle != nullptr && !self.lookup(handle, "LogEvent", token, nullptr))
    return;
  if (handle == nullptr) {
    std::lock_guard lock(self.mutex_);
    if (self.sink_ == nullptr)
      return;
  }
  std::string message;
  if (format == nullptr) {
    message = "(LogEvent called with a NULL format)";
  } else {
    va_list args;
    va_start(args, format);
    message = wolfpack::to_utf8(wolfpack::format_log_message(format, args));
    va_end(args);
  }
  self.sink_->on_log(token, static_cast<int>(level), std::move(message));
}

VOID WINAPI callback_router::quorum_resource_lost(RESOURCE_HANDLE handle) {
  callback_router& self = instance();
  std::uint64_t token = 0;
  if (!self.lookup(handle, "QuorumResourceLost", token, nullptr))
    return;
  self.sink_->on_quorum_lost(token);
}

PQUORUM_RESOURCE_LOST quorum_lost_callback() {
  return &callback_router::quorum_resource_lost;
}

}  // namespace wolfpack::monitor
