#pragma once

// Pieces the lab verbs share (see lab_commands.hpp for the verbs themselves).

#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>

#include <wolfpack/common/result.hpp>

#include "lab_nodes.hpp"
#include "wolfpack/tool/lab.hpp"

namespace wolfpack::tool {

// --dir as an absolute path, so lab.json, clussvc and the registration agree on it.
std::filesystem::path absolute_dir(const std::string& dir);

// A failure saying the lab is not running when none of its nodes runs.
status require_running(const lab_state& lab);

// The node named `name`; a failure listing the lab's nodes otherwise (a usage error).
result<lab_node*> find_lab_node(lab_state& lab, const std::string& name);

// `given`, else the clussvc beside this wolfpack; the failure says where it looked.
result<std::filesystem::path> find_clussvc(const std::string& given);

// "--dir /abs/lab" for the hints printed after a verb.
std::string dir_arg(const lab_state& lab);

// `down`: every node stopped, nothing left, the name unregistered. Returns the exit code.
int take_down(lab_state& lab, std::chrono::milliseconds grace, std::ostream& out,
              std::ostream& err);

// `up --demo`: a group per node of three Dummy resources (an app depending on a disk and
// an address), preferred owners starting with that node, brought online there. Groups
// that exist already are left as they are.
status create_demo_groups(const lab_state& lab, lab_deadline deadline, std::ostream& out);

// `up --quorum disk|share`: the witness resource "Witness" (a Physical Disk of the lab's
// storage, or a File Share Witness in DIR/shared/witness) in "Cluster Group", made the quorum
// resource (node and witness majority). A lab whose cluster has a witness already keeps it.
status configure_witness(const lab_state& lab, lab_deadline deadline, std::ostream& out);

// `up --foreground`: redraws nodes and groups on every event (at least once a second) until
// a stop signal (the caller holds a platform::stop_flag), then takes the lab down. Returns the
// exit code.
int run_live_view(lab_state& lab, std::chrono::milliseconds down_grace, std::ostream& out,
                  std::ostream& err, bool redraw_in_place);

}  // namespace wolfpack::tool
