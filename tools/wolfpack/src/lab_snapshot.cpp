// Lab status: see lab_snapshot.hpp.

#include "lab_snapshot.hpp"

#include <algorithm>
#include <map>

#include "lab_api.hpp"
#include "lab_registry.hpp"

namespace wolfpack::tool {

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string text_of(const json& obj, const char* key) {
  return obj.is_object() && obj.contains(key) && obj[key].is_string() ? obj[key].get<std::string>()
                                                                      : std::string();
}

std::string process_text(const node_view& n) {
  if (n.process == node_process::not_running)
    return "not running";
  return to_string(n.process) + " (" + std::to_string(n.pid) + ")";
}

std::string faults_text(const node_faults& f) {
  std::string text;
  if (!f.block.empty()) {
    text = "blocks";
    for (const auto& b : f.block)
      text += " " + b;
  }
  if (f.delay_ms != 0)
    text += (text.empty() ? "" : "; ") + std::string("delay ") + std::to_string(f.delay_ms) + " ms";
  if (text.empty())
    text = "-";
  if (!f.applied)
    text += " (not applied yet)";
  return text;
}

// Rows of cells, columns as wide as their widest cell.
void print_table(const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  std::vector<std::size_t> width;
  for (const auto& r : rows) {
    width.resize(std::max(width.size(), r.size()));
    for (std::size_t i = 0; i < r.size(); ++i)
      width[i] = std::max(width[i], r[i].size());
  }
  for (const auto& r : rows) {
    std::string line = " ";
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += " " + r[i];
      if (i + 1 < r.size())
        line += std::string(width[i] - r[i].size() + 1, ' ');
    }
    out << line << "\n";
  }
}

}  // namespace

bool lab_snapshot::any_running() const {
  return std::any_of(nodes.begin(), nodes.end(),
                     [](const node_view& n) { return n.process != node_process::not_running; });
}

lab_snapshot take_snapshot(const lab_state& lab) {
  lab_snapshot snap;
  for (const auto& n : lab.nodes) {
    node_view v;
    v.name = n.name;
    v.pid = n.pid;
    v.process = process_state(n);
    v.api = n.api;
    v.faults = lab.faults_of(n.name);
    v.leftovers = leftover_processes(n);
    snap.nodes.push_back(std::move(v));
  }
  // The first node that answers speaks for the cluster; a frozen one would only time out.
  json nodes;
  for (const auto& v : snap.nodes) {
    if (v.process != node_process::running || v.api.empty())
      continue;
    auto reply = api_call(v.api, "GET", "/nodes", nullptr, 2s);
    if (!reply) {
      snap.api_error = reply.error();
      continue;
    }
    snap.observer = v.name;
    nodes = std::move(reply).value();
    auto groups = api_call(v.api, "GET", "/groups", nullptr, 2s);
    if (groups && groups->contains("groups") && (*groups)["groups"].is_array()) {
      for (const auto& g : (*groups)["groups"])
        snap.groups.push_back({text_of(g, "name"), text_of(g, "state"), text_of(g, "owner")});
    } else if (!groups) {
      snap.api_error = groups.error();
    }
    break;
  }
  if (nodes.is_object() && nodes.contains("nodes") && nodes["nodes"].is_array()) {
    std::map<std::string, std::string> states;
    for (const auto& n : nodes["nodes"])
      states[text_of(n, "name")] = text_of(n, "state");
    for (auto& v : snap.nodes) {
      auto it = states.find(v.name);
      v.state = it == states.end() ? "not listed" : it->second;
    }
  }
  return snap;
}

void print_snapshot(const lab_state& lab, const lab_snapshot& snap, std::ostream& out) {
  const bool registered = registered_lab_dir(lab.name) == lab.dir;
  out << "Lab '" << lab.name << "' in " << lab.dir.string()
      << (registered ? " (registered as '" + lab.name + "')" : std::string(" (not registered)"))
      << "\n";
  std::vector<std::vector<std::string>> rows = {{"NODE", "PROCESS", "API", "STATE", "FAULTS"}};
  for (const auto& n : snap.nodes) {
    std::string process = process_text(n);
    if (!n.leftovers.empty())
      process += " +" + std::to_string(n.leftovers.size()) + " leftover";
    rows.push_back({n.name, process, n.api.empty() ? "-" : n.api, n.state.empty() ? "?" : n.state,
                    faults_text(n.faults)});
  }
  print_table(rows, out);
  if (!snap.observer.empty()) {
    out << "Node states as " << snap.observer << " sees them.\n";
  } else if (snap.any_running()) {
    out << (snap.api_error.empty() ? "No node to ask for states: the running ones are frozen."
                                   : "No node answered: " + snap.api_error)
        << "\n";
  } else {
    out << "No node is running; 'wolfpack up --dir " << lab.dir.string() << "' starts them.\n";
  }
  if (!snap.groups.empty()) {
    std::vector<std::vector<std::string>> groups = {{"GROUP", "STATE", "OWNER"}};
    for (const auto& g : snap.groups)
      groups.push_back({g.name, g.state, g.owner.empty() ? "-" : g.owner});
    print_table(groups, out);
  }
}

json snapshot_json(const lab_state& lab, const lab_snapshot& snap) {
  json nodes = json::array();
  for (const auto& n : snap.nodes) {
    json faults = {
        {"block", n.faults.block}, {"delay_ms", n.faults.delay_ms}, {"applied", n.faults.applied}};
    nodes.push_back({{"name", n.name},
                     {"pid", n.pid},
                     {"process", to_string(n.process)},
                     {"api", n.api},
                     {"state", n.state.empty() ? json() : json(n.state)},
                     {"faults", faults},
                     {"leftover_pids", n.leftovers}});
  }
  json groups = json::array();
  for (const auto& g : snap.groups)
    groups.push_back({{"name", g.name}, {"state", g.state}, {"owner", g.owner}});
  return {{"name", lab.name},
          {"dir", lab.dir.string()},
          {"registered", registered_lab_dir(lab.name) == lab.dir},
          {"observer", snap.observer.empty() ? json() : json(snap.observer)},
          {"nodes", nodes},
          {"groups", groups}};
}

}  // namespace wolfpack::tool
