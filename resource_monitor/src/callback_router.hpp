#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include <wolfpack/resapi.h>

#include "core_types.hpp"
#include "resource_record.hpp"

namespace wolfpack::monitor {

// Receives what plugins report through the resource API callbacks, on the plugin's thread.
class callback_sink {
 public:
  virtual ~callback_sink() = default;
  virtual void on_status(std::uint64_t token, const status_report& report) = 0;
  virtual void on_log(std::uint64_t token, int level, std::string message) = 0;
  virtual void on_quorum_lost(std::uint64_t token) = 0;
  virtual void on_stale_handle(const char* callback, std::uintptr_t handle) = 0;
};

// SetResourceStatus, LogEvent and QuorumResourceLost are bare C function pointers without a
// context argument, so the map from RESOURCE_HANDLE back to its monitor has to be process-wide.
// This is the only global state of resrcmon, and it exists because the ABI demands it.
class callback_router final : public handle_table {
 public:
  static callback_router& instance();

  void attach(callback_sink* sink);

  void bind(std::uint64_t token) override;
  void unbind(std::uint64_t token) override;
  void set_terminating(std::uint64_t token, bool terminating) override;

  static DWORD WINAPI set_resource_status(RESOURCE_HANDLE handle, PRESOURCE_STATUS status);
  static VOID WINAPI log_event(RESOURCE_HANDLE handle, LOG_LEVEL level, LPCWSTR format, ...);
  static VOID WINAPI quorum_resource_lost(RESOURCE_HANDLE handle);
  static void resutils_refusal(const std::string& message);

 private:
  struct entry {
    bool terminating = false;
  };
  bool lookup(RESOURCE_HANDLE handle, const char* callback, std::uint64_t& token,
              bool* terminating);

  std::mutex mutex_;
  std::unordered_map<std::uint64_t, entry> live_;
  callback_sink* sink_ = nullptr;
};

}  // namespace wolfpack::monitor
