#include "generic_script.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include <wolfpack/common/platform/files.hpp>
#include <wolfpack/wide_string.hpp>

#include "control_output.hpp"
#include "resource_log_file.hpp"

namespace wolfpack::samples {

namespace {

using script_params = generic_script_params;

constexpr auto progress_every = std::chrono::milliseconds(500);
// How long Online and Offline wait for the verb before they go pending.
constexpr auto quick_answer = std::chrono::milliseconds(200);

}  // namespace

plugin::property_table<script_params> generic_script::properties() {
  // MSCS spells it ScriptFilePath; names are case-insensitive, so ScriptFilepath works too.
  return plugin::property_table<script_params>()
      .sz(L"ScriptFilePath", &script_params::script_file_path)
      .required()
      .dword(L"ScriptTimeoutMs", &script_params::script_timeout_ms, default_script_timeout_ms, 100,
             3600000)
      .dword(L"HealthCheckTimeoutMs", &script_params::health_timeout_ms, default_health_timeout_ms,
             100, 60000)
      .sz(L"LogFile", &script_params::log_file);
}

plugin::outcome generic_script::validate_parameters(const script_params& p) {
  if (!p.script_file_path.empty() &&
      !std::filesystem::path(to_utf8(p.script_file_path)).is_absolute()) {
    return plugin::outcome::refused(ERROR_INVALID_PARAMETER,
                                    "property ScriptFilePath: not an absolute path");
  }
  if (!p.log_file.empty() && !std::filesystem::path(to_utf8(p.log_file)).is_absolute())
    return plugin::outcome::refused(ERROR_INVALID_PARAMETER,
                                    "property LogFile: not an absolute path");
  return {};
}

DWORD generic_script::take_settings() {
  const script_params& p = params();
  if (auto checked = validate_parameters(p); !checked) {
    log_error(checked.message);
    return checked.status;
  }
  script_settings s;
  s.path = to_utf8(p.script_file_path);
  s.timeout = std::chrono::milliseconds(p.script_timeout_ms);
  s.health_timeout = std::chrono::milliseconds(p.health_timeout_ms);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(s.path, ec)) {
    log_error("property ScriptFilePath: " + s.path + " is not a file");
    return ERROR_FILE_NOT_FOUND;
  }
  s.log_file = resource_log_file(p.log_file, name());
  std::lock_guard lock(mutex_);
  settings_ = std::move(s);
  return ERROR_SUCCESS;
}

generic_script::script_settings generic_script::settings() {
  std::lock_guard lock(mutex_);
  return settings_;
}

launch_options generic_script::verb_options(const char* verb, const script_settings& s) const {
  launch_options options;
#ifdef _WIN32
  // Which interpreter, not how to start it (the platform layer does that): Windows runs a
  // script by its extension, batch files through the command interpreter, Windows Script
  // Host files through cscript (as MSCS's Generic Script does), programs as they are; POSIX
  // by its execute bit and #! line.
  std::string ext = std::filesystem::path(s.path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".cmd" || ext == ".bat") {
    const char* comspec = std::getenv("ComSpec");
    options.argv = {comspec != nullptr && *comspec != '\0' ? comspec : "cmd.exe", "/d", "/c",
                    s.path, verb};
  } else if (ext == ".vbs" || ext == ".js" || ext == ".wsf") {
    options.argv = {"cscript.exe", "//nologo", s.path, verb};
  } else {
    options.argv = {s.path, verb};
  }
#else
  // A script without the execute bit runs through /bin/sh.
  if (platform::is_executable(s.path))
    options.argv = {s.path, verb};
  else
    options.argv = {"/bin/sh", s.path, verb};
#endif
  options.env = {{"WOLFPACK_RESOURCE_NAME", to_utf8(name())}};
  options.stdout_path = s.log_file;
  options.stderr_path = s.log_file;
  return options;
}

DWORD generic_script::verb_status(const char* verb, const action_result& r,
                                  std::chrono::milliseconds timeout) const {
  DWORD status = ERROR_SUCCESS;
  if (r.how == action_result::end::timed_out)
    status = ERROR_TIMEOUT;
  else if (r.how == action_result::end::stopped)
    status = ERROR_OPERATION_ABORTED;
  else if (r.status.signaled)
    status = ERROR_PROCESS_ABORTED;
  else if (r.status.code != 0)
    status = error_function_failed;
  if (status != ERROR_SUCCESS) {
    log_error(std::string("script ") + verb + ": " + r.describe(timeout) + " (error " +
              std::to_string(status) + ")");
  }
  return status;
}

DWORD generic_script::run_verb(const char* verb, const script_settings& s,
                               std::chrono::milliseconds timeout) {
  return verb_status(verb, runner_.run(verb_options(verb, s), timeout), timeout);
}

DWORD generic_script::open() {
  if (params().script_file_path.empty()) {
    log_info("ScriptFilePath is not set yet: open not run");
    return ERROR_SUCCESS;
  }
  if (const DWORD status = take_settings(); status != ERROR_SUCCESS)
    return status;
  const script_settings s = settings();
  return run_verb("open", s, s.timeout);
}

plugin::result generic_script::run_pending_verb(const char* verb) {
  const script_settings s = settings();
  const auto action = runner_.start(verb_options(verb, s), s.timeout);
  // A verb that answers at once needs no pending operation.
  if (runner_.ended_within(*action, quick_answer))
    return verb_status(verb, runner_.finish(*action), s.timeout);
  return run_pending([this, verb, action](plugin::pending_operation& op) -> plugin::result {
    auto next_report = std::chrono::steady_clock::now() + progress_every;
    const action_result r = runner_.finish(
        *action, [&op] { return op.stop_requested(); },
        [&op, &next_report] {
          if (std::chrono::steady_clock::now() >= next_report) {
            op.report_progress();
            next_report = std::chrono::steady_clock::now() + progress_every;
          }
        });
    return verb_status(verb, r, action->timeout());
  });
}

plugin::result generic_script::online() {
  if (const DWORD status = take_settings(); status != ERROR_SUCCESS)
    return plugin::result::failure(status);
  return run_pending_verb("online");
}

plugin::result generic_script::offline() {
  if (settings().path.empty())
    return plugin::result::success();  // never opened with a script: nothing to stop
  return run_pending_verb("offline");
}

bool generic_script::looks_alive() {
  const script_settings s = settings();
  return !s.path.empty() && run_verb("looksalive", s, s.health_timeout) == ERROR_SUCCESS;
}

bool generic_script::is_alive() {
  const script_settings s = settings();
  return !s.path.empty() && run_verb("isalive", s, s.health_timeout) == ERROR_SUCCESS;
}

void generic_script::terminate() {
  runner_.kill_all();  // a hung poll must not delay the terminate verb
  const script_settings s = settings();
  if (!s.path.empty()) {
    run_verb("terminate", s,
             std::min(s.timeout, std::chrono::milliseconds(max_terminate_close_ms)));
  }
}

void generic_script::close() {
  const script_settings s = settings();
  if (!s.path.empty())
    run_verb("close", s, std::min(s.timeout, std::chrono::milliseconds(max_terminate_close_ms)));
}

DWORD generic_script::resource_control(DWORD code, const void* in, DWORD in_size, void* out,
                                       DWORD out_size, DWORD* returned) {
  if (code == CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTY_FMTS) {
    return copy_control_output(plugin::type_adapter<generic_script>::table().formats(), out,
                               out_size, returned);
  }
  return plugin::resource<script_params>::resource_control(code, in, in_size, out, out_size,
                                                           returned);
}

}  // namespace wolfpack::samples
