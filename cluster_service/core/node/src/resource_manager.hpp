// The resource and failover manager of one node (SPEC 4): it keeps each resource's state as
// its monitor reports it, brings resources online bottom-up and offline top-down, applies
// the restart and failover policy of SPEC 4.3, and drives the resource monitors.
//
// What the administrator wants is kept apart from what is: each resource has a wanted state
// (online or not) and reconcile() moves the group towards it one safe step at a time, never
// starting a resource before its providers are Online nor stopping one before its
// dependents are down. Failures do not change what is wanted; they block or delay it.
//
// Split by event family: resource_manager.cpp (operations, reconcile, states),
// resource_manager_monitor.cpp (monitor lifecycle and frames), resource_manager_policy.cpp
// (restart, retry and group failure).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core_context.hpp"
#include "database_manager.hpp"
#include "object_index.hpp"
#include "required_dependencies.hpp"
#include "wolfpack/cluster_core/node_core.hpp"
#include "wolfpack/cluster_core/states.hpp"
#include "wolfpack/cluster_db/folded_key.hpp"

namespace wolfpack::cluster {

// How soon an Open or Online the monitor refused for its lease is tried again (the lease is
// renewed with the node's next evidence of quorum).
inline constexpr time_ms lease_retry_ms = 250;

// A resource's timing as its monitor needs it (docs/monitor-protocol.md): the resource's
// value, else its type's, else the default.
struct resource_timing {
  std::uint32_t looks_alive_ms = 5000;
  std::uint32_t is_alive_ms = 60000;
  std::uint32_t pending_timeout_ms = 180000;
  std::uint32_t deadlock_timeout_ms = 300000;
};

class resource_manager {
 public:
  resource_manager(core_context& ctx, database_manager& db, const object_index& index);

  // ---- lifecycle
  // Starts the monitors the resources need and marks the resources whose PersistentState is
  // set as wanted online.
  void start();
  // Takes every resource offline (dependents first); `done` runs once all are down.
  void shutdown(std::function<void()> done);
  bool shutting_down() const { return shutting_down_; }

  // ---- the database changed (after the update is applied)
  void resource_added(const std::string& id);
  void resource_removed(const std::string& id);
  // Common or private properties, or the dependencies, of a resource changed.
  void resource_changed(const std::string& id);
  // Groups whose keys an update touched (created, deleted, Contains or properties written).
  void groups_changed(const std::set<std::string>& group_ids);

  // ---- administrator operations. They change what is wanted; the answer says whether the
  // resource (group) is already where it was asked to go.
  bool online_resource(const std::string& id);   // also its providers
  bool offline_resource(const std::string& id);  // also its dependents
  // A global update wrote the resource's PersistentState: its owner follows it.
  void persistent_state_written(const std::string& id, bool online);
  void fail_resource(const std::string& id);
  bool online_group(const std::string& group_id);
  bool offline_group(const std::string& group_id);

  // Sends a ResourceControl to the resource's monitor; `done` gets the monitor's response
  // (or an error response if the resource is not open in a running monitor).
  void resource_control(const std::string& id, std::uint32_t code, const std::string& in_hex,
                        std::uint32_t out_size, std::function<void(const nlohmann::json&)> done);
  // Sends a ResourceTypeControl to the default monitor, which loads the type's plugin first
  // if no resource of the type has (loading is idempotent there).
  void type_control(const std::string& type_id, std::uint32_t code, const std::string& in_hex,
                    std::uint32_t out_size, std::function<void(const nlohmann::json&)> done);

  // ---- monitor inputs
  void monitor_ready(const std::string& monitor_id, int pid = 0);
  void monitor_event(const std::string& monitor_id, const nlohmann::json& event);
  void monitor_exit(const std::string& monitor_id, const std::string& reason);

  // Names the first required dependency (SPEC 4.1) the resource lacks among its direct
  // providers, e.g. "a resource of type 'IP Address'"; nullopt when all are there or the
  // type has not told yet (its monitor has not loaded it).
  std::optional<std::string> missing_required_dependency(const std::string& id) const;

  // Runs `done(true)` once the resource is open in a running monitor (at once if it is),
  // `done(false)` if that cannot happen now: its Open failed, its monitor ended, the resource
  // was deleted or the node is shutting down.
  void when_open(const std::string& id, std::function<void(bool)> done);

  // ---- many nodes (resource_manager_owner.cpp). Only the owner of a group runs it; the
  // other nodes show what the owner publishes.
  // Whether this node owns the group and may run it (in a view with quorum); unset: always.
  std::function<bool(const std::string& group_id)> is_local;
  // The name of the group's owner, for events.
  std::function<std::string(const std::string& group_id)> owner_name;
  // A state event about a local resource or group, for the other nodes.
  // Given the event to keep: it is published first (a copy, if the core has events).
  std::function<void(nlohmann::json event)> on_state_published;
  bool local(const std::string& group_id) const;
  // Whether resources may be started (opened, brought online) now; unset: always. While not,
  // what runs keeps running and what would start waits for start_gate_opened().
  std::function<bool()> may_start;
  core_breaks breaks;  // test-only (node_core.hpp)
  void start_gate_opened();
  // Orders a database change through GUM (the plugin's own registry writes).
  std::function<void(std::vector<db_op>, nlohmann::json events, std::function<void(status)>)>
      propose;
  // A group failed past its restarts: try another node. True when a move was started.
  std::function<bool(const std::string& group_id)> fail_over;
  // The group's failovers within FailoverPeriod as ages (ms before now), and the same taken
  // from another node: the count is the group's, not a node's, so that it moves with the
  // group (a threshold of nodes - 1 means one try on each other node, not one per node).
  std::vector<time_ms> failover_ages(const std::string& group_id) const;
  void set_failover_ages(const std::string& group_id, const std::vector<time_ms>& ages);
  // Ownership or the right to run changed: groups that arrive come up as their
  // PersistentState says, groups that left go down.
  void ownership_changed();
  // The same for the groups an update gave an owner (or created, or deleted); the others
  // keep theirs.
  void owners_changed(const std::set<std::string>& group_ids);
  // This node may no longer run anything: every resource is terminated now.
  void fence(const std::string& why);
  // Takes the group offline for a move, keeping what is wanted; `done` once it is down.
  void release_group(const std::string& group_id, std::function<void()> done);
  // The move is over: the group is released no more. Where it stayed here (the move failed,
  // or it has come back since), it comes back up as it was.
  void keep_group(const std::string& group_id);
  // Held down by the failure policy until an administrator acts (node_core::held_by_policy).
  bool held_by_policy(const std::string& id) const;
  // The current state of every local group and its resources, as the events other nodes
  // take (resources first).
  std::vector<nlohmann::json> local_state_events() const;
  // The RESOURCE_STATE and GROUP_STATE events (docs/api.md, "Events").
  nlohmann::json resource_event(const std::string& id, const std::string& name,
                                const std::string& group_name, resource_state s,
                                resource_state previous, const std::string& reason) const;
  nlohmann::json group_event(const group_entry& g, group_state s, group_state previous) const;
  // A state event another node published about its group or resource.
  void remote_state(const nlohmann::json& event);
  // The whole database is about to be replaced (database_replacing, the old one still
  // there), then was (database_replaced): resources came and went, and a PersistentState that
  // changed in between was written by updates this node never applied one by one.
  void database_replacing();
  void database_replaced();

  // ---- the witness (quorum_manager runs it, not this manager)
  // Whether the resource is the configured witness; unset: none is.
  std::function<bool(const std::string& id)> is_witness;
  // The witness's state as shown: Online while a member holds it.
  std::function<resource_state()> witness_state;
  // The witness changed: a resource this manager had open that is now the witness is closed.
  void witness_changed();
  // The witness's shown state went from `before` to witness_state(): its RESOURCE_STATE event
  // (from its group's owner) and its group's state follow.
  void witness_shown(const std::string& id, resource_state before);

  // What a monitor's open carries for the resource: common, parameters, timing.
  nlohmann::json open_sections(const std::string& id) const;

  // ---- a dependency on its way (api_resources.cpp, add_dependency)
  // The owner validated a new dependency of `id` against its states and proposed it: until it
  // is applied here (or refused), `id` is not started, or an online sent meanwhile could run
  // in the monitor after the dependency holds, ahead of its new provider. False (no hold)
  // when this node does not own the group.
  bool hold_start(const std::string& id);
  void release_start(const std::string& id);
  // Online, on its way there, or an online command sent that has not been answered: what a
  // new provider that is not online must refuse (MSCS: ERROR_RESOURCE_ONLINE).
  bool starting_or_up(const std::string& id) const;

  // ---- queries
  bool is_wanted(const std::string& id) const;
  resource_state state_of(const std::string& id) const;
  group_state state_of_group(const std::string& group_id) const;
  std::string monitor_of(const std::string& id) const;
  // The pid of the monitor the resource is open in, if it is open and the pid is known.
  std::optional<int> monitor_pid(const std::string& id) const;
  std::string failure_reason(const std::string& id) const;
  bool open(const std::string& id) const;
  resource_timing timing(const std::string& id) const;

 private:
  enum class phase { closed, opening, open };

  struct group_rt;

  struct resource_rt {
    std::string id;
    resource_state state = resource_state::offline;  // as its monitor last said
    resource_state shown = resource_state::offline;  // as the API and events show it
    phase open_phase = phase::closed;
    std::string monitor;      // where it is (to be) open
    std::string monitor_key;  // the name that monitor knows it by
    bool wanted = false;      // the administrator wants it online
    bool busy = false;        // an online/offline command is under way
    bool abandoning = false;  // an offline was sent to end a pending online
    // Failed by the service (monitor gone, /fail): the monitor's own Offline that follows
    // the Terminate must not hide the failure.
    bool ignore_next_offline = false;
    bool restart_wait = false;  // failed, waiting RestartDelay before the restart
    bool blocked = false;       // gave up (or DontRestart): no automatic online
    bool open_failed = false;   // its last Open (or its type's load) failed
    bool retry_used = false;    // the one RetryPeriodOnFailure attempt was made
    // Its monitor's lease ran out: the Failed that follows is the fence, not a failure of the
    // resource, and counts against no restart or failover threshold.
    bool lease_stop = false;
    // Its properties changed while the open was under way (the open carried the old ones):
    // sent to the monitor once the open succeeded.
    bool properties_stale = false;
    int start_holds = 0;  // hold_start() calls not yet released: no online is sent
    std::uint64_t restart_timer = 0;
    std::uint64_t retry_timer = 0;
    std::deque<time_ms> restarts;
    std::string reason;  // of the last state change
    // index_.resource_by_id(id) as of index generation `entry_generation` (entry_of()).
    mutable const resource_entry* entry = nullptr;
    mutable std::uint64_t entry_generation = ~std::uint64_t{0};
    // groups_' entry of that entry's group as of index generation `group_generation`
    // (held_down()); null: none yet, looked up again.
    mutable const group_rt* group = nullptr;
    mutable std::uint64_t group_generation = ~std::uint64_t{0};
    // Its providers' entries, in its entry's DependsOn order (null for one without), as of
    // index generation `providers_generation` and resource set `providers_epoch`
    // (providers_of()).
    mutable std::vector<const resource_rt*> providers;
    mutable std::uint64_t providers_generation = ~std::uint64_t{0};
    mutable std::uint64_t providers_epoch = ~std::uint64_t{0};
  };

  struct group_rt {
    group_state state = group_state::offline;
    bool failed_hold = false;  // failed with nowhere to go: kept down until retry or admin
    bool was_local = false;
    bool releasing = false;  // going offline to move
    std::vector<std::function<void()>> released;
    std::deque<time_ms> failovers;
    std::uint64_t lease_retry_timer = 0;  // an Online refused for the lease: reconcile again
  };

  struct monitor_rt {
    bool ready = false;
    int pid = 0;
    std::map<std::string, bool> types;        // type id -> loaded (false: loading)
    std::map<std::string, std::string> keys;  // monitor resource key -> resource id
  };

  // What a type told about itself once a monitor loaded it.
  struct type_facts {
    std::optional<required_dependencies> required;
    std::optional<std::uint32_t> resource_class;
  };

  struct pending_command {
    std::string monitor;
    std::function<void(const nlohmann::json&)> done;
  };

  // resource_manager.cpp
  resource_rt* find(const std::string& id);
  const resource_rt* find(const std::string& id) const;
  // Its entry in the index, looked up again only after the index changed: the states and
  // reconcile read a resource's entry many times for each input.
  const resource_entry* entry_of(const resource_rt& r) const;
  // The resource may be opened on this node now (its group is here, not leaving, and the
  // start gate is open).
  bool opens_here(const std::string& id);
  group_rt& group(const std::string& group_id);
  // The group is reconciled again lease_retry_ms from now (once, however often asked).
  void retry_after_lease(const std::string& group_id);
  std::string group_of(const std::string& id) const;  // "" for an unknown resource
  // The same without a copy, for reads that change nothing: valid until the index changes.
  const std::string& group_ref(const std::string& id) const;
  void set_state(resource_rt& r, resource_state s, const std::string& reason);
  void update_group_state(const std::string& group_id);
  resource_state shown_state(const resource_rt& r) const;
  bool provider_failed(const resource_rt& r, int depth) const;
  // Publishes a RESOURCE_STATE event when what is shown changed.
  // With `group_too` false the group's state is left for the caller to update.
  void refresh_shown(resource_rt& r, const std::string& reason, bool group_too = true);
  // The manager will bring it online without anyone asking again (wanted, not blocked,
  // providers on their way up).
  bool would_start(const resource_rt& r, int depth) const;
  // The resource's group is held down (failed with nowhere to go).
  bool held_down(const resource_rt& r) const;
  // find() of each of its direct providers, looked up again only after the index or the set
  // of resources changed: the state queries below walk the chains for every resource of a
  // group, often many times for one input.
  const std::vector<const resource_rt*>& providers_of(const resource_rt& r) const;
  // It is pending, or about to be moved by reconcile().
  bool transitioning(const resource_rt& r) const;
  void reconcile(const std::string& group_id);
  void reconcile_all();
  // The groups among `group_ids` that exist, in name order (as every listing).
  std::vector<std::string> in_name_order(const std::set<std::string>& group_ids) const;
  void clear_failure_memory(resource_rt& r);
  void check_shutdown_done();

  // resource_manager_monitor.cpp
  std::string wanted_monitor(const std::string& id) const;
  void send(const std::string& monitor_id, nlohmann::json command,
            std::function<void(const nlohmann::json&)> done = {});
  void ensure_open(resource_rt& r);
  void open_in_monitor(resource_rt& r);
  void close_in_monitor(resource_rt& r);
  void on_state_event(resource_rt& r, const nlohmann::json& event);
  void on_registry_event(resource_rt& r, const nlohmann::json& event);
  void stop_unused_monitors();
  void learn_type(const std::string& monitor_id, const std::string& type_id);

  // resource_manager_policy.cpp
  void resource_failed(resource_rt& r, const std::string& reason);
  void group_failed(const std::string& group_id, const std::string& cause);
  void schedule_retry(resource_rt& r);

  core_context& ctx_;
  database_manager& db_;
  const object_index& index_;

  std::map<std::string, resource_rt> resources_;  // by id: the order of every walk
  // database_replacing to database_replaced: what each resource's PersistentState said.
  std::map<std::string, bool> persistent_before_;
  // The same entries hashed, for find(): the manager looks resources up many times for each
  // input. Keys view the ids resources_ holds; add_resource and erase_resource keep both.
  using id_hash = word_hash;
  std::unordered_map<std::string_view, resource_rt*, id_hash, std::equal_to<>> resource_lookup_;
  resource_rt& add_resource(const std::string& id);
  void erase_resource(const std::string& id);
  std::uint64_t resource_epoch_ = 0;  // changes whenever a resource is added or erased
  // By id; never walked in an order that reaches an output (fence only resets flags). Never
  // erased, and hashed by node: an entry stays where it is (resource_rt::group).
  std::unordered_map<std::string, group_rt, id_hash, std::equal_to<>> groups_;
  std::uint64_t release_runs_ = 0;              // how often check_released has run callbacks
  std::map<std::string, monitor_rt> monitors_;  // by monitor id
  std::map<std::string, type_facts> types_;     // by type id
  std::map<std::string, std::vector<std::function<void(bool)>>> open_waiters_;  // by resource
  void notify_open_waiters(const std::string& id, bool open);
  std::map<std::int64_t, pending_command> commands_;
  // By id, as their owner said; hashed, never walked: every owner sends every member the state
  // of each of its objects after each view change, and each one is looked up here.
  std::unordered_map<std::string, resource_state, id_hash, std::equal_to<>> remote_resources_;
  std::unordered_map<std::string, group_state, id_hash, std::equal_to<>> remote_groups_;
  void check_released(const std::string& group_id);
  void arrive(const std::string& group_id);
  // The resource is wanted online: so are its providers, theirs, and so on.
  void want_providers(const std::string& id);
  void follow_ownership(const std::vector<std::string>& group_ids);
  bool wanted_by_persistent_state(const std::string& id) const;
  std::int64_t next_command_ = 1;
  bool started_ = false;
  bool shutting_down_ = false;
  std::function<void()> shutdown_done_;
};

}  // namespace wolfpack::cluster
