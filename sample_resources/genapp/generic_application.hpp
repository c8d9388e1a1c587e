#pragma once

// Generic Application: Online starts a program (CommandLine) in its own process group, with
// its output appended to a per-resource log file; LooksAlive and IsAlive check that it still
// runs (a program that exits, whatever its exit code, fails the resource); Offline sends
// SIGTERM to the group and SIGKILL after StopTimeoutMs; Terminate kills the group at once.
// docs/resource-types.md describes the properties.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <wolfpack/plugin.hpp>

#include "child_process.hpp"

namespace wolfpack::samples {

struct generic_application_params {
  std::wstring command_line;              // CommandLine (SZ, required)
  std::wstring current_directory;         // CurrentDirectory (SZ): absolute; empty = inherit
  std::vector<std::wstring> environment;  // Environment (MULTI_SZ of NAME=VALUE)
  DWORD use_network_name = 0;             // UseNetworkName (DWORD 0/1)
  DWORD stop_timeout_ms = 10000;          // StopTimeoutMs: SIGTERM to SIGKILL
  std::wstring log_file;                  // LogFile (SZ): absolute; empty = the default
};

class generic_application : public plugin::resource<generic_application_params> {
 public:
  static constexpr DWORD default_stop_timeout_ms = 10000;
  static constexpr DWORD max_stop_timeout_ms = 3600000;

  static plugin::property_table<generic_application_params> properties();
  static plugin::outcome validate_parameters(const generic_application_params& p);

  plugin::result online() override;
  plugin::result offline() override;
  bool looks_alive() override;
  bool is_alive() override;
  void terminate() override;
  void close() override;
  DWORD resource_control(DWORD code, const void* in, DWORD in_size, void* out, DWORD out_size,
                         DWORD* returned) override;

 private:
  // False (logged once) when the program has exited.
  bool still_running();
  std::shared_ptr<child_process> take_child();
  // After SIGTERM: SIGKILL to what is left of the group, forget the child, log how it ended.
  void finish_stop(const std::shared_ptr<child_process>& child, bool at_deadline,
                   std::chrono::milliseconds timeout);

  // Terminate runs beside the other entry points.
  std::mutex mutex_;
  std::shared_ptr<child_process> child_;  // guarded by mutex_
  bool exit_logged_ = false;              // guarded by mutex_
};

}  // namespace wolfpack::samples
