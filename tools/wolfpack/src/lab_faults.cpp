// Telling a node its fault set: see lab_nodes.hpp.

#include "lab_nodes.hpp"

#include "lab_api.hpp"

namespace wolfpack::tool {

status push_faults(lab_state& lab, const std::string& name, std::ostream& warn) {
  lab_node* node = lab.find_node(name);
  node_faults f = lab.faults_of(name);
  const auto state = process_state(*node);
  if (state == node_process::not_running && f.empty()) {
    // A clussvc starts with no faults: nothing to hand over.
    f.applied = true;
    lab.set_faults(name, f);
    return {};
  }
  if (state != node_process::running) {
    // The wish is kept: `node thaw` and `node start` hand it over.
    f.applied = false;
    lab.set_faults(name, f);
    warn << "wolfpack: warning: " << name << " is " << to_string(state)
         << "; its faults are applied when it is "
         << (state == node_process::frozen ? "thawed" : "started") << "\n";
    return {};
  }
  const nlohmann::json body = {{"block", f.block}, {"delay_ms", f.delay_ms}};
  auto reply = api_call(node->api, "PUT", "/lab/faults", &body);
  f.applied = reply.ok();
  lab.set_faults(name, f);
  if (!reply)
    return fail(name + ": " + reply.error());
  return {};
}

}  // namespace wolfpack::tool
