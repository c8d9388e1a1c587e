// What a client may write to the cluster database through the cluster registry functions
// (ClusterRegSetValue and friends over GetClusterKey, docs/api.md "Cluster registry").
//
// MSCS lets a client write anything in the cluster hive, and a write to a value the service
// keeps (a group's Contains, a resource's Type) leaves its in-memory objects out of step with
// the hive until the next restart. Our core reads its objects from the database, so such a
// write would change the cluster behind the back of every check the API makes. The policy:
//   - the keys of the objects themselves (Groups\<id>, Resources\<id>, ResourceTypes\<name>,
//     Nodes\<id>, Networks\<id>, NetworkInterfaces\<id>) and their containers are made and
//     removed only through the API (networks and interfaces: by the nodes themselves);
//   - on an object's key, a value that is a common property of the object goes through the
//     same checks as a property write (a maintained or read-only one is refused), and the
//     values the service keeps (Contains, DependsOn, PossibleOwners, ...) are refused;
//   - the root's ClusterName, QuorumResource, GumEpoch and GumApplied.*/GumRefused.* (what
//     GUM records of its answers) are refused, its other cluster
//     common properties checked;
//   - everything else (a resource's Parameters, an application's own keys and values) is
//     the client's to write, as on Windows, without the resource's own validation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wolfpack/cluster_core/common_properties.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/common/typed_value.hpp"

namespace wolfpack::cluster {

// Every common property of the object at `path`: its stored value, else its default (what
// the rules between properties are checked against).
property_map effective_common_properties(const db_tree& tree, object_kind kind,
                                         std::string_view path);

struct registry_refusal {
  std::uint32_t code = 0;  // Win32
  std::string message;     // names the key, the value and what to use instead
};

// Creating (create == true: with the parents it lacks) or deleting the key at `path`.
std::optional<registry_refusal> refuse_key_write(const db_tree& tree, std::string_view path,
                                                 bool create);

// Setting `name` at `path` to `value` (nullopt: deleting it). On success, `stored` is the
// value as it is to be stored (a DWORD given for a QWORD common property is widened) and
// `canonical` the name as the property tables spell it (or `name` itself).
std::optional<registry_refusal> refuse_value_write(const db_tree& tree, std::string_view path,
                                                   std::string_view name,
                                                   const std::optional<typed_value>& value,
                                                   typed_value* stored, std::string* canonical);

}  // namespace wolfpack::cluster
