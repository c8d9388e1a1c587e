// The simulated client of `wolfpack sim`: it creates the initial groups, then issues random
// API operations (create and delete groups and resources, property writes, dependencies,
// online, offline, move) to random nodes, without waiting, and remembers what it asked and
// what was acknowledged, for the check that no acknowledged update is lost.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/sim/fake_cluster.hpp"
#include "wolfpack/sim/sim_random.hpp"
#include "wolfpack/sim/sim_trace.hpp"

namespace wolfpack::cluster::sim {

// One request the client sent.
struct client_op {
  enum class effect {
    none,      // a state change (online, offline, move), or a dependency
    describe,  // sets `object`'s Description to `value` (a value written once in the run)
    create,    // creates `object`
    remove,    // deletes `object`
  };

  std::string method;
  std::string path;
  nlohmann::json body;
  std::size_t node = 0;
  std::size_t process = 0;  // the node's process that got it
  std::uint64_t id = 0;     // 0: the node was down, nothing was sent
  time_ms issued = 0;
  std::optional<time_ms> answered;  // when the client saw the answer
  int status = 0;
  effect what = effect::none;
  std::string object;  // "group G1", "resource G1-R2"
  std::string value;

  bool acknowledged() const { return answered && status >= 200 && status < 300; }
};

class sim_client {
 public:
  sim_client(fake_cluster& cluster, sim_random random, sim_trace& trace);

  // The initial groups G1..Gn, each holding the chain G<g>-R1 <- G<g>-R2 <- G<g>-R3 (R2
  // depends on R1, R3 on R2), created through node ((g - 1) mod N) + 1 and brought online,
  // with short PendingTimeout and restart periods and a high FailoverThreshold so that the
  // injected failures never exhaust the policies. "" or what went wrong.
  std::string set_up(std::size_t groups);
  // Node and witness majority, configured as a client does it (docs/semantics.md, "Quorum"):
  // the group "Cluster Group" with the resource "Witness" of type `type`, made the quorum
  // resource with PUT /cluster/quorum. "" or what went wrong.
  std::string set_up_witness(const std::string& type);
  // One random operation to a random node (none when that node is down).
  void issue_random();
  // Picks up the answers that came since the last call.
  void collect();

  const std::vector<client_op>& ops() const { return ops_; }
  // Resources of the initial groups (their policies are known: the ones faults target).
  const std::vector<std::string>& initial_resources() const { return initial_resources_; }

 private:
  client_op& send(std::size_t node, const std::string& method, const std::string& path,
                  nlohmann::json body, client_op::effect what = client_op::effect::none,
                  std::string object = {}, std::string value = {});
  // Sends and waits for the answer (set-up only); "" or what went wrong.
  std::string send_wait(std::size_t node, const std::string& method, const std::string& path,
                        nlohmann::json body, client_op::effect what = client_op::effect::none,
                        std::string object = {});
  std::string random_group();
  std::string random_resource();

  fake_cluster& cluster_;
  sim_random random_;
  sim_trace& trace_;
  std::vector<client_op> ops_;
  std::vector<std::size_t> waiting_;  // indexes into ops_ without an answer yet
  std::set<std::string> groups_;
  std::map<std::string, std::string> resources_;  // name -> group
  std::vector<std::string> initial_resources_;
  std::uint64_t counter_ = 0;
};

}  // namespace wolfpack::cluster::sim
