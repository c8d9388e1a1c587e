#include "wolfpack/sim/end_checks.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "wolfpack/sim/db_reader.hpp"
#include "wolfpack/sim/invariants.hpp"

namespace wolfpack::cluster::sim {

namespace {

constexpr int r_online = 2;

std::string ids_text(const std::vector<std::uint32_t>& ids) {
  std::string out;
  for (auto id : ids)
    out += (out.empty() ? "" : ",") + std::to_string(id);
  return "[" + out + "]";
}

// "Online on node3" when a node other than `owner` runs `resource` (or is bringing it online).
std::string running_elsewhere(const fake_cluster& c, const std::string& resource,
                              std::size_t owner) {
  for (std::size_t i = 1; i <= c.size(); ++i) {
    const auto* other = c.node(i).find_resource(resource);
    if (i != owner && other != nullptr &&
        (other->state == "Online" || other->state == "OnlinePending"))
      return other->state + " on " + fake_cluster::name_of(i);
  }
  return {};
}

}  // namespace

cluster_nodes nodes_of(const fake_cluster& c) {
  cluster_nodes out;
  bool found = false;
  for (std::size_t i = 1; i <= c.size(); ++i) {
    if (c.running(i) && (!found || version_of(c.core(i)) > version_of(c.core(out.newest)))) {
      out.newest = i;
      found = true;
    }
  }
  const auto listed = read_node_names(c.core(out.newest).database());
  for (std::size_t i = 1; i <= c.size(); ++i) {
    // A node still joining (a temporary id) is on its way in; one that is down is judged
    // when it runs again, except a service that exited (an evicted node refuses to start).
    const bool exited = c.status(i) == fake_cluster::node_status::exited;
    const bool in = (!c.running(i) && !exited) || listed.empty() ||
                    (c.running(i) && c.core(i).node_id() >= temp_node_id_base) ||
                    std::binary_search(listed.begin(), listed.end(), fake_cluster::name_of(i));
    (in ? out.members : out.evicted).push_back(i);
  }
  return out;
}

std::string view_problem(const fake_cluster& c) {
  std::optional<std::uint64_t> epoch;
  std::vector<std::uint32_t> all;
  const auto nodes = nodes_of(c);
  for (auto i : nodes.members) {
    if (!c.running(i))
      return fake_cluster::name_of(i) + " is " + to_string(c.status(i));
  }
  for (auto i : nodes.members)
    all.push_back(c.core(i).node_id());
  std::sort(all.begin(), all.end());
  for (auto i : nodes.evicted) {
    if (c.running(i) && c.core(i).has_quorum())
      return fake_cluster::name_of(i) + ", evicted, is in a view with quorum: members " +
             ids_text(c.core(i).members());
  }
  for (auto i : nodes.members) {
    const auto& core = c.core(i);
    const auto name = fake_cluster::name_of(i);
    if (!core.has_quorum())
      return name + " has no quorum";
    if (core.members() != all)
      return name + "'s view has members " + ids_text(core.members()) + ", not " + ids_text(all);
    if (epoch && core.view_epoch() != *epoch)
      return name + " is in epoch " + std::to_string(core.view_epoch()) + ", another in " +
             std::to_string(*epoch);
    epoch = core.view_epoch();
    for (const auto& v : core.nodes()) {
      if (v.state != "Up")
        return name + " sees " + v.name + " " + v.state;
    }
  }
  return {};
}

std::string database_problem(const fake_cluster& c) {
  const auto nodes = nodes_of(c);
  const auto& first = c.core(nodes.newest);
  const auto& hash = c.node(nodes.newest).database_hash();
  for (auto i : nodes.members) {
    const auto& core = c.core(i);
    const auto& mine = c.node(i).database_hash();
    if (core.database_seq() != first.database_seq() || mine != hash) {
      return fake_cluster::name_of(i) + " has database seq " + std::to_string(core.database_seq()) +
             " hash " + mine.substr(0, 12) + ", " + fake_cluster::name_of(nodes.newest) + " seq " +
             std::to_string(first.database_seq()) + " hash " + hash.substr(0, 12);
    }
  }
  return {};
}

std::string placement_problem(const fake_cluster& c) {
  const auto nodes = nodes_of(c);
  std::map<std::string, std::size_t> node_of_id;
  for (auto i : nodes.members)
    node_of_id[std::to_string(c.core(i).node_id())] = i;
  const auto& tree = c.core(nodes.newest).database();
  std::map<std::string, bool> wanted;
  for (const auto& r : read_resources(tree))
    wanted[r.name] = r.persistent_online;
  for (const auto& g : read_groups(tree)) {
    for (const auto& r : g.resources) {
      if (!wanted[r])
        continue;
      auto owner = node_of_id.find(g.owner_node);
      if (owner == node_of_id.end())
        return "group " + g.name + " (resource " + r + " wanted online) has no owner that is up (" +
               (g.owner_node.empty() ? "none" : "node id " + g.owner_node) + ")";
      const auto n = owner->second;
      const auto where = fake_cluster::name_of(n);
      // Failed for good by its policy (its restarts and its one retry spent, or its group
      // left offline by a failover that could not happen): it waits for an administrator, as
      // in MSCS (SPEC 4.3), and no monitor may run it, its owner's included.
      const auto* mine = c.node(n).find_resource(r);
      const bool runs_here =
          mine != nullptr && (mine->state == "Online" || mine->state == "OnlinePending");
      if (c.core(n).held_by_policy(r) && !runs_here && running_elsewhere(c, r, n).empty())
        continue;
      if (c.core(n).resource_state(r) != r_online) {
        return "resource " + r + " of group " + g.name + " is wanted online but " + where +
               " (the owner) reports state " + std::to_string(c.core(n).resource_state(r));
      }
      if (mine == nullptr || mine->state != "Online")
        return "resource " + r + " of group " + g.name + " is not Online in " + where +
               "'s monitors";
      if (const auto other = running_elsewhere(c, r, n); !other.empty())
        return "resource " + r + " is " + other + " as well as on its owner " + where;
    }
  }
  return {};
}

std::optional<std::string> lost_acknowledged(const db_tree& tree,
                                             const std::vector<client_op>& ops) {
  using effect = client_op::effect;
  std::map<std::string, std::optional<std::string>> exists;  // object -> its Description
  const auto groups = read_groups(tree);
  const auto resources = read_resources(tree);
  for (const auto& g : groups)
    exists["group " + g.name] = g.description;
  for (const auto& r : resources)
    exists["resource " + r.name] = r.description;
  // Every resource in exactly one group: one in no group was created (and acknowledged) and
  // then written out of its group by an update computed without it (seed 702202).
  std::map<std::string, std::vector<std::string>> held_by;  // resource name -> groups
  for (const auto& g : groups) {
    for (const auto& r : g.resources)
      held_by[r].push_back(g.name);
  }
  for (const auto& r : resources) {
    const auto it = held_by.find(r.name);
    if (it == held_by.end())
      return "resource " + r.name + " is in no group";
    if (it->second.size() > 1)
      return "resource " + r.name + " is in groups " + it->second[0] + " and " + it->second[1];
  }

  std::set<std::string> removal_asked;
  for (const auto& op : ops) {
    if (op.what == effect::remove)
      removal_asked.insert(op.object);
  }
  std::map<std::string, std::vector<const client_op*>> writes;
  for (const auto& op : ops) {
    if (op.what == effect::create && op.acknowledged() && !exists.contains(op.object) &&
        !removal_asked.contains(op.object)) {
      return "the creation of " + op.object + " was acknowledged at " +
             std::to_string(*op.answered) + " but it does not exist";
    }
    if (op.what == effect::remove && op.acknowledged() && exists.contains(op.object)) {
      return "the deletion of " + op.object + " was acknowledged at " +
             std::to_string(*op.answered) + " but it exists";
    }
    if (op.what == effect::describe)
      writes[op.object].push_back(&op);
  }
  for (const auto& [object, ws] : writes) {
    auto it = exists.find(object);
    if (it == exists.end())
      continue;  // deleted: its Description went with it
    const auto& final_value = it->second;
    const client_op* final_write = nullptr;
    for (const auto* w : ws) {
      if (final_value && w->value == *final_value)
        final_write = w;
    }
    for (const auto* w : ws) {
      if (!w->acknowledged())
        continue;
      if (!final_value) {
        return "the Description '" + w->value + "' of " + object + " was acknowledged at " +
               std::to_string(*w->answered) + " but " + object + " has no Description";
      }
      if (final_write == nullptr) {
        return object + " has Description '" + *final_value +
               "', which the client never wrote (it wrote '" + w->value + "')";
      }
      if (w != final_write && final_write->acknowledged() && *final_write->answered < w->issued) {
        std::ostringstream s;
        s << "the Description '" << w->value << "' of " << object << " (sent at " << w->issued
          << ", acknowledged at " << *w->answered << ") is lost: " << object << " has '"
          << *final_value << "', acknowledged at " << *final_write->answered << ", before '"
          << w->value << "' was sent";
        return s.str();
      }
    }
  }
  return std::nullopt;
}

}  // namespace wolfpack::cluster::sim
