#pragma once

// One Dummy resource instance: the state behind one RESID.
//
// Threads: the monitor serialises every entry point of an instance except Terminate, which
// may overlap Online, Offline, LooksAlive, IsAlive and ResourceControl. All mutable state is
// behind mutex_; a pending Online/Offline runs on worker_, which exists only while such an
// operation is in flight and is always joined (by Terminate, the next operation or Close).
// An idle instance owns no thread, so thousands of instances cost only their memory.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <wolfpack/resapi.h>

#include "dummy_entry_point.hpp"
#include "dummy_properties.hpp"
#include "dummy_strings.hpp"

namespace wolfpack::dummy {

class dummy_resource {
 public:
  dummy_resource(wide_string name, HKEY resource_key, RESOURCE_HANDLE handle);
  ~dummy_resource();
  dummy_resource(const dummy_resource&) = delete;
  dummy_resource& operator=(const dummy_resource&) = delete;

  // Entry points. Each one first calls enter() (CallLog line, CrashIn, HangIn); Open and
  // Online re-read the properties before that, so their own CrashIn/HangIn apply at once.
  void open();
  DWORD online();
  DWORD offline();
  void terminate();
  BOOL looks_alive();
  BOOL is_alive();
  void close();

  // CallLog line for this call, then crash or hang if CrashIn/HangIn names this entry point.
  void enter(entry_point entry);

  // Takes HangIn, CrashIn, FailFile and CallLog from settings at once (the other properties
  // wait for the next Online/Offline): after Open, Online, Offline and SET_PRIVATE_PROPERTIES.
  void apply_fault_settings(const dummy_settings& settings);

  // What ResourceTypeControl needs to honour CallLog/HangIn/CrashIn of live instances.
  struct fault_view {
    entry_point hang_in = entry_point::none;
    entry_point crash_in = entry_point::none;
    std::string call_log;  // UTF-8 path, "" for none
  };
  fault_view faults() const;

  HKEY resource_key() const { return resource_key_; }
  RESOURCE_HANDLE handle() const { return handle_; }
  const std::string& name_utf8() const { return name_utf8_; }

  // LogEvent on this instance's handle.
  void log(LOG_LEVEL level, std::string_view message) const;

 private:
  enum class phase { offline, online_pending, online, offline_pending, failed };
  enum class operation { online, offline };
  using clock = std::chrono::steady_clock;

  // Reads Parameters; logs every problem at `level` with `context`, applies the fault knobs.
  dummy_settings load_settings(std::string_view context, LOG_LEVEL level,
                               std::vector<property_problem>& problems);
  // Cancels a worker still around (a finished one or one that should not be) and joins it,
  // and a retired one.
  void stop_worker();
  // Joins a worker taken out of worker_, unless it is the calling thread (a monitor calling
  // back into the plugin from the worker's SetResourceStatus): that one goes to retired_.
  void join_or_retire(std::thread worker);
  // Waits until deadline; false if generation_ moved on (Terminate, Close) meanwhile.
  bool wait_until(std::unique_lock<std::mutex>& lock, clock::time_point deadline,
                  std::uint64_t generation);
  void run_worker(operation op, dummy_settings settings, std::uint64_t generation);
  void become_online_locked(DWORD fail_after_ms);
  // TRUE if online and neither FailAfterMs nor FailFile says otherwise; else FALSE and, when
  // a fault caused it, why in *reason.
  BOOL check_alive(std::string* reason);

  // Constant after construction.
  const wide_string name_;
  const std::string name_utf8_;
  const HKEY resource_key_;
  const RESOURCE_HANDLE handle_;

  // Everything below is protected by mutex_.
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  phase phase_ = phase::offline;
  // Bumped to cancel in-flight work: by every new operation, by Terminate and by Close.
  std::uint64_t generation_ = 0;
  // Bumped only by Terminate and Close: an Online/Offline that overlapped one is abandoned.
  std::uint64_t terminations_ = 0;
  std::thread worker_;
  // A worker that was the caller when it had to be joined; joined by the next operation or
  // Close. No thread is ever detached (except by a destructor run on the worker itself).
  std::thread retired_;
  clock::time_point fail_at_ = clock::time_point::max();
  std::filesystem::path fail_file_;
  entry_point hang_in_ = entry_point::none;
  entry_point crash_in_ = entry_point::none;
  std::string call_log_;
};

}  // namespace wolfpack::dummy
