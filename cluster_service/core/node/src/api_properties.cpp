// Common properties (validated against the tables of SPEC 6.6) and private properties
// (validated by the resource's own plugin through ResourceControl).
#include <memory>
#include <set>

#include "api_handler.hpp"
#include "db_schema.hpp"
#include "registry_policy.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/cluster_db/db_path.hpp"
#include "wolfpack/cluster_db/folded_key.hpp"
#include "wolfpack/cluster_properties/property_list_codec.hpp"
#include "wolfpack/common/hex.hpp"
#include "wolfpack/win_error_names.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster {

namespace {

std::string property_event_kind(object_kind kind, int& filter) {
  switch (kind) {
    case object_kind::cluster:
      filter = CLUSTER_CHANGE_CLUSTER_PROPERTY;
      return "CLUSTER_PROPERTY";
    case object_kind::node:
      filter = CLUSTER_CHANGE_NODE_PROPERTY;
      return "NODE_PROPERTY";
    case object_kind::group:
      filter = CLUSTER_CHANGE_GROUP_PROPERTY;
      return "GROUP_PROPERTY";
    case object_kind::resource:
      filter = CLUSTER_CHANGE_RESOURCE_PROPERTY;
      return "RESOURCE_PROPERTY";
    case object_kind::resource_type:
      filter = CLUSTER_CHANGE_RESOURCE_TYPE_PROPERTY;
      return "RESOURCE_TYPE_PROPERTY";
    case object_kind::network:
      filter = CLUSTER_CHANGE_NETWORK_PROPERTY;
      return "NETWORK_PROPERTY";
    case object_kind::netinterface:
      filter = CLUSTER_CHANGE_NETINTERFACE_PROPERTY;
      return "NETINTERFACE_PROPERTY";
  }
  filter = 0;
  return "PROPERTY";
}

std::string object_word(object_kind kind) {
  switch (kind) {
    case object_kind::resource_type:
      return "resourcetype";
    case object_kind::netinterface:
      return "netinterface";
    default:
      return std::string(to_string(kind));
  }
}

}  // namespace

nlohmann::json api_handler::common_properties_view(object_kind kind,
                                                   const std::string& path) const {
  nlohmann::json out = nlohmann::json::object();
  const auto& tree = db_.tree();
  for (const auto& spec : common_properties(kind)) {
    auto stored = tree.get(path, spec.name);
    std::optional<typed_value> value = stored ? stored : spec.default_value;
    if (kind == object_kind::cluster && spec.name == "Name")
      value = typed_value::sz(cluster_name());
    // Kept by the service, not the database: the process hosting the resource now.
    if (kind == object_kind::resource && spec.name == "MonitorProcessId") {
      const auto id = path.substr(path.rfind('\\') + 1);
      if (auto pid = rm_.monitor_pid(id))
        value = typed_value::dword(static_cast<std::uint32_t>(*pid));
    }
    // The interface records ids, as the MSCS hive does; the properties name the objects.
    if (kind == object_kind::netinterface && value && value->type == value_type::sz) {
      if (spec.name == "Node") {
        if (const auto* n = index_.node_by_id(value->as_string()))
          value = typed_value::sz(n->name);
      } else if (spec.name == "Network") {
        if (auto net = network_table(tree).network_by_id(value->as_string()))
          value = typed_value::sz(net->name);
      }
    }
    if (!value)
      continue;
    nlohmann::json v = to_json(*value);
    if (spec.read_only || spec.maintained)
      v["read_only"] = true;
    out[std::string(spec.name)] = std::move(v);
  }
  return out;
}

void api_handler::put_common_properties(const request& req, object_kind kind,
                                        const std::string& path, const std::string& object_name,
                                        const std::string& object_id) {
  if (!check_body(req, {{"properties", true, nlohmann::json::value_t::object},
                        {"validate_only", false, nlohmann::json::value_t::boolean}}))
    return;
  const auto& tree = db_.tree();
  const std::string what = std::string(to_string(kind));
  std::vector<db_op> ops;
  // What every common property would be after the write, for the rules between properties.
  property_map effective = effective_common_properties(tree, kind, path);
  for (const auto& [name, raw] : req.body["properties"].items()) {
    const auto* spec = find_common_property(kind, name);
    if (spec == nullptr) {
      return error(req, ERROR_UNKNOWN_PROPERTY,
                   what + " property '" + name +
                       "' does not exist (private properties of a "
                       "resource go to /resources/NAME/private)");
    }
    const std::string canonical(spec->name);
    if (raw.is_null()) {
      if (spec->read_only || spec->maintained) {
        return error(req, ERROR_ACCESS_DENIED, what + " property '" + canonical + "' is read-only");
      }
      if (tree.get(path, canonical))
        ops.push_back(db_op::delete_value(path, canonical));
      if (spec->default_value)
        effective[canonical] = *spec->default_value;
      else
        effective.erase(canonical);
      continue;
    }
    auto parsed = parse_property_map(nlohmann::json{{name, raw}});
    if (!parsed) {
      return error(req, ERROR_INVALID_PARAMETER,
                   what + " property '" + canonical + "': " + parsed.error());
    }
    auto checked = check_common_property(kind, canonical, parsed->begin()->second);
    if (auto* e = std::get_if<property_error>(&checked))
      return error(req, e->code, e->message);
    auto& ok = std::get<checked_property>(checked);
    effective[ok.name] = ok.value;
    ops.push_back(db_op::set_value(path, ok.name, ok.value));
  }
  if (auto e = check_property_set(kind, effective))
    return error(req, e->code, e->message);
  if (kind == object_kind::network) {
    const auto role = effective.find("Role");
    if (role != effective.end()) {
      if (const auto* n = std::get_if<std::uint64_t>(&role->second.v)) {
        if (auto refusal = refuse_role(object_id, static_cast<std::uint32_t>(*n)))
          return error(req, refusal->first, refusal->second);
      }
    }
  }
  // VALIDATE_COMMON_PROPERTIES: the same checks, nothing written.
  if (req.body.value("validate_only", false))
    return reply(req, 200, {{"properties", common_properties_view(kind, path)}});

  int filter = 0;
  const auto event_kind = property_event_kind(kind, filter);
  nlohmann::json event =
      object_event(event_kind, filter, object_word(kind), object_name, object_id);
  std::vector<nlohmann::json> events;
  if (!ops.empty())
    events.push_back(std::move(event));
  commit(req, std::move(ops), std::move(events), 200, [this, kind, path] {
    return nlohmann::json{{"properties", common_properties_view(kind, path)}};
  });
}

nlohmann::json api_handler::stored_private_view(const std::string& object_path) const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& v : db_.tree().values(schema::private_key(object_path)))
    out[v.name] = to_json(v.value);
  return out;
}

void api_handler::put_stored_private(const request& req, object_kind kind,
                                     const std::string& object_path, const std::string& object_name,
                                     const std::string& object_id) {
  if (!check_body(req, {{"properties", true, nlohmann::json::value_t::object},
                        {"validate_only", false, nlohmann::json::value_t::boolean}}))
    return;
  const auto key = schema::private_key(object_path);
  const auto& tree = db_.tree();
  const auto word = object_word(kind);
  const auto who = word + " '" + object_name + "'";
  std::vector<db_op> ops;
  std::set<std::string> seen;  // folded: "Tier" and "TIER" are one property
  // Every name is checked before anything is written.
  for (const auto& [name, raw] : req.body["properties"].items()) {
    if (auto ok = check_value_name(name); !ok || name.find('\\') != std::string::npos)
      return error(req, ERROR_INVALID_PARAMETER,
                   who + ": '" + name.substr(0, 64) + "' cannot name a private property" +
                       (ok ? std::string() : " (" + ok.error() + ")"));
    if (!seen.insert(fold_case(name)).second)
      return error(req, ERROR_INVALID_PARAMETER,
                   who + ": private property '" + name + "' is given twice");
    if (raw.is_null()) {
      if (!tree.get(key, name))
        return error(req, ERROR_NOT_FOUND,
                     who + " has no private property '" + name + "' to reset");
      ops.push_back(db_op::delete_value(key, name));
      continue;
    }
    auto parsed = parse_property_map(nlohmann::json{{name, raw}});
    if (!parsed)
      return error(req, ERROR_INVALID_PARAMETER,
                   who + " private property '" + name + "': " + parsed.error());
    const auto& [n, v] = *parsed->begin();
    if (tree.get(key, n) != v)
      ops.push_back(db_op::set_value(key, n, v));
  }
  if (req.body.value("validate_only", false))
    return reply(req, 200, {{"properties", stored_private_view(object_path)}});
  if (!ops.empty() && !tree.key_exists(key))
    ops.insert(ops.begin(), db_op::create_key(key));
  std::vector<nlohmann::json> events;
  if (!ops.empty()) {
    int filter = 0;
    const auto event_kind = property_event_kind(kind, filter);
    auto ev = object_event(event_kind, filter, word, object_name, object_id);
    ev["private"] = true;
    events.push_back(std::move(ev));
  }
  commit(req, std::move(ops), std::move(events), 200, [this, object_path] {
    return nlohmann::json{{"properties", stored_private_view(object_path)}};
  });
}

bool api_handler::stored_private_route(const request& req, object_kind kind,
                                       const std::string& object_path,
                                       const std::string& object_name,
                                       const std::string& object_id) {
  if (req.method == "GET") {
    reply(req, 200, {{"properties", stored_private_view(object_path)}});
    return true;
  }
  if (req.method == "PUT") {
    put_stored_private(req, kind, object_path, object_name, object_id);
    return true;
  }
  return false;
}

nlohmann::json api_handler::private_properties_view(const resource_entry& r) const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& v : db_.tree().values(schema::parameters_path(r.id)))
    out[v.name] = to_json(v.value);
  return out;
}

void api_handler::put_private_properties(const request& req, const resource_entry& r) {
  if (!check_body(req, {{"properties", true, nlohmann::json::value_t::object},
                        {"validate_only", false, nlohmann::json::value_t::boolean}}))
    return;
  const auto path = schema::parameters_path(r.id);
  const auto& tree = db_.tree();
  property_map sets;
  std::vector<std::string> deletes;
  for (const auto& [name, raw] : req.body["properties"].items()) {
    if (raw.is_null()) {
      if (!tree.get(path, name)) {
        return error(req, ERROR_NOT_FOUND,
                     "resource '" + r.name + "' has no private property '" + name + "' to reset");
      }
      deletes.push_back(name);
      continue;
    }
    auto parsed = parse_property_map(nlohmann::json{{name, raw}});
    if (!parsed) {
      return error(req, ERROR_INVALID_PARAMETER,
                   "resource '" + r.name + "' private property '" + name + "': " + parsed.error());
    }
    sets.insert(*parsed->begin());
  }
  if (hooks.quorum_resource && hooks.quorum_resource() == r.id)
    return put_witness_private_properties(req, r, sets, deletes);
  // The plugin validates, so the resource must be open; just after it was created (or its
  // monitor restarted) the write waits for the Open rather than failing.
  rm_.when_open(r.id, [this, req, id = r.id, sets, deletes](bool open) {
    const auto* e = index_.resource_by_id(id);
    if (e == nullptr) {
      return error(req, ERROR_RESOURCE_NOT_FOUND,
                   "the resource was deleted while its properties were being set");
    }
    if (!open) {
      return error(req, ERROR_RESOURCE_NOT_AVAILABLE,
                   "resource '" + e->name + "' is not open in a resource monitor (" +
                       (rm_.failure_reason(id).empty() ? std::string("its monitor stopped")
                                                       : rm_.failure_reason(id)) +
                       "); its plugin must validate private properties");
    }
    send_private_properties(req, *e, sets, deletes);
  });
}

void api_handler::send_private_properties(const request& req, const resource_entry& r,
                                          const property_map& sets,
                                          const std::vector<std::string>& deletes) {
  const std::string in = hex::encode(to_property_list(sets));
  const auto id = r.id;
  const auto name = r.name;
  auto refused = [this, req, name](const nlohmann::json& response, const char* step) {
    const auto code = response.value("/error/code"_json_pointer,
                                     response.value("status", std::uint32_t{ERROR_INVALID_DATA}));
    std::string message =
        "resource '" + name + "' refused the private properties (" + step + "): " +
        response.value("/error/message"_json_pointer, std::string(win32_error_message(code)));
    if (response.contains("messages") && response["messages"].is_array()) {
      for (const auto& m : response["messages"]) {
        if (m.is_string())
          message += "; " + m.get<std::string>();
      }
    }
    error(req, code == 0 ? ERROR_INVALID_DATA : code, message);
  };
  // First the plugin validates (nothing changes if it says no), then it takes the values
  // (SET_PRIVATE_PROPERTIES: it may keep them in memory and writes its key), then the
  // database keeps them.
  rm_.resource_control(
      id, CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES, in, 0,
      [this, req, id, in, sets, deletes, refused](const nlohmann::json& validated) {
        if (!validated.value("ok", false))
          return refused(validated, "validate");
        // VALIDATE_PRIVATE_PROPERTIES: the plugin agreed; nothing is written.
        if (req.body.value("validate_only", false)) {
          const auto* rr = index_.resource_by_id(id);
          return reply(req, 200,
                       rr != nullptr ? nlohmann::json{{"properties", private_properties_view(*rr)}}
                                     : nlohmann::json());
        }
        rm_.resource_control(id, CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES, in, 0,
                             [this, req, id, sets, deletes, refused](const nlohmann::json& set) {
                               if (!set.value("ok", false))
                                 return refused(set, "set");
                               store_private_properties(req, id, sets, deletes);
                             });
      });
}

void api_handler::store_private_properties(const request& req, const std::string& id,
                                           const property_map& sets,
                                           const std::vector<std::string>& deletes) {
  const auto* rr = index_.resource_by_id(id);
  if (rr == nullptr) {
    return error(req, ERROR_RESOURCE_NOT_FOUND,
                 "resource was deleted while its properties were being set");
  }
  const auto p = schema::parameters_path(id);
  std::vector<db_op> ops;
  if (!db_.tree().key_exists(p))
    ops.push_back(db_op::create_key(p));
  for (const auto& [n, v] : sets) {
    if (db_.tree().get(p, n) != v)
      ops.push_back(db_op::set_value(p, n, v));
  }
  for (const auto& n : deletes) {
    if (db_.tree().get(p, n))
      ops.push_back(db_op::delete_value(p, n));
  }
  auto ev =
      object_event("RESOURCE_PROPERTY", CLUSTER_CHANGE_RESOURCE_PROPERTY, "resource", rr->name, id);
  ev["private"] = true;
  commit(req, std::move(ops), {ev}, 200, [this, id] {
    const auto* e = index_.resource_by_id(id);
    return e != nullptr ? nlohmann::json{{"properties", private_properties_view(*e)}}
                        : nlohmann::json();
  });
}

// The witness is open only in the quorum monitor of a node that arbitrates for it, and only
// while a regroup needs it. Its type's plugin validates instead (the type-level
// VALIDATE_PRIVATE_PROPERTIES, given every private property the resource would have), the
// database keeps the values, and the quorum manager hands them to the witness (at once when it
// is open, otherwise when it next opens it).
void api_handler::put_witness_private_properties(const request& req, const resource_entry& r,
                                                 const property_map& sets,
                                                 const std::vector<std::string>& deletes) {
  // Names compare ignoring case: a write of "sharepath" replaces the stored "SharePath".
  property_map whole;
  for (const auto& v : db_.tree().values(schema::parameters_path(r.id)))
    whole.insert_or_assign(v.name, v.value);
  const auto drop = [&whole](const std::string& name) {
    std::erase_if(whole, [&](const auto& kv) { return fold_case(kv.first) == fold_case(name); });
  };
  for (const auto& n : deletes)
    drop(n);
  for (const auto& [n, v] : sets) {
    drop(n);
    whole.insert_or_assign(n, v);
  }
  const auto id = r.id;
  const auto name = r.name;
  rm_.type_control(
      r.type, CLUSCTL_RESOURCE_TYPE_VALIDATE_PRIVATE_PROPERTIES,
      hex::encode(to_property_list(whole)), 0,
      [this, req, id, name, sets, deletes](const nlohmann::json& validated) {
        if (!validated.value("ok", false)) {
          const auto code =
              validated.value("/error/code"_json_pointer,
                              validated.value("status", std::uint32_t{ERROR_INVALID_DATA}));
          std::string message =
              "resource '" + name +
              "' (the quorum witness) refused the private properties (its type validated "
              "them): " +
              validated.value("/error/message"_json_pointer,
                              std::string(win32_error_message(code)));
          for (const auto& m : validated.value("messages", nlohmann::json::array())) {
            if (m.is_string())
              message += "; " + m.get<std::string>();
          }
          return error(req, code == 0 ? ERROR_INVALID_DATA : code, message);
        }
        if (req.body.value("validate_only", false)) {
          const auto* rr = index_.resource_by_id(id);
          return reply(req, 200,
                       rr != nullptr ? nlohmann::json{{"properties", private_properties_view(*rr)}}
                                     : nlohmann::json());
        }
        store_private_properties(req, id, sets, deletes);
      });
}

}  // namespace wolfpack::cluster
