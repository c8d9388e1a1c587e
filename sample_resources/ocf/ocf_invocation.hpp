#pragma once

// How an OCF resource agent is found and called, as Pacemaker calls it: the action as the
// only argument, parameters as OCF_RESKEY_<name>, and OCF_ROOT, OCF_RA_VERSION_*,
// OCF_RESOURCE_INSTANCE, OCF_RESOURCE_TYPE, OCF_RESOURCE_PROVIDER, OCF_CHECK_LEVEL and
// OCF_RESKEY_CRM_meta_timeout in the environment.

#include <chrono>
#include <optional>
#include <string>

#include "action_runner.hpp"
#include "name_value.hpp"

namespace wolfpack::samples::ocf {

// $WOLFPACK_OCF_ROOT, else /usr/lib/ocf (Debian's resource-agents).
std::string ocf_root();

struct agent_location {
  std::string path;
  std::string provider;  // "" for an agent given by path
  std::string type;      // the file name
};

// Agent = "provider/type" (under <OCF_ROOT>/resource.d/) or an absolute path; nullopt with
// `error` (naming the property) when it is neither or no executable file is there.
std::optional<agent_location> resolve_agent(const std::wstring& agent, std::string* error);

struct action_request {
  agent_location agent;
  std::string instance;  // OCF_RESOURCE_INSTANCE
  name_value_list parameters;
  std::string action;  // start, stop, monitor, validate-all, meta-data
  std::chrono::milliseconds timeout{60000};
  int check_level = 0;      // OCF_CHECK_LEVEL for monitor
  std::string output_path;  // stdout and stderr ("" = /dev/null)
};

launch_options launch_options_for(const action_request& request);

// Runs an action with its standard output captured (meta-data, validate-all): the result,
// and what it printed (stdout, then stderr).
struct captured_action {
  action_result result;
  std::string out;
  std::string err;
};
captured_action run_captured(action_runner& runner, const action_request& request);

}  // namespace wolfpack::samples::ocf
