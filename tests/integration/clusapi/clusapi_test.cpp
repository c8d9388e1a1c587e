// libclusapi against real clusters: clusapi_c_test (a C program that knows only clusapi.h)
// runs against a node started by the clussvc fixture, with the cluster named by
// $WOLFPACK_CLUSTER and by a lab registration in $WOLFPACK_HOME; and against two nodes of the
// multinode fixture with a File Share Witness, for the quorum functions.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../clussvc/clussvc_fixture.hpp"
#include "../lab_journal_check.hpp"
#include "../multinode/multinode_fixture.hpp"

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

// Node and witness majority needs a node to lose: two nodes, a File Share Witness on a
// folder of the test's directory, and an IP Address (no Arbitrate, so no witness).
TEST_CASE("a C client makes a file share witness the quorum resource of two nodes",
          "[clusapi][quorum]") {
  temp_dir lab;
  wolfpack::testing::lab_dir_scope scope(lab.path());
  multinode_cluster c(2);
  auto& n = c.node("node1");
  api_ok(n, "POST", "/groups", json{{"name", "Cluster Group"}});
  api_ok(n, "POST", "/resources",
         json{{"name", "Witness"}, {"group", "Cluster Group"}, {"type", "File Share Witness"}});
  api_ok(n, "POST", "/resources",
         json{{"name", "Address"}, {"group", "Cluster Group"}, {"type", "IP Address"}});
  const auto share = c.dir() / "witness-share";
  fs::create_directories(share);
  // The plugin validates SharePath, so the witness must be open in its monitor first.
  const json parameters = {{"SharePath", share.string()}, {"ArbitrationDelay", 0}};
  REQUIRE(wait_until(
      [&] {
        return n.api("PUT", "/resources/Witness/private", json{{"properties", parameters}})
                   .status == 200;
      },
      15s));

  const auto [ok, output] =
      run_client(build_dir() / "tests" / "clusapi_c_test",
                 {"--quorum", n.address(), c.node("node2").address(), share.string()},
                 c.file("clusapi_c_test.out"), {{"WOLFPACK_API_KEY", n.api_key()}});
  INFO(output);
  CHECK(ok);
  CHECK(output.find(" 0 failed") != std::string::npos);
  // The program went back to node majority, on both nodes.
  for (const auto& name : c.names())
    CHECK(api_ok(c.node(name), "GET", "/cluster/quorum").at("type") == "NodeMajority");
}

// EvictClusterNode needs a node that is down: three nodes, one killed, evicted through another.
// Before and after, the client reads the networks and interfaces (clusapi_c_networks.c).
TEST_CASE("a C client evicts a stopped node and not a running one, and sees its interface go",
          "[clusapi][evict][networks]") {
  temp_dir lab;
  wolfpack::testing::lab_dir_scope scope(lab.path());
  multinode_cluster c(3);
  // Each node records its interface once it is in the view: all three before one stops.
  REQUIRE(wait_until(
      [&] { return c.node("node1").get("/netinterfaces")["netinterfaces"].size() == 3; }, 10s));
  c.kill("node3");
  REQUIRE(c.wait_one_view({"node1", "node2"}));
  const auto [ok, output] =
      run_client(build_dir() / "tests" / "clusapi_c_test",
                 {"--evict", c.node("node1").address(), "node3", "node2"},
                 c.file("clusapi_c_test.out"), {{"WOLFPACK_API_KEY", c.node("node1").api_key()}});
  INFO(output);
  CHECK(ok);
  CHECK(output.find(" 0 failed") != std::string::npos);
  // The other node applied the eviction too: a global update.
  CHECK(wait_until([&] { return c.node("node2").get("/nodes")["nodes"].size() == 2; }, 10s));
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
