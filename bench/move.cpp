// bench/move: a planned move of a group of three chained Dummy resources between two nodes
// of a 3-node cluster. The group starts Online on node1 and moves to node2, back to node1,
// and so on (20 timed moves after 2 untimed ones). Each move is `POST /groups/G/move
// {"node": target}` sent to the current owner, which takes the group offline (dependents
// first), changes the owner with one global update and answers; the target then brings it
// online. The event streams time, from the request:
//   answered  the move request is answered (the old owner took the group offline and the
//             ownership update is durable),
//   online    the new owner reports the group Online: the figure.
// Prints p50/p99 of each as JSON.

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cluster_lab.hpp"

using namespace std::chrono_literals;
using namespace wolfpack::bench;

namespace {

int fail_with(const std::string& message) {
  std::fprintf(stderr, "move: %s\n", message.c_str());
  return 1;
}

std::function<bool(const json&)> group_state_is(const std::string& group, const std::string& state,
                                                const std::string& owner) {
  return [=](const json& e) {
    return e.value("kind", std::string()) == "GROUP_STATE" &&
           e.value("name", std::string()) == group && e.value("state", std::string()) == state &&
           e.value("owner", std::string()) == owner;
  };
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"time from a planned group move to the group online on the target"};
  int count = 20;
  int warmup = 2;
  int nodes = 3;
  lab_settings settings;
  settings.build_dir = WP_BUILD_DIR;
  app.add_option("--count", count, "timed moves")->check(CLI::Range(1, 10000));
  app.add_option("--warmup", warmup, "untimed moves first")->check(CLI::Range(0, 1000));
  app.add_option("--nodes", nodes, "cluster size (moves go between node1 and node2)")
      ->check(CLI::Range(2, 16));
  add_lab_options(app, settings);
  CLI11_PARSE(app, argc, argv);

  auto made = cluster_lab::create("move", settings);
  if (!made)
    return fail_with(made.error());
  cluster_lab& lab = **made;
  const auto setup_deadline = bench_clock::now() + 120s;
  if (auto st = lab.launch_all(nodes, setup_deadline); !st)
    return fail_with(st.error());
  if (auto st = lab.wait_all_up(0, setup_deadline); !st)
    return fail_with(st.error());

  const std::string group = "mv";
  std::vector<wolfpack::http::client> clients;
  std::vector<std::unique_ptr<event_log>> logs;
  for (int i = 0; i < 2; ++i) {
    auto c = lab.client(i);
    if (!c)
      return fail_with(c.error());
    clients.push_back(std::move(*c));
    auto log = event_log::open(*lab.node(i).api, lab.api_key());
    if (!log)
      return fail_with(log.error());
    logs.push_back(std::move(*log));
  }
  if (auto st = create_chain_group(clients[0], group); !st)
    return fail_with(st.error());
  const json on_node1 = {{"node", lab.node(0).name}};
  if (auto r = call(clients[0], "POST", "/groups/" + group + "/online", &on_node1); !r)
    return fail_with(r.error());
  if (!logs[0]->wait_for(0, group_state_is(group, "Online", lab.node(0).name),
                         bench_clock::now() + 30s)) {
    lab.keep_directory();
    return fail_with("the group did not come online on node1");
  }

  std::vector<double> answered, online;
  int owner = 0;
  for (int i = 0; i < warmup + count; ++i) {
    const int target = 1 - owner;
    const auto& target_name = lab.node(target).name;
    const std::size_t from_dst = logs[target]->size();
    const json body = {{"node", target_name}};
    const auto t0 = bench_clock::now();
    auto r = call(clients[owner], "POST", "/groups/" + group + "/move", &body);
    const auto t1 = bench_clock::now();
    if (!r) {
      lab.keep_directory();
      return fail_with("move " + std::to_string(i + 1) + ": " + r.error());
    }
    const auto deadline = t1 + 30s;
    auto up =
        logs[target]->wait_for(from_dst, group_state_is(group, "Online", target_name), deadline);
    if (!up) {
      lab.keep_directory();
      return fail_with("move " + std::to_string(i + 1) + ": the group did not come online on " +
                       target_name + " within 30 s");
    }
    if (i >= warmup) {
      answered.push_back(ms_between(t0, t1));
      online.push_back(ms_between(t0, up->at));
    }
    owner = target;
  }

  json out = {{"benchmark", "move"},
              {"figures",
               {{"online_on_target_ms", summarize_ms(online)},
                {"move_answered_ms", summarize_ms(answered)}}},
              {"unit", "ms after POST /groups/G/move, as the nodes' event streams show"},
              {"conditions",
               {{"nodes", nodes},
                {"moves", count},
                {"warmup_moves", warmup},
                {"between", "node1 <-> node2 (request sent to the current owner)"},
                {"group", "3 Dummy resources in a chain (app -> ip -> disk)"},
                {"heartbeat_ms", settings.heartbeat_ms},
                {"threshold", settings.threshold},
                {"hardware_threads", std::thread::hardware_concurrency()}}},
              {"reference", {{"pacemaker_2_1_5_move_ms", 210}}}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
