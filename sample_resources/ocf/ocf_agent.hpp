#pragma once

// OCF Agent: a Pacemaker OCF resource agent as a cluster resource. Online runs start,
// Offline stop, LooksAlive monitor (OCF_CHECK_LEVEL 0), IsAlive monitor (OCF_CHECK_LEVEL
// 10); VALIDATE_PRIVATE_PROPERTIES checks Parameters against the agent's meta-data and runs
// validate-all; GET_PRIVATE_PROPERTY_FMTS adds the agent's parameters. docs/resource-types.md
// describes the properties and the mapping of exit codes.

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include <wolfpack/plugin.hpp>

#include "action_runner.hpp"
#include "ocf_invocation.hpp"

namespace wolfpack::samples {

struct ocf_agent_params {
  std::wstring agent;                    // Agent (SZ, required): provider/type or a path
  std::vector<std::wstring> parameters;  // Parameters (MULTI_SZ of NAME=VALUE)
  DWORD action_timeout_ms = 60000;       // ActionTimeoutMs: start, stop, validate-all, meta-data
  DWORD monitor_timeout_ms = 4000;       // MonitorTimeoutMs: monitor
  std::wstring log_file;                 // LogFile (SZ): absolute; empty = the default
};

class ocf_agent : public plugin::resource<ocf_agent_params> {
 public:
  static constexpr DWORD default_action_timeout_ms = 60000;
  static constexpr DWORD default_monitor_timeout_ms = 4000;
  // Terminate runs stop, but must not hold the monitor long.
  static constexpr DWORD max_terminate_ms = 5000;
  static constexpr int is_alive_check_level = 10;

  static plugin::property_table<ocf_agent_params> properties();
  // Agent resolves, Parameters are NAME=VALUE with names the meta-data knows and every
  // required one given, and validate-all agrees.
  static plugin::outcome validate_parameters(const ocf_agent_params& p);

  plugin::result online() override;
  plugin::result offline() override;
  bool looks_alive() override;
  bool is_alive() override;
  void terminate() override;
  DWORD resource_control(DWORD code, const void* in, DWORD in_size, void* out, DWORD out_size,
                         DWORD* returned) override;

 private:
  struct agent_settings {
    ocf::agent_location agent;
    name_value_list parameters;
    std::chrono::milliseconds action_timeout{default_action_timeout_ms};
    std::chrono::milliseconds monitor_timeout{default_monitor_timeout_ms};
    std::string log_file;
    std::string instance;
  };

  launch_options action_options(const agent_settings& s, const char* action,
                                std::chrono::milliseconds timeout, int check_level) const;
  // The exit code, or -1 (logged) when the action timed out, was stopped or killed.
  int exit_code_of(const char* action, const action_result& r,
                   std::chrono::milliseconds timeout) const;
  // Runs an action to its end or deadline; its exit code or -1.
  int run_action(const agent_settings& s, const char* action, std::chrono::milliseconds timeout,
                 int check_level = 0);
  // What a start or stop exit code (or -1) means for Online / Offline.
  plugin::result start_stop_result(const char* action, bool stopping, int code, bool stopped) const;
  // start (Online) or stop (Offline): answered at once when quick, else on a worker
  // (pending) reporting progress.
  plugin::result run_pending_action(const char* action, bool stopping);
  bool monitor(int check_level, bool log_not_running);
  DWORD take_settings();
  agent_settings settings();
  DWORD property_formats(void* out, DWORD out_size, DWORD* returned);

  action_runner runner_;
  std::mutex mutex_;
  agent_settings settings_;  // guarded by mutex_
};

}  // namespace wolfpack::samples
