#include "ocf_invocation.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <wolfpack/common/platform/files.hpp>
#include <wolfpack/wide_string.hpp>

namespace wolfpack::samples::ocf {

namespace fs = std::filesystem;

namespace {

std::string read_whole(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A file for one stream of an action's output, in a directory of its own that only this user
// can enter; both are removed when this goes away. `path` is empty when no directory could be
// made (the output is then not captured).
struct temp_file {
  fs::path dir;
  std::string path;
  temp_file() {
    if (auto made = platform::make_private_temp_dir("wp-ocf-")) {
      dir = *made;
      path = (dir / "output").string();
    }
  }
  ~temp_file() {
    std::error_code ec;
    if (!dir.empty())
      fs::remove_all(dir, ec);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
};

}  // namespace

std::string ocf_root() {
  const char* env = std::getenv("WOLFPACK_OCF_ROOT");
  return env != nullptr && *env != 0 ? std::string(env) : std::string("/usr/lib/ocf");
}

std::optional<agent_location> resolve_agent(const std::wstring& agent, std::string* error) {
  auto refuse = [error](std::string why) -> std::optional<agent_location> {
    if (error != nullptr)
      *error = "property Agent: " + std::move(why);
    return std::nullopt;
  };
  const std::string text = to_utf8(agent);
  agent_location where;
  if (text.empty())
    return refuse("not set");
  if (text[0] == '/') {
    where.path = text;
    where.type = fs::path(text).filename().string();
  } else {
    const auto slash = text.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == text.size() ||
        text.find('/', slash + 1) != std::string::npos || text.find("..") != std::string::npos) {
      return refuse("'" + text + "' is neither provider/type nor an absolute path");
    }
    where.provider = text.substr(0, slash);
    where.type = text.substr(slash + 1);
    where.path = (fs::path(ocf_root()) / "resource.d" / where.provider / where.type).string();
  }
  std::error_code ec;
  if (!fs::is_regular_file(where.path, ec))
    return refuse("no agent at " + where.path);
  if (!platform::is_executable(where.path))
    return refuse(where.path + " is not executable");
  return where;
}

launch_options launch_options_for(const action_request& r) {
  launch_options o;
  o.argv = {r.agent.path, r.action};
  o.env = {
      {"OCF_ROOT", ocf_root()},
      {"OCF_RA_VERSION_MAJOR", "1"},
      {"OCF_RA_VERSION_MINOR", "1"},
      {"OCF_RESOURCE_INSTANCE", r.instance},
      {"OCF_RESOURCE_TYPE", r.agent.type},
      {"OCF_RESOURCE_PROVIDER", r.agent.provider},
      {"OCF_CHECK_LEVEL", std::to_string(r.check_level)},
      {"OCF_RESKEY_CRM_meta_timeout", std::to_string(r.timeout.count())},
  };
  for (const auto& [name, value] : r.parameters)
    o.env.emplace_back("OCF_RESKEY_" + name, value);
  o.stdout_path = r.output_path;
  o.stderr_path = r.output_path;
  return o;
}

captured_action run_captured(action_runner& runner, const action_request& request) {
  temp_file out, err;
  launch_options o = launch_options_for(request);
  o.stdout_path = out.path;
  o.stderr_path = err.path;
  captured_action c;
  c.result = runner.run(o, request.timeout);
  if (!out.path.empty())
    c.out = read_whole(out.path);
  if (!err.path.empty())
    c.err = read_whole(err.path);
  return c;
}

}  // namespace wolfpack::samples::ocf
