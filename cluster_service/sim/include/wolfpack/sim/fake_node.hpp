// A deterministic driver for wolfpack::cluster::node_core in unit tests: a virtual clock, the
// timers the core arms, scripted resource monitors that answer like resrcmon
// (docs/monitor-protocol.md), a database that acknowledges writes, and the API's answers and
// events collected for assertions. No process, socket or thread.
//
// Inputs are delivered in FIFO order at the current virtual time; a monitor's answers to a
// command join the back of the queue (unless held), as do database acknowledgements. Timers
// fire only when the clock reaches them (advance()), earliest first.
//
// fake_cluster drives several of these on one clock: it sets the clock (set_clock), queues
// inputs from the network (enqueue) and receives the outputs meant for other nodes through
// the peer hook. The fake monitors honour the lease the core renews (out_renew_lease) the way
// resrcmon does (docs/monitor-protocol.md, "Lease").
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_core/core_io.hpp"
#include "wolfpack/cluster_core/node_core.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/sim/fake_witness.hpp"
#include "wolfpack/sim/fake_witness_resource.hpp"

namespace wolfpack::cluster::sim {

struct api_result {
  int status = 0;  // 0: no answer (yet)
  nlohmann::json body;

  // body["error"]["code"], or 0 when the body is not an error.
  std::uint32_t error_code() const;
};

// One command frame the core sent to a monitor.
struct sent_command {
  time_ms at = 0;
  std::string monitor;
  nlohmann::json command;
  bool delivered = false;  // false: the monitor was not running/ready, the frame was dropped

  std::string type() const { return command.value("type", ""); }
  std::string resource() const { return command.value("resource", ""); }
};

// What a fake monitor did with a resource: a command that reached it (ran: the plugin was
// called; false: refused without a call because the lease had run out), or a Terminate the
// monitor decided by itself. The split-brain checks read these.
struct monitor_call {
  time_ms at = 0;
  std::string monitor;
  std::string resource;
  std::string type;  // "open", "online", "offline", "terminate", "close", "resource_control", ...
  // "command"; "lease": the lease ran out; "parent_lost": the node's process died;
  // "exit": the node exited (the runtime shuts its monitors down).
  std::string cause = "command";
  bool ran = true;
};

struct fake_node_options {
  std::string node_name = "node1";
  std::string cluster_name = "wolfpack";
  std::uint64_t seed = 1;
  // What the node's store loaded: an empty tree and 0 for a new node.
  db_tree tree{};
  std::uint64_t seq = 0;
  std::uint64_t promised_epoch = 0;  // what out_keep_promise kept
  time_ms start_time = 1000;

  // ---- many nodes (fake_cluster fills these; no peer_address: a single node) ----
  std::string peer_address{};
  std::vector<std::string> join{};
  std::uint32_t heartbeat_ms = 1000;
  std::uint32_t threshold = 5;
  std::uint32_t lease_margin_ms = 50;
  core_breaks breaks{};

  // Whether events() and command_log() keep what came out, for tests to read. A long
  // simulated run reads neither, and keeping every event and command only costs it; without
  // it the core is configured without events (core_config::events) and builds none.
  bool keep_history = true;
  // Whether a frame or heartbeat the core drops as malformed is an error (a throw): every one
  // the simulation carries was sent by a node. Tests that send broken frames on purpose turn
  // it off.
  bool strict_frames = true;
  // Whether a frame the core could not read at all (its last-resort catch) is an error: in the
  // simulation always; a test that checks the catch itself turns it off.
  bool unreadable_is_error = true;

  // ---- the store: 0 acknowledges a write at once; more makes each write durable that many
  // ms after it was issued (in seq order), so that a crash in between loses it.
  time_ms store_delay_ms = 0;

  // ---- the quorum witness: with `witness`, the type `witness_type` is registered with the
  // others and is quorum capable, and the quorum monitor runs its resources as the plugin
  // does (fake_witness_resource), as process `process` of the storage's clients.
  fake_witness* witness = nullptr;
  std::string witness_type{};
  fake_witness::process process{1, 1};
};

// A resource as one fake monitor knows it.
struct fake_resource {
  std::string type;
  std::string state = "Offline";
  std::uint32_t pending_timeout_ms = 180000;  // from the open's timing
  std::optional<time_ms> pending_until;       // a hung online fails at this time
};

class fake_node {
 public:
  explicit fake_node(fake_node_options options = {});
  ~fake_node();
  fake_node(const fake_node&) = delete;
  fake_node& operator=(const fake_node&) = delete;

  node_core& core() { return *core_; }
  const node_core& core() const { return *core_; }
  time_ms now() const { return now_; }

  // ---- driving -------------------------------------------------------------------------
  // Delivers one input now (queued behind anything already queued) and runs until idle.
  void deliver(input in);
  // in_start, then everything that follows (monitor hello, opens, persistent onlines).
  void start();
  // in_shutdown and everything that follows.
  void shutdown();
  // Delivers queued inputs and fires due timers until nothing is left to do at this time.
  void run_until_idle();
  // Moves the clock `ms` forward, firing timers in (time, id) order, each at its time, and
  // running until idle after each.
  void advance(time_ms ms);
  // Advances to the earliest armed timer (if it is within `limit` ms) and fires it.
  bool fire_next_timer(time_ms limit = 1000ull * 3600 * 24);

  // ---- driven from outside (fake_cluster) ------------------------------------------------
  // Outputs meant for other nodes (out_peers, out_send_peer, out_heartbeat) are passed to
  // the hook as they come out, in order. Without a hook they are dropped (no peers).
  using peer_hook = std::function<void(output&&)>;
  void set_peer_hook(peer_hook hook) { peer_hook_ = std::move(hook); }
  // The last out_peers (self 0 and no addresses before any).
  const out_peers& peers() const { return peers_; }
  // Moves the clock to `now` (never back) without delivering or firing anything.
  void set_clock(time_ms now);
  // Queues an input without running it.
  void enqueue(input in) { queue_.push_back(std::move(in)); }
  // Nothing queued, no timer due, no monitor lease run out at the current time.
  bool idle() const;
  // The earliest armed timer, and the earliest lease deadline of a monitor not yet fenced.
  std::optional<time_ms> next_timer() const;
  std::optional<time_ms> next_lease_deadline() const;
  // The earliest time a monitor acts by itself (a lease or a PendingTimeout runs out), and
  // when the store finishes its next write (store_delay_ms).
  std::optional<time_ms> next_monitor_deadline() const;
  std::optional<time_ms> next_store_completion() const;
  // What the monitors do by themselves at the current time (expire_leases, then pending
  // operations that outlived PendingTimeout); nothing is delivered. True when one did.
  bool run_monitor_deadlines();
  // The quorum monitor's witness plugin acts by itself (its defense, a challenge, polls) at
  // this time; nullopt when it has nothing to do. It is stopped with its node (a freeze stops
  // the whole process group: docs/semantics.md, "The witness and the lease"), so only a
  // running node runs it (in run_until_idle).
  std::optional<time_ms> next_witness_deadline() const;
  // Monitors whose lease has run out by now terminate their resources and queue their
  // lease_expired and state frames; nothing is delivered (the node may be frozen). True when
  // one did.
  bool expire_leases();
  // The node's process is gone (cause "parent_lost") or exited ("exit"): every monitor
  // terminates what is not offline and exits; queued inputs, held frames, timers and writes
  // not yet durable are lost. The fake_node must not be driven afterwards.
  // With `machine` the whole machine died: the quorum monitor dies too without giving up the
  // reservation, which lapses unrenewed (otherwise the monitor terminates the witness, which
  // releases it).
  void end_process(const std::string& cause, bool machine = false);

  // ---- the API -------------------------------------------------------------------------
  // Sends a request ("/groups/G/online", body null for none) and runs until idle; the answer
  // (status 0 when there is none yet, e.g. a write is held).
  api_result api(const std::string& method, const std::string& path, nlohmann::json body = nullptr);
  // Sends a request without running; returns its id.
  std::uint64_t api_async(const std::string& method, const std::string& path,
                          nlohmann::json body = nullptr);
  std::optional<api_result> response(std::uint64_t request_id) const;
  const api_result* find_response(std::uint64_t request_id) const;  // null: none yet

  // ---- what came out -------------------------------------------------------------------
  const std::vector<nlohmann::json>& events() const { return events_; }
  void clear_events() { events_.clear(); }
  // Events of one kind, optionally for one object name.
  std::vector<nlohmann::json> events_of(const std::string& kind,
                                        const std::string& name = "") const;
  // The "state" of each event of `kind` for `name`, in order.
  std::vector<std::string> states_of(const std::string& kind, const std::string& name) const;
  const std::vector<out_log>& logs() const { return logs_; }
  bool logged(const std::string& fragment) const;
  const std::optional<out_exit>& exit() const { return exit_; }
  // Updates written (out_write_db without `replace`), and the seqs of whole-database
  // replacements (a joiner taking its sponsor's database).
  const std::vector<db_update>& db_writes() const { return db_writes_; }
  const std::vector<std::uint64_t>& db_replacements() const { return db_replacements_; }
  // core().database().hash(), computed again only after the core changed its database (each
  // change comes out as an out_write_db, counted above): the end checks compare every
  // node's hash at every event while they wait for the nodes to agree.
  const std::string& database_hash() const;
  const std::vector<std::string>& ensured_monitors() const { return ensured_; }
  const std::vector<std::string>& stopped_monitors() const { return stopped_; }
  // Timers armed and not yet fired or cancelled: id -> time.
  const std::map<std::uint64_t, time_ms>& timers() const { return timers_; }

  // Every command sent to a monitor, in order.
  const std::vector<sent_command>& command_log() const { return commands_; }
  void clear_command_log() { commands_.clear(); }
  // "online A", "offline B", "load_type Dummy", ... for the commands of the given types (all
  // types when empty), optionally since index `from` of the log.
  std::vector<std::string> command_trace(const std::set<std::string>& types = {},
                                         std::size_t from = 0) const;
  std::vector<sent_command> commands_of(const std::string& type,
                                        const std::string& resource = "") const;
  // What the monitors did with resources, in order (see monitor_call).
  const std::vector<monitor_call>& monitor_calls() const { return calls_; }
  // Called with each monitor_call as it is made (before the monitor's state changes).
  using call_hook = std::function<void(const monitor_call&)>;
  void set_call_hook(call_hook hook) { call_hook_ = std::move(hook); }
  // Called after each input the core handled whose handling installed a new view.
  void set_view_hook(std::function<void()> hook) { view_hook_ = std::move(hook); }

  // Resource and group states as the core reports them (MSCS codes).
  int resource_state(const std::string& name) const { return core_->resource_state(name); }
  int group_state(const std::string& name) const { return core_->group_state(name); }

  // ---- scripting the monitors ------------------------------------------------------------
  // Whether out_ensure_monitor makes a stopped monitor say hello at once (default true).
  // When false the monitor starts but stays silent until ready_monitor().
  void set_auto_ready(bool on) { auto_ready_ = on; }
  // The monitor said hello (after it was started, or after kill_monitor).
  void ready_monitor(const std::string& monitor_id);
  // The monitor process dies: its resources and held frames are gone, in_monitor_exit is
  // delivered (and everything that follows). It stays down until ready_monitor().
  void kill_monitor(const std::string& monitor_id, const std::string& reason);
  // The monitors the core restarted (out_restart_monitor), in order.
  const std::vector<std::string>& restarted_monitors() const { return restarts_; }
  bool monitor_running(const std::string& monitor_id) const;
  // The fake monitor's view of a resource (nullptr when it does not know it).
  const fake_resource* monitor_resource(const std::string& monitor_id,
                                        const std::string& name) const;
  // The resource `name` in whichever running monitor has it (nullptr: none).
  const fake_resource* find_resource(const std::string& name) const;
  // Names of the resources the running monitors hold in `state`, sorted.
  std::vector<std::string> resources_in_state(const std::string& state) const;
  // Every running monitor and what it holds: "default [lease 1500]: R1 Online, R2 Online".
  std::string describe_monitors() const;

  // Online of `name` fails: OnlinePending, then Failed (code 4) and an ok=false response.
  void fail_online(const std::string& name, bool on = true);
  // Online of `name` stays OnlinePending (the plugin returned ERROR_IO_PENDING and never
  // reports): the test finishes it with report_state().
  void pend_online(const std::string& name, bool on = true);
  // Open of `name` fails (ok=false, ERROR_RESMON_CREATE_FAILED).
  void fail_open(const std::string& name, bool on = true);
  // Online of `name` hangs: OnlinePending until the resource's PendingTimeout, when the
  // monitor reports the operation timed out, fails it and terminates it (as resrcmon does).
  void hang_online(const std::string& name, bool on = true);
  // The resource fails by itself while online (IsAlive said FALSE): a state event Failed,
  // delivered now (or held, like any frame of its monitor), and the monitor terminates it.
  // False when the fake monitor has no such resource Online.
  bool inject_failure(const std::string& name, const std::string& reason = "IsAlive failed");
  // A state event for `name` from its monitor, whatever the fake believes.
  void report_state(const std::string& name, const std::string& state, int code,
                    const std::string& reason = "reported by the test");
  // What the runtime does on out_renew_lease: every running monitor's lease now ends at
  // `until` (a monitor whose lease had run out is fenced first, then usable again; an end
  // already past renews nothing).
  void renew_leases(time_ms until);
  // A monitor's lease deadline (nullopt: no lease yet), and whether it ran out (fenced).
  std::optional<time_ms> lease_deadline(const std::string& monitor_id) const;
  bool lease_expired(const std::string& monitor_id) const;

  // Answers resource_control: return a response frame (the id is filled in) or nullopt for
  // the default ok answer.
  using control_hook = std::function<std::optional<nlohmann::json>(
      const std::string& resource, std::uint32_t code, const nlohmann::json& command)>;
  void set_control_hook(control_hook hook) { control_hook_ = std::move(hook); }
  // What resource_type_control `code` of `type` answers in "out" (hex); "" by default.
  void set_type_control_out(const std::string& type, std::uint32_t code, std::string hex) {
    type_control_out_[{type, code}] = std::move(hex);
  }

  // Holding frames: frames from a monitor (all, or only those about one resource, or the
  // answer to loading one resource type: hold_resource with the type's name) wait until
  // released.
  void hold_monitor(const std::string& monitor_id, bool on = true);
  void hold_resource(const std::string& name, bool on = true);
  std::size_t held_count() const { return held_.size(); }
  // Releases held frames in the order they were produced (all when n is 0) and runs until
  // idle. Holding stays on for new frames unless turned off.
  void release_held(std::size_t n = 0);

  // ---- scripting the database ----------------------------------------------------------
  // Writes are acknowledged at once (ok) unless held; held writes wait for release_db(), and
  // while some are held later ones queue behind them (the store writes in seq order).
  void hold_db(bool on = true) { hold_db_ = on; }
  std::size_t held_db_count() const { return held_db_.size(); }
  void release_db();
  // The next write fails (ok=false with this error).
  void fail_next_db_write(std::string error) { fail_db_ = std::move(error); }

  // The fake store: what a restarted process would load. A write becomes durable when it is
  // acknowledged; it is applied to the stored tree as sqlite_store::commit would (an update
  // that does not apply, or, with peers, whose seq does not exceed the stored one, is
  // acknowledged ok=false and listed in store_errors()), or replaces it
  // (out_write_db::replace: sqlite_store::replace_all, any seq).
  const db_tree& stored_database() const { return stored_tree_; }
  std::uint64_t stored_seq() const { return stored_seq_; }
  // The last out_keep_promise, kept at once (the runtime writes it synchronously).
  std::uint64_t stored_promise() const { return stored_promise_; }
  const std::vector<std::string>& store_errors() const { return store_errors_; }

 private:
  struct fake_monitor {
    bool running = false;
    bool ready = false;
    std::set<std::string> types;
    std::map<std::string, fake_resource> resources;
    bool leased = true;                     // out_ensure_monitor::leased
    std::optional<time_ms> lease_deadline;  // none until the first renewal
    bool fenced =
        false;  // the lease ran out, or a leased monitor never had one, and no renewal since
    // False only when no resource has a pending_until (a scan found none, and no hang was
    // started since): the scans for hung onlines skip such a monitor.
    mutable bool maybe_pending = false;
  };
  struct held_frame {
    std::string monitor;
    std::string resource;
    nlohmann::json frame;
  };

  void handle_now(input in);
  void restart_monitor(const std::string& monitor_id, const std::string& reason);
  // A new process of the monitor says hello (queued); the old one's frames and state are gone.
  void start_monitor_process(const std::string& monitor_id);
  // The process ended: its state, held and unread frames go; a quorum monitor's witness is
  // released (a shutdown) or lapses (a death).
  void end_monitor_process(const std::string& monitor_id, bool released);
  void process(std::vector<output> outputs);
  void on_write_db(const out_write_db& write);
  void acknowledge_write(const out_write_db& write);
  std::optional<std::pair<time_ms, std::uint64_t>> due_timer() const;
  bool lease_due(const fake_monitor& m) const;
  bool pending_due(const fake_monitor& m) const;
  bool expire_pending();
  bool complete_due_writes();
  void fence(const std::string& monitor_id);
  void renew_lease(const std::string& monitor_id, time_ms until);
  void record_call(const std::string& monitor_id, const std::string& resource,
                   const std::string& type, const std::string& cause = "command", bool ran = true);
  void on_send(const std::string& monitor_id, const nlohmann::json& command);
  void emit_frame(const std::string& monitor_id, nlohmann::json frame);
  void state_frame(const std::string& monitor_id, const std::string& name, const std::string& state,
                   int code, const std::string& reason);
  void respond_frame(const std::string& monitor_id, const nlohmann::json& command, bool ok,
                     std::uint32_t status, nlohmann::json extra = nlohmann::json::object());
  std::string monitor_holding(const std::string& name) const;
  bool run_witness_deadlines();
  // The witness resource `name` in the quorum monitor (nullptr: not one).
  fake_witness_resource* witness_resource(const std::string& monitor_id, const std::string& name);
  void open_witness(const std::string& name, const nlohmann::json& command);

  std::unique_ptr<node_core> core_;
  time_ms now_ = 0;
  std::deque<input> queue_;
  std::map<std::uint64_t, time_ms> timers_;
  std::uint64_t next_request_ = 1;
  std::map<std::uint64_t, api_result> responses_;
  std::vector<nlohmann::json> events_;
  std::vector<out_log> logs_;
  std::optional<out_exit> exit_;
  std::vector<db_update> db_writes_;
  std::vector<std::uint64_t> db_replacements_;
  std::vector<std::string> ensured_;
  std::vector<std::string> stopped_;
  std::vector<std::string> restarts_;
  std::set<std::string> restarting_;  // restarted, their end not yet told to the core
  std::vector<sent_command> commands_;
  std::vector<monitor_call> calls_;
  peer_hook peer_hook_;
  out_peers peers_;
  bool multi_node_ = false;
  bool keep_history_ = true;
  bool strict_frames_ = true;
  bool unreadable_is_error_ = true;

  std::map<std::string, fake_monitor> monitors_;
  bool auto_ready_ = true;
  std::set<std::string> fail_online_;
  std::set<std::string> pend_online_;
  std::set<std::string> fail_open_;
  std::set<std::string> hang_online_;
  call_hook call_hook_;
  std::function<void()> view_hook_;
  std::uint64_t last_epoch_ = 0;
  control_hook control_hook_;
  std::map<std::pair<std::string, std::uint32_t>, std::string> type_control_out_;
  std::set<std::string> held_monitors_;
  std::set<std::string> held_resources_;
  std::deque<held_frame> held_;

  bool hold_db_ = false;
  std::deque<out_write_db> held_db_;
  time_ms store_delay_ms_ = 0;
  std::deque<std::pair<time_ms, out_write_db>> writing_;  // durable at .first
  std::optional<std::string> fail_db_;
  db_tree stored_tree_;
  // database_hash() as of (db_writes_.size(), db_replacements_.size()).
  struct hash_memo {
    std::size_t writes = 0;
    std::size_t replacements = 0;
    std::string hash;
  };
  mutable std::optional<hash_memo> hash_memo_;
  std::uint64_t stored_seq_ = 0;
  std::uint64_t stored_promise_ = 0;
  std::vector<std::string> store_errors_;

  fake_witness* witness_ = nullptr;
  std::string witness_type_;
  fake_witness::process process_;
  // The witness resources open in the quorum monitor, by name.
  std::map<std::string, std::unique_ptr<fake_witness_resource>> witness_resources_;
};

}  // namespace wolfpack::cluster::sim
