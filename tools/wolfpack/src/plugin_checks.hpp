#pragma once

// The checks of `wolfpack check-plugin`, one function each, sharing a check_context that
// owns the monitor (restarted when a check kills it) and names the resources.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <wolfpack/common/result.hpp>

#include "monitor_session.hpp"
#include "wolfpack/tool/check_plugin.hpp"

namespace wolfpack::tool {

class check_context {
 public:
  check_context(const check_options& options, std::filesystem::path resrcmon,
                std::filesystem::path plugin, std::string type, nlohmann::json parameters,
                nlohmann::json fail_parameters);

  const check_options& options() const { return options_; }
  const std::filesystem::path& resrcmon() const { return resrcmon_; }
  const std::filesystem::path& plugin() const { return plugin_; }
  const std::string& type() const { return type_; }
  const nlohmann::json& parameters() const { return parameters_; }
  const nlohmann::json& fail_parameters() const { return fail_parameters_; }

  // A running monitor with the type loaded, started (again) if needed. The first failure
  // to load is kept: later checks are skipped with it.
  status ensure_monitor();
  monitor_session& session() { return *session_; }
  bool type_loaded() const { return type_loaded_; }
  const std::string& load_error() const { return load_error_; }

  // A name not used before in this run: "check-<what>-<n>".
  std::string fresh_name(const std::string& what);
  // Timing for an open; poll intervals in ms.
  nlohmann::json timing(std::uint32_t looks_alive_ms = 5000,
                        std::uint32_t is_alive_ms = 60000) const;

  // Each sends the command, waits for the answer (and the state it leads to) and says what
  // went wrong. Resources opened are remembered and closed by close_opened().
  status open(const std::string& name, const nlohmann::json& timing);
  status online(const std::string& name, double* elapsed_ms = nullptr, bool* pending = nullptr);
  status offline(const std::string& name);
  // Drops the unread state events of `name` (before a command whose outcome is awaited).
  void forget_states(const std::string& name);
  status reach(const std::string& name, const std::string& state,
               std::chrono::milliseconds timeout);
  // Sets the --fail-param values on an open resource (SET_PRIVATE_PROPERTIES, or the
  // Parameters key when the plugin does not take them).
  status apply_fail_parameters(const std::string& name);
  // Terminate, timed.
  status terminate(const std::string& name, double& elapsed_ms);
  status close(const std::string& name);
  // A resource opened by hand (several opens in flight at once), closed by close_opened().
  void adopt(const std::string& name) { opened_.push_back(name); }
  void close_opened();

  std::chrono::milliseconds pending_wait() const;

 private:
  const check_options& options_;
  std::filesystem::path resrcmon_;
  std::filesystem::path plugin_;
  std::string type_;
  nlohmann::json parameters_;
  nlohmann::json fail_parameters_;
  std::unique_ptr<monitor_session> session_;
  bool type_loaded_ = false;
  bool load_attempted_ = false;
  std::string load_error_;
  int counter_ = 0;
  std::vector<std::string> opened_;
};

// The battery, in order (check_names() lists the same names).
check_result check_startup_versions(check_context& ctx);
check_result check_function_table(check_context& ctx);
check_result check_open_close(check_context& ctx);
check_result check_online(check_context& ctx);
check_result check_looks_alive(check_context& ctx);
check_result check_is_alive(check_context& ctx);
check_result check_offline_idempotent(check_context& ctx);
check_result check_terminate(check_context& ctx);
check_result check_concurrent_resources(check_context& ctx);
check_result check_parallel_calls(check_context& ctx);
check_result check_property_validation(check_context& ctx);
check_result check_no_leaks(check_context& ctx);

}  // namespace wolfpack::tool
