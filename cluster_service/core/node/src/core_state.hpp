// Everything one node's core holds, wired together: the managers, and the glue between
// them that belongs to none (node_core.cpp: inputs and start; core_cluster.cpp: what changes
// when the membership or the database changes, joins, placement of groups, moves and the
// forwarding of API requests to a group's owner).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "api_handler.hpp"
#include "core_context.hpp"
#include "database_manager.hpp"
#include "gum.hpp"
#include "membership.hpp"
#include "object_index.hpp"
#include "quorum_manager.hpp"
#include "resource_manager.hpp"
#include "wolfpack/cluster_core/node_core.hpp"
#include "wolfpack/cluster_db/folded_key.hpp"

namespace wolfpack::cluster {

class core_state {
 public:
  core_state(core_config config, db_tree tree, std::uint64_t last_seq);
  core_state(const core_state&) = delete;
  core_state& operator=(const core_state&) = delete;

  void handle(const input& in);
  // Turns the answers to requests forwarded by other nodes into frames for them.
  void route_answers(std::vector<output>& out);

  core_config config_;
  core_context ctx_;
  object_index index_;
  database_manager db_;
  quorum_manager quorum_;
  membership_manager members_;
  gum_manager gum_;
  resource_manager rm_;
  api_handler api_;
  bool started_ = false;
  bool stopping_ = false;
  bool exited_ = false;

  // core_cluster.cpp
  std::uint32_t owner_of(const std::string& group_id) const;
  std::string node_name_of(std::uint32_t id) const;
  bool is_local(const std::string& group_id) const;
  node_state node_state_of(const node_entry& n) const;

 private:
  // node_core.cpp
  void on(const in_start&);
  void on(const in_api_request& req);
  void on(const in_monitor_ready& m);
  void on(const in_monitor_event& m);
  void on(const in_monitor_exit& m);
  void on(const in_timer& t);
  void on(const in_db_written& w);
  void on(const in_shutdown&);
  void on(const in_peer_frame& f);
  void on(const in_peer_link& l);
  void on(const in_heartbeat& h);
  void on(const in_wall_clock& c);
  void maybe_exit_after_shutdown();
  // After every input: the witness's shown state (a member holds it or not) changes with
  // heartbeats, arbitration and views, none of which the resource manager sees.
  void check_witness_shown();
  std::string shown_witness_id_;
  resource_state shown_witness_state_ = resource_state::offline;
  void exit(int code, std::string reason);
  bool bootstrap();

  // core_cluster.cpp
  void wire();
  void applied(const db_update& update, const nlohmann::json& events);
  void view_changed();
  void fenced(const std::string& why);
  void publish_node_states();
  // Deletes networks left without interfaces and renames networks that took one name, which
  // concurrent records of two nodes can leave (network_table::housekeeping).
  void tidy_networks();
  bool tidying_networks_ = false;
  // A state event from `from`: taken only from a member that owns the object's group (a
  // removed node that wakes up may still report what it believed).
  void remote_state(std::uint32_t from, const nlohmann::json& event);
  // The states of this node's groups and resources, in one `states` frame, to member `to`
  // (0: every member).
  void send_local_states(std::uint32_t to);
  void join_request(std::uint32_t from, const nlohmann::json& request);
  void on_join_forwarded(std::uint32_t from, const nlohmann::json& frame);
  void on_join_forward_answer(const nlohmann::json& frame);
  void join_allocate(const nlohmann::json& request,
                     std::function<void(const nlohmann::json&)> reply);
  void join_accepted(const nlohmann::json& accept);
  void place_orphans();
  std::optional<std::uint32_t> move_target(const group_entry& g, const node_entry* named,
                                           std::uint32_t& code, std::string& why) const;
  // `online`: the group comes online there whatever it was here (OnlineClusterGroup with a
  // destination); otherwise it returns to its pre-move state. `events` go with the ownership
  // update (published, or handled by applied() when internal).
  void move_group(const std::string& group_id, std::uint32_t target,
                  std::function<void(status)> done, bool online = false,
                  nlohmann::json events = nlohmann::json::array());
  void propose_move(const std::string& group_id, std::uint32_t target,
                    std::function<void(status)> done, bool online, nlohmann::json events);
  bool fail_over(const std::string& group_id);
  // Facts that travel with an update but are no API event (applied() handles them on every
  // node): the failover history of a group that fails over.
  static constexpr std::string_view failover_history_event = "failover_history";
  void internal_event(const nlohmann::json& e);
  // Moves this node's groups back to a preferred owner higher in their list (SPEC 4.8).
  void check_failback();
  bool in_failback_window(const std::string& group_id) const;
  // An API request that must run on the group's owner; its group id, or nullopt.
  std::optional<std::string> owner_bound(const in_api_request& req) const;
  // An API request that must run on a given node (POST /nodes/N/stop); its id, or nullopt.
  std::optional<std::uint32_t> node_bound(const in_api_request& req) const;
  // `hops`: how many times the request has been forwarded when it reaches the owner; a node
  // that gets one at max_forward_hops handles it itself.
  static constexpr std::uint32_t max_forward_hops = 3;
  bool forward(const in_api_request& req, std::uint32_t hops = 1);
  void dispatch_peer_frame(std::uint32_t from, const nlohmann::json& frame);
  void on_forwarded(std::uint32_t from, const nlohmann::json& frame);
  void on_forward_answer(const nlohmann::json& frame);
  // Answers 503 the requests forwarded to other nodes, but those to a member of `still`.
  void fail_forwards(const std::string& why, const cluster_view* still = nullptr);

  bool offline_done_ = false;
  // OwnerNode as read from the database, by group id as asked (nullopt: no SZ value), for the
  // database generation `owners_generation_`: every local() of the resource manager asks, many
  // times for each input, and the value changes only with an update.
  using id_hash = word_hash;
  mutable std::unordered_map<std::string, std::optional<std::uint32_t>, id_hash, std::equal_to<>>
      owners_;
  mutable std::uint64_t owners_generation_ = 0;
  std::map<std::string, std::string> node_states_;       // node id -> last published state
  std::map<std::string, std::string> interface_states_;  // interface id -> last published state
  std::map<std::string, std::string> network_states_;    // network id -> last published state
  bool placing_ = false;
  std::optional<int> local_hour_;
  std::set<std::string> failing_back_;  // groups with a failback move under way
  // Groups this node is moving away: a second move would change the owner twice in a row,
  // and the node between would start the group the last one starts too.
  // Each by the number of its move (next_move_): what a move abandoned with the membership
  // left waiting does not touch a later move of the group. `done` answers it when the node is
  // fenced (its release may never finish then).
  struct move_under_way {
    std::uint64_t number = 0;
    std::function<void(status)> done;
  };
  std::map<std::string, move_under_way> moving_;
  std::uint64_t next_move_ = 1;
  // Node ids given to joins whose update is not committed yet, by node name: nodes that join
  // at once through one sponsor must not get the same new id.
  std::map<std::string, std::uint32_t> joining_;
  // Nodes this process added to the configuration (by name: their id) and has not seen in a
  // view since: a join whose answer was lost. Only they get the database from this node once
  // it has lost quorum (join_allocate).
  std::map<std::string, std::string> admitted_;
  std::map<std::uint64_t, std::uint32_t> joins_relayed_;  // relayed to the locker: fid -> joiner
  std::uint64_t gate_timer_ = 0;
  std::uint64_t place_timer_ = 0;
  bool may_start() const;
  void arm_start_gate();
  // Requests this node sent to an owner: forward id -> (this node's request id, owner).
  std::map<std::uint64_t, std::pair<std::uint64_t, std::uint32_t>> forwarded_out_;
  std::map<std::uint32_t, std::string> bad_heartbeat_;  // the problem last logged, per peer
  std::uint64_t next_forward_ = 1;
  // Requests another node forwarded here: local request id -> (from, its forward id).
  std::map<std::uint64_t, std::pair<std::uint32_t, std::uint64_t>> forwarded_in_;
  std::uint64_t next_local_request_ = std::uint64_t{1} << 62;
};

}  // namespace wolfpack::cluster
