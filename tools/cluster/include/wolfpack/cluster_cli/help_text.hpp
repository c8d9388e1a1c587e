// The syntax help `/?` prints, per object.
#pragma once

#include <string_view>

#include "wolfpack/cluster_cli/command.hpp"

namespace wolfpack::cluster_cli {

std::string_view help_text(object_kind object);

}  // namespace wolfpack::cluster_cli
