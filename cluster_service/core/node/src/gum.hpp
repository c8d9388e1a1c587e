// The global update manager (SPEC 5.3): every change to the cluster database goes through the
// locker (the lowest member), which orders it, applies it first, then sends it to every other
// member; the origin is answered once every member has it on disk. Requests that arrive
// together go in one batch (one message, one transaction per node), and up to two batches
// are out at once: the next is ordered while the members still write the last.
//
// All or none among survivors: the locker applies an update before anyone else, and when the
// membership changes the regroup makes every member take the newest database among them
// (membership_manager: source of the view), so an update that reached any survivor reaches
// all. An origin whose request was not answered sends it again to the new locker, and to the
// same locker after a heartbeat window (the request or its answer may have been lost on a
// link that dropped them without a view change); the (origin, request id) pair makes the
// second delivery a no-op, answered only once the first is on every member's disk. A request
// that applies nothing (refused, or no change) is answered at once, and that answer travels
// with the next update the locker orders: a database that holds a later update holds it too,
// and a new locker gives it again to a copy (answer_unapplied).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core_context.hpp"
#include "database_manager.hpp"
#include "membership.hpp"
#include "wolfpack/cluster_core/node_core.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster {

class gum_manager {
 public:
  gum_manager(core_context& ctx, database_manager& db, membership_manager& members);

  // Runs on every node after an update is applied: the events it carries are published
  // there (each node numbers its own event stream).
  std::function<void(const db_update& update, const nlohmann::json& events)> on_applied;
  // Runs on the locker right before it orders a request, against the database as the updates
  // ordered before it left it: a request that no longer holds there (a dependency that closes
  // a cycle with one asked at the same time through another node) is refused with its error.
  std::function<status(std::uint32_t origin, const std::vector<db_op>& ops)> check;

  // Orders `ops` as one global update. `done` gets the error (nothing changed), or success
  // once every member has the update on disk (at once when the ops change nothing).
  // `applied` (optional) runs when this node has applied the update, before it is durable
  // everywhere (or at once when the ops change nothing), never after an error.
  void propose(std::vector<db_op> ops, nlohmann::json events, std::function<void(status)> done,
               std::function<void()> applied = {});

  void peer_frame(std::uint32_t from, const nlohmann::json& frame);
  // A new view is installed (or this node lost it): recompute who must acknowledge, send
  // unanswered requests to the (new) locker, start ordering if this node is the locker.
  void view_changed();
  // Take `source`'s database: it is newer than this node's.
  void sync_from(std::uint32_t source);
  // What this node knows of the requests its database holds (applied, or answered without a
  // change), added to a frame that carries the database (a snapshot, a join's answer); the
  // node that takes the database takes it with it, in place of its own.
  void add_request_memory(nlohmann::json& frame) const;
  void take_request_memory(const nlohmann::json& frame);
  bool syncing() const { return syncing_.has_value(); }
  db_version version() const;
  std::size_t waiting() const { return own_.size(); }
  // Runs `f` once every request this node has proposed so far is answered (at once when none
  // is pending): what they change is then in this node's database.
  void after_own(std::function<void()> f);
  core_breaks breaks;  // test-only (node_core.hpp)

  // A gum_req whose frame failed the check (peer_frame_check) is answered, not dropped: its
  // origin would send it again every window and its client wait.
  void refuse_malformed(std::uint32_t from, std::uint64_t rid, const std::string& problem);

 private:
  struct request {
    std::uint32_t origin = 0;
    std::uint64_t rid = 0;
    std::vector<db_op> ops;
    nlohmann::json events;
    std::uint64_t base = 0;        // the origin's database seq its ops were computed on; 0: unknown
    std::uint64_t base_epoch = 0;  // and its GumEpoch then (0: unknown, an older origin)
  };
  struct own_request {
    std::vector<db_op> ops;
    nlohmann::json events;
    std::uint64_t base = 0;
    std::uint64_t base_epoch = 0;
    std::function<void(status)> done;
    std::function<void()> applied;
    bool sent = false;
    std::uint64_t sent_at = 0;  // ctx.now() of the last send
  };
  struct batch {
    std::uint64_t epoch = 0;
    std::uint64_t last_seq = 0;
    std::set<std::uint32_t> waiting;  // members that have not acknowledged
    bool durable_here = false;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> answer;  // (origin, rid)
    peer_frame_ptr frame;  // gum_apply, sent again to members that do not answer
  };

  void send_request(std::uint64_t rid, own_request& r);
  void resend_requests();
  void arm_request_timer();
  static nlohmann::json done_frame(std::uint64_t rid, const status& st);
  void answer(std::uint32_t origin, std::uint64_t rid, const status& st);
  void answer_unapplied(std::uint32_t origin, std::uint64_t rid, const status& st);
  void keep_unapplied(std::uint32_t origin, std::uint64_t rid, const status& st);
  void keep_unapplied(const nlohmann::json& answers);
  void forget_unapplied();
  // The answer the database records for a request (applied or answered without a change:
  // success; refused: its error), or nullopt when it records none (record_answers).
  std::optional<status> recorded_answer(std::uint32_t origin, std::uint64_t rid) const;
  // Adds to an update the ops that record its request as applied and the refusals since the
  // last update.
  void record_answers(std::vector<db_op>& ops, std::uint32_t origin, std::uint64_t rid) const;
  void ack_when_durable(std::uint32_t to, std::uint64_t epoch, std::uint64_t seq);
  void on_done(std::uint64_t rid, const nlohmann::json& frame);
  void on_request(std::uint32_t from, const nlohmann::json& frame);
  void order_next();
  void finish_batches();
  void resend_batches();
  void on_apply(std::uint32_t from, const nlohmann::json& frame);
  void on_ack(std::uint32_t from, const nlohmann::json& frame);
  void on_fetch(std::uint32_t from);
  void on_snapshot(std::uint32_t from, const nlohmann::json& frame);
  void remember(std::uint32_t origin, std::uint64_t rid);
  bool seen(std::uint32_t origin, std::uint64_t rid) const;
  // Whether the database has every value `ops` set (nothing later changed them).
  bool values_hold(const std::vector<db_op>& ops) const;
  status apply_here(db_update update, const nlohmann::json& events, std::uint32_t origin,
                    std::uint64_t rid, std::function<void()> durable);

  core_context& ctx_;
  database_manager& db_;
  membership_manager& members_;

  std::map<std::uint64_t, own_request> own_;  // this node's unanswered requests, by rid
  std::uint64_t next_rid_ = 1;
  std::uint64_t request_timer_ = 0;  // sends again what the locker has not answered
  // after_own(): the callback, and the newest rid it waits for.
  std::vector<std::pair<std::uint64_t, std::function<void()>>> own_waiters_;
  void run_own_waiters();
  // The locker's side.
  bool in_flight(std::uint32_t origin, std::uint64_t rid) const;
  void enqueue(request r);
  void drop_queue();
  void drop_batches();  // and their timer
  void start_catch_up();
  void ask_catch_up();
  void finish_catch_up();
  void drop_catch_up();
  void on_catch_up(std::uint32_t from);
  std::deque<request> queue_;
  std::deque<batch> batches_;  // out, oldest first
  // (origin, rid) queued or awaiting its batch's acknowledgements (in_flight()).
  std::set<std::pair<std::uint32_t, std::uint64_t>> in_flight_;
  // Per other node: the rid it is taken up to (its requests are queued in rid order), and
  // those that came ahead of an earlier one, held until it comes.
  std::map<std::uint32_t, std::uint64_t> next_rid_of_;
  std::map<std::uint32_t, std::map<std::uint64_t, request>> held_;
  // Answers to other nodes' requests that applied nothing (refused, or no change), oldest
  // first, as the updates and databases this node took carried them (and on the locker, as
  // it gave them): a request sent again gets the same answer (answer_unapplied).
  std::map<std::pair<std::uint32_t, std::uint64_t>, status> unapplied_;
  std::deque<std::pair<std::uint32_t, std::uint64_t>> unapplied_order_;
  // The locker's answers of that kind since the last update it ordered: the next one carries
  // them, as [origin, rid] (no change) or [origin, rid, error].
  nlohmann::json unapplied_out_ = nlohmann::json::array();
  // After a view change: members not yet known to have this node's database up to
  // catch_up_seq_, and the requests found already applied, answered once none is left.
  std::set<std::uint32_t> catch_up_;
  std::uint64_t catch_up_seq_ = 0;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> deferred_seen_;
  std::uint64_t catch_up_timer_ = 0;
  bool ordering_ = false;  // order_next() is running: requests proposed meanwhile join its batch
  std::uint64_t batch_timer_ = 0;  // resends what the members have not acknowledged
  // Recently applied (origin, rid), oldest first: a request sent twice is applied once.
  std::deque<std::pair<std::uint32_t, std::uint64_t>> recent_order_;
  // The lists an API request edits by rewriting them whole (a group's Contains, a resource's
  // DependsOn and PossibleOwners), by the seq of the update that last wrote them, for the
  // last updates applied here: a request computed on an older copy of one is refused
  // (stale_list_edit).
  std::deque<std::pair<std::uint64_t, std::vector<std::string>>> list_writes_;
  // list_writes_ holds every update after this seq: the database this process started on or
  // took whole, or the last entry dropped to keep the memory bounded. A request computed on an
  // older copy may have missed a write this node never saw, so one that rewrites a list is
  // refused too.
  std::uint64_t list_memory_from_ = 0;
  // The GumEpoch after each update since list_memory_from_ that changed it, by seq, the first
  // entry the one in effect then: a request's (base, base_epoch) is of this node's history
  // only when the epoch in effect at its base here is the same.
  std::deque<std::pair<std::uint64_t, std::uint64_t>> epochs_;
  void restart_list_memory();
  // Past list_writes_kept entries in list_writes_ or epochs_, the oldest goes and the memory
  // starts after it.
  void bound_list_memory();
  bool of_this_history(std::uint64_t base, std::uint64_t base_epoch) const;
  void note_list_writes(std::uint64_t seq, const std::vector<db_op>& ops);
  std::optional<std::string> stale_list_edit(const request& r) const;
  std::set<std::pair<std::uint32_t, std::uint64_t>> recent_;
  std::optional<std::uint32_t> syncing_;  // the node this one takes the database from
  std::uint64_t sync_timer_ = 0;
};

}  // namespace wolfpack::cluster
