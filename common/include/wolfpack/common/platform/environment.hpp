#pragma once

#include <string>
#include <utility>
#include <vector>

namespace wolfpack::platform {

// This process's environment variables as NAME, VALUE in UTF-8, in the order the system
// keeps them (environ; GetEnvironmentStringsW, whose drive entries such as "=C:" are left
// out).
std::vector<std::pair<std::string, std::string>> environment_variables();

}  // namespace wolfpack::platform
