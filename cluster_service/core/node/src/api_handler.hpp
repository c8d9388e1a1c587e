// The cluster API's requests (docs/api.md) as the core handles them: look up, validate,
// turn a change into one database update, answer once it is durable, and publish the
// change events. Reads are answered from this node's replica.
//
// Split by object: api_handler.cpp (routing, replies, body checks), api_groups.cpp,
// api_resources.cpp, api_cluster.cpp (cluster, nodes, resource types), api_networks.cpp
// (networks, network interfaces), api_properties.cpp,
// api_registry.cpp (the cluster registry functions' view of the database).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core_context.hpp"
#include "database_manager.hpp"
#include "network_table.hpp"
#include "object_index.hpp"
#include "resource_manager.hpp"
#include "wolfpack/cluster_core/common_properties.hpp"
#include "wolfpack/cluster_core/states.hpp"

namespace wolfpack::cluster {

// What the API needs from the rest of the node once there are several nodes.
struct cluster_hooks {
  // Orders the ops as one global update (GUM); `done` once durable on every member.
  // `applied` runs when this node has applied it (it may decide the answer's status).
  std::function<void(std::vector<db_op>, nlohmann::json events, std::function<void(status)>,
                     std::function<void()> applied)>
      propose;
  std::function<std::string(const std::string& group_id)> owner_name;  // "" when none
  std::function<node_state(const node_entry&)> node_state_of;
  std::function<std::uint32_t()> self;
  // Where a move of the group goes: the named node (checked) or the best other one. The
  // error code and message when there is none.
  std::function<std::optional<std::uint32_t>(const group_entry&, const node_entry* target,
                                             std::uint32_t& code, std::string& why)>
      move_target;
  // Takes the group offline here and hands it to `target`; `done` once ownership changed.
  // `online`: it comes online there (OnlineClusterGroup with a destination).
  std::function<void(const std::string& group_id, std::uint32_t target,
                     std::function<void(status)> done, bool online)>
      move;
  // The witness's resource id ("" for node majority) and who holds it.
  std::function<std::string()> quorum_resource;
  std::function<std::string()> witness_holder_name;  // "" when no member holds it
  // Whether the resource's type can be a witness: done(ERROR_SUCCESS, "") or the error.
  std::function<void(const std::string& resource_id,
                     std::function<void(std::uint32_t code, const std::string& why)>)>
      check_quorum_capable;
  // Stops this node's cluster service as a stop request does (groups offline, then exit).
  std::function<void()> stop_service;
};

class api_handler {
 public:
  cluster_hooks hooks;

  api_handler(core_context& ctx, database_manager& db, const object_index& index,
              resource_manager& rm, std::string cluster_name);

  void handle(const in_api_request& req);

  // `?by=id` (api_by_id.cpp): the object segment of /nodes, /groups, /resources, /networks
  // and /netinterfaces paths is the object's id, as clusapi handles keep it so that a rename
  // by another client does not orphan them. Without `by`: neither member set (the request
  // stands as it is). Otherwise the request as it names that object now (`by` gone), or the
  // refusal: an id that names nothing (the collection's not-found code), `by` with another
  // value or on a route that has no objects by id (87).
  struct id_refusal {
    std::uint32_t code = 0;
    std::string message;
  };
  struct by_id {
    std::optional<in_api_request> request;
    std::optional<id_refusal> refusal;
  };
  by_id named(const in_api_request& req) const;

  // Views shared with events and tests.
  nlohmann::json group_view(const group_entry& g) const;
  nlohmann::json resource_view(const resource_entry& r) const;
  nlohmann::json node_view(const node_entry& n) const;
  nlohmann::json type_view(const type_entry& t) const;
  nlohmann::json network_view(const network_entry& n) const;
  nlohmann::json netinterface_view(const netinterface_entry& i) const;
  // Derived from the nodes' states (api_networks.cpp).
  netinterface_state interface_state(const netinterface_entry& i) const;
  network_state network_state_of(const network_entry& n) const;

 private:
  using request = in_api_request;

  // ---- replies (api_handler.cpp)
  void reply(const request& req, int status, nlohmann::json body);
  void error(const request& req, std::uint32_t code, const std::string& message);
  // Applies the ops as one update, publishes `events` and answers `status` with what `body`
  // returns once the update is durable.
  // `after_failure` runs when the update was not made (after_apply never runs then).
  void commit(const request& req, std::vector<db_op> ops, std::vector<nlohmann::json> events,
              int status, std::function<nlohmann::json()> body,
              std::function<void()> after_apply = {}, std::function<void()> after_failure = {});
  // The same, with a status decided by after_apply (200 "already there" or 202 "under way").
  void commit(const request& req, std::vector<db_op> ops, std::vector<nlohmann::json> events,
              std::shared_ptr<int> status, std::function<nlohmann::json()> body,
              std::function<void()> after_apply, std::function<void()> after_failure = {});
  // Fields: every required one present, nothing unknown, each of the expected JSON kind.
  // Answers 400 naming the field and returns false when the body does not fit.
  struct field {
    std::string name;
    bool required;
    nlohmann::json::value_t kind;  // string, boolean, array, object, number_unsigned
  };
  bool check_body(const request& req, const std::vector<field>& fields);
  bool refuse_while_shutting_down(const request& req);
  bool check_new_name(const request& req, const std::string& name, const std::string& what);

  // ---- routes
  void route_cluster(const request& req);
  void rename_cluster(const request& req);
  // The database's (SetClusterName changes it), or the configured one before there is one.
  std::string cluster_name() const;
  void route_nodes(const request& req);
  void route_types(const request& req);
  void route_groups(const request& req);
  void route_resources(const request& req);
  void route_registry(const request& req);
  void route_networks(const request& req);
  void route_netinterfaces(const request& req);

  // api_networks.cpp
  void rename_network(const request& req, const network_entry& n);
  // Why the network may not take `role` (SPEC 5.1): the code and message, or nullopt.
  std::optional<std::pair<std::uint32_t, std::string>> refuse_role(const std::string& network_id,
                                                                   std::uint32_t role) const;
  nlohmann::json network_priority_view() const;
  void set_network_priority(const request& req);

  // api_groups.cpp
  void create_group(const request& req);
  void delete_group(const request& req, const group_entry& g);
  void rename_group(const request& req, const group_entry& g);
  void online_group(const request& req, const group_entry& g);
  void offline_group(const request& req, const group_entry& g);
  void move_group(const request& req, const group_entry& g);
  void set_group_owners(const request& req, const group_entry& g);

  // api_resources.cpp
  void create_resource(const request& req);
  void delete_resource(const request& req, const resource_entry& r);
  void rename_resource(const request& req, const resource_entry& r);
  void online_resource(const request& req, const resource_entry& r);
  void offline_resource(const request& req, const resource_entry& r);
  void fail_resource(const request& req, const resource_entry& r);
  void move_resource(const request& req, const resource_entry& r);
  void add_dependency(const request& req, const resource_entry& r);
  void remove_dependency(const request& req, const resource_entry& r, const std::string& name);
  void set_possible_owners(const request& req, const resource_entry& r,
                           std::vector<std::string> node_ids);
  nlohmann::json dependencies_view(const resource_entry& r) const;

  // api_controls.cpp
  struct control_call {
    std::uint32_t code;
    std::string in;  // hex
    std::uint32_t out_size;
  };
  // The body of POST .../control for a code of `object`; answers the error, nullopt.
  std::optional<control_call> parse_control(const request& req, std::uint32_t object);
  void reply_control(const request& req, const nlohmann::json& monitor_response);
  void control_resource(const request& req, const resource_entry& r);
  void control_type(const request& req, const type_entry& t);

  // api_cluster.cpp
  void create_type(const request& req);
  void delete_type(const request& req, const type_entry& t);
  void node_action(const request& req, const node_entry& n, const std::string& action);
  // POST /nodes/{n}/stop on node n itself (other nodes forward it there).
  void stop_node(const request& req, const node_entry& n);
  nlohmann::json quorum_view() const;
  void set_quorum(const request& req);

  // api_registry.cpp
  nlohmann::json registry_key_view(const std::string& path) const;
  void set_registry_value(const request& req);
  void delete_registry_value(const request& req, const std::string& path, const std::string& name);
  void create_registry_key(const request& req);
  void delete_registry_key(const request& req, const std::string& path);

  // api_properties.cpp
  nlohmann::json common_properties_view(object_kind kind, const std::string& path) const;
  void put_common_properties(const request& req, object_kind kind, const std::string& path,
                             const std::string& object_name, const std::string& object_id);
  nlohmann::json private_properties_view(const resource_entry& r) const;
  void put_private_properties(const request& req, const resource_entry& r);
  // The private properties of the cluster, a node, a group or a resource type: values of
  // the object's Parameters key, any name and type, which no plugin validates (MSCS keeps
  // them the same way). GET and PUT (null resets, that is deletes, a value).
  nlohmann::json stored_private_view(const std::string& object_path) const;
  void put_stored_private(const request& req, object_kind kind, const std::string& object_path,
                          const std::string& object_name, const std::string& object_id);
  // GET or PUT of `/.../private` for those objects; false when the method is neither.
  bool stored_private_route(const request& req, object_kind kind, const std::string& object_path,
                            const std::string& object_name, const std::string& object_id);
  void send_private_properties(const request& req, const resource_entry& r,
                               const property_map& sets, const std::vector<std::string>& deletes);
  void put_witness_private_properties(const request& req, const resource_entry& r,
                                      const property_map& sets,
                                      const std::vector<std::string>& deletes);
  // The accepted values as one update, answered with the resource's private properties.
  void store_private_properties(const request& req, const std::string& id, const property_map& sets,
                                const std::vector<std::string>& deletes);

  // Node names → ids; answers the error (ERROR_CLUSTER_NODE_NOT_FOUND) and returns nullopt.
  std::optional<std::vector<std::string>> node_ids(const request& req, const nlohmann::json& names);
  std::vector<std::string> node_names(const std::vector<std::string>& ids) const;

  // Event bodies.
  nlohmann::json object_event(const std::string& kind, int filter, const std::string& object,
                              const std::string& name, const std::string& id) const;

  core_context& ctx_;
  database_manager& db_;
  const object_index& index_;
  resource_manager& rm_;
  std::string configured_name_;  // --cluster-name; the database's name wins (cluster_name())
};

}  // namespace wolfpack::cluster
