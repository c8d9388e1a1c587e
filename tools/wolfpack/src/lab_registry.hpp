#pragma once

// Registering a lab under its name, where `cluster /cluster:NAME` looks
// ($WOLFPACK_HOME/clusters/NAME.json, see tools/cluster/src/cluster_address.cpp): the same
// {"name", "nodes": [{"name", "api"}]} shape, plus the lab directory, so that a registration
// is only ever removed by the lab that wrote it.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <wolfpack/common/result.hpp>

#include "wolfpack/tool/lab.hpp"

namespace wolfpack::tool {

std::filesystem::path registration_file(const std::string& name);

// The lab directory NAME's registration names; nullopt when NAME is not registered or was
// registered by something else than a lab.
std::optional<std::filesystem::path> registered_lab_dir(const std::string& name);

status register_lab(const lab_state& lab);

// Removes the registration when it is this lab's; true when it did.
bool unregister_lab(const lab_state& lab);

// Removes the registrations this lab wrote under other names than lab.name (a rename, also
// one that stopped half-way); the names removed.
std::vector<std::string> unregister_other_names(const lab_state& lab);

}  // namespace wolfpack::tool
