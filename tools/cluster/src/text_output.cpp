#include "wolfpack/cluster_cli/text_output.hpp"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <string>

#include "wolfpack/common/typed_value.hpp"
#include "wolfpack/win_error_names.hpp"

namespace wolfpack::cluster_cli {
namespace {

// Column widths of cluster.exe's tables.
constexpr std::size_t object_width = 20;     // resource, group, property owner
constexpr std::size_t node_width = 15;       // node column of group/resource tables
constexpr std::size_t node_name_width = 15;  // node tables
constexpr std::size_t node_id_width = 6;
constexpr std::size_t property_width = 30;
constexpr std::size_t type_width = 36;         // resource type display name
constexpr std::size_t quorum_type_width = 30;  // "Node and File Share Majority"
constexpr std::size_t priority_width = 8;      // "Priority"
// Binary values show this many bytes, then "... (N bytes)".
constexpr std::size_t binary_bytes_shown = 16;

std::string pad(std::string_view text, std::size_t width) {
  std::string out(text);
  if (out.size() < width)
    out.append(width - out.size(), ' ');
  return out;
}

std::string pad_left(std::string_view text, std::size_t width) {
  std::string out;
  if (text.size() < width)
    out.append(width - text.size(), ' ');
  out += text;
  return out;
}

std::string string_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key))
    return {};
  const auto& v = object[key];
  if (v.is_string())
    return v.get<std::string>();
  if (v.is_null())
    return {};
  return v.dump();
}

std::string state_word(std::string_view state) {
  if (state == "OnlinePending")
    return "Online Pending";
  if (state == "OfflinePending")
    return "Offline Pending";
  if (state == "PartialOnline" || state == "PartiallyOnline")
    return "Partially Online";
  return std::string(state);
}

std::string state_from_code(object_kind kind, long long code) {
  switch (kind) {
    case object_kind::resource:
      switch (code) {
        case -1:
          return "Unknown";
        case 0:
          return "Inherited";
        case 1:
          return "Initializing";
        case 2:
          return "Online";
        case 3:
          return "Offline";
        case 4:
          return "Failed";
        case 128:
          return "Pending";
        case 129:
          return "Online Pending";
        case 130:
          return "Offline Pending";
        default:
          break;
      }
      break;
    case object_kind::group:
      switch (code) {
        case 0:
          return "Online";
        case 1:
          return "Offline";
        case 2:
          return "Failed";
        case 3:
          return "Partially Online";
        case 4:
          return "Pending";
        default:
          break;
      }
      break;
    case object_kind::node:
      switch (code) {
        case 0:
          return "Up";
        case 1:
          return "Down";
        case 2:
          return "Paused";
        case 3:
          return "Joining";
        default:
          break;
      }
      break;
    case object_kind::network:
      switch (code) {
        case 0:
          return "Unavailable";
        case 1:
          return "Down";
        case 2:
          return "Partitioned";
        case 3:
          return "Up";
        default:
          break;
      }
      break;
    case object_kind::netinterface:
      switch (code) {
        case 0:
          return "Unavailable";
        case 1:
          return "Failed";
        case 2:
          return "Unreachable";
        case 3:
          return "Up";
        default:
          break;
      }
      break;
    default:
      break;
  }
  return "Unknown";
}

// Common properties the node never lets a client change; shown with the 'R' mark as
// cluster.exe does. A value may also say so itself with "read_only": true.
bool known_read_only(object_kind kind, std::string_view name) {
  static constexpr std::array<std::string_view, 7> resource{"Type",
                                                            "MonitorProcessId",
                                                            "LastOperationStatusCode",
                                                            "ResourceSpecificStatus",
                                                            "ResourceSpecificData1",
                                                            "ResourceSpecificData2",
                                                            "StatusInformation"};
  static constexpr std::array<std::string_view, 2> group{"GroupType", "StatusInformation"};
  static constexpr std::array<std::string_view, 1> resource_type{"DllName"};
  static constexpr std::array<std::string_view, 9> node{
      "NodeName",    "NodeHighestVersion", "NodeLowestVersion", "MajorVersion",   "MinorVersion",
      "BuildNumber", "CSDVersion",         "DynamicWeight",     "NodeDrainStatus"};
  static constexpr std::array<std::string_view, 2> cluster{"FixQuorum", "PreventQuorum"};
  // Recorded from what the nodes found on their adapters; Priority changes only through the
  // cluster's network priority order.
  static constexpr std::array<std::string_view, 3> network{"Address", "AddressMask", "Priority"};
  static constexpr std::array<std::string_view, 5> netinterface{"Name", "Node", "Network",
                                                                "Adapter", "Address"};
  auto in = [&](const auto& list) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  switch (kind) {
    case object_kind::resource:
      return in(resource);
    case object_kind::group:
      return in(group);
    case object_kind::resource_type:
      return in(resource_type);
    case object_kind::node:
      return in(node);
    case object_kind::cluster:
      return in(cluster);
    case object_kind::network:
      return in(network);
    case object_kind::netinterface:
      return in(netinterface);
  }
  return false;
}

// A property value as the API lists it: the full typed form, or a shorthand.
result<typed_value> to_typed(const nlohmann::json& value) {
  if (value.is_object()) {
    // The API marks read-only properties beside the typed value.
    if (value.contains("read_only")) {
      auto plain = value;
      plain.erase("read_only");
      return parse_typed_value(plain);
    }
    return parse_typed_value(value);
  }
  // The API's shorthand: a bare number is a DWORD (a larger one can only be a QWORD).
  if (value.is_number_unsigned()) {
    const auto n = value.get<std::uint64_t>();
    if (n > 0xFFFFFFFFull)
      return typed_value::qword(n);
    return typed_value::dword(static_cast<std::uint32_t>(n));
  }
  if (value.is_number_integer()) {
    return typed_value::dword(static_cast<std::uint32_t>(value.get<long long>()));
  }
  if (value.is_string())
    return typed_value::sz(value.get<std::string>());
  if (value.is_array()) {
    std::vector<std::string> strings;
    for (const auto& s : value) {
      if (!s.is_string())
        return fail("not a list of strings");
      strings.push_back(s.get<std::string>());
    }
    return typed_value::multi_sz(std::move(strings));
  }
  return fail("not a typed value");
}

std::string number_text(std::uint64_t n) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%" PRIu64 " (0x%" PRIx64 ")", n, n);
  return buffer;
}

// The type letter and the value text(s) of one property; a multi-string gives one row per
// string.
struct property_rows {
  char letter = '?';
  std::vector<std::string> values;
  bool binary = false;  // cluster.exe starts binary bytes right after the name column
};

property_rows rows_for(const nlohmann::json& value) {
  property_rows rows;
  auto typed = to_typed(value);
  if (!typed) {
    rows.values.push_back("<Unknown Type>");
    return rows;
  }
  switch (typed->type) {
    case value_type::dword:
      rows.letter = 'D';
      rows.values.push_back(number_text(typed->as_number()));
      break;
    case value_type::qword:
      rows.letter = 'L';
      rows.values.push_back(number_text(typed->as_number()));
      break;
    case value_type::sz:
      rows.letter = 'S';
      rows.values.push_back(typed->as_string());
      break;
    case value_type::expand_sz:
      rows.letter = 'E';
      rows.values.push_back(typed->as_string());
      break;
    case value_type::multi_sz:
      rows.letter = 'M';
      rows.values = typed->as_strings();
      if (rows.values.empty())
        rows.values.emplace_back();
      break;
    case value_type::binary: {
      rows.letter = 'B';
      rows.binary = true;
      const auto& bytes = typed->as_bytes();
      std::string text;
      char hex[8];
      for (std::size_t i = 0; i < bytes.size() && i < binary_bytes_shown; ++i) {
        std::snprintf(hex, sizeof hex, " %02X", static_cast<unsigned>(bytes[i]));
        text += hex;
      }
      if (bytes.size() > binary_bytes_shown) {
        text += " ... (" + std::to_string(bytes.size()) + " bytes)";
      }
      rows.values.push_back(text);
      break;
    }
  }
  return rows;
}

std::string_view status_noun(object_kind kind) {
  switch (kind) {
    case object_kind::resource:
      return "resource";
    case object_kind::group:
      return "resource group";
    case object_kind::node:
      return "node";
    case object_kind::network:
      return "network";
    case object_kind::netinterface:
      return "network interface";
    default:
      return "object";
  }
}

std::string_view all_noun(object_kind kind) {
  switch (kind) {
    case object_kind::resource:
      return "resources";
    case object_kind::group:
      return "resource groups";
    case object_kind::node:
      return "nodes";
    case object_kind::resource_type:
      return "resource types";
    case object_kind::cluster:
      return "clusters";
    case object_kind::network:
      return "networks";
    case object_kind::netinterface:
      return "network interfaces";
  }
  return "objects";
}

std::string_view owner_column(object_kind kind) {
  switch (kind) {
    case object_kind::resource:
      return "Resource";
    case object_kind::group:
      return "Resource Group";
    case object_kind::node:
      return "Node";
    case object_kind::resource_type:
      return "Resource Type";
    case object_kind::cluster:
      return "Cluster";
    case object_kind::network:
      return "Network";
    case object_kind::netinterface:
      return "Network Interface";
  }
  return "Object";
}

// The quorum model as Windows names it (Failover Cluster Manager, Get-ClusterQuorum); a
// witness of a type Windows has no model for (a Dummy) is "Node and Witness Majority".
std::string quorum_model(const nlohmann::json& view) {
  const std::string type = string_field(view, "type");
  if (type == "NodeMajority")
    return "Node Majority";
  if (type != "NodeAndWitnessMajority")
    return type;
  const std::string witness_type = string_field(view, "resource_type");
  if (witness_type == "File Share Witness")
    return "Node and File Share Majority";
  if (witness_type == "Physical Disk")
    return "Node and Disk Majority";
  return "Node and Witness Majority";
}

}  // namespace

std::string display_state(object_kind kind, const nlohmann::json& object) {
  if (object.is_object() && object.contains("state") && object["state"].is_string()) {
    return state_word(object["state"].get<std::string>());
  }
  if (object.is_object() && object.contains("code") && object["code"].is_number_integer()) {
    return state_from_code(kind, object["code"].get<long long>());
  }
  return "Unknown";
}

void text_output::line(std::string_view text) {
  const auto end = text.find_last_not_of(' ');
  out_ << (end == std::string_view::npos ? std::string_view{} : text.substr(0, end + 1)) << '\n';
}

void text_output::announce(std::string_view text) {
  line(text);
  line("");
}

void text_output::note(std::string_view text) {
  line(text);
}

void text_output::status(object_kind kind, const status_heading& heading,
                         const nlohmann::json& objects) {
  switch (heading.which) {
    case status_heading::scope::none:
      break;
    case status_heading::scope::all:
      line("Listing status for all available " + std::string(all_noun(kind)) + ":");
      line("");
      break;
    case status_heading::scope::one:
      line("Listing status for " + std::string(status_noun(kind)) + " '" + heading.name + "':");
      line("");
      break;
    case status_heading::scope::node:
      line("Listing status of " + std::string(status_noun(kind)) + " for node '" + heading.name +
           "':");
      line("");
      break;
    case status_heading::scope::network:
      line("Listing status of " + std::string(status_noun(kind)) + " for network '" + heading.name +
           "':");
      line("");
      break;
  }
  switch (kind) {
    case object_kind::node:
      line("Node           Node ID Status");
      line("-------------- ------- ---------------------");
      for (const auto& n : objects) {
        line(pad(string_field(n, "name"), node_name_width) + " " +
             pad_left(string_field(n, "id"), node_id_width) + " " + display_state(kind, n));
      }
      break;
    case object_kind::group:
      line("Group                Node            Status");
      line("-------------------- --------------- ------");
      for (const auto& g : objects) {
        line(pad(string_field(g, "name"), object_width) + " " +
             pad(string_field(g, "owner"), node_width) + " " + display_state(kind, g));
      }
      break;
    case object_kind::resource:
      line("Resource             Group                Node            Status");
      line("-------------------- -------------------- --------------- ------");
      for (const auto& r : objects) {
        line(pad(string_field(r, "name"), object_width) + " " +
             pad(string_field(r, "group"), object_width) + " " +
             pad(string_field(r, "owner"), node_width) + " " + display_state(kind, r));
      }
      break;
    case object_kind::network:
      line("Network              Status");
      line("-------------------- ------");
      for (const auto& n : objects)
        line(pad(string_field(n, "name"), object_width) + " " + display_state(kind, n));
      break;
    case object_kind::netinterface:
      line("Node            Network              Status");
      line("--------------- -------------------- ------");
      for (const auto& i : objects) {
        line(pad(string_field(i, "node"), node_width) + " " +
             pad(string_field(i, "network"), object_width) + " " + display_state(kind, i));
      }
      break;
    default:
      break;
  }
}

void text_output::interfaces(object_kind owner, std::string_view name,
                             const nlohmann::json& interfaces) {
  line("Listing network interfaces for " + std::string(status_noun(owner)) + " '" +
       std::string(name) + "':");
  line("");
  status(object_kind::netinterface, status_heading{status_heading::scope::none, {}}, interfaces);
}

void text_output::network_priority(const std::vector<std::string>& networks,
                                   const nlohmann::json& raw, bool heading) {
  (void)raw;
  if (heading) {
    line("Listing priority for internal networks:");
    line("");
  }
  line(pad("Network", object_width) + " Priority");
  line(std::string(object_width, '-') + " " + std::string(priority_width, '-'));
  for (std::size_t i = 0; i < networks.size(); ++i)
    line(pad(networks[i], object_width) + " " + pad_left(std::to_string(i + 1), priority_width));
}

void text_output::resource_types(const std::optional<std::string>& name,
                                 const nlohmann::json& types) {
  if (name) {
    line("Listing resource type '" + *name + "':");
  } else {
    line("Listing all available resource types:");
  }
  line("");
  line("Display Name                         Resource Type Name");
  line("------------------------------------ ------------------------------------");
  for (const auto& t : types) {
    std::string display = string_field(t, "display_name");
    const std::string type_name = string_field(t, "name");
    if (display.empty())
      display = type_name;
    line(pad(display, type_width) + " " + type_name);
  }
}

void text_output::properties(object_kind kind, bool private_properties,
                             const std::optional<std::string>& name,
                             const nlohmann::json& objects) {
  const std::string what = private_properties ? "private properties" : "properties";
  if (name) {
    line("Listing " + what + " for '" + *name + "':");
  } else {
    line("Listing " + what + " for all " + std::string(all_noun(kind)) + ":");
  }
  line("");
  line("T  " + pad(owner_column(kind), object_width) + " " + pad("Name", property_width) +
       " Value");
  line("-- " + std::string(object_width, '-') + " " + std::string(property_width, '-') + " " +
       std::string(23, '-'));
  for (const auto& object : objects) {
    const std::string owner = string_field(object, "name");
    if (!object.contains("properties") || !object["properties"].is_object())
      continue;
    for (const auto& [prop, value] : object["properties"].items()) {
      const auto rows = rows_for(value);
      const bool read_only = (value.is_object() && value.value("read_only", false)) ||
                             (!private_properties && known_read_only(kind, prop));
      std::string prefix;
      prefix += rows.letter;
      prefix += read_only ? "R " : "  ";
      prefix += pad(owner, object_width) + " " + pad(prop, property_width);
      for (const auto& v : rows.values) {
        line(rows.binary ? prefix + v : prefix + " " + v);
      }
    }
  }
}

void text_output::owners(object_kind kind, std::string_view name,
                         const std::vector<std::string>& nodes, const nlohmann::json& raw) {
  (void)raw;
  if (kind == object_kind::group) {
    line("Listing preferred owners for resource group '" + std::string(name) + "':");
    line("");
    line("Preferred Owner Nodes");
    line("---------------------");
  } else if (kind == object_kind::resource_type) {
    line("Listing possible owners for resource type '" + std::string(name) + "':");
    line("");
    line("Possible Owner Nodes");
    line("--------------------");
  } else {
    line("Listing possible owners for resource '" + std::string(name) + "':");
    line("");
    line("Possible Owner Nodes");
    line("--------------------");
  }
  for (const auto& n : nodes)
    line(n);
}

void text_output::dependencies(std::string_view name, const nlohmann::json& resources,
                               const nlohmann::json& raw) {
  (void)raw;
  line("Listing resource dependencies for '" + std::string(name) + "':");
  line("");
  status(object_kind::resource, status_heading{status_heading::scope::none, {}}, resources);
}

void text_output::quorum(const nlohmann::json& view) {
  line(pad("Quorum Resource Name", object_width) + " " + pad("Quorum Type", quorum_type_width) +
       " Held By");
  line(std::string(object_width, '-') + " " + std::string(quorum_type_width, '-') + " " +
       std::string(node_width, '-'));
  line(pad(string_field(view, "resource"), object_width) + " " +
       pad(quorum_model(view), quorum_type_width) + " " + string_field(view, "holder"));
}

void text_output::version(const nlohmann::json& cluster) {
  const auto v = cluster.value("version", nlohmann::json::object());
  line("Cluster Name:     " + string_field(cluster, "name"));
  line("Cluster Version:  " + std::to_string(v.value("major", 0)) + "." +
       std::to_string(v.value("minor", 0)));
  line("Cluster Vendor:   Wolfpack (the Microsoft Cluster Server model)");
}

void text_output::clusters(const std::vector<std::string>& names) {
  line("Cluster Name");
  line("---------------");
  for (const auto& n : names)
    line(n);
}

void text_output::action_result(const nlohmann::json& raw) {
  (void)raw;
}

void text_output::error(const cli_error& e) {
  char head[96];
  std::snprintf(head, sizeof head, "System error %u has occurred (0x%08x).",
                static_cast<unsigned>(e.code), static_cast<unsigned>(e.code));
  err_ << head << '\n';
  const bool known = *win32_error_name(e.code) != '\0';
  const std::string standard = win32_error_message(e.code);
  if (known) {
    err_ << standard << '\n';
    if (!e.detail.empty() && e.detail != standard)
      err_ << e.detail << '\n';
  } else {
    err_ << (e.detail.empty() ? standard : e.detail) << '\n';
  }
}

void text_output::help(std::string_view text) {
  out_ << text;
}

}  // namespace wolfpack::cluster_cli
