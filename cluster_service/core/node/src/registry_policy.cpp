#include "registry_policy.hpp"

#include <array>
#include <utility>
#include <variant>
#include <vector>

#include "db_schema.hpp"
#include "wolfpack/cluster_core/common_properties.hpp"
#include "wolfpack/cluster_db/db_path.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster {

namespace {

struct object_place {
  object_kind kind;
  std::string_view container;  // as schema spells it
};

// The object containers at the root and the kind of object each holds.
constexpr std::array<object_place, 6> places{{
    {object_kind::group, schema::groups_key},
    {object_kind::resource, schema::resources_key},
    {object_kind::resource_type, schema::types_key},
    {object_kind::node, schema::nodes_key},
    {object_kind::network, schema::networks_key},
    {object_kind::netinterface, schema::netinterfaces_key},
}};

const object_place* place_of(const std::vector<std::string>& parts) {
  if (parts.empty())
    return nullptr;
  const auto top = fold_case(parts[0]);
  for (const auto& p : places) {
    if (top == fold_case(p.container))
      return &p;
  }
  return nullptr;
}

// Values the service keeps on an object's key that are not common properties (or are, and
// must still never be written directly).
bool kept_by_service(object_kind kind, std::string_view name) {
  static constexpr std::string_view group_values[] = {schema::name, schema::contains,
                                                      schema::preferred_owners, schema::owner_node,
                                                      schema::persistent_state};
  static constexpr std::string_view resource_values[] = {
      schema::name, schema::type, schema::depends_on, schema::possible_owners,
      schema::persistent_state};
  static constexpr std::string_view type_values[] = {schema::name, schema::dll_name};
  static constexpr std::string_view node_values[] = {schema::name, schema::node_name,
                                                     schema::address};
  // Role too: the rules about it (the last internal network, IP Address resources) need the
  // other networks, which only the API's check looks at.
  static constexpr std::string_view network_values[] = {
      schema::name, schema::address, schema::address_mask, schema::priority, schema::role};
  static constexpr std::string_view netinterface_values[] = {
      schema::name, schema::node, schema::network, schema::adapter, schema::address};
  std::span<const std::string_view> list;
  switch (kind) {
    case object_kind::group:
      list = group_values;
      break;
    case object_kind::resource:
      list = resource_values;
      break;
    case object_kind::resource_type:
      list = type_values;
      break;
    case object_kind::node:
      list = node_values;
      break;
    case object_kind::network:
      list = network_values;
      break;
    case object_kind::netinterface:
      list = netinterface_values;
      break;
    case object_kind::cluster:
      break;
  }
  const auto folded = fold_case(name);
  for (auto v : list) {
    if (folded == fold_case(v))
      return true;
  }
  return false;
}

bool kept_at_root(std::string_view name) {
  const auto folded = fold_case(name);
  return folded == fold_case(schema::cluster_name) ||
         folded == fold_case(schema::earlier_cluster_names) ||
         folded == fold_case(schema::quorum_resource) ||
         folded == fold_case(schema::highest_node_id) || folded == "gumepoch" ||
         folded.rfind("gumapplied.", 0) == 0 || folded.rfind("gumrefused.", 0) == 0;
}

registry_refusal denied(std::string message) {
  return {ERROR_ACCESS_DENIED, std::move(message)};
}

std::string quoted_key(std::string_view path) {
  return path.empty() ? std::string("the root key") : "key '" + std::string(path) + "'";
}

// A common property written through the registry: the property write's checks.
std::optional<registry_refusal> check_common(const db_tree& tree, object_kind kind,
                                             std::string_view path, const property_spec& spec,
                                             const std::optional<typed_value>& value,
                                             typed_value* stored) {
  const std::string canonical(spec.name);
  if (!value) {
    if (spec.read_only || spec.maintained) {
      return denied(std::string(to_string(kind)) + " property '" + canonical + "' of " +
                    quoted_key(path) + " is read-only");
    }
  }
  property_map effective = effective_common_properties(tree, kind, path);
  if (value) {
    auto checked = check_common_property(kind, canonical, *value);
    if (auto* e = std::get_if<property_error>(&checked))
      return registry_refusal{e->code,
                              e->message + " (written as a value of " + quoted_key(path) + ")"};
    auto& ok = std::get<checked_property>(checked);
    effective[ok.name] = ok.value;
    if (stored)
      *stored = ok.value;
  } else if (spec.default_value) {
    effective[canonical] = *spec.default_value;
  } else {
    effective.erase(canonical);
  }
  if (auto e = check_property_set(kind, effective))
    return registry_refusal{e->code, e->message};
  return std::nullopt;
}

}  // namespace

property_map effective_common_properties(const db_tree& tree, object_kind kind,
                                         std::string_view path) {
  property_map effective;
  for (const auto& spec : common_properties(kind)) {
    if (auto v = tree.get(path, spec.name))
      effective[std::string(spec.name)] = *v;
    else if (spec.default_value)
      effective[std::string(spec.name)] = *spec.default_value;
  }
  return effective;
}

namespace {

// One key made or removed, whether or not it exists.
std::optional<registry_refusal> refuse_one_key(const std::vector<std::string>& parts,
                                               std::string_view path, bool create) {
  if (parts.empty())
    return denied("the root key of the cluster database cannot be created or deleted");
  const auto* place = place_of(parts);
  if (place == nullptr || parts.size() > 2)
    return std::nullopt;
  const std::string what(to_string(place->kind));
  if (parts.size() == 1) {
    return denied("key '" + std::string(place->container) + "' holds the cluster's " + what +
                  "s; it cannot be " + (create ? "created" : "deleted"));
  }
  return denied("key '" + std::string(path) + "' is a " + what +
                "'s own key: " + (create ? "create" : "delete") + " the " + what +
                " through the cluster API, not the registry");
}

}  // namespace

std::optional<registry_refusal> refuse_key_write(const db_tree& tree, std::string_view path,
                                                 bool create) {
  auto parts = split_key_path(path);
  if (!parts)
    return registry_refusal{ERROR_BAD_PATHNAME, parts.error()};
  if (!create)
    return refuse_one_key(*parts, path, false);
  // A create makes the missing parents too (ClusterRegCreateKey with a path): none of them
  // may be an object's key either.
  std::vector<std::string> prefix;
  for (const auto& part : *parts) {
    prefix.push_back(part);
    const auto key = join_key_path(prefix);
    if (tree.key_exists(key))
      continue;
    if (auto no = refuse_one_key(prefix, key, true))
      return no;
  }
  return std::nullopt;
}

std::optional<registry_refusal> refuse_value_write(const db_tree& tree, std::string_view path,
                                                   std::string_view name,
                                                   const std::optional<typed_value>& value,
                                                   typed_value* stored, std::string* canonical) {
  auto parts = split_key_path(path);
  if (!parts)
    return registry_refusal{ERROR_BAD_PATHNAME, parts.error()};
  if (auto st = check_value_name(name); !st)
    return registry_refusal{ERROR_INVALID_PARAMETER, st.error()};
  if (value) {
    if (auto st = check_value(*value); !st)
      return registry_refusal{ERROR_INVALID_PARAMETER,
                              "value '" + std::string(name) + "': " + st.error()};
    if (stored)
      *stored = *value;
  }
  if (canonical)
    *canonical = std::string(name);

  std::optional<object_kind> kind;
  if (parts->empty()) {
    if (kept_at_root(name)) {
      return denied("value '" + std::string(name) +
                    "' of the root key is kept by the cluster service; change it through the "
                    "cluster API, not the registry");
    }
    kind = object_kind::cluster;
  } else if (const auto* place = place_of(*parts); place != nullptr) {
    if (parts->size() == 1) {
      return denied("key '" + std::string(path) + "' holds the cluster's " +
                    std::string(to_string(place->kind)) + "s, not values of its own");
    }
    if (parts->size() == 2) {
      if (kept_by_service(place->kind, name)) {
        return denied("value '" + std::string(name) + "' of key '" + std::string(path) +
                      "' is kept by the cluster service; change it through the cluster API, "
                      "not the registry");
      }
      kind = place->kind;
    }
  }
  if (!kind)
    return std::nullopt;
  const auto* spec = find_common_property(*kind, name);
  if (spec == nullptr)
    return std::nullopt;  // a value of the application's own
  if (canonical)
    *canonical = std::string(spec->name);
  return check_common(tree, *kind, path, *spec, value, stored);
}

}  // namespace wolfpack::cluster
