// `cluster`: the cluster.exe counterpart. All logic is in wolfpack_cluster_cli (cli.cpp).
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "wolfpack/cluster_cli/cli.hpp"
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
  const cli_environment env{std::cout, std::cerr,
                            [](const std::string& name) -> std::optional<std::string> {
                              const char* value = std::getenv(name.c_str());
                              if (value == nullptr)
                                return std::nullopt;
                              return std::string(value);
                            },
                            connect, clock};
  return run_cli(args, env);
}
