#include "wolfpack/sim/sim_client.hpp"

#include <utility>

namespace wolfpack::cluster::sim {

namespace {

constexpr std::size_t chain_length = 3;
constexpr time_ms set_up_wait_ms = 5000;

// Short enough that a hung online fails, and a failed group is retried, well within the
// liveness bound; a FailoverThreshold no injected failure reaches.
const nlohmann::json resource_policy{{"PendingTimeout", 1500},
                                     {"RestartThreshold", 2},
                                     {"RestartPeriod", 10000},
                                     {"RetryPeriodOnFailure", 10000}};
const nlohmann::json group_policy{{"FailoverThreshold", 1000}, {"FailoverPeriod", 1193}};

}  // namespace

sim_client::sim_client(fake_cluster& cluster, sim_random random, sim_trace& trace)
    : cluster_(cluster), random_(std::move(random)), trace_(trace) {}

client_op& sim_client::send(std::size_t node, const std::string& method, const std::string& path,
                            nlohmann::json body, client_op::effect what, std::string object,
                            std::string value) {
  client_op op;
  op.method = method;
  op.path = path;
  op.body = std::move(body);
  op.node = node;
  op.issued = cluster_.now();
  op.what = what;
  op.object = std::move(object);
  op.value = std::move(value);
  if (cluster_.alive(node)) {
    op.process = cluster_.incarnations(node);
    op.id = cluster_.api_async(node, method, path, op.body);
  }
  if (trace_.enabled()) {
    trace_.record(op.issued, "request",
                  {{"node", node},
                   {"method", method},
                   {"path", path},
                   {"body", op.body},
                   {"sent", op.id != 0}});
  }
  ops_.push_back(std::move(op));
  if (ops_.back().id != 0)
    waiting_.push_back(ops_.size() - 1);
  return ops_.back();
}

void sim_client::collect() {
  std::vector<std::size_t> still;
  for (const auto index : waiting_) {
    auto& op = ops_[index];
    // A process that ended never answers: the outcome stays unknown.
    if (cluster_.incarnations(op.node) != op.process || !cluster_.alive(op.node))
      continue;
    const auto* answer = cluster_.find_response(op.node, op.id);
    if (answer == nullptr) {
      still.push_back(index);
      continue;
    }
    op.answered = cluster_.now();
    op.status = answer->status;
    if (trace_.enabled()) {
      trace_.record(cluster_.now(), "answer",
                    {{"node", op.node},
                     {"method", op.method},
                     {"path", op.path},
                     {"status", op.status},
                     {"error", answer->error_code()}});
    }
  }
  waiting_ = std::move(still);
}

std::string sim_client::send_wait(std::size_t node, const std::string& method,
                                  const std::string& path, nlohmann::json body,
                                  client_op::effect what, std::string object) {
  const auto index = ops_.size();
  send(node, method, path, std::move(body), what, std::move(object));
  const auto& op = ops_[index];
  cluster_.run_until(
      [&] { return !cluster_.alive(node) || cluster_.find_response(node, op.id) != nullptr; },
      set_up_wait_ms);
  collect();
  if (!ops_[index].acknowledged()) {
    const auto answer = cluster_.response(node, ops_[index].id);
    return method + " " + path + " " + ops_[index].body.dump() + " on " +
           fake_cluster::name_of(node) + " answered " +
           (answer ? std::to_string(answer->status) + " " + answer->body.dump()
                   : std::string("nothing within 5 s"));
  }
  return {};
}

std::string sim_client::set_up(std::size_t groups) {
  const auto n = cluster_.size();
  for (std::size_t g = 1; g <= groups; ++g) {
    const auto via = (g - 1) % n + 1;
    const auto group = "G" + std::to_string(g);
    std::string problem = send_wait(via, "POST", "/groups", {{"name", group}},
                                    client_op::effect::create, "group " + group);
    if (problem.empty()) {
      problem =
          send_wait(via, "PUT", "/groups/" + group + "/properties", {{"properties", group_policy}});
    }
    for (std::size_t r = 1; r <= chain_length && problem.empty(); ++r) {
      const auto name = group + "-R" + std::to_string(r);
      problem = send_wait(via, "POST", "/resources",
                          {{"name", name}, {"group", group}, {"type", "Dummy"}},
                          client_op::effect::create, "resource " + name);
      if (problem.empty()) {
        problem = send_wait(via, "PUT", "/resources/" + name + "/properties",
                            {{"properties", resource_policy}});
      }
      if (problem.empty() && r > 1) {
        problem = send_wait(via, "POST", "/resources/" + name + "/dependencies",
                            {{"provider", group + "-R" + std::to_string(r - 1)}});
      }
      resources_[name] = group;
      initial_resources_.push_back(name);
    }
    if (problem.empty())
      problem = send_wait(via, "POST", "/groups/" + group + "/online", nullptr);
    if (!problem.empty())
      return problem;
    groups_.insert(group);
  }
  return {};
}

std::string sim_client::set_up_witness(const std::string& type) {
  std::string problem = send_wait(1, "POST", "/groups", {{"name", "Cluster Group"}},
                                  client_op::effect::create, "group Cluster Group");
  if (problem.empty()) {
    problem = send_wait(1, "POST", "/resources",
                        {{"name", "Witness"}, {"group", "Cluster Group"}, {"type", type}},
                        client_op::effect::create, "resource Witness");
  }
  if (problem.empty())
    problem = send_wait(1, "PUT", "/cluster/quorum", {{"resource", "Witness"}});
  return problem;
}

std::string sim_client::random_group() {
  if (groups_.empty())
    return "G1";
  return *std::next(groups_.begin(), static_cast<long>(random_.below(groups_.size())));
}

std::string sim_client::random_resource() {
  if (resources_.empty())
    return "G1-R1";
  return std::next(resources_.begin(), static_cast<long>(random_.below(resources_.size())))->first;
}

void sim_client::issue_random() {
  using effect = client_op::effect;
  const auto node = static_cast<std::size_t>(random_.between(1, cluster_.size()));
  const auto value = "d" + std::to_string(++counter_);
  // Weights out of 100.
  const auto roll = random_.below(100);
  if (roll < 20) {
    const auto g = random_group();
    send(node, "PUT", "/groups/" + g + "/properties", {{"properties", {{"Description", value}}}},
         effect::describe, "group " + g, value);
  } else if (roll < 35) {
    const auto r = random_resource();
    send(node, "PUT", "/resources/" + r + "/properties", {{"properties", {{"Description", value}}}},
         effect::describe, "resource " + r, value);
  } else if (roll < 50) {
    send(node, "POST", "/groups/" + random_group() + "/online", nullptr);
  } else if (roll < 58) {
    send(node, "POST", "/groups/" + random_group() + "/offline", nullptr);
  } else if (roll < 68) {
    const auto to = fake_cluster::name_of(random_.between(1, cluster_.size()));
    send(node, "POST", "/groups/" + random_group() + "/move", {{"node", to}});
  } else if (roll < 73) {
    const auto g = "C" + std::to_string(counter_);
    send(node, "POST", "/groups", {{"name", g}}, effect::create, "group " + g);
    groups_.insert(g);
  } else if (roll < 83) {
    const auto g = random_group();
    const auto r = g + "-X" + std::to_string(counter_);
    send(node, "POST", "/resources", {{"name", r}, {"group", g}, {"type", "Dummy"}}, effect::create,
         "resource " + r);
    resources_[r] = g;
  } else if (roll < 90) {
    // A dependency inside one group (the core refuses one across groups, or a cycle).
    const auto r = random_resource();
    std::vector<std::string> same;
    for (const auto& [name, group] : resources_) {
      if (group == resources_[r] && name != r)
        same.push_back(name);
    }
    if (!same.empty())
      send(node, "POST", "/resources/" + r + "/dependencies", {{"provider", random_.pick(same)}});
  } else if (roll < 96) {
    // Only resources the client added: the initial chains stay for the fault injection.
    std::vector<std::string> added;
    for (const auto& [name, group] : resources_) {
      if (name.find("-X") != std::string::npos)
        added.push_back(name);
    }
    if (!added.empty()) {
      const auto r = random_.pick(added);
      send(node, "DELETE", "/resources/" + r, nullptr, effect::remove, "resource " + r);
    }
  } else {
    std::vector<std::string> added;
    for (const auto& g : groups_) {
      if (g.starts_with("C"))
        added.push_back(g);
    }
    if (!added.empty()) {
      const auto g = random_.pick(added);
      send(node, "DELETE", "/groups/" + g, nullptr, effect::remove, "group " + g);
    }
  }
}

}  // namespace wolfpack::cluster::sim
