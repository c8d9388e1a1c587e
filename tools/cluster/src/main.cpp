// `cluster`: the cluster.exe counterpart. All logic is in wolfpack_cluster_cli (cli.cpp).
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "wolfpack/cluster_cli/cli.hpp"
#include "wolfpack/common/platform/child_process.hpp"
#include "wolfpack/common/platform/paths.hpp"
#ifdef WOLFPACK_CLUSTER_HAS_HTTP
#include "wolfpack/cluster_cli/http_backend.hpp"
#endif

int main(int argc, char** argv) {
  using namespace wolfpack::cluster_cli;
  const std::vector<std::string> args(argv + 1, argv + argc);
  steady_wait_clock clock;
  backend_factory connect;
#ifdef WOLFPACK_CLUSTER_HAS_HTTP
  connect = make_http_backend;
#endif
  cli_environment env{std::cout, std::cerr,
                      [](const std::string& name) -> std::optional<std::string> {
                        const char* value = std::getenv(name.c_str());
                        if (value == nullptr)
                          return std::nullopt;
                        return std::string(value);
                      },
                      connect, clock};
  env.run_launcher = [](const std::vector<std::string>& launcher_args, std::string& error) {
    namespace platform = wolfpack::platform;
    const auto launcher = platform::find_sibling_binary("wolfpack");
    if (!launcher) {
      error = "no " + platform::executable_file_name("wolfpack") + " next to " +
              platform::executable_path().string();
      return -1;
    }
    // What cluster printed so far comes before what the launcher prints.
    std::cout.flush();
    std::cerr.flush();
    auto child = platform::child_process::spawn(*launcher, launcher_args);
    if (!child) {
      error = child.error();
      return -1;
    }
    const auto status = child->wait();
    if (status.signaled()) {
      error = "wolfpack was killed by signal " + std::to_string(status.code);
      return -1;
    }
    return status.code;
  };
  return run_cli(args, env);
}
