// Global updates under load: concurrent writes to all three nodes end in one database.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <wolfpack/common/endpoint.hpp>
#include <wolfpack/http/http_client.hpp>

#include "multinode_fixture.hpp"

using namespace wolfpack::itest;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr int update_count = 1000;
constexpr int group_count = 10;  // one writer thread per group

std::string group_name(int g) {
  return "g" + std::to_string(g);
}

std::string first_failures(const std::vector<std::string>& failures) {
  std::string s;
  for (std::size_t i = 0; i < failures.size() && i < 10; ++i) {
    s += failures[i] + "\n";
  }
  return s;
}

}  // namespace

TEST_CASE("1000 property updates sent concurrently to all three nodes are all on every node",
          "[multinode]") {
  multinode_cluster c(3);
  for (int g = 0; g < group_count; ++g) {
    api_ok(c.node(c.names()[static_cast<std::size_t>(g) % 3]), "POST", "/groups",
           json{{"name", group_name(g)}});
  }
  REQUIRE(c.wait_one_view(c.names()));
  const auto before = c.view("node1");
  REQUIRE(before);

  const std::string key = c.node("node1").api_key();
  REQUIRE_FALSE(key.empty());
  std::vector<wolfpack::endpoint> endpoints;
  for (const auto& n : c.names()) {
    auto ep = wolfpack::parse_endpoint("tcp:" + c.node(n).address());
    REQUIRE(ep);
    endpoints.push_back(*ep);
  }

  // Update i sets the private property U<i> of group i % 10 to "v<i>": 1,000 values that
  // stay, so every one of them can be read back. Each group has one writer thread, which
  // sends its updates in order, each to the next node round the three; all ten threads write
  // at once.
  std::mutex mutex;
  std::vector<std::string> failures;
  std::vector<double> latencies_ms;
  const auto started = clock_type::now();
  std::vector<std::thread> threads;
  for (int g = 0; g < group_count; ++g) {
    threads.emplace_back([&, g] {
      std::vector<std::optional<wolfpack::http::client>> clients(endpoints.size());
      std::vector<double> mine;
      for (int i = g; i < update_count; i += group_count) {
        const auto node = static_cast<std::size_t>(i / group_count + g) % endpoints.size();
        std::string failure;
        if (!clients[node]) {
          auto cl = wolfpack::http::client::connect(endpoints[node]);
          if (cl) {
            clients[node].emplace(std::move(cl).value());
            clients[node]->set_api_key(key);
          } else {
            failure = cl.error();
          }
        }
        if (clients[node]) {
          const std::string path = "/groups/" + group_name(g) + "/private";
          const json body = {{"properties", {{"U" + std::to_string(i), "v" + std::to_string(i)}}}};
          const auto sent = clock_type::now();
          auto r = clients[node]->request("PUT", path, &body, std::chrono::seconds(30));
          mine.push_back(
              std::chrono::duration<double, std::milli>(clock_type::now() - sent).count());
          if (!r) {
            failure = "PUT " + path + ": " + r.error();
          } else if (r->status != 200) {
            failure = "PUT " + path + " to node" + std::to_string(node + 1) + ": " +
                      std::to_string(r->status) + " " + r->body.dump();
          }
        }
        if (!failure.empty()) {
          const std::lock_guard lock(mutex);
          failures.push_back(std::move(failure));
        }
      }
      const std::lock_guard lock(mutex);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  const double seconds = std::chrono::duration<double>(clock_type::now() - started).count();
  INFO(first_failures(failures));
  REQUIRE(failures.empty());
  std::sort(latencies_ms.begin(), latencies_ms.end());
  WARN(update_count << " property updates from " << group_count
                    << " threads round-robin over 3 nodes: " << seconds << " s, "
                    << update_count / seconds << " updates/s; latency p50 "
                    << latencies_ms[latencies_ms.size() / 2] << " ms, p99 "
                    << latencies_ms[latencies_ms.size() * 99 / 100] << " ms");

  // Every write was answered once it was on every node: the same database at once, one
  // sequence number per update (none lost, none applied twice).
  INFO(c.describe_views());
  CHECK(c.one_view(c.names()));
  REQUIRE(c.wait_one_view(c.names(), 10s));
  const auto after = c.view("node1");
  REQUIRE(after);
  CHECK(after->db_seq - before->db_seq == update_count);

  // All 1,000 values are there, each once, on every node.
  for (const auto& n : c.names()) {
    int found = 0;
    for (int g = 0; g < group_count; ++g) {
      const auto props = api_ok(c.node(n), "GET", "/groups/" + group_name(g) + "/private");
      INFO("node " << n << " group " << group_name(g) << ": " << props.dump());
      const auto& values = props.at("properties");
      CHECK(values.size() == static_cast<std::size_t>(update_count / group_count));
      for (int i = g; i < update_count; i += group_count) {
        const auto it = values.find("U" + std::to_string(i));
        if (it != values.end() && it->at("value") == "v" + std::to_string(i))
          ++found;
      }
    }
    INFO("node " << n);
    CHECK(found == update_count);
  }

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}
