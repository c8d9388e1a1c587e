#include "controls.hpp"

#include <cstring>
#include <span>
#include <vector>

#include "support.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/cluster_core/common_properties.hpp"
#include "wolfpack/cluster_properties/property_list_codec.hpp"
#include "wolfpack/common/hex.hpp"
#include "wolfpack/common/typed_value.hpp"
#include "wolfpack/proplist.hpp"
#include "wolfpack/wide_string.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::clusapi {
namespace {

using bytes = std::vector<std::uint8_t>;
using cluster::object_kind;

constexpr DWORD clctl_mask = 0x00FFFFFFu;  // the code without its object byte

object_kind kind_of(DWORD object) {
  switch (object) {
    case CLUS_OBJECT_RESOURCE:
      return object_kind::resource;
    case CLUS_OBJECT_RESOURCE_TYPE:
      return object_kind::resource_type;
    case CLUS_OBJECT_GROUP:
      return object_kind::group;
    case CLUS_OBJECT_NODE:
      return object_kind::node;
    case CLUS_OBJECT_NETWORK:
      return object_kind::network;
    case CLUS_OBJECT_NETINTERFACE:
      return object_kind::netinterface;
    default:
      return object_kind::cluster;
  }
}

DWORD deliver(const bytes& data, const control_buffers& b) {
  return copy_out(data, b.out, b.out_size, b.bytes_returned);
}

bytes sz_bytes(const std::string& text) {
  const std::wstring chars = from_utf8(text);
  bytes out((chars.size() + 1) * sizeof(WCHAR), 0);
  std::memcpy(out.data(), chars.data(), chars.size() * sizeof(WCHAR));
  return out;
}

bytes dword_bytes(DWORD value) {
  bytes out(sizeof value);
  std::memcpy(out.data(), &value, sizeof value);
  return out;
}

bool writable(const cluster::property_spec& spec) {
  return !spec.read_only && !spec.maintained;
}

// The common properties the API shows for the object, or with `only_read_only` the ones it
// shows read-only (GET_RO_COMMON_PROPERTIES).
// The "properties" object of GET `route` on the object.
DWORD read_listing(const control_target& t, const char* route, nlohmann::json& list) {
  auto answer = t.conn->request("GET", t.path + route + t.query);
  if (!answer.ok())
    return answer.error;
  const auto found = answer.body.find("properties");
  if (found == answer.body.end() || !found->is_object())
    return ERROR_INVALID_DATA;
  list = std::move(*found);
  return ERROR_SUCCESS;
}

DWORD common_properties(const control_target& t, bool only_read_only, bytes& out) {
  nlohmann::json list;
  if (const DWORD error = read_listing(t, "/properties", list); error != ERROR_SUCCESS)
    return error;
  property_map properties;
  for (const auto& [name, shown] : list.items()) {
    if (!shown.is_object() || !shown.contains("value"))
      return ERROR_INVALID_DATA;
    if (only_read_only && !shown.value("read_only", false))
      continue;
    auto value =
        parse_typed_value({{"type", shown.value("type", "")}, {"value", shown.at("value")}});
    if (!value)
      return ERROR_INVALID_DATA;
    properties.insert_or_assign(name, std::move(value).value());
  }
  out = cluster::to_property_list(properties);
  return ERROR_SUCCESS;
}

// The private properties the service keeps for the cluster, a node or a group (their
// Parameters key): the list (GET), or only the names (ENUM).
DWORD stored_private(const control_target& t, bool names_only, bytes& out) {
  nlohmann::json list;
  if (const DWORD error = read_listing(t, "/private", list); error != ERROR_SUCCESS)
    return error;
  property_map properties;
  std::vector<std::string> names;
  for (const auto& [name, shown] : list.items()) {
    auto value = parse_typed_value(shown);
    if (!value)
      return ERROR_INVALID_DATA;
    names.push_back(name);
    properties.insert_or_assign(name, std::move(value).value());
  }
  out = names_only ? cluster::to_name_list(names) : cluster::to_property_list(properties);
  return ERROR_SUCCESS;
}

// The names (ENUM) or formats (FMTS) of the writable common properties of `kind`.
bytes writable_names(object_kind kind) {
  std::vector<std::string> names;
  for (const auto& spec : cluster::common_properties(kind)) {
    if (writable(spec))
      names.emplace_back(spec.name);
  }
  return cluster::to_name_list(names);
}

bytes writable_formats(object_kind kind) {
  std::vector<const cluster::property_spec*> specs;
  for (const auto& spec : cluster::common_properties(kind)) {
    if (writable(spec))
      specs.push_back(&spec);
  }
  return cluster::to_format_list(specs);
}

// SET/VALIDATE_*_PROPERTIES: the caller's property list, PUT to the API.
DWORD put_properties(const control_target& t, const std::string& route, const control_buffers& b,
                     bool validate_only) {
  if (b.in == nullptr || b.in_size == 0)
    return ERROR_INVALID_PARAMETER;
  auto properties = cluster::from_property_list(b.in, b.in_size);
  if (!properties)
    return ERROR_INVALID_DATA;
  nlohmann::json body = {{"properties", to_json(*properties)}};
  if (validate_only)
    body["validate_only"] = true;
  const auto answer = t.conn->request("PUT", t.path + route + t.query, &body);
  if (b.bytes_returned != nullptr && answer.ok())
    *b.bytes_returned = 0;
  return answer.error;
}

// A code the plugin of a resource or resource type answers, through a monitor. The monitor applies
// the buffer convention with the caller's size, so its ERROR_MORE_DATA carries the size needed.
DWORD plugin_control(const control_target& t, DWORD code, const control_buffers& b) {
  const DWORD out_size = b.out == nullptr ? 0 : b.out_size;
  const nlohmann::json body = {
      {"code", code},
      {"in", hex::encode(std::span(static_cast<const std::uint8_t*>(b.in), b.in_size))},
      {"out_size", out_size}};
  const auto answer = t.conn->request("POST", t.path + "/control" + t.query, &body);
  if (!answer.ok())
    return answer.error;
  const DWORD status = answer.body.value("status", DWORD{ERROR_INVALID_DATA});
  const DWORD returned = answer.body.value("bytes_returned", DWORD{0});
  const auto out = hex::decode(answer.body.value("out", std::string()));
  if (!out || out->size() > out_size)
    return ERROR_INVALID_DATA;
  if (b.bytes_returned != nullptr && (status == ERROR_SUCCESS || status == ERROR_MORE_DATA))
    *b.bytes_returned = returned;
  if (status == ERROR_SUCCESS && !out->empty())
    std::memcpy(b.out, out->data(), out->size());
  return status;
}

// A field of the object as the API shows it, as a string (GET_ID, GET_RESOURCE_TYPE).
DWORD object_field(const control_target& t, const char* field, bytes& out) {
  const auto answer = t.conn->request("GET", t.path + t.query);
  if (!answer.ok())
    return answer.error;
  if (!answer.body.is_object() || !answer.body.contains(field) ||
      !answer.body.at(field).is_string())
    return ERROR_INVALID_DATA;
  out = sz_bytes(answer.body.at(field).get<std::string>());
  return ERROR_SUCCESS;
}

}  // namespace

DWORD run_control(const control_target& t, DWORD code, const control_buffers& b) {
  if (((code >> CLUSCTL_OBJECT_SHIFT) & CLUSCTL_OBJECT_MASK) != t.object)
    return ERROR_INVALID_FUNCTION;
  if (b.in == nullptr && b.in_size != 0)
    return ERROR_INVALID_PARAMETER;
  const object_kind kind = kind_of(t.object);
  const bool resource = t.object == CLUS_OBJECT_RESOURCE;
  bytes out;
  DWORD error = ERROR_SUCCESS;
  switch (code & clctl_mask) {
    case CLCTL_GET_COMMON_PROPERTIES:
    case CLCTL_GET_RO_COMMON_PROPERTIES:
      error = common_properties(t, (code & clctl_mask) == CLCTL_GET_RO_COMMON_PROPERTIES, out);
      return error == ERROR_SUCCESS ? deliver(out, b) : error;
    case CLCTL_ENUM_COMMON_PROPERTIES:
      return deliver(writable_names(kind), b);
    case CLCTL_GET_COMMON_PROPERTY_FMTS:
      return deliver(writable_formats(kind), b);
    case CLCTL_GET_COMMON_RESOURCE_PROPERTY_FMTS:
      if (t.object != CLUS_OBJECT_RESOURCE_TYPE)
        return ERROR_INVALID_FUNCTION;
      return deliver(writable_formats(object_kind::resource), b);
    case CLCTL_SET_COMMON_PROPERTIES:
      return put_properties(t, "/properties", b, false);
    case CLCTL_VALIDATE_COMMON_PROPERTIES:
      return put_properties(t, "/properties", b, true);
    default:
      break;
  }
  if (resource) {
    switch (code & clctl_mask) {
      case CLCTL_SET_PRIVATE_PROPERTIES:
        return put_properties(t, "/private", b, false);
      case CLCTL_VALIDATE_PRIVATE_PROPERTIES:
        return put_properties(t, "/private", b, true);
      case CLCTL_GET_NAME:
        error = object_field(t, "name", out);
        return error == ERROR_SUCCESS ? deliver(out, b) : error;
      case CLCTL_GET_ID:
        error = object_field(t, "id", out);
        return error == ERROR_SUCCESS ? deliver(out, b) : error;
      case CLCTL_GET_RESOURCE_TYPE:
        error = object_field(t, "type_name", out);
        return error == ERROR_SUCCESS ? deliver(out, b) : error;
      default:
        // Characteristics, flags, class, required dependencies, private property reads,
        // network name, storage and the plugin's own codes: the plugin decides.
        return plugin_control(t, code, b);
    }
  }
  // The type's plugin answers the rest, as for its resources (it is loaded if need be).
  if (t.object == CLUS_OBJECT_RESOURCE_TYPE)
    return plugin_control(t, code, b);
  // Groups, nodes, networks, interfaces and the cluster.
  const bool named = t.object == CLUS_OBJECT_GROUP || t.object == CLUS_OBJECT_NODE ||
                     t.object == CLUS_OBJECT_NETWORK || t.object == CLUS_OBJECT_NETINTERFACE;
  const bool keeps_private = t.object == CLUS_OBJECT_GROUP || t.object == CLUS_OBJECT_NODE ||
                             t.object == CLUS_OBJECT_CLUSTER;
  switch (code & clctl_mask) {
    case CLCTL_GET_NODE:
    case CLCTL_GET_NETWORK:
      // An interface's node and network.
      if (t.object != CLUS_OBJECT_NETINTERFACE)
        return ERROR_INVALID_FUNCTION;
      error = object_field(t, (code & clctl_mask) == CLCTL_GET_NODE ? "node" : "network", out);
      return error == ERROR_SUCCESS ? deliver(out, b) : error;
    case CLCTL_GET_NAME:
      // Read from the object, as the id is: the name another client gave it counts.
      if (!named)
        return ERROR_INVALID_FUNCTION;
      error = object_field(t, "name", out);
      return error == ERROR_SUCCESS ? deliver(out, b) : error;
    case CLCTL_GET_ID:
      if (!named)
        return ERROR_INVALID_FUNCTION;
      error = object_field(t, "id", out);
      return error == ERROR_SUCCESS ? deliver(out, b) : error;
    case CLCTL_GET_CHARACTERISTICS:
    case CLCTL_GET_FLAGS:
      // Groups, nodes, networks, interfaces and the cluster have no characteristics, and
      // none of ours is core.
      return deliver(dword_bytes(0), b);
    case CLCTL_GET_PRIVATE_PROPERTIES:
    case CLCTL_ENUM_PRIVATE_PROPERTIES:
      // The cluster, nodes and groups keep any private property in their Parameters key;
      // networks and interfaces have none.
      if (!keeps_private) {
        return deliver((code & clctl_mask) == CLCTL_ENUM_PRIVATE_PROPERTIES
                           ? cluster::to_name_list({})
                           : property_list_builder().bytes(),
                       b);
      }
      error = stored_private(t, (code & clctl_mask) == CLCTL_ENUM_PRIVATE_PROPERTIES, out);
      return error == ERROR_SUCCESS ? deliver(out, b) : error;
    case CLCTL_GET_RO_PRIVATE_PROPERTIES:
    case CLCTL_GET_PRIVATE_PROPERTY_FMTS:
      // None is read-only, and without a plugin nothing describes their formats.
      return deliver(property_list_builder().bytes(), b);
    case CLCTL_SET_PRIVATE_PROPERTIES:
      return keeps_private ? put_properties(t, "/private", b, false) : ERROR_NOT_SUPPORTED;
    case CLCTL_VALIDATE_PRIVATE_PROPERTIES:
      return keeps_private ? put_properties(t, "/private", b, true) : ERROR_NOT_SUPPORTED;
    default:
      return ERROR_INVALID_FUNCTION;
  }
}

}  // namespace wolfpack::clusapi
