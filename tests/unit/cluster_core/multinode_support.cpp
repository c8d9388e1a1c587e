#include "multinode_support.hpp"

#include <algorithm>
#include <map>

#include <catch2/catch.hpp>

namespace wolfpack::cluster::testing {

numbers all_nodes(const fake_cluster& c) {
  numbers out;
  for (std::size_t i = 1; i <= c.size(); ++i)
    out.push_back(i);
  return out;
}

std::string list(const numbers& ns) {
  std::string out;
  for (auto n : ns)
    out += (out.empty() ? "node" : ", node") + std::to_string(n);
  return "{" + out + "}";
}

// "" when the nodes `expected` are running in one view with quorum whose members are exactly
// they (node i with id i), each showing them Up; otherwise what is wrong first.
std::string view_problem(const fake_cluster& c, const numbers& expected) {
  ids want;
  for (auto n : expected)
    want.push_back(static_cast<std::uint32_t>(n));
  std::optional<std::uint64_t> epoch;
  for (auto n : expected) {
    const auto name = fake_cluster::name_of(n);
    if (!c.running(n))
      return name + " is " + to_string(c.status(n));
    const auto& core = c.core(n);
    if (core.node_id() != n)
      return name + " has id " + std::to_string(core.node_id());
    if (!core.has_quorum())
      return name + " has no quorum";
    if (core.members() != want)
      return name + "'s view does not have the members " + list(expected);
    if (epoch && core.view_epoch() != *epoch)
      return name + " is in epoch " + std::to_string(core.view_epoch()) + ", not " +
             std::to_string(*epoch);
    epoch = core.view_epoch();
    for (auto other : expected) {
      const auto views = core.nodes();
      auto it = std::find_if(views.begin(), views.end(),
                             [&](const node_view& v) { return v.id == other; });
      if (it == views.end())
        return name + " does not list node id " + std::to_string(other);
      if (it->state != "Up")
        return name + " sees " + it->name + " " + it->state;
    }
  }
  return {};
}

// "" when the running nodes of `nodes` have the same database (seq and hash).
std::string database_problem(const fake_cluster& c, const numbers& nodes) {
  std::optional<std::pair<std::uint64_t, std::string>> first;
  for (auto n : nodes) {
    if (!c.running(n))
      continue;
    const auto& core = c.core(n);
    const std::pair mine{core.database_seq(), core.database().hash()};
    if (first && mine != *first) {
      return fake_cluster::name_of(n) + " has database seq " + std::to_string(mine.first) +
             " hash " + mine.second.substr(0, 12) + ", another seq " +
             std::to_string(first->first) + " hash " + first->second.substr(0, 12);
    }
    first = mine;
  }
  return {};
}

// What the monitors did with `resource` (from `since`), one line per call.
std::string trace_of(const fake_cluster& c, const std::string& resource, time_ms since) {
  std::string out;
  for (const auto& call : c.monitor_log()) {
    if (call.resource != resource || call.at < since)
      continue;
    out += "\n  [" + std::to_string(call.at) + "] node" + std::to_string(call.node) + "#" +
           std::to_string(call.incarnation) + " " + call.type + " (" + call.cause +
           (call.ran ? "" : ", refused") + ")";
  }
  return out;
}

// REQUIRE(ok) showing, when it fails, `what`, every node's state and what the monitors did
// with R1.
void require_state(const fake_cluster& c, bool ok, const std::string& what) {
  INFO(what);
  INFO(c.describe({"G"}));
  INFO("R1:" << trace_of(c, "R1"));
  REQUIRE(ok);
}

// Node 1 forms the cluster alone; then the others start together and join through n1.
void require_view(fake_cluster& c, const numbers& ns, time_ms limit_ms, const std::string& what) {
  require_state(c, c.run_until([&] { return view_problem(c, ns).empty(); }, limit_ms),
                what + ": " + view_problem(c, ns));
}

void require_settled(fake_cluster& c, const numbers& ns, time_ms limit_ms,
                     const std::string& what) {
  const bool settled = c.run_until(
      [&] { return view_problem(c, ns).empty() && database_problem(c, ns).empty(); }, limit_ms);
  require_state(c, settled, what + ": " + view_problem(c, ns) + " " + database_problem(c, ns));
}

std::string node_state_seen(fake_cluster& c, std::size_t viewer, const std::string& node) {
  const auto nodes = c.api(viewer, "GET", "/nodes").body;
  for (const auto& n : nodes["nodes"]) {
    if (n.value("name", "") == node)
      return n.value("state", "");
  }
  return "";
}

fake_cluster_options broken_frames_allowed() {
  fake_cluster_options o;
  o.strict_frames = false;
  return o;
}

void form(fake_cluster& c) {
  c.start(1);
  const bool formed_alone =
      c.run_until([&] { return c.core(1).node_id() == 1 && c.core(1).has_quorum(); }, 1000);
  require_state(c, formed_alone, "node1 forms a cluster of its own");
  for (std::size_t i = 2; i <= c.size(); ++i)
    c.start(i);
  const auto all = all_nodes(c);
  const bool formed = c.run_until(
      [&] { return view_problem(c, all).empty() && database_problem(c, all).empty(); }, 3000);
  require_state(c, formed, "all join: " + view_problem(c, all) + " " + database_problem(c, all));
}

// Nodes (alive: running or frozen) whose default monitor has `resource` Online or on its way.
numbers running_on(const fake_cluster& c, const std::string& resource) {
  numbers out;
  for (std::size_t i = 1; i <= c.size(); ++i) {
    if (!c.alive(i))
      continue;
    const auto* r = c.node(i).monitor_resource("default", resource);
    if (r != nullptr && (r->state == "Online" || r->state == "OnlinePending"))
      out.push_back(i);
  }
  return out;
}

// The node among `candidates` where `group` is Online: the node reports it Online, its
// monitor alone runs each of `resources`, and every running node of `viewers` names it the
// owner. 0 when there is none (yet).
std::size_t placed_on(const fake_cluster& c, const std::string& group, const numbers& candidates,
                      const numbers& viewers, const std::vector<std::string>& resources) {
  for (auto j : candidates) {
    if (!c.running(j) || c.core(j).group_state(group) != g_online)
      continue;
    const bool alone = std::all_of(resources.begin(), resources.end(),
                                   [&](const auto& r) { return running_on(c, r) == numbers{j}; });
    const bool agreed = std::all_of(viewers.begin(), viewers.end(), [&](std::size_t v) {
      return !c.running(v) || c.core(v).group_owner(group) == j;
    });
    if (alone && agreed)
      return j;
  }
  return 0;
}

// The first call of `type` into `resource` that reached a plugin on node `n` at or after
// `since` (any process of the node).
std::optional<cluster_call> first_call(const fake_cluster& c, std::size_t n,
                                       const std::string& resource, const std::string& type,
                                       time_ms since) {
  for (const auto& call : c.monitor_log()) {
    if (call.node == n && call.resource == resource && call.type == type && call.ran &&
        call.at >= since)
      return call;
  }
  return std::nullopt;
}

// Every run: no resource online on two processes at once, no write the store refused.
void check_safety(const fake_cluster& c) {
  const auto overlap = c.double_online();
  INFO(overlap.value_or(""));
  INFO("R1:" << trace_of(c, "R1"));
  CHECK_FALSE(overlap);
  const auto errors = c.store_errors();
  INFO((errors.empty() ? std::string() : errors.front()));
  CHECK(errors.empty());
}

api_result require_api(fake_cluster& c, std::size_t n, const std::string& method,
                       const std::string& path, const nlohmann::json& body,
                       std::set<int> expected) {
  auto r = c.api_wait(n, method, path, body);
  std::string answer = std::to_string(r.status) + " " + r.body.dump();
  require_state(c, expected.contains(r.status),
                method + " " + path + " " + body.dump() + " on node" + std::to_string(n) +
                    " answered " + answer);
  return r;
}

// Group G with R1 <- R2 (offline), created through node `via`.
void make_group(fake_cluster& c, std::size_t via) {
  require_api(c, via, "POST", "/groups", {{"name", "G"}}, {201});
  require_api(c, via, "POST", "/resources", {{"name", "R1"}, {"group", "G"}, {"type", "Dummy"}},
              {201});
  require_api(c, via, "POST", "/resources", {{"name", "R2"}, {"group", "G"}, {"type", "Dummy"}},
              {201});
  require_api(c, via, "POST", "/resources/R2/dependencies", {{"provider", "R1"}}, {201});
}

// Runs until G is Online on `owner` alone and every node names it the owner.
void require_online_on(fake_cluster& c, std::size_t owner, time_ms limit_ms) {
  const auto all = all_nodes(c);
  const bool online =
      c.run_until([&] { return placed_on(c, "G", {owner}, all) == owner; }, limit_ms);
  require_state(c, online, "G online on node" + std::to_string(owner));
}

// make_group(c, via), then G moved to `owner` while offline (when another node owns it) and
// brought online there: the set-up of the failover scenarios, which needs only a move and an
// online (online with a destination node has a test of its own).
void make_group_online_on(fake_cluster& c, std::size_t owner, std::size_t via) {
  make_group(c, via);
  if (c.core(via).group_owner("G") != owner) {
    require_api(c, via, "POST", "/groups/G/move", {{"node", fake_cluster::name_of(owner)}}, {200});
  }
  const auto all = all_nodes(c);
  const bool moved = c.run_until(
      [&] {
        return std::all_of(all.begin(), all.end(),
                           [&](std::size_t n) { return c.core(n).group_owner("G") == owner; });
      },
      2000);
  require_state(c, moved, "every node names node" + std::to_string(owner) + " the owner of G");
  require_api(c, via, "POST", "/groups/G/online", nullptr, {200, 202});
  require_online_on(c, owner);
}

}  // namespace wolfpack::cluster::testing
