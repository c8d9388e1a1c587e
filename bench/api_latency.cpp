// bench/api_latency: how long the cluster API takes to answer on one node. Starts a real
// clussvc (with its resrcmon) in a fresh state directory, creates a group with one Dummy
// resource, then times N reads of the resource's common properties and N durable writes of
// one of them (PUT answers once SQLite has synced), one request at a time over one kept-alive
// connection, and prints p50/p99 as JSON.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/platform/child_process.hpp"
#include "wolfpack/http/client.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct stats {
  double p50_us = 0, p99_us = 0, mean_us = 0, max_us = 0;
};

stats summarize(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  stats s;
  if (us.empty())
    return s;
  auto at = [&](double q) {
    return us[std::min(us.size() - 1,
                       static_cast<std::size_t>(q * static_cast<double>(us.size())))];
  };
  s.p50_us = at(0.50);
  s.p99_us = at(0.99);
  double sum = 0;
  for (double v : us)
    sum += v;
  s.mean_us = sum / static_cast<double>(us.size());
  s.max_us = us.back();
  return s;
}

json to_json(const stats& s) {
  auto ms = [](double us) { return std::round(us) / 1000.0; };
  return {{"p50_ms", ms(s.p50_us)},
          {"p99_ms", ms(s.p99_us)},
          {"mean_ms", ms(s.mean_us)},
          {"max_ms", ms(s.max_us)}};
}

int fail(const std::string& message) {
  std::fprintf(stderr, "api_latency: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"p50/p99 of property reads and durable writes through the cluster API"};
  int count = 2000;
  int warmup = 100;
  app.add_option("--count", count, "requests of each kind")->check(CLI::Range(10, 1000000));
  app.add_option("--warmup", warmup, "untimed requests first")->check(CLI::Range(0, 100000));
  CLI11_PARSE(app, argc, argv);

  char pattern[] = "/tmp/wp-api-latency-XXXXXX";
  if (mkdtemp(pattern) == nullptr)
    return fail("cannot make a temporary directory");
  const fs::path dir = pattern;
  const fs::path state = dir / "state";
  wolfpack::platform::spawn_options options;
  options.stdout_path = dir / "clussvc.out";
  options.stderr_path = dir / "clussvc.err";
  options.new_process_group = true;
  auto node = wolfpack::platform::child_process::spawn(
      fs::path(WP_BUILD_DIR) / "bin" / "clussvc",
      {"--state-dir", state.string(), "--node", "bench1", "--cluster-name", "bench", "--listen",
       "127.0.0.1:0", "--api-listen", "127.0.0.1:0"},
      options);
  if (!node)
    return fail(node.error());

  // The node writes its API address once it is ready.
  std::string address;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (address.empty() && std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(state / "api.endpoint");
    std::getline(in, address);
    if (address.empty()) {
      if (!node->is_running())
        return fail("clussvc exited: see " + (dir / "clussvc.err").string());
      std::this_thread::sleep_for(20ms);
    }
  }
  if (address.empty())
    return fail("clussvc did not become ready within 20 s");
  auto ep = wolfpack::parse_endpoint("tcp:" + address);
  if (!ep)
    return fail(ep.error());
  auto client = wolfpack::http::client::connect(*ep);
  if (!client)
    return fail(client.error());

  auto call = [&](const char* method, const std::string& target, const json* body) -> bool {
    auto r = client->request(method, target, body);
    if (!r) {
      std::fprintf(stderr, "api_latency: %s %s: %s\n", method, target.c_str(), r.error().c_str());
      return false;
    }
    if (r->status >= 300) {
      std::fprintf(stderr, "api_latency: %s %s: %d %s\n", method, target.c_str(), r->status,
                   r->body.dump().c_str());
      return false;
    }
    return true;
  };
  const json group = {{"name", "G"}};
  const json resource = {{"name", "R"}, {"group", "G"}, {"type", "Dummy"}};
  if (!call("POST", "/groups", &group) || !call("POST", "/resources", &resource))
    return 1;

  const std::string target = "/resources/R/properties";
  std::vector<double> reads, writes;
  reads.reserve(count);
  writes.reserve(count);
  for (int i = 0; i < warmup + count; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!call("GET", target, nullptr))
      return 1;
    const auto t1 = std::chrono::steady_clock::now();
    if (i >= warmup)
      reads.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  for (int i = 0; i < warmup + count; ++i) {
    const json body = {{"properties", {{"Description", "write " + std::to_string(i)}}}};
    const auto t0 = std::chrono::steady_clock::now();
    if (!call("PUT", target, &body))
      return 1;
    const auto t1 = std::chrono::steady_clock::now();
    if (i >= warmup)
      writes.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }

  node->terminate();
  auto status = node->wait_for(10s);
  if (!status)
    node->kill();

  json out = {
      {"benchmark", "api_latency"},
      {"figures",
       {{"read", to_json(summarize(reads))}, {"durable_write", to_json(summarize(writes))}}},
      {"unit", "ms per request (one at a time, one kept-alive connection)"},
      {"conditions",
       {{"requests_each", count},
        {"warmup_each", warmup},
        {"read", "GET " + target},
        {"write", "PUT " + target + " Description (SQLite WAL, synchronous=FULL)"},
        {"nodes", 1},
        {"state_dir_filesystem", dir.string()},
        {"hardware_threads", std::thread::hardware_concurrency()}}},
      {"floors", {{"read_p50_ms", 1}, {"durable_write_p50_ms", 5}}}};
  std::printf("%s\n", out.dump().c_str());
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
