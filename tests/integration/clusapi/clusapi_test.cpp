// libclusapi against a real single-node cluster: clusapi_c_test (a C program that knows
// only clusapi.h) runs against a node started by the clussvc fixture, with the cluster
// named by $WOLFPACK_CLUSTER and by a lab registration in $WOLFPACK_HOME.
#include <iostream>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../clussvc/clussvc_fixture.hpp"

namespace wolfpack::itest {
namespace {

namespace fs = std::filesystem;

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

  const fs::path out_path = f.file("clusapi_c_test.out");
  platform::spawn_options opts;
  opts.env = {{"WOLFPACK_CLUSTER", node.address()}, {"WOLFPACK_HOME", home.string()}};
  opts.stdout_path = out_path;
  opts.stderr_path = out_path;
  auto child =
      platform::child_process::spawn(build_dir() / "tests" / "clusapi_c_test",
                                     {node.address(), "clusapi-lab", node.name(), "itest"}, opts);
  REQUIRE(child.ok());
  auto status = child->wait_for(120s);
  if (!status) {
    child->kill();
    child->wait_for(5s);
  }
  const std::string output = read_file(out_path);
  INFO(output);
  REQUIRE(status.has_value());
  CHECK(status->success());
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
  const fs::path out_path = f.file("clusapi_ctypes_test.out");
  platform::spawn_options opts;
  opts.stdout_path = out_path;
  opts.stderr_path = out_path;
  auto child = platform::child_process::spawn(
      "python3",
      {(fs::path(WP_SOURCE_DIR) / "tests/integration/clusapi/clusapi_ctypes_test.py").string(),
       (build_dir() / "lib" / "libclusapi.so").string(), node.address(), node.name()},
      opts);
  REQUIRE(child.ok());
  auto status = child->wait_for(120s);
  if (!status) {
    child->kill();
    child->wait_for(5s);
  }
  const std::string output = read_file(out_path);
  INFO(output);
  REQUIRE(status.has_value());
  CHECK(status->success());
  CHECK(output.find("clusapi_ctypes_test: 0 failed") != std::string::npos);
  CHECK(node.get("/resources")["resources"].empty());
}

}  // namespace
}  // namespace wolfpack::itest
