// Finding the cluster: /cluster:HOST:PORT, registered names, WOLFPACK_CLUSTER, node failover.
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../common/temp_dir.hpp"
#include "fake_api.hpp"
#include "wolfpack/cluster_cli/cluster_address.hpp"

using namespace wolfpack::cluster_cli;
using namespace wolfpack::cluster_cli::test;

namespace {

getenv_fn env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end())
      return std::nullopt;
    return it->second;
  };
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

const char* lab_json = R"({"name":"lab","nodes":[
  {"name":"node1","api":"127.0.0.1:7001"},
  {"name":"node2","api":"127.0.0.1:7002"},
  {"name":"node3","api":"127.0.0.1:7003"}]})";

}  // namespace

TEST_CASE("addresses are told from names by their port", "[cluster_cli][address]") {
  CHECK(looks_like_address("127.0.0.1:7001"));
  CHECK(looks_like_address("localhost:80"));
  CHECK(looks_like_address("[::1]:7001"));
  CHECK_FALSE(looks_like_address("lab"));
  CHECK_FALSE(looks_like_address("lab:"));
  CHECK_FALSE(looks_like_address("host:http"));
}

TEST_CASE("a registered name gives its nodes in order", "[cluster_cli][address]") {
  wolfpack::test::temp_dir home;
  write(home / "clusters/lab.json", lab_json);
  const auto env = env_of({{"WOLFPACK_HOME", home.path().string()}});

  auto target = resolve_cluster(std::string("lab"), env);
  REQUIRE(std::holds_alternative<cluster_target>(target));
  CHECK(std::get<cluster_target>(target).addresses ==
        std::vector<std::string>{"127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"});

  target = resolve_cluster(std::string("127.0.0.1:9999"), env);
  CHECK(std::get<cluster_target>(target).addresses == std::vector<std::string>{"127.0.0.1:9999"});

  CHECK(registered_clusters(env) == std::vector<std::string>{"lab"});
}

TEST_CASE("the API key comes from the registration, for its addresses too, or the environment",
          "[cluster_cli][address]") {
  wolfpack::test::temp_dir home;
  write(home / "clusters/lab.json", R"({"name":"lab","api_key":"k1","nodes":[
    {"name":"node1","api":"127.0.0.1:7001"},{"name":"node2","api":"127.0.0.1:7002"}]})");
  write(home / "clusters/open.json", R"({"name":"open","nodes":[{"api":"127.0.0.1:8001"}]})");
  const auto env = env_of({{"WOLFPACK_HOME", home.path().string()}});
  const auto key = [](const std::variant<cluster_target, cli_error>& t) {
    REQUIRE(std::holds_alternative<cluster_target>(t));
    return std::get<cluster_target>(t).api_key;
  };
  CHECK(key(resolve_cluster(std::string("lab"), env)) == "k1");
  CHECK(key(resolve_cluster(std::string("127.0.0.1:7002"), env)) == "k1");
  CHECK(key(resolve_cluster(std::string("open"), env)).empty());
  CHECK(key(resolve_cluster(std::string("127.0.0.1:9999"), env)).empty());

  // WOLFPACK_API_KEY wins over the registration.
  const auto with_key =
      env_of({{"WOLFPACK_HOME", home.path().string()}, {"WOLFPACK_API_KEY", "k2"}});
  CHECK(key(resolve_cluster(std::string("lab"), with_key)) == "k2");
  CHECK(key(resolve_cluster(std::string("127.0.0.1:9999"), with_key)) == "k2");

  // A key that is not a string is bad data, named as such.
  write(home / "clusters/odd.json", R"({"api_key":7,"nodes":[{"api":"127.0.0.1:1"}]})");
  auto odd = resolve_cluster(std::string("odd"), env);
  REQUIRE(std::holds_alternative<cli_error>(odd));
  CHECK(std::get<cli_error>(odd).code == 13);
  CHECK(std::get<cli_error>(odd).detail.find("\"api_key\" is not a string") != std::string::npos);
}

TEST_CASE("WOLFPACK_CLUSTER is used when no cluster is given", "[cluster_cli][address]") {
  wolfpack::test::temp_dir home;
  write(home / "clusters/lab.json", lab_json);
  auto target = resolve_cluster(
      std::nullopt, env_of({{"WOLFPACK_HOME", home.path().string()}, {"WOLFPACK_CLUSTER", "lab"}}));
  REQUIRE(std::holds_alternative<cluster_target>(target));
  CHECK(std::get<cluster_target>(target).addresses.size() == 3);

  // HOME/.wolfpack when WOLFPACK_HOME is not set.
  write(home / ".wolfpack/clusters/other.json", R"({"nodes":[{"api":"10.0.0.1:1"}]})");
  target = resolve_cluster(std::string("other"), env_of({{"HOME", home.path().string()}}));
  REQUIRE(std::holds_alternative<cluster_target>(target));
  CHECK(std::get<cluster_target>(target).addresses == std::vector<std::string>{"10.0.0.1:1"});
}

TEST_CASE("a missing cluster is a clear error", "[cluster_cli][address]") {
  wolfpack::test::temp_dir home;
  const auto env = env_of({{"WOLFPACK_HOME", home.path().string()}});

  auto target = resolve_cluster(std::nullopt, env);
  REQUIRE(std::holds_alternative<cli_error>(target));
  CHECK(std::get<cli_error>(target).code == 87);
  CHECK(std::get<cli_error>(target).detail ==
        "No cluster given: use /cluster:NAME or /cluster:HOST:PORT, or set WOLFPACK_CLUSTER.");

  target = resolve_cluster(std::string("nosuch"), env);
  REQUIRE(std::holds_alternative<cli_error>(target));
  CHECK(std::get<cli_error>(target).code == 2);
  CHECK(std::get<cli_error>(target).detail.find("Cluster 'nosuch' is not registered: ") == 0);

  write(home / "clusters/bad.json", "{ not json");
  target = resolve_cluster(std::string("bad"), env);
  REQUIRE(std::holds_alternative<cli_error>(target));
  CHECK(std::get<cli_error>(target).code == 13);
}

TEST_CASE("the CLI tries the nodes in order until one answers", "[cluster_cli][address]") {
  wolfpack::test::temp_dir home;
  std::string registration = lab_json;
  registration.insert(1, R"("api_key":"k9",)");
  write(home / "clusters/lab.json", registration);

  fake_clock clock;
  fake_api node3(&clock);
  node3.on_json("GET", "/nodes", 200, R"([{"name":"node3","id":3,"state":"Up"}])");
  std::vector<std::string> tried;
  std::vector<std::string> keys;  // each node is asked with the registration's key
  std::ostringstream out;
  std::ostringstream err;
  cli_environment env{
      out, err, env_of({{"WOLFPACK_HOME", home.path().string()}}),
      [&](const std::string& address, const std::string& key) -> std::unique_ptr<api_backend> {
        tried.push_back(address);
        keys.push_back(key);
        if (address != "127.0.0.1:7003") {
          auto dead = std::make_unique<fake_api>();
          dead->unreachable("connection refused");
          return dead;
        }
        return std::make_unique<forwarding_backend>(node3);
      },
      clock};
  CHECK(run_cli_code({"lab", "node"}, env) == 0);
  CHECK(tried == std::vector<std::string>{"127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"});
  CHECK(keys == std::vector<std::string>(3, "k9"));
  CHECK(out.str().find("node3                3 Up") != std::string::npos);

  // WOLFPACK_CLUSTER instead of the name; nothing answers.
  tried.clear();
  std::ostringstream err2;
  cli_environment env2{
      out, err2, env_of({{"WOLFPACK_HOME", home.path().string()}, {"WOLFPACK_CLUSTER", "lab"}}),
      [&](const std::string& address, const std::string&) -> std::unique_ptr<api_backend> {
        tried.push_back(address);
        auto dead = std::make_unique<fake_api>();
        dead->unreachable("connection refused");
        return dead;
      },
      clock};
  CHECK(run_cli_code({"node"}, env2) == 1225);
  CHECK(tried.size() == 3);
  CHECK(err2.str().find("No node answered (127.0.0.1:7001: connection refused; 127.0.0.1:7002: "
                        "connection refused; 127.0.0.1:7003: connection refused)") !=
        std::string::npos);
}

TEST_CASE("cluster /list shows the registered clusters", "[cluster_cli][address]") {
  wolfpack::test::temp_dir home;
  write(home / "clusters/lab.json", lab_json);
  write(home / "clusters/demo.json", lab_json);
  fake_clock clock;
  fake_api api(&clock);
  const auto r = run(api, clock, {"/list"}, {{"WOLFPACK_HOME", home.path().string()}});
  CHECK(r.code == 0);
  CHECK(r.out ==
        "Cluster Name\n"
        "---------------\n"
        "demo\n"
        "lab\n");
  CHECK(api.requests.empty());
}
