#include "network_table.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

#include "db_schema.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/cluster_db/folded_key.hpp"
#include "wolfpack/common/platform/crypto.hpp"

namespace wolfpack::cluster {

namespace {

bool name_less(const std::string& a, const std::string& b) {
  return fold_case(a) < fold_case(b);
}

// A dotted IPv4 address, or nullopt.
std::optional<std::array<unsigned, 4>> parse_ipv4(std::string_view text) {
  std::array<unsigned, 4> parts{};
  std::size_t part = 0;
  std::size_t digits = 0;
  unsigned value = 0;
  for (char c : text) {
    if (c == '.') {
      if (digits == 0 || part == 3)
        return std::nullopt;
      parts[part++] = value;
      value = 0;
      digits = 0;
      continue;
    }
    if (c < '0' || c > '9' || digits == 3)
      return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
    ++digits;
    if (value > 255)
      return std::nullopt;
  }
  if (digits == 0 || part != 3)
    return std::nullopt;
  parts[3] = value;
  return parts;
}

std::string dotted(const std::array<unsigned, 4>& a) {
  return std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]) + "." +
         std::to_string(a[3]);
}

// "host" of "host:port", "[v6]:port" or a bare host.
std::string host_of(std::string_view address) {
  if (address.starts_with('[')) {
    const auto end = address.find(']');
    return std::string(address.substr(1, end == std::string_view::npos ? end : end - 1));
  }
  const auto colon = address.rfind(':');
  if (colon != std::string_view::npos && address.find(':') == colon)
    return std::string(address.substr(0, colon));
  return std::string(address);
}

std::string id_from(std::string_view kind, std::string_view a, std::string_view b) {
  platform::sha256 h;
  h.update(kind);
  h.update(std::string_view("\0", 1));
  h.update(a);
  h.update(std::string_view("\0", 1));
  h.update(b);
  const auto d = h.finish();
  // A name-based GUID (version 8: custom, variant 1), written as MSCS writes object ids.
  std::array<std::uint8_t, 16> g{};
  std::copy_n(d.begin(), g.size(), g.begin());
  g[6] = static_cast<std::uint8_t>((g[6] & 0x0F) | 0x80);
  g[8] = static_cast<std::uint8_t>((g[8] & 0x3F) | 0x80);
  std::string text;
  char hex[3];
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      text += '-';
    std::snprintf(hex, sizeof hex, "%02x", g[i]);
    text += hex;
  }
  return text;
}

nlohmann::json event(std::string_view kind, int filter, std::string_view object,
                     const std::string& name, const std::string& id) {
  return {{"kind", kind}, {"filter", filter}, {"object", object}, {"name", name}, {"id", id}};
}

}  // namespace

network_state network_state_from(std::size_t available, std::size_t up) {
  if (available == 0)
    return network_state::unavailable;
  if (up == available)
    return network_state::up;
  return up == 0 ? network_state::down : network_state::partitioned;
}

std::string network_id_for(std::string_view address, std::string_view mask) {
  return id_from("network", address, mask);
}

std::string netinterface_id_for(std::string_view node_id, std::string_view network_id) {
  return id_from("netinterface", node_id, network_id);
}

network_entry network_table::network_fields(std::string_view id) const {
  const auto path = schema::network_path(id);
  network_entry n;
  n.id = std::string(id);
  n.name = tree_.get_sz(path, schema::name, n.id);
  n.description = tree_.get_sz(path, "Description", "");
  n.address = tree_.get_sz(path, schema::address, "");
  n.mask = tree_.get_sz(path, schema::address_mask, "");
  n.role = tree_.get_dword(path, schema::role, role_internal | role_client);
  n.priority = tree_.get_dword(path, schema::priority, 0);
  return n;
}

std::optional<network_entry> network_table::read_network(std::string_view id) const {
  if (!tree_.key_exists(schema::network_path(id)))
    return std::nullopt;
  auto n = network_fields(id);
  for (const auto& i : interfaces()) {
    if (fold_case(i.network) == fold_case(n.id))
      n.interfaces.push_back(i.id);
  }
  return n;
}

std::optional<netinterface_entry> network_table::read_interface(std::string_view id) const {
  const auto path = schema::netinterface_path(id);
  if (!tree_.key_exists(path))
    return std::nullopt;
  netinterface_entry i;
  i.id = std::string(id);
  i.name = tree_.get_sz(path, schema::name, i.id);
  i.description = tree_.get_sz(path, "Description", "");
  i.node = tree_.get_sz(path, schema::node, "");
  i.network = tree_.get_sz(path, schema::network, "");
  i.adapter = tree_.get_sz(path, schema::adapter, "");
  i.address = tree_.get_sz(path, schema::address, "");
  return i;
}

std::vector<netinterface_entry> network_table::interfaces() const {
  std::vector<netinterface_entry> out;
  for (const auto& id : tree_.subkeys(schema::netinterfaces_key)) {
    if (auto i = read_interface(id))
      out.push_back(std::move(*i));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return name_less(a.name, b.name); });
  return out;
}

std::vector<network_entry> network_table::networks() const {
  std::vector<network_entry> out;
  const auto all = interfaces();
  for (const auto& id : tree_.subkeys(schema::networks_key)) {
    auto n = network_fields(id);
    for (const auto& i : all) {
      if (fold_case(i.network) == fold_case(id))
        n.interfaces.push_back(i.id);
    }
    out.push_back(std::move(n));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return name_less(a.name, b.name); });
  return out;
}

std::optional<network_entry> network_table::network_by_name(std::string_view name) const {
  const auto folded = fold_case(name);
  for (auto& n : networks()) {
    if (fold_case(n.name) == folded)
      return n;
  }
  return std::nullopt;
}

std::optional<network_entry> network_table::network_by_id(std::string_view id) const {
  return read_network(id);
}

std::optional<netinterface_entry> network_table::interface_by_id(std::string_view id) const {
  return read_interface(id);
}

std::optional<netinterface_entry> network_table::interface_by_name(std::string_view name) const {
  const auto folded = fold_case(name);
  for (auto& i : interfaces()) {
    if (fold_case(i.name) == folded)
      return i;
  }
  return std::nullopt;
}

std::vector<netinterface_entry> network_table::interfaces_of_node(std::string_view node_id) const {
  std::vector<netinterface_entry> out;
  for (auto& i : interfaces()) {
    if (i.node == node_id)
      out.push_back(std::move(i));
  }
  return out;
}

std::optional<netinterface_entry> network_table::interface_of(std::string_view node_id,
                                                              std::string_view network_id) const {
  for (auto& i : interfaces_of_node(node_id)) {
    if (fold_case(i.network) == fold_case(network_id))
      return i;
  }
  return std::nullopt;
}

std::vector<network_entry> network_table::internal_by_priority() const {
  std::vector<network_entry> out;
  for (auto& n : networks()) {
    if ((n.role & role_internal) != 0)
      out.push_back(std::move(n));
  }
  // Unnumbered ones (0) after the numbered; ties by name, the order networks() gave.
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    const auto pa = a.priority == 0 ? UINT32_MAX : a.priority;
    const auto pb = b.priority == 0 ? UINT32_MAX : b.priority;
    return pa < pb;
  });
  return out;
}

std::string network_table::free_network_name() const {
  std::set<std::string> used;
  for (const auto& n : networks())
    used.insert(fold_case(n.name));
  for (unsigned k = 1;; ++k) {
    auto name = "Cluster Network " + std::to_string(k);
    if (!used.contains(fold_case(name)))
      return name;
  }
}

peer_interface network_table::complete(peer_interface facts, std::string_view peer_address) {
  if (facts.address.empty())
    facts.address = host_of(peer_address);
  if (facts.address.empty() || !facts.network.empty())
    return facts;
  if (const auto ip = parse_ipv4(facts.address)) {
    auto mask = facts.mask.empty() ? std::nullopt : parse_ipv4(facts.mask);
    if (!mask) {
      mask = (*ip)[0] == 127 ? std::array<unsigned, 4>{255, 0, 0, 0}
                             : std::array<unsigned, 4>{255, 255, 255, 0};
    }
    std::array<unsigned, 4> net{};
    for (std::size_t k = 0; k < 4; ++k)
      net[k] = (*ip)[k] & (*mask)[k];
    facts.mask = dotted(*mask);
    facts.network = dotted(net);
    return facts;
  }
  // A host name, or an IPv6 address the runtime found no adapter for: a network of its own.
  facts.network = facts.address;
  return facts;
}

void network_table::remove_interface(const netinterface_entry& i, network_change& change,
                                     std::vector<std::string>& deleted_networks) const {
  change.ops.push_back(db_op::delete_key(schema::netinterface_path(i.id)));
  const auto net = read_network(i.network);
  change.events.push_back(event("NETINTERFACE_DELETED", CLUSTER_CHANGE_NETINTERFACE_DELETED,
                                "netinterface", i.name, i.id));
  if (!net)
    return;
  std::size_t left = 0;
  for (const auto& other : net->interfaces) {
    if (fold_case(other) == fold_case(i.id))
      continue;
    bool removed = false;
    for (const auto& op : change.ops) {
      removed = removed || (op.op == db_op::kind::delete_key &&
                            fold_case(op.path) == fold_case(schema::netinterface_path(other)));
    }
    if (!removed)
      ++left;
  }
  if (left > 0 || std::find(deleted_networks.begin(), deleted_networks.end(), net->id) !=
                      deleted_networks.end())
    return;
  deleted_networks.push_back(net->id);
  change.ops.push_back(db_op::delete_key(schema::network_path(net->id)));
  change.events.push_back(
      event("NETWORK_DELETED", CLUSTER_CHANGE_NETWORK_DELETED, "network", net->name, net->id));
}

network_change network_table::record(const node_entry& node, const peer_interface& facts) const {
  network_change change;
  if (facts.address.empty() || facts.network.empty())
    return change;
  const auto net_id = network_id_for(facts.network, facts.mask);
  const auto iface_id = netinterface_id_for(node.id, net_id);
  std::vector<std::string> deleted_networks;
  for (const auto& old : interfaces_of_node(node.id)) {
    if (fold_case(old.id) != fold_case(iface_id))
      remove_interface(old, change, deleted_networks);
  }
  // The interface being replaced was on another network (the id names node and network), so
  // the network of `facts` is never among those just deleted.
  const bool net = tree_.key_exists(schema::network_path(net_id));
  const std::string net_name =
      net ? tree_.get_sz(schema::network_path(net_id), schema::name, net_id) : free_network_name();
  if (!net) {
    std::uint32_t last = 0;
    for (const auto& n : networks())
      last = std::max(last, n.priority);
    const auto path = schema::network_path(net_id);
    const auto role = tree_.get_dword("", "DefaultNetworkRole", role_internal | role_client);
    change.ops.push_back(db_op::create_key(path));
    change.ops.push_back(
        db_op::set_value(path, std::string(schema::name), typed_value::sz(net_name)));
    change.ops.push_back(
        db_op::set_value(path, std::string(schema::address), typed_value::sz(facts.network)));
    change.ops.push_back(
        db_op::set_value(path, std::string(schema::address_mask), typed_value::sz(facts.mask)));
    change.ops.push_back(
        db_op::set_value(path, std::string(schema::role), typed_value::dword(role)));
    change.ops.push_back(
        db_op::set_value(path, std::string(schema::priority), typed_value::dword(last + 1)));
    change.events.push_back(
        event("NETWORK_ADDED", CLUSTER_CHANGE_NETWORK_ADDED, "network", net_name, net_id));
  }
  const auto path = schema::netinterface_path(iface_id);
  const auto name = node.name + " - " + (facts.adapter.empty() ? facts.address : facts.adapter);
  const std::pair<std::string_view, std::string> wanted[] = {{schema::name, name},
                                                             {schema::node, node.id},
                                                             {schema::network, net_id},
                                                             {schema::adapter, facts.adapter},
                                                             {schema::address, facts.address}};
  const bool exists = tree_.key_exists(path);
  if (!exists)
    change.ops.push_back(db_op::create_key(path));
  bool changed = false;
  for (const auto& [value_name, text] : wanted) {
    const auto* v = tree_.find_value(path, value_name);
    if (v != nullptr && v->type == value_type::sz && v->as_string() == text)
      continue;
    change.ops.push_back(db_op::set_value(path, std::string(value_name), typed_value::sz(text)));
    changed = true;
  }
  if (!exists) {
    auto e = event("NETINTERFACE_ADDED", CLUSTER_CHANGE_NETINTERFACE_ADDED, "netinterface", name,
                   iface_id);
    e["network"] = net_name;
    change.events.push_back(std::move(e));
  } else if (changed) {
    change.events.push_back(event("NETINTERFACE_PROPERTY", CLUSTER_CHANGE_NETINTERFACE_PROPERTY,
                                  "netinterface", name, iface_id));
  }
  return change;
}

network_change network_table::housekeeping() const {
  network_change change;
  auto all = networks();
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
  std::set<std::string> taken;  // every name in use, folded: fresh names avoid them
  for (const auto& n : all) {
    if (!n.interfaces.empty())
      taken.insert(fold_case(n.name));
  }
  std::set<std::string> seen;  // names already kept by a network earlier in id order
  for (const auto& n : all) {
    if (n.interfaces.empty()) {
      change.ops.push_back(db_op::delete_key(schema::network_path(n.id)));
      change.events.push_back(
          event("NETWORK_DELETED", CLUSTER_CHANGE_NETWORK_DELETED, "network", n.name, n.id));
      continue;
    }
    if (seen.insert(fold_case(n.name)).second)
      continue;
    std::string fresh;
    for (unsigned k = 1;; ++k) {
      fresh = "Cluster Network " + std::to_string(k);
      if (!taken.contains(fold_case(fresh)))
        break;
    }
    taken.insert(fold_case(fresh));
    change.ops.push_back(db_op::set_value(schema::network_path(n.id), std::string(schema::name),
                                          typed_value::sz(fresh)));
    auto e = event("NETWORK_PROPERTY", CLUSTER_CHANGE_NETWORK_PROPERTY, "network", fresh, n.id);
    e["previous_name"] = n.name;
    change.events.push_back(std::move(e));
  }
  return change;
}

network_change network_table::forget(std::string_view node_id) const {
  network_change change;
  std::vector<std::string> deleted_networks;
  for (const auto& i : interfaces_of_node(node_id))
    remove_interface(i, change, deleted_networks);
  return change;
}

}  // namespace wolfpack::cluster
