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

std::optional<cluster_identity> stored_identity(const db_tree& tree) {
  const auto* stored = tree.find_value("", schema::cluster_name);
  if (stored == nullptr || stored->type != value_type::sz)
    return std::nullopt;
  cluster_identity id{stored->as_string(), {}};
  const auto* earlier = tree.find_value("", schema::earlier_cluster_names);
  if (earlier != nullptr && earlier->type == value_type::multi_sz) {
    for (const auto& e : earlier->as_strings()) {
      if (!e.empty() && !id.names_it(e))
        id.earlier.push_back(e);
    }
  }
  return id;
}

cluster_identity identity_of(const db_tree& tree, std::string_view configured) {
  auto id = stored_identity(tree).value_or(cluster_identity{std::string(configured), {}});
  if (!configured.empty() && !id.names_it(configured))
    id.earlier.emplace_back(configured);
  return id;
}

status rename_still_valid(const db_tree& tree, const object_index& index,
                          const std::vector<db_op>& ops) {
  // Every request the locker orders passes here: only a rename reads anything.
  const auto renamed = std::find_if(ops.begin(), ops.end(), [](const db_op& op) {
    return op.path.empty() && op.op == db_op::kind::set_value && op.value.type == value_type::sz &&
           fold_case(op.name) == fold_case(schema::cluster_name);
  });
  if (renamed == ops.end())
    return {};
  auto earlier = tree.get_multi_sz("", schema::earlier_cluster_names, {});
  for (const auto& op : ops) {
    if (op.path.empty() && fold_case(op.name) == fold_case(schema::earlier_cluster_names)) {
      if (op.op == db_op::kind::delete_value)
        earlier.clear();
      else if (op.op == db_op::kind::set_value && op.value.type == value_type::multi_sz)
        earlier = op.value.as_strings();
    }
  }
  const auto& name = renamed->value.as_string();
  const auto current = tree.get_sz("", schema::cluster_name, std::string());
  const cluster_identity after{name, earlier};
  if (!current.empty() && !after.names_it(current))
    return fail("the cluster was renamed '" + current + "' meanwhile; ask again");
  if (const auto* n = index.node_by_name(name); n != nullptr)
    return fail("node '" + n->name + "' has the name '" + name + "'");
  return {};
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
