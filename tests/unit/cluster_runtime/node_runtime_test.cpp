// node_runtime inside the test process: what open() refuses, what it sets up, and a run that
// request_shutdown() ends.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "../common/temp_dir.hpp"
#include "wolfpack/cluster_runtime/default_types.hpp"
#include "wolfpack/cluster_runtime/node_runtime.hpp"
#include "wolfpack/common/platform/paths.hpp"
#include "wolfpack/http/client.hpp"

namespace {

namespace fs = std::filesystem;
using wolfpack::endpoint;
using wolfpack::runtime::node_runtime;
using wolfpack::runtime::node_runtime_options;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

node_runtime_options options_for(const fs::path& state) {
  node_runtime_options o;
  o.state_dir = state;
  o.node = "node1";
  o.cluster_name = "lab";
  o.api_listen = endpoint::tcp("127.0.0.1", 0);
  o.resrcmon = fs::path(WP_BUILD_DIR) / "bin" / "resrcmon";
  o.default_types = wolfpack::runtime::scan_default_types(fs::path(WP_BUILD_DIR) / "plugins");
  o.random_seed = 42;
  o.handle_signals = false;
  return o;
}

}  // namespace

TEST_CASE("open refuses a damaged database, naming it, and changes nothing", "[node_runtime]") {
  wolfpack::test::temp_dir dir;
  const fs::path db = dir / "clusdb.sqlite";
  const std::string garbage = "SQLite format 3 -- but not really";
  std::ofstream(db, std::ios::binary) << garbage;
  auto rt = node_runtime::open(options_for(dir.path()));
  REQUIRE_FALSE(rt.ok());
  CHECK(rt.error().find(db.string()) != std::string::npos);
  CHECK(slurp(db) == garbage);
  CHECK_FALSE(fs::exists(dir / "api.endpoint"));
}

TEST_CASE("open refuses an API endpoint it cannot listen on", "[node_runtime]") {
  wolfpack::test::temp_dir dir;
  auto o = options_for(dir.path());
  o.api_listen = endpoint::tcp("192.0.2.1", 0);  // TEST-NET-1: not an address of this host
  auto rt = node_runtime::open(std::move(o));
  REQUIRE_FALSE(rt.ok());
  CHECK(rt.error().find("cannot listen for the API on 192.0.2.1:0") != std::string::npos);
}

// Needs the core to answer GET /cluster and to finish in_shutdown with out_exit(0).
TEST_CASE("a node runs until request_shutdown and reports the port it bound",
          "[node_runtime][core]") {
  wolfpack::test::temp_dir dir;
  const fs::path state = dir / "state" / "node1";  // created by open()
  auto o = options_for(state);
  std::optional<endpoint> ready_on;
  o.on_ready = [&ready_on](const endpoint& api) { ready_on = api; };
  auto opened = node_runtime::open(std::move(o));
  REQUIRE(opened.ok());
  node_runtime rt = std::move(opened).value();
  const endpoint api = rt.api_endpoint();
  CHECK(api.port != 0);
  CHECK(slurp(state / "api.endpoint") == "127.0.0.1:" + std::to_string(api.port) + "\n");

  int code = -1;
  std::thread runner([&] { code = rt.run(); });
  auto client = wolfpack::http::client::connect(api);
  REQUIRE(client.ok());
  auto response = client->request("GET", "/cluster");
  rt.request_shutdown();
  runner.join();

  REQUIRE(response.ok());
  CHECK(response->status == 200);
  CHECK(response->body.value("name", "") == "lab");
  REQUIRE(ready_on.has_value());
  CHECK(*ready_on == api);
  CHECK(code == 0);
  CHECK(rt.exit_reason() == "shutdown complete");
  CHECK_FALSE(fs::exists(state / "api.endpoint"));
}
