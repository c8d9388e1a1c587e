#include "wolfpack/sim/sim_options.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace wolfpack::cluster::sim {

namespace {

constexpr std::array<std::pair<fault_kind, std::string_view>, 13> names{{
    {fault_kind::crash, "crash"},
    {fault_kind::freeze, "freeze"},
    {fault_kind::partition, "partition"},
    {fault_kind::loss, "loss"},
    {fault_kind::duplicate, "duplicate"},
    {fault_kind::delay, "delay"},
    {fault_kind::disconnect, "disconnect"},
    {fault_kind::fail, "fail"},
    {fault_kind::hang, "hang"},
    {fault_kind::storage, "storage"},
    {fault_kind::stop, "stop"},
    {fault_kind::evict, "evict"},
    {fault_kind::timing, "timing"},
}};

std::string known_names() {
  std::string out;
  for (const auto& [k, name] : names)
    out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

}  // namespace

std::string_view to_string(fault_kind k) {
  for (const auto& [kind, name] : names) {
    if (kind == k)
      return name;
  }
  return "?";
}

std::set<fault_kind> all_faults() {
  std::set<fault_kind> out;
  for (const auto& [k, name] : names) {
    if (k != fault_kind::evict && k != fault_kind::timing)
      out.insert(k);
  }
  return out;
}

result<std::set<fault_kind>> parse_faults(std::string_view list) {
  if (list == "all" || list == "default")
    return all_faults();
  if (list == "none")
    return std::set<fault_kind>{};
  std::set<fault_kind> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string_view::npos)
      end = list.size();
    const auto item = list.substr(start, end - start);
    bool found = false;
    if (item == "all") {
      const auto defaults = all_faults();
      out.insert(defaults.begin(), defaults.end());
      found = true;
    }
    for (const auto& [k, name] : names) {
      if (name == item) {
        out.insert(k);
        found = true;
      }
    }
    if (!found) {
      return fail("unknown fault '" + std::string(item) + "' (known: " + known_names() +
                  "; all: every one but evict and timing; none)");
    }
    start = end + 1;
  }
  return out;
}

std::string faults_text(const std::set<fault_kind>& faults) {
  if (faults.empty())
    return "none";
  const auto defaults = all_faults();
  const bool all = std::includes(faults.begin(), faults.end(), defaults.begin(), defaults.end());
  std::string out = all ? "all" : "";
  for (const auto& [k, name] : names) {
    if (faults.contains(k) && !(all && defaults.contains(k)))
      out += (out.empty() ? "" : ",") + std::string(name);
  }
  return out;
}

std::string_view to_string(quorum_kind q) {
  return q == quorum_kind::witness ? "witness" : "majority";
}

result<quorum_kind> parse_quorum(std::string_view name) {
  if (name == "majority")
    return quorum_kind::majority;
  if (name == "witness")
    return quorum_kind::witness;
  return fail("unknown quorum '" + std::string(name) + "' (known: majority, witness)");
}

std::string replay_command(const sim_options& o) {
  std::string cmd = "wolfpack sim --nodes " + std::to_string(o.nodes) + " --groups " +
                    std::to_string(o.groups) + " --seed " + std::to_string(o.seed);
  if (o.virtual_ms > 0)
    cmd += " --virtual-seconds " + std::to_string(o.virtual_ms / 1000);
  else
    cmd += " --steps " + std::to_string(o.steps);
  cmd += " --faults " + faults_text(o.faults);
  if (o.quorum == quorum_kind::witness) {
    cmd += " --quorum witness";
    if (o.witness_interval_ms != sim_options{}.witness_interval_ms)
      cmd += " --witness-interval-ms " + std::to_string(o.witness_interval_ms);
  }
  return cmd;
}

}  // namespace wolfpack::cluster::sim
