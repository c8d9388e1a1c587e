#pragma once

// Generic Script: each entry point runs the script (ScriptFilePath) with the entry point's
// name as its only argument (open, online, offline, looksalive, isalive, terminate, close).
// Exit code 0 is success; anything else, a signal, or no answer within the deadline is a
// failure (the script's whole process group is killed at the deadline).
// docs/resource-types.md describes the properties and the error codes.

#include <chrono>
#include <mutex>
#include <string>

#include <wolfpack/plugin.hpp>

#include "action_runner.hpp"

namespace wolfpack::samples {

struct generic_script_params {
  std::wstring script_file_path;    // ScriptFilePath (SZ, required): absolute
  DWORD script_timeout_ms = 60000;  // ScriptTimeoutMs: open, online, offline, close
  DWORD health_timeout_ms = 2000;   // HealthCheckTimeoutMs: looksalive, isalive
  std::wstring log_file;            // LogFile (SZ): absolute; empty = the default
};

class generic_script : public plugin::resource<generic_script_params> {
 public:
  static constexpr DWORD default_script_timeout_ms = 60000;
  static constexpr DWORD default_health_timeout_ms = 2000;
  // terminate and close must not hold the monitor long, whatever ScriptTimeoutMs says.
  static constexpr DWORD max_terminate_close_ms = 5000;
  // The code for a script that ran and answered nonzero (winerror.h has no name for it).
  static constexpr DWORD error_function_failed = 1627;  // ERROR_FUNCTION_FAILED

  static plugin::property_table<generic_script_params> properties();
  static plugin::outcome validate_parameters(const generic_script_params& p);

  DWORD open() override;
  void close() override;
  plugin::result online() override;
  plugin::result offline() override;
  bool looks_alive() override;
  bool is_alive() override;
  void terminate() override;
  DWORD resource_control(DWORD code, const void* in, DWORD in_size, void* out, DWORD out_size,
                         DWORD* returned) override;

 private:
  // What a verb runs with, fixed when Open or Online read the parameters (Terminate may
  // run beside Online, so it does not read params()).
  struct script_settings {
    std::string path;
    std::chrono::milliseconds timeout{default_script_timeout_ms};
    std::chrono::milliseconds health_timeout{default_health_timeout_ms};
    std::string log_file;
  };

  launch_options verb_options(const char* verb, const script_settings& s) const;
  // The Win32 result of a verb (logged when not ERROR_SUCCESS).
  DWORD verb_status(const char* verb, const action_result& r,
                    std::chrono::milliseconds timeout) const;
  // Runs one verb to its end or deadline.
  DWORD run_verb(const char* verb, const script_settings& s, std::chrono::milliseconds timeout);
  // Online and Offline: the verb, answered at once when quick, else on a worker (pending)
  // reporting progress.
  plugin::result run_pending_verb(const char* verb);
  // Reads params() into settings_ (ERROR_SUCCESS, or why the script cannot run).
  DWORD take_settings();
  script_settings settings();

  action_runner runner_;
  std::mutex mutex_;
  script_settings settings_;  // guarded by mutex_
};

}  // namespace wolfpack::samples
