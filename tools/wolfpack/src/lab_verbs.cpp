// Pieces the lab verbs share: see lab_verbs.hpp.

#include "lab_verbs.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <system_error>

#include <wolfpack/common/platform/paths.hpp>

namespace wolfpack::tool {

namespace fs = std::filesystem;

fs::path absolute_dir(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec);
  return (ec ? fs::path(dir) : p).lexically_normal();
}

status require_running(const lab_state& lab) {
  const bool running = std::any_of(lab.nodes.begin(), lab.nodes.end(), [](const lab_node& n) {
    return process_state(n) != node_process::not_running;
  });
  if (!running) {
    return fail("the lab '" + lab.name + "' in " + lab.dir.string() +
                " is not running; 'wolfpack up " + dir_arg(lab) + "' starts it");
  }
  return {};
}

result<lab_node*> find_lab_node(lab_state& lab, const std::string& name) {
  if (lab_node* n = lab.find_node(name))
    return n;
  std::string names;
  for (const auto& n : lab.nodes)
    names += (names.empty() ? "" : ", ") + n.name;
  return fail("no node '" + name + "' in the lab '" + lab.name + "' (it has " + names + ")");
}

result<fs::path> find_clussvc(const std::string& given) {
  std::error_code ec;
  if (!given.empty()) {
    if (!fs::is_regular_file(given, ec))
      return fail("clussvc '" + given + "' is not a file");
    return absolute_dir(given);
  }
  if (auto found = platform::find_sibling_binary("clussvc"))
    return *found;
  return fail("no clussvc beside " + platform::executable_path().string() + " (looked in " +
              platform::executable_dir().string() +
              "); build it ('cmake --build build --target clussvc') or give --clussvc PATH");
}

std::string dir_arg(const lab_state& lab) {
  const std::string d = lab.dir.string();
  const bool plain = std::all_of(d.begin(), d.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("/._-+").find(c) != std::string_view::npos;
  });
  return "--dir " + (plain ? d : "'" + d + "'");
}

}  // namespace wolfpack::tool
