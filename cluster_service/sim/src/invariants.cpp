#include "wolfpack/sim/invariants.hpp"

#include <sstream>

#include "wolfpack/sim/db_reader.hpp"

namespace wolfpack::cluster::sim {

bool is_stop_call(const std::string& type) {
  return type == "terminate" || type == "offline" || type == "close";
}

namespace {

std::string who(std::size_t node, std::size_t process) {
  return fake_cluster::name_of(node) + "#" + std::to_string(process);
}

}  // namespace

std::pair<std::uint64_t, std::uint64_t> version_of(const node_core& core) {
  // gum.cpp: the epoch of a database is its root value GumEpoch.
  return {core.database().get_qword("", "GumEpoch", 0), core.database_seq()};
}

void invariant_checker::on_call(const cluster_call& call) {
  // split_brain() runs on every call: it keeps who holds what.
  auto split = split_brain(call);
  if (first_)
    return;
  if (split)
    first_ = violation{inv_split_brain, call.at, *split};
  else if (auto order = dependency_order(call))
    first_ = violation{inv_dependency_order, call.at, *order};
}

std::optional<std::string> invariant_checker::split_brain(const cluster_call& call) {
  if (!call.ran || call.monitor == quorum_monitor_id)
    return std::nullopt;
  const holder self{call.node, call.incarnation};
  if (is_stop_call(call.type)) {
    // Only a node that held the resource releases it: a Close of a resource it never brought
    // online orders nothing against another node's calls.
    if (holders_[call.resource].erase(self) != 0)
      released_[call.resource][self] = call.at;
    return std::nullopt;
  }
  for (const auto& [h, since] : holders_[call.resource]) {
    if (h == self)
      continue;
    std::ostringstream s;
    s << "'" << call.type << "' of resource '" << call.resource << "' ran on "
      << who(call.node, call.incarnation) << " at " << call.at << " while "
      << who(h.first, h.second) << " had it online since " << since;
    return s.str();
  }
  for (const auto& [h, at] : released_[call.resource]) {
    if (h != self && at == call.at) {
      std::ostringstream s;
      s << "'" << call.type << "' of resource '" << call.resource << "' ran on "
        << who(call.node, call.incarnation) << " at " << call.at << ", the millisecond "
        << who(h.first, h.second) << " released it";
      return s.str();
    }
  }
  if (call.type == "online")
    holders_[call.resource].emplace(self, call.at);
  return std::nullopt;
}

std::optional<std::string> invariant_checker::dependency_order(const cluster_call& call) const {
  if (!call.ran || call.type != "online")
    return std::nullopt;
  const auto& node = cluster_.node(call.node);
  const auto& tree = node.core().database();
  // The resources by name, read again only when the name is not known or no longer names the
  // id it did (names are unique): every online asks, and a walk of every resource for each was
  // a few percent of a run with 50 groups, 7% still when it was read again at every change of
  // the database.
  auto& ids = names_[call.node];
  auto id = ids.find(call.resource);
  if (id == ids.end() || !resource_named(tree, id->second, call.resource)) {
    ids = resource_ids_by_name(tree);
    id = ids.find(call.resource);
    if (id == ids.end())
      return std::nullopt;
  }
  for (const auto& provider : providers_of_id(tree, id->second)) {
    const auto* r = node.find_resource(provider);
    const std::string state = r == nullptr ? "not open" : r->state;
    if (state != "Online") {
      return "resource '" + call.resource + "' brought online on " +
             who(call.node, call.incarnation) + " at " + std::to_string(call.at) +
             " while its provider '" + provider + "' is " + state;
    }
  }
  return std::nullopt;
}

std::optional<std::string> invariant_checker::one_history() {
  for (std::size_t i = 1; i <= cluster_.size(); ++i) {
    if (!cluster_.alive(i))
      continue;
    const auto& n = cluster_.node(i);
    const auto [epoch, seq] = version_of(n.core());
    const node_mark mark{seq, epoch, n.db_writes().size(), n.db_replacements().size(),
                         cluster_.incarnations(i)};
    auto& last = marks_[i];
    const bool changed = last.seq != mark.seq || last.epoch != mark.epoch ||
                         last.writes != mark.writes || last.replacements != mark.replacements ||
                         last.process != mark.process;
    last = mark;
    if (!changed || epoch == 0)
      continue;
    const auto hash = n.core().database().content_digest();
    auto [it, added] = versions_.try_emplace({epoch, seq}, version_seen{hash, i, cluster_.now()});
    if (!added && it->second.hash != hash) {
      std::ostringstream s;
      s << fake_cluster::name_of(i) << " has database version (epoch " << epoch << ", seq " << seq
        << ") with hash " << hash.substr(0, 12) << "; " << fake_cluster::name_of(it->second.node)
        << " had that version with hash " << it->second.hash.substr(0, 12) << " at "
        << it->second.at;
      return s.str();
    }
  }
  return std::nullopt;
}

std::optional<std::string> invariant_checker::store_accepts() const {
  const auto errors = cluster_.store_errors();
  if (errors.empty())
    return std::nullopt;
  return errors.front();
}

std::optional<violation> invariant_checker::check_step() {
  if (first_)
    return first_;
  if (auto p = one_history())
    first_ = violation{inv_one_history, cluster_.now(), *p};
  else if (auto q = store_accepts())
    first_ = violation{inv_store, cluster_.now(), *q};
  return first_;
}

}  // namespace wolfpack::cluster::sim
