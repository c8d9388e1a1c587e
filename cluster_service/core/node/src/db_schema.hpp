// Where the cluster's objects live in the database tree. The layout follows the MSCS cluster
// hive: one key per object under Groups, Resources, ResourceTypes, Nodes, Networks and
// NetworkInterfaces, named by the object's id (a GUID for groups, resources, networks and
// network interfaces, the type name for types, the node number for nodes), with the object's
// name and common properties as values and a resource's private properties in its Parameters
// subkey.
#pragma once

#include <string>
#include <string_view>

namespace wolfpack::cluster::schema {

inline constexpr std::string_view groups_key = "Groups";
inline constexpr std::string_view resources_key = "Resources";
inline constexpr std::string_view types_key = "ResourceTypes";
inline constexpr std::string_view nodes_key = "Nodes";
inline constexpr std::string_view networks_key = "Networks";
inline constexpr std::string_view netinterfaces_key = "NetworkInterfaces";
inline constexpr std::string_view parameters_subkey = "Parameters";

// Values at the root.
inline constexpr std::string_view cluster_name = "ClusterName";
// MULTI_SZ, Wolfpack's: the names the cluster had before SetClusterName, oldest first
// (cluster_identity.hpp).
inline constexpr std::string_view earlier_cluster_names = "EarlierClusterNames";
// DWORD cluster common properties: the heartbeat interval in ms and the heartbeats missed
// before a node is suspected. A new cluster's database takes the forming node's --heartbeat-ms
// and --threshold (the lab's faster heartbeats, below the property's range of 250..2000, are
// shown as they are).
inline constexpr std::string_view same_subnet_delay = "SameSubnetDelay";
inline constexpr std::string_view same_subnet_threshold = "SameSubnetThreshold";
// SZ resource id of the witness (node and witness majority); absent or "": node majority.
inline constexpr std::string_view quorum_resource = "QuorumResource";
// DWORD, Wolfpack's: the highest node id the cluster has given. Ids are never given twice, so
// that an evicted node started again with its old database is never taken for a new one.
inline constexpr std::string_view highest_node_id = "HighestNodeId";

// Values every object key has.
inline constexpr std::string_view name = "Name";
// Group values.
inline constexpr std::string_view contains = "Contains";                 // MULTI_SZ resource ids
inline constexpr std::string_view preferred_owners = "PreferredOwners";  // MULTI_SZ node ids
inline constexpr std::string_view owner_node = "OwnerNode";              // SZ node id, last owner
inline constexpr std::string_view anti_affinity_class_names = "AntiAffinityClassNames";  // MULTI_SZ
// Resource values.
inline constexpr std::string_view type = "Type";                       // SZ type key name
inline constexpr std::string_view depends_on = "DependsOn";            // MULTI_SZ resource ids
inline constexpr std::string_view possible_owners = "PossibleOwners";  // MULTI_SZ node ids
inline constexpr std::string_view persistent_state = "PersistentState";
// Resource type values.
inline constexpr std::string_view dll_name = "DllName";
// Node values.
inline constexpr std::string_view node_name = "NodeName";
inline constexpr std::string_view address = "Address";  // SZ "host:port" for other nodes
// Network values (besides Name, Description and Role, which are common properties).
// Address (SZ, the subnet's address), AddressMask (SZ), Priority (DWORD: 1 is the first
// network for internal traffic).
inline constexpr std::string_view address_mask = "AddressMask";
inline constexpr std::string_view role = "Role";
inline constexpr std::string_view priority = "Priority";
// Network interface values: Node (SZ node id), Network (SZ network id), Adapter (SZ), Address
// (SZ, the node's IP address on the network).
inline constexpr std::string_view node = "Node";
inline constexpr std::string_view network = "Network";
inline constexpr std::string_view adapter = "Adapter";

inline std::string child(std::string_view parent, std::string_view id) {
  std::string path(parent);
  path += '\\';
  path += id;
  return path;
}
inline std::string group_path(std::string_view id) {
  return child(groups_key, id);
}
inline std::string resource_path(std::string_view id) {
  return child(resources_key, id);
}
inline std::string type_path(std::string_view id) {
  return child(types_key, id);
}
inline std::string node_path(std::string_view id) {
  return child(nodes_key, id);
}
inline std::string network_path(std::string_view id) {
  return child(networks_key, id);
}
inline std::string netinterface_path(std::string_view id) {
  return child(netinterfaces_key, id);
}
inline std::string parameters_path(std::string_view resource_id) {
  return child(resource_path(resource_id), parameters_subkey);
}
// The private properties of any object, kept by the service: `object_path` "" is the cluster.
inline std::string private_key(std::string_view object_path) {
  return object_path.empty() ? std::string(parameters_subkey)
                             : child(object_path, parameters_subkey);
}

}  // namespace wolfpack::cluster::schema
