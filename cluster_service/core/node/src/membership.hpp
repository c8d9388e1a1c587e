// The node manager of one node (SPEC 5.1, 5.2, 5.5): heartbeats, suspicion, regroup and the
// quorum check. Its product is the view: an epoch and the members that agreed on it. Only a
// node in a view with quorum may own groups; the lease it renews for its monitors depends on
// it (docs/semantics.md, "Fencing").
//
// Regroup is driven by a coordinator (the lowest node id a node can hear, itself included),
// with ballots (round, coordinator) so that two coordinators never install different members
// under one epoch: a node answers a query only for a ballot at least as high as any it has
// promised, and accepts only the commit of the ballot it promised. The coordinator keeps the
// largest fully connected set that contains itself and commits it only with quorum.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster_identity.hpp"
#include "core_context.hpp"
#include "database_manager.hpp"
#include "object_index.hpp"
#include "quorum_manager.hpp"
#include "wolfpack/cluster_core/node_core.hpp"

namespace wolfpack::cluster {

struct ballot {
  std::uint64_t round = 0;
  std::uint32_t coordinator = 0;
  auto operator<=>(const ballot&) const = default;
};

struct cluster_view {
  std::uint64_t epoch = 0;
  std::vector<std::uint32_t> members;  // ascending
  bool contains(std::uint32_t id) const;
};

// How new a database is: the epoch of the view that wrote its last update, then its seq.
struct db_version {
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  auto operator<=>(const db_version&) const = default;
};

// Who votes, as one database says: the configured nodes by id with their NodeWeight, and
// the witness's resource id (empty: none; it votes once).
struct vote_config {
  std::vector<std::pair<std::uint32_t, std::uint64_t>> weights;  // by id
  std::string witness;
  bool contains(std::uint32_t id) const;
  // More than half of all votes: `members`' weights, plus the witness's when they hold it.
  bool has_quorum(const std::vector<std::uint32_t>& members, bool holding_witness) const;
};

class membership_manager {
 public:
  membership_manager(core_context& ctx, const core_config& config, database_manager& db,
                     const object_index& index, quorum_manager& quorum);

  // ---- wiring (set by node_core) ----
  // A view with quorum that contains this node was installed (members may have left or come).
  std::function<void(const cluster_view& old_view)> on_view;
  // This node may no longer run resources: it lost quorum, was removed, or was frozen past
  // the heartbeat window. Runs before anything else happens to its resources.
  std::function<void(const std::string& why)> on_fenced;
  // A join request reached this node as sponsor: {name, address, temp}.
  std::function<void(std::uint32_t from, const nlohmann::json& request)> on_join_request;
  // The sponsor accepted this node: its id and the cluster's database are in the answer.
  std::function<void(const nlohmann::json& accept)> on_join_accepted;
  // The installed view's newest database is `source`'s and this node's differs.
  std::function<void(std::uint32_t source, db_version version)> on_sync_needed;
  // What this node's database is (epoch of its last update, seq).
  std::function<db_version()> db_version_of;

  bool multi_node() const { return !config_.peer_address.empty(); }
  std::uint32_t self() const { return self_; }
  const cluster_view& view() const { return view_; }
  // In an installed view with quorum, not fenced.
  bool active() const { return active_; }
  // Active and no regroup under way: global updates may be ordered and applied.
  bool settled() const;
  bool joining() const { return joining_; }
  // The lowest member: orders global updates and places groups.
  std::uint32_t locker() const;
  std::string state_of(std::uint32_t node) const;  // "Up", "Down", "Joining"
  // When this node last heard `node` (its own start when never).
  time_ms last_heard(std::uint32_t node) const;
  // SameSubnetDelay and SameSubnetThreshold: the database's (every node applies a change in
  // the same global update), or the node's --heartbeat-ms and --threshold before it has
  // them.
  std::uint32_t heartbeat_ms() const { return heartbeat_ms_; }
  std::uint32_t threshold() const { return threshold_; }
  std::uint32_t window_ms() const { return heartbeat_ms_ * threshold_; }
  // The lease L is the window. While a change of it is recent, nodes may still use either
  // value: a lease is granted for the shorter, and waited out for the longer, so that no
  // node waits out less than another holds (docs/semantics.md, "Fencing by lease").
  std::uint32_t granted_lease_ms() const;
  std::uint32_t awaited_lease_ms() const;
  // Reads the heartbeat settings from the database when it changed (after every input, and
  // with `replaced` after the database was replaced). True when that moved the start gate.
  bool check_timing(bool replaced = false);
  // How long after a lost or failed arbitration this node waits before it challenges again.
  std::uint32_t witness_retry_ms() const { return std::max<std::uint32_t>(4 * window_ms(), 2000); }
  // Until when this node must not start (open or bring online) any resource: a node left
  // out of the installed view, or one whose database was stale, may still hold a lease for up
  // to L after the view was installed (docs/semantics.md, "Fencing"). 0: no wait.
  time_ms start_gate() const { return start_gate_; }

  // ---- inputs ----
  // After the database is loaded. `configured`: this node is in the database's Nodes.
  void start(bool configured);
  void peer_frame(std::uint32_t from, const nlohmann::json& frame);
  void peer_link(std::uint32_t node, bool up, const std::string& reason);
  void heartbeat(std::uint32_t from, const nlohmann::json& body);
  // The database changed (nodes may have been added, removed or re-addressed).
  void nodes_changed();
  // The joiner learned its id (after the sponsor's accept was applied).
  void adopt_id(std::uint32_t id);
  // Before every input: a node that did not run for longer than the heartbeat window (it was
  // stopped) fences itself first.
  void check_stall();
  // Ask for a regroup now (a member could not apply or answer).
  void suspect(std::uint32_t node, const std::string& why);
  // The witness this node held was lost (quorum_manager::on_lost).
  void witness_lost(const std::string& why);
  // A clean stop, called once every resource here is down and nothing more will start: tells
  // the members, so that the view without this node need not wait out its lease
  // (docs/semantics.md, "A clean stop").
  void leave();
  // The service is stopping (a clean stop began): said in every heartbeat from now on and at
  // once to each member, so that no group is placed here meanwhile.
  void stopping();
  // The members of the view that may be given groups: those not stopping.
  std::vector<std::uint32_t> hosts() const;
  // The member that says it holds the witness (this node included), or 0.
  std::uint32_t witness_holder() const;

  void send(std::uint32_t node, nlohmann::json frame);
  // The same frame to several nodes without a copy for each.
  void send(std::uint32_t node, const peer_frame_ptr& frame);
  // To every other member, one frame shared by all.
  void broadcast(nlohmann::json frame);
  // Answer a temporary (joining) id: its address is known from its request.
  void remember_temp(std::uint32_t temp, const std::string& address);

 private:
  struct peer_info {
    time_ms heard = 0;  // last heartbeat
    bool ever = false;
    bool link_down = false;  // strong hint: its process is gone
    std::uint64_t epoch = 0;
    std::vector<std::uint32_t> members;
    bool member_of_its_view = false;
    std::string address;    // where it says it listens (its database entry may be older)
    std::uint64_t seq = 0;  // of its last heartbeat
    // The lease's evidence: when this node sent the newest of its heartbeats that this peer
    // echoed while it was a member of `echo_epoch` and had promised no newer ballot.
    time_ms echo_sent = 0;
    std::uint64_t echo_epoch = 0;
    bool witness = false;         // its last heartbeat says it holds the witness
    bool echo_witness = false;    // and so did the one that carried echo_sent
    db_version ver;               // its database, as its last heartbeat said
    std::uint32_t window_ms = 0;  // its heartbeat window, as its last heartbeat said
    // The configured node ids its database had (sorted) and that database's version, as the
    // last heartbeat that carried them said (send_heartbeat: while it hears nodes outside its
    // view). A node whose own database is older learns the newer configuration from them.
    std::vector<std::uint32_t> nodes;
    db_version nodes_ver;
    bool described = false;
    bool outsider_logged = false;
    // The view in which it said its service is stopping (0: it did not). Bound to a view and
    // to its connection, so that a late datagram of an older process never marks a new one.
    std::uint64_t stopping_epoch = 0;
  };
  struct round_state {
    ballot b;
    std::map<std::uint32_t, std::set<std::uint32_t>> sees;  // replier -> nodes it hears
    std::map<std::uint32_t, db_version> versions;
    std::map<std::uint32_t, vote_config> configs;  // each replier's database's
    std::set<std::uint32_t> witness;               // repliers (or this node) that hold the witness
    std::set<std::uint32_t> expected;
    std::uint64_t timer = 0;
  };

  void tick();
  void send_heartbeat();
  void emit_peers();
  std::set<std::uint32_t> alive() const;
  bool heard_recently(std::uint32_t node, time_ms within) const;
  std::uint32_t coordinator() const;
  bool needs_regroup(std::string& why) const;
  void start_round(const std::string& why);
  void finish_round();
  void no_quorum(const round_state& r, const std::vector<std::uint32_t>& members,
                 const std::string& why);
  void commit_with_witness(const round_state& r, const std::vector<std::uint32_t>& members);
  void commit_round(const round_state& r, const std::vector<std::uint32_t>& members);
  std::vector<std::uint32_t> newest_members(const round_state& r,
                                            const std::vector<std::uint32_t>& members) const;
  static db_version version_in(const round_state& r, std::uint32_t node);
  nlohmann::json witness_record(std::uint64_t epoch,
                                const std::vector<std::uint32_t>& members) const;
  void on_query(std::uint32_t from, const nlohmann::json& f);
  void on_info(std::uint32_t from, const nlohmann::json& f);
  void on_commit(std::uint32_t from, const nlohmann::json& f);
  void install(const cluster_view& v, std::uint32_t source, db_version newest, bool uniform);
  void fence(const std::string& why);
  // More than half of all votes of this node's database (vote_config::has_quorum).
  bool has_quorum(const std::vector<std::uint32_t>& members, bool witness) const;
  vote_config votes() const;
  // The newest configuration this node knows of: its own database's, or one that a peer heard
  // within the heartbeat window described with a newer version (peer_info::nodes).
  struct described_config {
    db_version ver;
    const std::vector<std::pair<std::uint32_t, std::uint64_t>>* own = nullptr;
    const std::vector<std::uint32_t>* peer = nullptr;
    bool lists(std::uint32_t id) const;
  };
  described_config newest_config() const;
  // This node's database version, read again only after the database changed (every
  // heartbeat asks for it, and the epoch is a value of the tree).
  db_version my_version() const;
  mutable db_version version_;
  mutable std::optional<std::uint64_t> version_generation_;
  // Some peer described a configuration newer than this node's database (peer_info::nodes):
  // until none does, newest_config() walks the peers; in a settled cluster it need not.
  mutable bool described_newer_ = false;
  // A peer heard, not in the newest configuration this node knows of, with a database no newer
  // than that configuration's: an evicted node started again with its old database. It has no
  // vote, is not alive, and its regroup frames are ignored.
  bool outsider(std::uint32_t node) const;
  bool outsider(std::uint32_t node, const described_config& newest) const;
  // A node not in this node's view (a joiner, a node back, an outsider) is heard.
  bool hears_outside_view() const;
  // The outsiders this node hears: said in its heartbeats, so that they learn it.
  std::vector<std::uint32_t> outsiders_heard(const described_config& newest) const;
  // A peer whose configuration is at least as new as this node's database says this node is an
  // outsider.
  void told_outsider(std::uint32_t by);
  // Members chosen for a round's view, counted against `votes` (finish_round).
  std::vector<std::uint32_t> prune(const round_state& r, const vote_config& votes) const;
  // A round's members lack a node majority but the witness would give them quorum.
  void arbitrate_witness(const std::vector<std::uint32_t>& members);
  // The locker of a view with a witness holds it, so that losing any other node needs no
  // arbitration and no wait.
  void keep_witness();
  void ask_for_witness();
  void record_view();
  std::uint64_t weight(std::uint32_t node) const;
  // The configured nodes (by id) with their weights, read again only after the database
  // changed: every heartbeat asks for quorum once for each member (renew_lease), which with
  // many nodes read the whole Nodes key each time.
  const std::vector<std::pair<std::uint32_t, std::uint64_t>>& configured_weights() const;
  // May this node's heartbeats echo its peers' (vouch for their leases)?
  bool vouching() const;
  void renew_lease();
  // The end of the last lease given (renew_lease), for monitors that start later.
  time_ms lease_end_ = 0;

 public:
  // A monitor got ready: the current lease again, if it has not ended, so that the new
  // monitor holds what the others hold (the monitors start without one).
  void resend_lease();

 private:
  void send_join();
  // promised_ changed: keep it on disk before anything else goes out.
  void keep_promise();

  core_context& ctx_;
  const core_config& config_;
  database_manager& db_;
  const object_index& index_;
  quorum_manager& quorum_;
  mutable std::vector<std::pair<std::uint32_t, std::uint64_t>> weights_;
  mutable std::optional<std::uint64_t> weights_generation_;

  std::uint32_t self_ = 0;
  std::uint32_t temp_id_ = 0;
  bool joining_ = false;
  bool started_ = false;
  bool active_ = false;
  cluster_view view_;
  ballot promised_;
  std::uint64_t kept_epoch_ = 0;      // the promise on disk
  std::uint64_t max_epoch_seen_ = 0;  // an epoch (epoch_of a ballot), not a round
  std::map<std::uint32_t, peer_info> peers_;
  std::map<std::uint32_t, std::string> temp_addresses_;
  std::map<std::uint32_t, std::string> sent_addresses_;
  std::uint32_t sent_self_ = 0;
  cluster_identity sent_identity_;
  std::optional<round_state> round_;
  time_ms started_at_ = 0;
  time_ms installed_at_ = 0;
  time_ms last_tick_ = 0;
  time_ms next_round_ = 0;
  time_ms ignore_evidence_until_ = 0;
  std::uint64_t tick_timer_ = 0;
  std::uint64_t hb_seq_ = 0;
  std::map<std::uint64_t, time_ms> hb_sent_;  // the recent heartbeats' send times, by seq
  time_ms promised_at_ = 0;
  time_ms start_gate_ = 0;
  std::uint32_t heartbeat_ms_ = 1000;
  std::uint32_t threshold_ = 5;
  std::uint64_t timing_seq_ = ~std::uint64_t{0};  // db seq when the settings were last read
  // Windows that may still be in use elsewhere after recent changes: the shortest and the
  // longest, until `recent_windows_until_`.
  std::uint32_t recent_window_min_ = 0;
  std::uint32_t recent_window_max_ = 0;
  time_ms recent_windows_until_ = 0;
  time_ms gate_lease_ = 0;   // the lease the start gate was set for
  time_ms gate_set_at_ = 0;  // ... at the install that set it (0: none did)
  db_version newest_;        // the installed view's newest database
  bool fenced_since_view_ = true;
  // Members that said they left cleanly: the epoch of the view they left, and when.
  struct leaver {
    std::uint64_t epoch = 0;
    time_ms at = 0;
  };
  std::map<std::uint32_t, leaver> left_;
  bool stopping_ = false;
  void on_leave(std::uint32_t from, const nlohmann::json& f);
  // A member's process is gone (its connection closed, or it left): logs `what` and asks for
  // a regroup for `why`, once per loss.
  void gone(std::uint32_t node, const std::string& what, const std::string& why);
  bool left_cleanly(std::uint32_t node, std::uint64_t epoch) const;
  std::size_t join_attempt_ = 0;
  // The last view written into the witness record (epoch, members), and a write under way.
  std::pair<std::uint64_t, std::vector<std::uint32_t>> recorded_;
  bool recording_ = false;
  std::vector<std::uint32_t> round_members_;  // the round that waits for the arbitration
  time_ms next_witness_try_ = 0;
  // Until when this node counts as told that it is not in the cluster's configuration, and
  // by whom (told_outsider): it starts no regroup meanwhile.
  time_ms outsider_until_ = 0;
  std::uint32_t outsider_by_ = 0;
  // Since when the installed view has no quorum of the configuration a global update grew (a
  // node joined and is not in the view yet): nothing more is ordered, and a regroup follows
  // (0: it has quorum).
  time_ms short_of_quorum_since_ = 0;
};

}  // namespace wolfpack::cluster
