#include "generic_application.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <utility>

#include <wolfpack/wide_string.hpp>
#include <wolfpack/win_error_names.hpp>

#include "command_line.hpp"
#include "control_output.hpp"
#include "name_value.hpp"
#include "network_name_environment.hpp"
#include "resource_log_file.hpp"

namespace wolfpack::samples {

namespace {

// "ERROR_DEPENDENCY_NOT_FOUND (5002)".
std::string error_text(DWORD code) {
  const std::string name = win32_error_name(code);
  return (name.empty() ? std::string("error") : name) + " (" + std::to_string(code) + ")";
}

using app_params = generic_application_params;

bool absolute_or_empty(const std::wstring& path) {
  return path.empty() || std::filesystem::path(to_utf8(path)).is_absolute();
}

constexpr auto progress_every = std::chrono::milliseconds(500);
// How long Offline waits for SIGTERM to work before it goes pending.
constexpr auto quick_stop_wait = std::chrono::milliseconds(200);

}  // namespace

plugin::property_table<app_params> generic_application::properties() {
  return plugin::property_table<app_params>()
      .sz(L"CommandLine", &app_params::command_line)
      .required()
      .sz(L"CurrentDirectory", &app_params::current_directory)
      .required()
      .multi_sz(L"Environment", &app_params::environment)
      .dword(L"UseNetworkName", &app_params::use_network_name, 0, 0, 1)
      .dword(L"StopTimeoutMs", &app_params::stop_timeout_ms, default_stop_timeout_ms, 0,
             max_stop_timeout_ms)
      .sz(L"LogFile", &app_params::log_file);
}

plugin::outcome generic_application::validate_parameters(const app_params& p) {
  std::string why;
  // An empty CommandLine is "not set yet" here; Online refuses it.
  if (!p.command_line.empty()) {
    const auto words = split_command_line(to_utf8(p.command_line), &why);
    if (!words)
      return plugin::outcome::refused(ERROR_INVALID_PARAMETER, "property CommandLine: " + why);
  }
  // "." is MSCS's "where the service is installed": here the monitor's working directory.
  if (p.current_directory != L"." && !absolute_or_empty(p.current_directory)) {
    return plugin::outcome::refused(ERROR_INVALID_PARAMETER,
                                    "property CurrentDirectory: not an absolute path or '.'");
  }
  if (!parse_name_values(p.environment, &why))
    return plugin::outcome::refused(ERROR_INVALID_PARAMETER, "property Environment: " + why);
  if (!absolute_or_empty(p.log_file))
    return plugin::outcome::refused(ERROR_INVALID_PARAMETER,
                                    "property LogFile: not an absolute path");
  return {};
}

plugin::result generic_application::online() {
  const app_params& p = params();
  if (auto checked = validate_parameters(p); !checked)
    throw plugin::error(checked.status, checked.message);
  const auto argv = split_command_line(to_utf8(p.command_line));
  if (!argv || argv->empty())
    throw plugin::error(ERROR_INVALID_PARAMETER, "property CommandLine: no program named");

  launch_options options;
  options.argv = *argv;
  options.working_dir = p.current_directory == L"." ? std::string() : to_utf8(p.current_directory);
  options.env = *parse_name_values(p.environment);
  options.env.emplace_back("WOLFPACK_RESOURCE_NAME", to_utf8(name()));
  if (p.use_network_name != 0) {
    // As MSCS does: the program sees the Network Name this resource depends on in
    // _CLUSTER_NETWORK_NAME_ (and _HOSTNAME_, _FQDN_). Entries of Environment still win.
    const auto found = network_name_environment(name());
    const bool given = std::any_of(options.env.begin(), options.env.end(), [](const auto& kv) {
      return kv.first == "_CLUSTER_NETWORK_NAME_";
    });
    if (found.status != ERROR_SUCCESS && !given) {
      const std::string why =
          found.status == ERROR_DEPENDENCY_NOT_FOUND
              ? "no Network Name to use: the resource must depend on one, directly or "
                "through others"
              : "cannot ask the cluster API for the Network Name (OpenCluster(NULL) uses "
                "WOLFPACK_CLUSTER, which clussvc gives its monitors)";
      throw plugin::error(found.status,
                          "property UseNetworkName: " + why + ": " + error_text(found.status));
    }
    if (found.status != ERROR_SUCCESS) {
      log_warning("UseNetworkName=1: no Network Name found (" + error_text(found.status) +
                  "); _CLUSTER_NETWORK_NAME_ comes from Environment");
    }
    for (const auto& [variable, value] : found.variables) {
      const bool overridden = std::any_of(options.env.begin(), options.env.end(),
                                          [&](const auto& kv) { return kv.first == variable; });
      if (!overridden)
        options.env.emplace_back(variable, value);
    }
  }
  options.stdout_path = resource_log_file(p.log_file, name());
  options.stderr_path = options.stdout_path;

  // A program left from an earlier Online (failed, not yet terminated) goes first.
  if (auto old = take_child())
    old->kill_group();
  std::shared_ptr<child_process> child = child_process::launch(options);
  log_info("started '" + to_utf8(p.command_line) + "' as pid " + std::to_string(child->pid()) +
           "; output to " + options.stdout_path);
  std::lock_guard lock(mutex_);
  child_ = std::move(child);
  exit_logged_ = false;
  return plugin::result::success();
}

plugin::result generic_application::offline() {
  std::shared_ptr<child_process> child;
  {
    std::lock_guard lock(mutex_);
    child = child_;
  }
  if (!child)
    return plugin::result::success();  // Offline is idempotent
  if (child->poll()) {
    child->kill_group();  // whatever it started goes too
    take_child();
    return plugin::result::success();
  }
  child->request_stop();
  const auto timeout = std::chrono::milliseconds(params().stop_timeout_ms);
  // Most programs end within moments of SIGTERM: wait that long here, so that Offline is
  // done at once, and go pending only for one that takes longer.
  const auto quick = std::min<std::chrono::milliseconds>(timeout, quick_stop_wait);
  const bool ended =
      child->wait_until(std::chrono::steady_clock::now() + quick) == wait_end::exited;
  if (ended || quick >= timeout) {
    finish_stop(child, !ended, timeout);
    return plugin::result::success();
  }
  log_info("sent SIGTERM to pid " + std::to_string(child->pid()) + "; SIGKILL after " +
           std::to_string(timeout.count()) + " ms");
  // The wait runs on a worker (OfflinePending) so that a slow program never holds a monitor
  // thread; each progress report restarts the PendingTimeout clock.
  const auto left = timeout - quick;
  return run_pending([this, child, timeout, left](plugin::pending_operation& op) -> plugin::result {
    auto next_report = std::chrono::steady_clock::now() + progress_every;
    const wait_end how = child->wait_until(
        std::chrono::steady_clock::now() + left, [&op] { return op.stop_requested(); },
        [&op, &next_report] {
          if (std::chrono::steady_clock::now() >= next_report) {
            op.report_progress();
            next_report = std::chrono::steady_clock::now() + progress_every;
          }
        });
    finish_stop(child, how == wait_end::deadline, timeout);
    if (how == wait_end::stopped)
      return plugin::result::failure(ERROR_OPERATION_ABORTED);
    return plugin::result::success();
  });
}

void generic_application::finish_stop(const std::shared_ptr<child_process>& child, bool at_deadline,
                                      std::chrono::milliseconds timeout) {
  if (at_deadline) {
    log_warning("pid " + std::to_string(child->pid()) + " did not stop within " +
                std::to_string(timeout.count()) + " ms; killed");
  }
  child->kill_group();  // SIGKILL if still running; in any case, what it left in its group
  {
    std::lock_guard lock(mutex_);
    if (child_ == child)
      child_.reset();
  }
  log_info("pid " + std::to_string(child->pid()) + " ended (" + child->poll()->describe() + ")");
}

bool generic_application::still_running() {
  std::lock_guard lock(mutex_);
  if (!child_)
    return false;
  const auto status = child_->poll();  // reaps it: no zombie waits for Terminate
  if (!status)
    return true;
  if (!exit_logged_) {
    exit_logged_ = true;
    log_error("the process (pid " + std::to_string(child_->pid()) +
              ") exited: " + status->describe());
  }
  return false;
}

bool generic_application::looks_alive() {
  return still_running();
}

bool generic_application::is_alive() {
  return still_running();
}

std::shared_ptr<child_process> generic_application::take_child() {
  std::lock_guard lock(mutex_);
  return std::exchange(child_, nullptr);
}

void generic_application::terminate() {
  if (auto child = take_child())
    child->kill_group();
}

void generic_application::close() {
  terminate();
}

DWORD generic_application::resource_control(DWORD code, const void* in, DWORD in_size, void* out,
                                            DWORD out_size, DWORD* returned) {
  if (code == CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTY_FMTS) {
    return copy_control_output(plugin::type_adapter<generic_application>::table().formats(), out,
                               out_size, returned);
  }
  return plugin::resource<app_params>::resource_control(code, in, in_size, out, out_size, returned);
}

}  // namespace wolfpack::samples
