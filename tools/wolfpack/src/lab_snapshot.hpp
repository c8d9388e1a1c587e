#pragma once

// What `wolfpack status` and the live view of `up --foreground` show: every node's process
// (from /proc) and cluster state (from the API of a node that answers), the groups with
// their state and owner, and the fault sets.

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lab_nodes.hpp"
#include "wolfpack/tool/lab.hpp"

namespace wolfpack::tool {

struct node_view {
  std::string name;
  int pid = 0;
  node_process process = node_process::not_running;
  std::string api;
  std::string state;  // as the observer reports it; empty when unknown
  node_faults faults;
  std::vector<int> leftovers;  // processes of sessions of killed clussvcs
};

struct group_view {
  std::string name;
  std::string state;
  std::string owner;
};

struct lab_snapshot {
  std::string observer;   // the node whose API answered; empty when none did
  std::string api_error;  // why no node answered
  std::vector<node_view> nodes;
  std::vector<group_view> groups;

  bool any_running() const;
};

lab_snapshot take_snapshot(const lab_state& lab);
void print_snapshot(const lab_state& lab, const lab_snapshot& snap, std::ostream& out);
nlohmann::json snapshot_json(const lab_state& lab, const lab_snapshot& snap);

}  // namespace wolfpack::tool
