#include "tool_process.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <wolfpack/common/platform/child_process.hpp>

namespace wolfpack::testing {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

scratch_dir::scratch_dir() {
  std::string tmpl = (fs::temp_directory_path() / "wolfpack-tool-it-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

scratch_dir::~scratch_dir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

process_run run_process(const fs::path& program, const std::vector<std::string>& args,
                        std::chrono::seconds timeout, const env_list& env) {
  scratch_dir io;
  platform::spawn_options opts;
  opts.env = env;
  opts.stdout_path = io.path() / "out";
  opts.stderr_path = io.path() / "err";
  process_run run;
  auto child = platform::child_process::spawn(program, args, opts);
  if (!child) {
    run.err = child.error();
    return run;
  }
  auto st = child->wait_for(timeout);
  if (!st) {
    child->kill();
    child->wait();
  } else if (st->exited()) {
    run.exit_code = st->code;
  }
  run.out = slurp(io.path() / "out");
  run.err += slurp(io.path() / "err");
  return run;
}

process_run run_wolfpack(const std::vector<std::string>& args, std::chrono::seconds timeout,
                         const env_list& env) {
  return run_process(fs::path(WP_BUILD_DIR) / "bin" / "wolfpack", args, timeout, env);
}

}  // namespace wolfpack::testing
