// The witness's invariants of invariant_checker (invariants.hpp): checked when a process
// installs a view.
#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "wolfpack/sim/invariants.hpp"

namespace wolfpack::cluster::sim {

namespace {

// membership.cpp: a view's epoch is its ballot (round, coordinator) in one number.
constexpr unsigned coordinator_bits = 20;

std::string process_text(std::size_t node, std::size_t process) {
  return fake_cluster::name_of(node) + "#" + std::to_string(process);
}

std::string members_text(const std::vector<std::uint32_t>& ids) {
  std::string out;
  for (auto id : ids)
    out += (out.empty() ? "" : ",") + std::to_string(id);
  return "[" + out + "]";
}

// Whether the view `core` runs now relies on the witness, and it installed it as coordinator.
// The votes are counted as the coordinator counts them (membership_manager::finish_round):
// against the newest database among the view's members, which may not be the coordinator's
// own (it was down while a node was evicted: three of four nodes need no witness, while its
// own database would still count five).
bool relies_as_coordinator(const fake_cluster& cluster, const node_core& core) {
  const auto epoch = core.view_epoch();
  if ((epoch & ((1u << coordinator_bits) - 1)) != core.node_id())
    return false;
  const node_core* newest = &core;
  const auto members = core.members();
  for (std::size_t i = 1; i <= cluster.size(); ++i) {
    if (!cluster.alive(i))
      continue;
    const auto& other = cluster.core(i);
    if (std::find(members.begin(), members.end(), other.node_id()) != members.end() &&
        version_of(other) > version_of(*newest))
      newest = &other;
  }
  const auto quorum = newest->database().get(std::string(), "QuorumResource");
  if (!quorum || quorum->type != value_type::sz || quorum->as_string().empty())
    return false;
  // The simulator's nodes all have NodeWeight 1.
  const auto votes = newest->nodes().size() + 1;
  return 2 * members.size() <= votes;
}

// The record's members (empty when it is not a record).
std::vector<std::uint32_t> members_of(const std::string& bytes, std::uint64_t* epoch = nullptr) {
  const auto j = nlohmann::json::parse(bytes, nullptr, false);
  std::vector<std::uint32_t> out;
  if (!j.is_object())
    return out;
  if (epoch != nullptr)
    *epoch = j.value("epoch", std::uint64_t{0});
  if (const auto m = j.find("members"); m != j.end() && m->is_array()) {
    for (const auto& v : *m) {
      if (v.is_number_unsigned())
        out.push_back(v.get<std::uint32_t>());
    }
  }
  return out;
}

}  // namespace

void invariant_checker::on_view(std::size_t node, std::size_t process) {
  if (first_ || cluster_.witness() == nullptr ||
      !relies_as_coordinator(cluster_, cluster_.incarnation(node, process).core()))
    return;
  if (auto p = witness_holder(node, process))
    first_ = violation{inv_witness_holder, cluster_.now(), *p};
  else if (auto q = partition_in_time(node, process))
    first_ = violation{inv_partition_in_time, cluster_.now(), *q};
}

std::optional<std::string> invariant_checker::witness_holder(std::size_t node,
                                                             std::size_t process) const {
  const auto* witness = cluster_.witness();
  const auto& core = cluster_.incarnation(node, process).core();
  std::ostringstream s;
  s << process_text(node, process) << " installed epoch " << core.view_epoch() << " with members "
    << members_text(core.members()) << ", which relies on the witness, ";
  const auto& r = witness->current();
  if (!witness->held_by({node, process})) {
    s << "while the witness's reservation is ";
    if (r.holder)
      s << "held by " << process_text(r.holder->first, r.holder->second) << " (epoch " << r.epoch
        << ")";
    else
      s << "free";
    return s.str();
  }
  const auto& records = witness->records();
  std::uint64_t epoch = 0;
  if (!records.empty())
    members_of(records.back().bytes, &epoch);
  if (records.empty() || records.back().by != fake_witness::process{node, process} ||
      epoch != core.view_epoch()) {
    s << "without writing the witness record for it first";
    if (!records.empty())
      s << " (the last record, by "
        << process_text(records.back().by.first, records.back().by.second) << " at "
        << records.back().at << ": " << records.back().bytes << ")";
    return s.str();
  }
  return std::nullopt;
}

std::optional<std::string> invariant_checker::partition_in_time(std::size_t node,
                                                                std::size_t process) const {
  const auto& records = cluster_.witness()->records();
  const auto& core = cluster_.incarnation(node, process).core();
  if (records.size() < 2)
    return std::nullopt;
  const auto& previous = records[records.size() - 2];
  const auto named = members_of(previous.bytes);
  const auto members = core.members();
  const bool overlap = std::any_of(members.begin(), members.end(), [&](std::uint32_t m) {
    return std::find(named.begin(), named.end(), m) != named.end();
  });
  if (overlap || named.empty())
    return std::nullopt;
  std::ostringstream s;
  s << process_text(node, process) << " installed epoch " << core.view_epoch() << " with members "
    << members_text(members) << ", which relies on the witness, although the record before its "
    << "own (written by " << process_text(previous.by.first, previous.by.second) << " at "
    << previous.at << ") names nodes " << members_text(named)
    << " as the ones with the newest database";
  return s.str();
}

}  // namespace wolfpack::cluster::sim
