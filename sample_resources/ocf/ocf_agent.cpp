#include "ocf_agent.hpp"

#include <algorithm>
#include <filesystem>

#include <wolfpack/proplist.hpp>
#include <wolfpack/wide_string.hpp>

#include "control_output.hpp"
#include "ocf_exit_codes.hpp"
#include "ocf_metadata.hpp"
#include "resource_log_file.hpp"

namespace wolfpack::samples {

namespace {

using agent_params = ocf_agent_params;

constexpr auto progress_every = std::chrono::milliseconds(500);
// How long Online and Offline wait for the agent before they go pending.
constexpr auto quick_answer = std::chrono::milliseconds(200);
// validate-all and meta-data during VALIDATE/SET: the caller waits for the answer.
constexpr auto validate_timeout_cap = std::chrono::milliseconds(20000);

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > 200)
    line.resize(200);
  return line;
}

}  // namespace

plugin::property_table<agent_params> ocf_agent::properties() {
  return plugin::property_table<agent_params>()
      .sz(L"Agent", &agent_params::agent)
      .required()
      .multi_sz(L"Parameters", &agent_params::parameters)
      .dword(L"ActionTimeoutMs", &agent_params::action_timeout_ms, default_action_timeout_ms, 100,
             3600000)
      .dword(L"MonitorTimeoutMs", &agent_params::monitor_timeout_ms, default_monitor_timeout_ms,
             100, 600000)
      .sz(L"LogFile", &agent_params::log_file);
}

plugin::outcome ocf_agent::validate_parameters(const agent_params& p) {
  auto refuse = [](DWORD status, std::string message) {
    return plugin::outcome::refused(status, std::move(message));
  };
  if (!p.log_file.empty() && !std::filesystem::path(to_utf8(p.log_file)).is_absolute())
    return refuse(ERROR_INVALID_PARAMETER, "property LogFile: not an absolute path");
  std::string why;
  const auto parameters = parse_name_values(p.parameters, &why);
  if (!parameters)
    return refuse(ERROR_INVALID_PARAMETER, "property Parameters: " + why);
  if (p.agent.empty())
    return {};  // not set yet; Online refuses it
  const auto agent = ocf::resolve_agent(p.agent, &why);
  if (!agent)
    return refuse(ERROR_FILE_NOT_FOUND, why);

  action_runner runner;  // VALIDATE has no instance for Terminate to stop: the deadline does
  ocf::action_request request;
  request.agent = *agent;
  request.instance = "validate";
  request.parameters = *parameters;
  request.timeout = std::min(std::chrono::milliseconds(p.action_timeout_ms), validate_timeout_cap);
  const std::string agent_name = to_utf8(p.agent);

  // The meta-data names the parameters the agent knows and those it requires.
  request.action = "meta-data";
  const auto meta = ocf::run_captured(runner, request);
  const auto described =
      meta.result.how == action_result::end::exited && meta.result.status.success()
          ? ocf::parse_metadata(meta.out)
          : std::nullopt;
  if (described) {
    for (const auto& [name, value] : *parameters) {
      const bool known = std::any_of(described->begin(), described->end(),
                                     [&](const auto& d) { return d.name == name; });
      if (!known) {
        return refuse(ERROR_INVALID_PARAMETER,
                      "property Parameters: " + agent_name + " has no parameter '" + name + "'");
      }
    }
    for (const auto& d : *described) {
      const bool given = std::any_of(parameters->begin(), parameters->end(),
                                     [&](const auto& kv) { return kv.first == d.name; });
      if (d.required && !given) {
        return refuse(ERROR_INVALID_PARAMETER,
                      "property Parameters: " + agent_name + " requires '" + d.name + "'");
      }
    }
  }

  request.action = "validate-all";
  const auto v = ocf::run_captured(runner, request);
  if (v.result.how != action_result::end::exited) {
    return refuse(ERROR_TIMEOUT, "property Parameters: validate-all of " + agent_name + ": " +
                                     v.result.describe(request.timeout));
  }
  const int code = v.result.status.signaled ? -1 : v.result.status.code;
  if (code == ocf::success || code == ocf::err_unimplemented)
    return {};
  std::string said = first_line(v.err.empty() ? v.out : v.err);
  return refuse(ERROR_INVALID_PARAMETER,
                "property Parameters: validate-all of " + agent_name + " failed: " +
                    (code < 0 ? v.result.status.describe() : ocf::exit_code_name(code)) +
                    (said.empty() ? "" : " (" + said + ")"));
}

DWORD ocf_agent::take_settings() {
  const agent_params& p = params();
  std::string why;
  const auto parameters = parse_name_values(p.parameters, &why);
  if (!parameters) {
    log_error("property Parameters: " + why);
    return ERROR_INVALID_PARAMETER;
  }
  const auto agent = ocf::resolve_agent(p.agent, &why);
  if (!agent) {
    log_error(why);
    return ERROR_FILE_NOT_FOUND;
  }
  agent_settings s;
  s.agent = *agent;
  s.parameters = *parameters;
  s.action_timeout = std::chrono::milliseconds(p.action_timeout_ms);
  s.monitor_timeout = std::chrono::milliseconds(p.monitor_timeout_ms);
  s.log_file = resource_log_file(p.log_file, name());
  // Pacemaker's instance names are XML ids: no blanks or slashes for the agents' state files.
  s.instance = safe_file_word(name());
  std::lock_guard lock(mutex_);
  settings_ = std::move(s);
  return ERROR_SUCCESS;
}

ocf_agent::agent_settings ocf_agent::settings() {
  std::lock_guard lock(mutex_);
  return settings_;
}

launch_options ocf_agent::action_options(const agent_settings& s, const char* action,
                                         std::chrono::milliseconds timeout, int check_level) const {
  ocf::action_request request;
  request.agent = s.agent;
  request.instance = s.instance;
  request.parameters = s.parameters;
  request.action = action;
  request.timeout = timeout;
  request.check_level = check_level;
  request.output_path = s.log_file;
  return ocf::launch_options_for(request);
}

int ocf_agent::exit_code_of(const char* action, const action_result& r,
                            std::chrono::milliseconds timeout) const {
  if (r.how != action_result::end::exited || r.status.signaled) {
    log_error(std::string("agent ") + action + ": " + r.describe(timeout));
    return -1;
  }
  return r.status.code;
}

int ocf_agent::run_action(const agent_settings& s, const char* action,
                          std::chrono::milliseconds timeout, int check_level) {
  return exit_code_of(action, runner_.run(action_options(s, action, timeout, check_level), timeout),
                      timeout);
}

plugin::result ocf_agent::start_stop_result(const char* action, bool stopping, int code,
                                            bool stopped) const {
  if (code < 0)
    return plugin::result::failure(stopped ? ERROR_OPERATION_ABORTED : ERROR_TIMEOUT);
  // stop of an instance that is not running is a success (OCF asks agents to answer 0
  // then; some answer OCF_NOT_RUNNING).
  if (code == ocf::success || (stopping && code == ocf::not_running))
    return plugin::result::success();
  const DWORD status = ocf::win32_error_for(code);
  log_error(std::string("agent ") + action + " failed: " + ocf::exit_code_name(code) + " (error " +
            std::to_string(status) + ")");
  return plugin::result::failure(status);
}

plugin::result ocf_agent::run_pending_action(const char* action, bool stopping) {
  const agent_settings s = settings();
  const auto running =
      runner_.start(action_options(s, action, s.action_timeout, 0), s.action_timeout);
  // An agent that answers at once needs no pending operation.
  if (runner_.ended_within(*running, quick_answer)) {
    const int code = exit_code_of(action, runner_.finish(*running), s.action_timeout);
    return start_stop_result(action, stopping, code, false);
  }
  return run_pending([this, action, stopping, running](plugin::pending_operation& op) {
    auto next_report = std::chrono::steady_clock::now() + progress_every;
    const action_result r = runner_.finish(
        *running, [&op] { return op.stop_requested(); },
        [&op, &next_report] {
          if (std::chrono::steady_clock::now() >= next_report) {
            op.report_progress();
            next_report = std::chrono::steady_clock::now() + progress_every;
          }
        });
    const int code = exit_code_of(action, r, running->timeout());
    return start_stop_result(action, stopping, code, op.stop_requested());
  });
}

plugin::result ocf_agent::online() {
  if (const DWORD status = take_settings(); status != ERROR_SUCCESS)
    return plugin::result::failure(status);
  return run_pending_action("start", false);
}

plugin::result ocf_agent::offline() {
  if (settings().agent.path.empty())
    return plugin::result::success();  // never brought online: nothing to stop
  return run_pending_action("stop", true);
}

bool ocf_agent::monitor(int check_level, bool log_not_running) {
  const agent_settings s = settings();
  if (s.agent.path.empty())
    return false;
  const int code = run_action(s, "monitor", s.monitor_timeout, check_level);
  if (code >= 0 && ocf::monitor_says_running(code))
    return true;
  if (code >= 0 && log_not_running)
    log_error("agent monitor: " + ocf::exit_code_name(code));
  return false;
}

bool ocf_agent::looks_alive() {
  return monitor(0, false);
}

bool ocf_agent::is_alive() {
  return monitor(is_alive_check_level, true);
}

void ocf_agent::terminate() {
  runner_.kill_all();
  const agent_settings s = settings();
  if (s.agent.path.empty())
    return;
  // Terminate takes the resource down, so the agent's instance must not stay started.
  const int code = run_action(
      s, "stop", std::min(s.action_timeout, std::chrono::milliseconds(max_terminate_ms)));
  if (code != ocf::success && code != ocf::not_running && code >= 0)
    log_error("agent stop (Terminate): " + ocf::exit_code_name(code));
}

namespace {

// What the meta-data says of a parameter: its default (content default="...") and whether
// the agent requires it.
value_list_builder parameter_details(const ocf::parameter_info& p) {
  value_list_builder d;
  if (!p.default_value.empty()) {
    d.add_sz(from_utf8(p.default_value),
             CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_DEFAULT, CLUSPROP_FORMAT_SZ));
  }
  if (p.required) {
    d.add_dword(WP_CLUSPROP_FLAG_REQUIRED,
                CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_FLAGS, CLUSPROP_FORMAT_DWORD));
  }
  return d;
}

}  // namespace

DWORD ocf_agent::property_formats(void* out, DWORD out_size, DWORD* returned) {
  // The fixed properties, then one SZ entry "Parameters.<name>" per parameter the agent's
  // meta-data describes (when Agent is set and answers), for tools that build forms.
  const auto& table = plugin::type_adapter<ocf_agent>::table();
  property_format_list_builder builder;
  for (const auto& i : table.items())
    builder.add(i.name, plugin::clusprop_format(i.type), plugin::detail::format_details(i));
  agent_params current;
  (void)table.read(key(), current, false);
  std::string why;
  if (const auto agent = ocf::resolve_agent(current.agent, &why)) {
    ocf::action_request request;
    request.agent = *agent;
    request.instance = safe_file_word(name());
    request.action = "meta-data";
    request.timeout =
        std::min(std::chrono::milliseconds(current.action_timeout_ms), validate_timeout_cap);
    const auto meta = ocf::run_captured(runner_, request);
    const auto described =
        meta.result.how == action_result::end::exited && meta.result.status.success()
            ? ocf::parse_metadata(meta.out)
            : std::nullopt;
    if (described) {
      for (const auto& d : *described)
        builder.add(from_utf8("Parameters." + d.name), CLUSPROP_FORMAT_SZ, parameter_details(d));
    } else {
      log_warning("agent meta-data: no usable description (" +
                  meta.result.describe(request.timeout) + ")");
    }
  }
  return copy_control_output(builder.bytes(), out, out_size, returned);
}

DWORD ocf_agent::resource_control(DWORD code, const void* in, DWORD in_size, void* out,
                                  DWORD out_size, DWORD* returned) {
  if (code == CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTY_FMTS)
    return property_formats(out, out_size, returned);
  return plugin::resource<agent_params>::resource_control(code, in, in_size, out, out_size,
                                                          returned);
}

}  // namespace wolfpack::samples
