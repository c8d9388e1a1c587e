// libclusapi against a real single-node cluster: clusapi_c_test (a C program that knows
// only clusapi.h) runs against a node started by the clussvc fixture, with the cluster
// named by $WOLFPACK_CLUSTER and by a lab registration in $WOLFPACK_HOME.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../clussvc/clussvc_fixture.hpp"

namespace wolfpack::itest {
namespace {

namespace fs = std::filesystem;

// Runs a client program to its end (at most 120 s) with its output in `out_path`; returns
// that output and whether it exited 0.
std::pair<bool, std::string> run_client(const fs::path& program,
                                        const std::vector<std::string>& args,
                                        const fs::path& out_path,
                                        std::vector<std::pair<std::string, std::string>> env = {}) {
  platform::spawn_options opts;
  opts.env = std::move(env);
  opts.stdout_path = out_path;
  opts.stderr_path = out_path;
  auto child = platform::child_process::spawn(program, args, opts);
  REQUIRE(child.ok());
  auto status = child->wait_for(120s);
  if (!status) {
    child->kill();
    child->wait_for(5s);
  }
  return {status.has_value() && status->success(), read_file(out_path)};
}

TEST_CASE("a C client drives a single-node cluster through libclusapi", "[clusapi]") {
  clussvc_fixture f;
  auto& node = f.node();

  // The lab launcher's registration format: $WOLFPACK_HOME/clusters/NAME.json.
  const fs::path home = f.file("wolfpack-home");
  fs::create_directories(home / "clusters");
  {
    std::ofstream out(home / "clusters" / "clusapi-lab.json");
    out << json{{"name", "clusapi-lab"},
                {"nodes", json::array({{{"name", node.name()}, {"api", node.address()}}})}}
               .dump();
  }

  const auto [ok, output] = run_client(
      build_dir() / "tests" / "clusapi_c_test",
      {node.address(), "clusapi-lab", node.name(), "itest"}, f.file("clusapi_c_test.out"),
      {{"WOLFPACK_CLUSTER", node.address()}, {"WOLFPACK_HOME", home.string()}});
  INFO(output);
  CHECK(ok);
  CHECK(output.find(" 0 failed") != std::string::npos);

  // The program cleaned up after itself.
  const auto groups = node.get("/groups");
  for (const auto& g : groups["groups"])
    CHECK(g["name"].get<std::string>().rfind("clusapi", 0) != 0);
  CHECK(node.get("/resources")["resources"].empty());
}

// An FFI client: Python's ctypes loads libclusapi.so by file name, declares the Windows
// signatures and grows its buffers on ERROR_MORE_DATA (clusapi_ctypes_test.py).
TEST_CASE("a Python ctypes client uses libclusapi by file name", "[clusapi]") {
#ifdef WP_SANITIZED
  std::cout << "WOLFPACK-TEST-SKIPPED: python3 cannot load an ASan-built libclusapi\n";
  return;
#endif
  clussvc_fixture f;
  auto& node = f.node();
  const auto [ok, output] = run_client(
      "python3",
      {(fs::path(WP_SOURCE_DIR) / "tests/integration/clusapi/clusapi_ctypes_test.py").string(),
       (build_dir() / "lib" / "libclusapi.so").string(), node.address(), node.name()},
      f.file("clusapi_ctypes_test.out"));
  INFO(output);
  CHECK(ok);
  CHECK(output.find("clusapi_ctypes_test: 0 failed") != std::string::npos);
  CHECK(node.get("/resources")["resources"].empty());
}

}  // namespace
}  // namespace wolfpack::itest
