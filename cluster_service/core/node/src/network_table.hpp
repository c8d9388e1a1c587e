// The cluster's networks and network interfaces (SPEC 5.1) as the database holds them, and the
// updates that record a node's interface.
//
// MSCS finds a cluster network for every subnet its nodes' adapters share and a network
// interface for every node on it. A Wolfpack node talks to its peers over one address (its
// peer address), so it has one interface: on the network of that address's subnet. The node
// records it itself when it is in a view (and again when its address, subnet or adapter
// changes); the first node on a subnet creates the network. Ids are derived from what they
// name (a network's from its subnet, an interface's from its node and network), so two nodes
// that record at once the same new network write the same key.
//
// Reads go to the tree each time: there are few networks, and nothing reads them in a loop.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "object_index.hpp"
#include "wolfpack/cluster_core/node_core.hpp"
#include "wolfpack/cluster_core/states.hpp"
#include "wolfpack/cluster_db/db_op.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"

namespace wolfpack::cluster {

// CLUSTER_NETWORK_ROLE bits.
inline constexpr std::uint32_t role_internal = 1;
inline constexpr std::uint32_t role_client = 2;

struct network_entry {
  std::string id;
  std::string name;
  std::string description;
  std::string address;  // the subnet's address
  std::string mask;
  std::uint32_t role = role_internal | role_client;
  std::uint32_t priority = 0;           // 0: none recorded (after every numbered one)
  std::vector<std::string> interfaces;  // ids, by interface name
};

struct netinterface_entry {
  std::string id;
  std::string name;
  std::string description;
  std::string node;     // node id
  std::string network;  // network id
  std::string adapter;
  std::string address;
};

// The changes to the database that record something, and the events that go with them.
struct network_change {
  std::vector<db_op> ops;
  std::vector<nlohmann::json> events;
};

class network_table {
 public:
  explicit network_table(const db_tree& tree) : tree_(tree) {}

  // In name order (ignoring case), as every listing shows them.
  std::vector<network_entry> networks() const;
  std::vector<netinterface_entry> interfaces() const;
  std::optional<network_entry> network_by_name(std::string_view name) const;
  std::optional<network_entry> network_by_id(std::string_view id) const;
  std::optional<netinterface_entry> interface_by_name(std::string_view name) const;
  std::optional<netinterface_entry> interface_by_id(std::string_view id) const;
  std::vector<netinterface_entry> interfaces_of_node(std::string_view node_id) const;
  // The interface of `node_id` on `network_id`, if the node has one there.
  std::optional<netinterface_entry> interface_of(std::string_view node_id,
                                                 std::string_view network_id) const;
  // The networks that carry internal traffic (Role has the internal bit), first to last.
  std::vector<network_entry> internal_by_priority() const;

  // What `node` must write so that the database records `facts` as its interface: nothing
  // when it does already. A network is created for a new subnet (Role: the cluster's
  // DefaultNetworkRole; Priority: after the others); an interface on another network is
  // replaced, and a network left without interfaces deleted.
  network_change record(const node_entry& node, const peer_interface& facts) const;
  // What deleting `node_id` (evicting the node) removes besides the node's key.
  network_change forget(std::string_view node_id) const;
  // What concurrent records can leave behind, put right: a network without interfaces (its
  // last two nodes left at once) is deleted; of networks that took one name (two new subnets
  // recorded at once), all but the first (by id) get a free name.
  network_change housekeeping() const;

  // The node's interface facts, completed from its peer address ("127.0.0.1:3343") where the
  // runtime left them empty. Empty address when neither says anything.
  static peer_interface complete(peer_interface facts, std::string_view peer_address);

  // "Cluster Network 3": the first free name of that form.
  std::string free_network_name() const;

 private:
  // A network's stored values, without its interfaces.
  network_entry network_fields(std::string_view id) const;
  std::optional<network_entry> read_network(std::string_view id) const;
  std::optional<netinterface_entry> read_interface(std::string_view id) const;
  // Deletes the interface and, when it was the last one of its network, the network.
  void remove_interface(const netinterface_entry& i, network_change& change,
                        std::vector<std::string>& deleted_networks) const;

  const db_tree& tree_;
};

// A network's state from its interfaces: how many are not Unavailable (their node is up) and
// how many of those are Up.
network_state network_state_from(std::size_t available, std::size_t up);

// Ids derived from the names of what they identify, in the GUID form of the other objects.
std::string network_id_for(std::string_view address, std::string_view mask);
std::string netinterface_id_for(std::string_view node_id, std::string_view network_id);

}  // namespace wolfpack::cluster
