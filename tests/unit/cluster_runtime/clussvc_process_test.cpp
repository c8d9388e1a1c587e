// The clussvc executable as a process: usage errors, a refused database, and a node that
// starts, answers the API, writes api.endpoint and shuts down on SIGTERM with exit code 0.

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../common/temp_dir.hpp"
#include "wolfpack/cluster_transport/api_key.hpp"
#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/platform/child_process.hpp"
#include "wolfpack/http/client.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using wolfpack::platform::child_process;
using wolfpack::platform::exit_status;

const fs::path clussvc = fs::path(WP_BUILD_DIR) / "bin" / "clussvc";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One clussvc process with its output in files of the test's temp dir.
struct clussvc_process {
  explicit clussvc_process(const wolfpack::test::temp_dir& dir, std::vector<std::string> args)
      : out(dir / "stdout.txt"), err(dir / "stderr.txt") {
    wolfpack::platform::spawn_options o;
    o.stdout_path = out;
    o.stderr_path = err;
    auto child = child_process::spawn(clussvc, args, o);
    REQUIRE(child.ok());
    process = std::move(child).value();
  }

  exit_status wait(std::chrono::milliseconds limit = 30s) {
    auto status = process.wait_for(limit);
    REQUIRE(status.has_value());
    return *status;
  }

  // The ready line, once it is printed (or nullopt if the process ended first).
  std::optional<std::string> wait_ready(std::chrono::milliseconds limit = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string text = slurp(out);
      if (auto pos = text.find(" ready; api ");
          pos != std::string::npos && text.find('\n', pos) != std::string::npos) {
        return text.substr(0, text.find('\n', pos));
      }
      if (!process.is_running()) {
        return std::nullopt;
      }
      std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
  }

  fs::path out;
  fs::path err;
  child_process process;
};

std::vector<std::string> node_args(const fs::path& state) {
  return {"--state-dir", state.string(), "--node",      "node1",        "--cluster-name",
          "lab",         "--listen",     "127.0.0.1:0", "--api-listen", "127.0.0.1:0"};
}

}  // namespace

TEST_CASE("clussvc without its required options is a usage error", "[clussvc]") {
  wolfpack::test::temp_dir dir;
  clussvc_process p(dir, {"--node", "node1"});
  const auto status = p.wait();
  CHECK(status == exit_status::exited_with(2));
  const std::string err = slurp(p.err);
  CHECK(err.find("missing required option(s): --state-dir") != std::string::npos);
  CHECK(err.find("--help") != std::string::npos);
}

TEST_CASE("clussvc --help prints the options and exits 0", "[clussvc]") {
  wolfpack::test::temp_dir dir;
  clussvc_process p(dir, {"--help"});
  CHECK(p.wait() == exit_status::exited_with(0));
  CHECK(slurp(p.out).find("--api-listen") != std::string::npos);
}

TEST_CASE("clussvc refuses a config file with an unknown key, naming it", "[clussvc]") {
  wolfpack::test::temp_dir dir;
  const fs::path config = dir / "node.json";
  std::ofstream(config) << R"({"node": "node1", "colour": "blue"})";
  clussvc_process p(dir, {"--config", config.string()});
  CHECK(p.wait() == exit_status::exited_with(2));
  const std::string err = slurp(p.err);
  CHECK(err.find("unknown key 'colour'") != std::string::npos);
  CHECK(err.find(config.string()) != std::string::npos);
}

TEST_CASE("clussvc refuses a database that is not one and leaves it unchanged", "[clussvc]") {
  wolfpack::test::temp_dir dir;
  const fs::path state = dir / "state";
  fs::create_directories(state);
  const fs::path db = state / "clusdb.sqlite";
  const std::string garbage(4096, 'x');
  std::ofstream(db, std::ios::binary) << garbage;

  clussvc_process p(dir, node_args(state));
  const auto status = p.wait();
  CHECK(status.exited());
  CHECK(status.code != 0);
  const std::string err = slurp(p.err);
  CHECK(err.find(db.string()) != std::string::npos);
  CHECK(err.find("not usable") != std::string::npos);
  CHECK(slurp(db) == garbage);
  CHECK(slurp(p.out).find("ready") == std::string::npos);
  CHECK_FALSE(fs::exists(state / "api.endpoint"));
  // The log says why, too.
  CHECK(slurp(state / "clussvc.log").find("cannot start") != std::string::npos);
}

// Needs the core to answer GET /cluster and to finish in_shutdown with out_exit.
TEST_CASE("clussvc starts, serves the API on the port it reports and stops on SIGTERM",
          "[clussvc][core]") {
  wolfpack::test::temp_dir dir;
  const fs::path state = dir / "state";  // created by clussvc
  clussvc_process p(dir, node_args(state));

  const auto line = p.wait_ready();
  INFO("stderr: " << slurp(p.err));
  REQUIRE(line.has_value());
  CHECK(line->starts_with("clussvc: node node1 of cluster lab ready; api http://127.0.0.1:"));

  const std::string endpoint_text = slurp(state / "api.endpoint");
  REQUIRE(endpoint_text.ends_with("\n"));
  const std::string host_port = endpoint_text.substr(0, endpoint_text.size() - 1);
  CHECK(line->ends_with("http://" + host_port));
  auto ep = wolfpack::parse_endpoint("tcp:" + host_port);
  REQUIRE(ep.ok());
  CHECK(ep->port != 0);

  auto client = wolfpack::http::client::connect(*ep);
  REQUIRE(client.ok());
  auto response = client->request("GET", "/cluster");
  REQUIRE(response.ok());
  CHECK(response->status == 200);
  CHECK(response->body.value("name", "") == "lab");
  CHECK(response->body.value("node", "") == "node1");

  CHECK(fs::exists(state / "clusdb.sqlite"));
  ::kill(p.process.pid(), SIGTERM);
  CHECK(p.wait() == exit_status::exited_with(0));
  CHECK_FALSE(fs::exists(state / "api.endpoint"));
  const std::string log = slurp(state / "clussvc.log");
  CHECK(log.find("no --secret-file: the node runs alone") != std::string::npos);
}

TEST_CASE("clussvc with the lab secret listens for peers and writes peer.endpoint",
          "[clussvc][core]") {
  wolfpack::test::temp_dir dir;
  const fs::path state = dir / "state";
  const fs::path secret = dir / "secret";
  std::ofstream(secret) << std::string(64, 'a') << "\n";
  auto args = node_args(state);
  args.insert(args.end(), {"--secret-file", secret.string(), "--heartbeat-ms", "100"});
  clussvc_process p(dir, args);
  const auto line = p.wait_ready();
  INFO("stderr: " << slurp(p.err));
  REQUIRE(line.has_value());
  const std::string peer = slurp(state / "peer.endpoint");
  REQUIRE(peer.starts_with("127.0.0.1:"));
  CHECK(peer != "127.0.0.1:0\n");

  // Its API serves only clients with the key derived from the secret.
  std::string api = slurp(state / "api.endpoint");
  while (!api.empty() && api.back() == '\n')
    api.pop_back();
  auto ep = wolfpack::parse_endpoint("tcp:" + api);
  REQUIRE(ep.ok());
  auto client = wolfpack::http::client::connect(*ep);
  REQUIRE(client.ok());
  auto refused = client->request("GET", "/cluster");
  REQUIRE(refused.ok());
  CHECK(refused->status == 401);
  CHECK(refused->body["error"]["name"] == "ERROR_ACCESS_DENIED");
  client = wolfpack::http::client::connect(*ep);
  REQUIRE(client.ok());
  client->set_api_key(wolfpack::cluster_transport::api_key_for(std::string(32, '\xaa')));
  auto served = client->request("GET", "/cluster");
  REQUIRE(served.ok());
  CHECK(served->status == 200);
  ::kill(p.process.pid(), SIGTERM);
  CHECK(p.wait() == exit_status::exited_with(0));
  CHECK_FALSE(fs::exists(state / "peer.endpoint"));
  CHECK(slurp(state / "clussvc.log").find("the API serves only clients with the key") !=
        std::string::npos);
}
