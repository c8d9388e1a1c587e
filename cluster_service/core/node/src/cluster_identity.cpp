#include "cluster_identity.hpp"

#include <algorithm>

#include "db_schema.hpp"
#include "wolfpack/cluster_db/db_path.hpp"

namespace wolfpack::cluster {

bool cluster_identity::names_it(std::string_view candidate) const {
  const auto folded = fold_case(candidate);
  if (folded == fold_case(name))
    return true;
  return std::any_of(earlier.begin(), earlier.end(),
                     [&](const std::string& e) { return fold_case(e) == folded; });
}

cluster_identity identity_of(const db_tree& tree, std::string_view configured) {
  cluster_identity id;
  const auto* stored = tree.find_value("", schema::cluster_name);
  id.name = stored != nullptr && stored->type == value_type::sz ? stored->as_string()
                                                                : std::string(configured);
  const auto* earlier = tree.find_value("", schema::earlier_cluster_names);
  if (earlier != nullptr && earlier->type == value_type::multi_sz) {
    for (const auto& e : earlier->as_strings()) {
      if (!e.empty() && fold_case(e) != fold_case(id.name))
        id.earlier.push_back(e);
    }
  }
  return id;
}

std::string cluster_name_problem(std::string_view name) {
  if (name.empty())
    return "a cluster name cannot be empty";
  if (name.size() > 63)
    return "a cluster name has at most 63 characters (a DNS label)";
  if (name.front() == ' ' || name.back() == ' ' || name.front() == '.' || name.back() == '.')
    return "a cluster name cannot begin or end with a space or a dot";
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F)
      return "a cluster name cannot contain control characters";
    if (std::string_view("\\/:*?\"<>|,;=+[]").find(static_cast<char>(c)) != std::string_view::npos)
      return std::string("a cluster name cannot contain '") + static_cast<char>(c) +
             "' (a computer name on the network)";
  }
  return {};
}

}  // namespace wolfpack::cluster
