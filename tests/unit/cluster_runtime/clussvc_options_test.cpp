// clussvc's command line and --config file: what is accepted, what wins, and that every
// refusal names the option or key at fault.

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../common/temp_dir.hpp"
#include "wolfpack/cluster_runtime/clussvc_options.hpp"

namespace {

namespace fs = std::filesystem;
using wolfpack::endpoint;
using wolfpack::result;
using wolfpack::runtime::clussvc_options;
using wolfpack::runtime::parse_clussvc_config;
using wolfpack::runtime::parse_clussvc_options;

result<clussvc_options> parse(std::vector<std::string> args) {
  args.insert(args.begin(), "clussvc");
  std::vector<const char*> argv;
  for (const auto& a : args) {
    argv.push_back(a.c_str());
  }
  return parse_clussvc_options(static_cast<int>(argv.size()), argv.data());
}

std::vector<std::string> full_command_line() {
  return {"--state-dir", "/tmp/wp-node1", "--node",         "node1",        "--cluster-name",
          "lab",         "--listen",      "127.0.0.1:7001", "--api-listen", "127.0.0.1:8001"};
}

fs::path write_config(const wolfpack::test::temp_dir& dir, const std::string& text) {
  const fs::path p = dir / "clussvc.json";
  std::ofstream(p) << text;
  return p;
}

bool mentions(const std::string& text, std::initializer_list<std::string> parts) {
  for (const auto& p : parts) {
    if (text.find(p) == std::string::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("a full command line gives the node's options", "[options]") {
  wolfpack::test::temp_dir dir;
  const fs::path secret = dir / "secret";
  std::ofstream(secret) << "00112233445566778899aabbccddeeff\n";
  auto args = full_command_line();
  args.insert(args.end(), {"--join", "10.0.0.2:7001", "--join", "[::1]:7002", "--log-level",
                           "debug", "--secret-file", secret.string(), "--heartbeat-ms", "100",
                           "--threshold", "5", "--quorum", "majority"});
  auto o = parse(args);
  INFO((o.ok() ? "" : o.error()));
  REQUIRE(o.ok());
  REQUIRE(o->secret.has_value());
  CHECK(o->secret->size() == 16);
  CHECK(static_cast<unsigned char>((*o->secret)[15]) == 0xff);
  CHECK(o->heartbeat_ms == 100);
  CHECK(o->threshold == 5);
  CHECK_FALSE(o->help);
  CHECK(o->state_dir == fs::path("/tmp/wp-node1"));
  CHECK(o->node == "node1");
  CHECK(o->cluster_name == "lab");
  CHECK(o->listen == endpoint::tcp("127.0.0.1", 7001));
  CHECK(o->api_listen == endpoint::tcp("127.0.0.1", 8001));
  REQUIRE(o->join.size() == 2);
  CHECK(o->join[0] == endpoint::tcp("10.0.0.2", 7001));
  CHECK(o->join[1] == endpoint::tcp("::1", 7002));
  CHECK(o->level == wolfpack::log_level::debug);
  CHECK_FALSE(o->config_file.has_value());
}

TEST_CASE("the API may listen on port 0 or on a Unix socket", "[options]") {
  auto args = full_command_line();
  args.back() = "127.0.0.1:0";
  auto o = parse(args);
  REQUIRE(o.ok());
  CHECK(o->api_listen.port == 0);

  args.back() = "unix:/tmp/wp-api.sock";
  o = parse(args);
  REQUIRE(o.ok());
  CHECK(o->api_listen == endpoint::unix_socket("/tmp/wp-api.sock"));
}

TEST_CASE("a relative state directory is made absolute", "[options]") {
  auto args = full_command_line();
  args[1] = "nodes/../node1";
  auto o = parse(args);
  REQUIRE(o.ok());
  CHECK(o->state_dir.is_absolute());
  CHECK(o->state_dir == (fs::current_path() / "node1").lexically_normal());
}

TEST_CASE("--help asks for the help text", "[options]") {
  auto o = parse({"--help"});
  REQUIRE(o.ok());
  CHECK(o->help);
  CHECK(mentions(o->help_text, {"--state-dir", "--api-listen", "--join", "--config"}));
}

TEST_CASE("missing required options are all named", "[options]") {
  auto o = parse({"--node", "node1", "--listen", "127.0.0.1:7001"});
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"missing", "--state-dir", "--cluster-name", "--api-listen"}));
  CHECK_FALSE(mentions(o.error(), {"--node,"}));

  o = parse({});
  REQUIRE_FALSE(o.ok());
  CHECK(
      mentions(o.error(), {"--state-dir", "--node", "--cluster-name", "--listen", "--api-listen"}));
}

TEST_CASE("unknown options and stray arguments are refused", "[options]") {
  auto args = full_command_line();
  args.push_back("--nodes");
  args.push_back("x");
  CHECK_FALSE(parse(args).ok());

  args = full_command_line();
  args.push_back("extra");
  CHECK_FALSE(parse(args).ok());
}

TEST_CASE("bad endpoints are refused with the option named", "[options]") {
  struct bad_case {
    std::size_t index;
    std::string value;
    std::string expect;
  };
  const std::vector<bad_case> cases = {
      {7, "127.0.0.1", "--listen '127.0.0.1': expected HOST:PORT"},
      {7, "localhost:7001", "--listen 'localhost:7001': host 'localhost'"},
      {7, "127.0.0.1:70000", "--listen '127.0.0.1:70000': port '70000'"},
      {7, "unix:/tmp/x.sock", "--listen 'unix:/tmp/x.sock': nodes talk over TCP"},
      {9, "127.0.0.1:", "--api-listen '127.0.0.1:': empty port"},
      {9, "::1:80", "--api-listen '::1:80': IPv6 addresses must be written in brackets"},
  };
  for (const auto& c : cases) {
    auto args = full_command_line();
    args[c.index] = c.value;
    auto o = parse(args);
    INFO(c.value);
    REQUIRE_FALSE(o.ok());
    CHECK(mentions(o.error(), {c.expect}));
  }

  auto args = full_command_line();
  args.insert(args.end(), {"--join", "nowhere"});
  auto o = parse(args);
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"--join 'nowhere'"}));
}

TEST_CASE("names must not be empty and a log level must be known", "[options]") {
  auto args = full_command_line();
  args[3] = "";
  auto o = parse(args);
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"--node must not be empty"}));

  args = full_command_line();
  args[5] = "a\tb";
  o = parse(args);
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"--cluster-name", "control character"}));

  args = full_command_line();
  args.insert(args.end(), {"--log-level", "loud"});
  o = parse(args);
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"--log-level 'loud'"}));
}

TEST_CASE("a config file supplies every option, in either spelling", "[options][config]") {
  wolfpack::test::temp_dir dir;
  const auto file = write_config(dir, R"({
    "state_dir": "state",
    "node": "node2",
    "cluster-name": "lab",
    "listen": "127.0.0.1:7002",
    "api-listen": "127.0.0.1:0",
    "join": ["127.0.0.1:7001"],
    "log_level": "warn",
    "secret-file": "secret",
    "heartbeat_ms": 250,
    "threshold": "7"
  })");
  std::ofstream(dir / "secret") << std::string(32, '0');
  auto o = parse({"--config", file.string()});
  REQUIRE(o.ok());
  // A relative state_dir belongs to the file, wherever clussvc was started from.
  CHECK(o->state_dir == dir.path() / "state");
  CHECK(o->node == "node2");
  CHECK(o->cluster_name == "lab");
  CHECK(o->listen == endpoint::tcp("127.0.0.1", 7002));
  CHECK(o->api_listen == endpoint::tcp("127.0.0.1", 0));
  REQUIRE(o->join.size() == 1);
  CHECK(o->level == wolfpack::log_level::warn);
  CHECK(o->secret_file == dir.path() / "secret");
  CHECK(o->heartbeat_ms == 250);
  CHECK(o->threshold == 7);
  REQUIRE(o->config_file.has_value());
  CHECK(*o->config_file == file);
}

TEST_CASE("the command line overrides the config file", "[options][config]") {
  wolfpack::test::temp_dir dir;
  const auto file = write_config(dir, R"({
    "state_dir": "/tmp/from-file", "node": "file-node", "cluster_name": "lab",
    "listen": "127.0.0.1:7002", "api_listen": "127.0.0.1:8002",
    "join": ["127.0.0.1:7001", "127.0.0.1:7003"], "secret_file": "s"
  })");
  std::ofstream(dir / "s") << std::string(32, '1');
  auto o = parse({"--config", file.string(), "--node", "cli-node", "--join", "127.0.0.1:7009",
                  "--api-listen", "127.0.0.1:9000"});
  REQUIRE(o.ok());
  CHECK(o->node == "cli-node");
  CHECK(o->state_dir == fs::path("/tmp/from-file"));
  CHECK(o->api_listen.port == 9000);
  REQUIRE(o->join.size() == 1);  // the command line's list replaces the file's
  CHECK(o->join[0].port == 7009);
}

TEST_CASE("a config file that leaves options out still needs them", "[options][config]") {
  wolfpack::test::temp_dir dir;
  const auto file = write_config(dir, R"({"node": "n1"})");
  auto o = parse({"--config", file.string(), "--cluster-name", "lab"});
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"missing", "--state-dir", "--listen", "--api-listen"}));
}

TEST_CASE("bad config files are refused with the file and the key named", "[options][config]") {
  wolfpack::test::temp_dir dir;
  struct bad_case {
    std::string text;
    std::string expect;
  };
  const std::vector<bad_case> cases = {
      {R"({"nodes": "n1"})", "unknown key 'nodes'"},
      {R"({"node": 5})", "key 'node' must be a string, not number"},
      {R"({"join": "127.0.0.1:7001"})", "key 'join' must be an array of strings, not string"},
      {R"({"join": ["127.0.0.1:7001", 7002]})", "key 'join' item 1 must be a string"},
      {R"({"state_dir": "a", "state-dir": "b"})", "given twice"},
      {R"(["node", "n1"])", "must be a JSON object, not array"},
      {R"({"node": "n1",)", "not valid JSON"},
      {"", "not valid JSON"},
  };
  for (const auto& c : cases) {
    const auto file = write_config(dir, c.text);
    auto args = full_command_line();
    args.insert(args.end(), {"--config", file.string()});
    auto o = parse(args);
    INFO(c.text);
    REQUIRE_FALSE(o.ok());
    CHECK(mentions(o.error(), {"--config '" + file.string() + "'", c.expect}));
  }
}

TEST_CASE("a config value that is not a valid option is refused like the option",
          "[options][config]") {
  wolfpack::test::temp_dir dir;
  const auto file = write_config(dir, R"({
    "state_dir": "/tmp/x", "node": "n1", "cluster_name": "lab",
    "listen": "127.0.0.1", "api_listen": "127.0.0.1:0"
  })");
  auto o = parse({"--config", file.string()});
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"--listen '127.0.0.1'"}));
}

TEST_CASE("a missing config file is named", "[options][config]") {
  wolfpack::test::temp_dir dir;
  auto o = parse({"--config", (dir / "absent.json").string()});
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"absent.json", "no such file"}));
}

TEST_CASE("the config parser alone reports only the keys that are present", "[config]") {
  auto v = parse_clussvc_config(nlohmann::json::parse(R"({"api-listen": "127.0.0.1:1"})"), "/base");
  REQUIRE(v.ok());
  CHECK(v->api_listen == "127.0.0.1:1");
  CHECK_FALSE(v->node.has_value());
  CHECK_FALSE(v->join.has_value());

  v = parse_clussvc_config(nlohmann::json::parse(R"({"state_dir": "/abs"})"), "/base");
  REQUIRE(v.ok());
  CHECK(*v->state_dir == fs::path("/abs"));
}

TEST_CASE("many-node options are checked and name what is wrong", "[options]") {
  wolfpack::test::temp_dir dir;
  auto with = [](std::vector<std::string> extra) {
    auto args = full_command_line();
    args.insert(args.end(), extra.begin(), extra.end());
    return parse(args);
  };
  auto o = with({"--join", "127.0.0.1:7001"});
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"--join needs --secret-file"}));

  o = with({"--secret-file", (dir / "missing").string()});
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"--secret-file", "missing", "cannot be read"}));

  std::ofstream(dir / "short") << "abcd";
  o = with({"--secret-file", (dir / "short").string()});
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"at least 32"}));

  std::ofstream(dir / "nothex") << std::string(40, 'z');
  o = with({"--secret-file", (dir / "nothex").string()});
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"hex digits"}));

  o = with({"--heartbeat-ms", "5"});
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"--heartbeat-ms 5 is out of range"}));
  o = with({"--threshold", "x"});
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"--threshold 'x'"}));
  o = with({"--quorum", "disk"});
  REQUIRE_FALSE(o.ok());
  CHECK(
      mentions(o.error(), {"--quorum disk", "cluster /quorum:NAME", "wolfpack up --quorum disk"}));
  o = with({"--quorum", "paxos"});
  REQUIRE_FALSE(o.ok());
  CHECK(mentions(o.error(), {"--quorum 'paxos'"}));
}
