#include "gum.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "db_schema.hpp"
#include "wolfpack/cluster_db/db_path.hpp"
#include "wolfpack/common/json_member.hpp"

namespace wolfpack::cluster {

namespace {

// The epoch of the view that wrote the last update: with the seq it says how new a database
// is (an update applied by a locker that was cut off never counts as newer than what the
// next view committed).
constexpr const char* gum_epoch_value = "GumEpoch";
constexpr std::size_t recent_limit = 8192;
// Batches out at once: enough that the members' writes of one overlap the ordering of the
// next; a member that lags more only delays its answers. Four (until session 12) made
// smaller batches, so more fsyncs per update, for no more throughput under bench/gum.
constexpr std::size_t max_batches_out = 2;

nlohmann::json ops_json(const std::vector<db_op>& ops) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& op : ops)
    out.push_back(to_json(op));
  return out;
}

result<std::vector<db_op>> parse_ops(const nlohmann::json& j) {
  if (!j.is_array())
    return fail("field 'ops' must be an array");
  std::vector<db_op> ops;
  for (std::size_t i = 0; i < j.size(); ++i) {
    auto op = parse_db_op(j[i]);
    if (!op)
      return fail("op " + std::to_string(i) + ": " + op.error());
    ops.push_back(std::move(*op));
  }
  return ops;
}

// The events a request carries, published by every node that applies it: objects, and the
// members core_state reads of an internal one are strings. A request with others is refused
// rather than ordered: every member would meet them after the update is applied.
status check_events(const nlohmann::json& events) {
  if (!events.is_array())
    return fail("field 'events' must be an array");
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (!e.is_object())
      return fail("event " + std::to_string(i) + " must be an object");
    for (const char* member : {"internal", "group"}) {
      if (const auto it = e.find(member); it != e.end() && !it->is_string())
        return fail("event " + std::to_string(i) + ": member '" + member + "' must be a string");
    }
  }
  return {};
}

// An (origin, rid) pair as frames carry it: the first two elements of an array.
std::optional<std::pair<std::uint32_t, std::uint64_t>> origin_rid(const nlohmann::json& j) {
  if (!j.is_array() || j.size() < 2 || !j[0].is_number_unsigned() || !j[1].is_number_unsigned())
    return std::nullopt;
  return std::pair{j[0].get<std::uint32_t>(), j[1].get<std::uint64_t>()};
}

// What the locker answered, kept in the database with the updates (docs/internals/multinode.md,
// "Exactly once"): per origin process (a rid's high bits are its process's random base), the
// highest rid applied, and the last refusals. A locker that restarted, or took its database
// from disk, knows from them that a request sent again was applied already: without them a
// creation sent again after the locker restarted was applied twice, bringing back the object
// a later deletion had removed (simulator seed 320466).
constexpr std::size_t refusals_kept = 16;
constexpr std::string_view applied_prefix = "GumApplied.";
constexpr std::string_view refused_prefix = "GumRefused.";

std::string process_of(std::uint32_t origin, std::uint64_t rid) {
  return std::to_string(origin) + "." + std::to_string(rid >> 31);
}

// An answer that applied nothing as updates and snapshots carry it: [origin, rid] for no
// change, [origin, rid, error] for a refusal.
nlohmann::json unapplied_entry(std::uint32_t origin, std::uint64_t rid, const status& st) {
  auto entry = nlohmann::json::array({origin, rid});
  if (!st)
    entry.push_back(st.error());
  return entry;
}

}  // namespace

gum_manager::gum_manager(core_context& ctx, database_manager& db, membership_manager& members)
    : ctx_(ctx),
      db_(db),
      members_(members),
      // Lockers remember (origin, rid) to answer a resent request without applying it again:
      // a restarted origin must not reuse the rids of its previous process, or its new
      // requests are taken for repeats and acknowledged without being applied.
      next_rid_((std::uint64_t{ctx.random_number(0xFFFFFFFFu)} << 31) + 1) {
  restart_list_memory();
}

void gum_manager::restart_list_memory() {
  list_writes_.clear();
  list_memory_from_ = db_.seq();
  epochs_.clear();
  epochs_.emplace_back(db_.seq(), version().epoch);
}

bool gum_manager::of_this_history(std::uint64_t base, std::uint64_t base_epoch) const {
  if (breaks.unordered_updates)
    return base >= list_memory_from_;  // broken on purpose: origins run ahead of the locker
  if (base > db_.seq() || base < list_memory_from_)
    return false;
  if (base_epoch == 0)
    return true;  // an origin of an older version, which does not say
  auto in_effect = epochs_.front().second;
  for (const auto& [seq, epoch] : epochs_) {
    if (seq > base)
      break;
    in_effect = epoch;
  }
  return in_effect == base_epoch;
}

db_version gum_manager::version() const {
  return {db_.tree().get_qword("", gum_epoch_value, 0), db_.seq()};
}

void gum_manager::remember(std::uint32_t origin, std::uint64_t rid) {
  if (!recent_.insert({origin, rid}).second)
    return;
  recent_order_.push_back({origin, rid});
  if (recent_order_.size() > recent_limit) {
    recent_.erase(recent_order_.front());
    recent_order_.pop_front();
  }
}

namespace {

// "groups\{id}\contains" for an op that rewrites one of the lists the API edits whole.
std::optional<std::string> edited_list(const db_op& op) {
  if (op.op != db_op::kind::set_value || op.value.type != value_type::multi_sz)
    return std::nullopt;
  const auto name = fold_case(op.name);
  auto parts = split_key_path(op.path);
  if (!parts || parts->size() != 2)
    return std::nullopt;
  const auto top = fold_case((*parts)[0]);
  const bool listed =
      (top == fold_case(schema::groups_key) && name == fold_case(schema::contains)) ||
      (top == fold_case(schema::resources_key) &&
       (name == fold_case(schema::depends_on) || name == fold_case(schema::possible_owners)));
  if (!listed)
    return std::nullopt;
  return top + "\\" + fold_case((*parts)[1]) + "\\" + name;
}

constexpr std::size_t list_writes_kept = 512;

}  // namespace

void gum_manager::note_list_writes(std::uint64_t seq, const std::vector<db_op>& ops) {
  std::vector<std::string> lists;
  for (const auto& op : ops) {
    if (auto list = edited_list(op))
      lists.push_back(std::move(*list));
  }
  if (lists.empty())
    return;
  list_writes_.emplace_back(seq, std::move(lists));
}

void gum_manager::bound_list_memory() {
  if (list_writes_.size() > list_writes_kept) {
    list_memory_from_ = std::max(list_memory_from_, list_writes_.front().first);
    list_writes_.pop_front();
  }
  if (epochs_.size() > list_writes_kept) {
    // Many view changes without a list write: the next epoch is the first one known.
    epochs_.pop_front();
    list_memory_from_ = std::max(list_memory_from_, epochs_.front().first);
  }
  // The first entry stays the one in effect at list_memory_from_.
  while (epochs_.size() > 1 && epochs_[1].first <= list_memory_from_)
    epochs_.pop_front();
}

std::optional<std::string> gum_manager::stale_list_edit(const request& r) const {
  if (r.base == 0)
    return std::nullopt;
  // A copy of another history (an origin still taking the newest database after a regroup,
  // whose copy held updates of a locker that was cut off) may have missed any write: its base
  // beyond this node's seq, or with another GumEpoch at that seq.
  const bool remembered = of_this_history(r.base, r.base_epoch);
  if (remembered && (list_writes_.empty() || list_writes_.back().first <= r.base))
    return std::nullopt;
  for (const auto& op : r.ops) {
    const auto list = edited_list(op);
    if (!list)
      continue;
    if (!remembered) {
      // A list of a key that does not exist yet (a group being created) was never written.
      if (!db_.tree().key_exists(op.path))
        continue;
      // A locker that restarted, took its database whole or forgot the oldest writes cannot
      // tell whether the list changed after the request's copy: asking again is cheap, a
      // lost entry is not.
      const auto why =
          r.base >= list_memory_from_
              ? "a copy of another history: the locker is at update " + std::to_string(db_.seq())
              : "the locker knows the writes of these lists only after update " +
                    std::to_string(list_memory_from_);
      return "'" + op.name + "' of '" + op.path + "' may have changed after update " +
             std::to_string(r.base) + " that the request was computed on (" + why + "); ask again";
    }
    for (auto it = list_writes_.rbegin(); it != list_writes_.rend() && it->first > r.base; ++it) {
      if (std::find(it->second.begin(), it->second.end(), *list) != it->second.end()) {
        return "'" + op.name + "' of '" + op.path + "' changed meanwhile (update " +
               std::to_string(it->first) + ", after update " + std::to_string(r.base) +
               " that the request was computed on); ask again";
      }
    }
  }
  return std::nullopt;
}

bool gum_manager::seen(std::uint32_t origin, std::uint64_t rid) const {
  return recent_.contains({origin, rid});
}

status gum_manager::apply_here(db_update update, const nlohmann::json& events, std::uint32_t origin,
                               std::uint64_t rid, std::function<void()> durable) {
  const db_update copy = update;
  if (auto st = db_.apply(std::move(update), std::move(durable)); !st)
    return st;
  note_list_writes(copy.seq, copy.ops);
  if (const auto epoch = version().epoch; epoch != epochs_.back().second)
    epochs_.emplace_back(copy.seq, epoch);
  bound_list_memory();
  remember(origin, rid);
  if (on_applied)
    on_applied(copy, events);
  if (origin == members_.self()) {
    if (auto it = own_.find(rid); it != own_.end() && it->second.applied) {
      auto applied = std::move(it->second.applied);
      it->second.applied = nullptr;
      applied();
    }
  }
  return {};
}

// ---- the origin -----------------------------------------------------------------------------

void gum_manager::propose(std::vector<db_op> ops, nlohmann::json events,
                          std::function<void(status)> done, std::function<void()> applied) {
  if (!members_.multi_node()) {
    // One node: it is the locker and the only member.
    ops = db_.without_no_ops(std::move(ops));
    if (ops.empty()) {
      // Nothing to store, but what was asked for is reported (a plugin may have written the
      // same values through its own key first).
      if (on_applied && !events.empty())
        on_applied(db_update{db_.seq(), {}}, events);
      if (applied)
        applied();
      done({});
      return;
    }
    auto st = apply_here(db_update{db_.seq() + 1, std::move(ops)}, events, members_.self(),
                         next_rid_++, [done] { done({}); });
    if (!st) {
      done(st);
      return;
    }
    if (applied)
      applied();
    return;
  }
  if (!members_.active()) {
    done(fail("node '" + ctx_.node_name() +
              "' is not in a cluster membership with quorum; the change was not made"));
    return;
  }
  const auto rid = next_rid_++;
  // Broken on purpose: this node's copy takes the update before the locker ordered it. Not a
  // join's: a view whose configuration grew past its votes orders nothing more, so a sponsor
  // that added the joiner alone would only stall the cluster's forming, which shows no more.
  const bool configuration = std::any_of(ops.begin(), ops.end(), [](const db_op& op) {
    return op.path.rfind(schema::nodes_key, 0) == 0;
  });
  if (breaks.unordered_updates && !configuration) {
    const auto local = db_.without_no_ops(ops);
    if (!local.empty())
      (void)apply_here(db_update{db_.seq() + 1, local}, events, members_.self(), rid, {});
  }
  auto& r = own_[rid];
  r.base = db_.seq();
  r.base_epoch = version().epoch;
  r.ops = std::move(ops);
  r.events = std::move(events);
  r.done = std::move(done);
  r.applied = std::move(applied);
  send_request(rid, r);
  arm_request_timer();
}

void gum_manager::send_request(std::uint64_t rid, own_request& r) {
  if (!members_.settled())
    return;  // view_changed() sends it
  r.sent = true;
  r.sent_at = ctx_.now();
  if (members_.locker() == members_.self()) {
    // This node's requests go in rid order too, as every origin's (the database records the
    // highest applied, record_answers): one proposed while the view was changing, not sent
    // yet, goes before a later one proposed once it is installed (a placement).
    for (auto& [earlier, o] : own_) {
      if (earlier > rid)
        break;
      if (in_flight(members_.self(), earlier))
        continue;  // still queued or out from before the view changed: once is enough
      o.sent = true;
      o.sent_at = ctx_.now();
      enqueue({members_.self(), earlier, o.ops, o.events, o.base, o.base_epoch});
    }
    order_next();
    return;
  }
  // `first`: the oldest request this node has no answer to. The locker takes this node's
  // requests in rid order from there, so that one lost and sent again never lands after a
  // later one (a plugin's registry writes, sent without waiting, would end with an older
  // value).
  members_.send(members_.locker(), {{"type", "gum_req"},
                                    {"rid", rid},
                                    {"first", own_.begin()->first},
                                    {"ops", ops_json(r.ops)},
                                    {"events", r.events},
                                    {"base", r.base},
                                    {"base_epoch", r.base_epoch}});
}

// A request or its answer lost on a link that drops frames without the view changing (a
// partition that heals within the heartbeat window, a lossy link) would leave its caller
// waiting for good: what is still unanswered a window after it was sent is sent again.
void gum_manager::arm_request_timer() {
  if (request_timer_ != 0 || own_.empty())
    return;
  request_timer_ = ctx_.arm_timer(ctx_.now() + members_.window_ms(), [this] { resend_requests(); });
}

void gum_manager::resend_requests() {
  request_timer_ = 0;
  const auto now = ctx_.now();
  std::vector<std::uint64_t> due;
  for (const auto& [rid, r] : own_) {
    if (!r.sent || r.sent_at + members_.window_ms() <= now)
      due.push_back(rid);
  }
  for (auto rid : due) {
    if (auto it = own_.find(rid); it != own_.end())
      send_request(rid, it->second);
  }
  arm_request_timer();
}

void gum_manager::after_own(std::function<void()> f) {
  if (own_.empty()) {
    f();
    return;
  }
  own_waiters_.push_back({own_.rbegin()->first, std::move(f)});
}

void gum_manager::run_own_waiters() {
  const auto oldest = own_.empty() ? ~std::uint64_t{0} : own_.begin()->first;
  std::vector<std::function<void()>> ready;
  std::erase_if(own_waiters_, [&](auto& w) {
    if (w.first >= oldest)
      return false;
    ready.push_back(std::move(w.second));
    return true;
  });
  for (auto& f : ready)
    f();
}

void gum_manager::refuse_malformed(std::uint32_t from, std::uint64_t rid,
                                   const std::string& problem) {
  members_.send(from, done_frame(rid, fail("the request's frame is malformed: " + problem)));
}

bool gum_manager::values_hold(const std::vector<db_op>& ops) const {
  // Keys created or deleted are not compared: a later update may have done either since
  // without undoing what this one asked for.
  std::vector<db_op> values;
  for (const auto& op : ops) {
    if (op.op == db_op::kind::set_value)
      values.push_back(op);
  }
  return db_.without_no_ops(std::move(values)).empty();
}

void gum_manager::on_done(std::uint64_t rid, const nlohmann::json& f) {
  auto it = own_.find(rid);
  if (it == own_.end())
    return;
  if (f.value("retry", false)) {
    it->second.sent = false;  // sent again once this node knows the locker
    return;
  }
  auto done = std::move(it->second.done);
  auto applied = std::move(it->second.applied);
  auto it_events = std::move(it->second.events);
  auto ops = std::move(it->second.ops);
  own_.erase(it);
  if (f.value("ok", false)) {
    // The update changed nothing, or this node took it with a database: what it reported is
    // reported here. Taken with a database, only while the database still holds the values
    // it wrote: a later update in that database, or applied since, has the last word (seed
    // 400769: an offline's effect, run after another node's later online, took the group
    // offline against its PersistentState). An answer of no change may come before this
    // node has applied the updates ordered with it: its effect runs as always.
    if (applied && seen(members_.self(), rid) && !values_hold(ops)) {
      ctx_.log("info", "gum",
               "request " + std::to_string(rid) +
                   " came with a database this node took, and a later update has changed the "
                   "values it wrote: its effect here is left to the later one");
      applied = nullptr;
      it_events = nlohmann::json();
    }
    if (applied) {
      if (on_applied && !it_events.empty())
        on_applied(db_update{db_.seq(), {}}, it_events);
      applied();
    }
    done({});
  } else {
    done(fail(f.value("error", std::string("the update was refused"))));
  }
  run_own_waiters();
}

nlohmann::json gum_manager::done_frame(std::uint64_t rid, const status& st) {
  nlohmann::json f{{"type", "gum_done"}, {"rid", rid}, {"ok", st.ok()}};
  if (!st)
    f["error"] = st.error();
  return f;
}

void gum_manager::answer(std::uint32_t origin, std::uint64_t rid, const status& st) {
  auto f = done_frame(rid, st);
  if (origin == members_.self())
    on_done(rid, f);
  else
    members_.send(origin, f);
}

// ---- the locker -----------------------------------------------------------------------------

// An answer that applied nothing is kept (a bounded number, as recent_): the same request sent
// again gets it again instead of being evaluated after what its origin asked later, which
// could apply it after them. The next update this locker orders carries it to every member
// (unapplied_out_), and a database sent whole (a snapshot, a join's answer) carries what its
// updates carried: a new locker gives a copy the same answer.
//
// The origin is answered before any member has it, unlike an update: a refusal changes
// nothing, and what must hold is the origin's order, that once a later request of it is
// applied this one never is. That later update carries this answer, so every database that
// holds the update holds the answer, and the regroup makes every survivor take such a
// database. When no update ordered after it survives a crash of the locker, the next locker
// may evaluate the request again: nothing asked after it was applied, and an answer that did
// reach the origin keeps it from sending the request again. (The exception: a later request
// of the origin also answered without a change, and that answer received. This one may then
// apply after it, when the next locker finds the database otherwise than this one did.
// Waiting for the members here would close that, at a round trip per answer.)
void gum_manager::answer_unapplied(std::uint32_t origin, std::uint64_t rid, const status& st) {
  if (origin != members_.self()) {
    keep_unapplied(origin, rid, st);
    unapplied_out_.push_back(unapplied_entry(origin, rid, st));
    if (unapplied_out_.size() > recent_limit)  // no update for that long: bounded as the rest
      unapplied_out_.erase(unapplied_out_.begin());
  }
  answer(origin, rid, st);
}

void gum_manager::keep_unapplied(std::uint32_t origin, std::uint64_t rid, const status& st) {
  if (!unapplied_.insert_or_assign({origin, rid}, st).second)
    return;
  unapplied_order_.push_back({origin, rid});
  if (unapplied_order_.size() > recent_limit) {
    unapplied_.erase(unapplied_order_.front());
    unapplied_order_.pop_front();
  }
}

void gum_manager::keep_unapplied(const nlohmann::json& answers) {
  if (!answers.is_array())
    return;
  for (const auto& entry : answers) {
    const auto key = origin_rid(entry);
    // A refusal's error must be text: a malformed one is not taken for a success.
    if (!key || (entry.size() > 2 && !entry[2].is_string()))
      continue;
    keep_unapplied(key->first, key->second,
                   entry.size() > 2 && entry[2].is_string()
                       ? status(fail(entry[2].get<std::string>()))
                       : status());
  }
}

std::optional<status> gum_manager::recorded_answer(std::uint32_t origin, std::uint64_t rid) const {
  const auto process = process_of(origin, rid);
  const auto& tree = db_.tree();
  if (rid > tree.get_qword("", std::string(applied_prefix) + process, 0))
    return std::nullopt;
  // At or below the last one applied: applied, answered without a change, or refused.
  const auto refused = tree.get("", std::string(refused_prefix) + process);
  if (refused && refused->type == value_type::multi_sz) {
    const auto prefix = std::to_string(rid) + " ";
    for (const auto& entry : refused->as_strings()) {
      if (entry.rfind(prefix, 0) == 0)
        return status(fail(entry.substr(prefix.size())));
    }
  }
  return status{};
}

void gum_manager::record_answers(std::vector<db_op>& ops, std::uint32_t origin,
                                 std::uint64_t rid) const {
  const auto& tree = db_.tree();
  // The refusals since the last update (unapplied_out_), each with its process's last ones.
  std::map<std::string, std::vector<std::string>> refusals;
  for (const auto& entry : unapplied_out_) {
    if (entry.size() < 3 || !entry[2].is_string())
      continue;
    const auto name = std::string(refused_prefix) +
                      process_of(entry[0].get<std::uint32_t>(), entry[1].get<std::uint64_t>());
    auto [it, added] = refusals.try_emplace(name);
    if (added) {
      if (const auto v = tree.get("", name); v && v->type == value_type::multi_sz)
        it->second = v->as_strings();
    }
    it->second.push_back(std::to_string(entry[1].get<std::uint64_t>()) + " " +
                         entry[2].get<std::string>());
    if (it->second.size() > refusals_kept)
      it->second.erase(it->second.begin());
  }
  // A process seen for the first time: what its node's earlier processes were answered is no
  // use any more (their requests died with them).
  const auto process = process_of(origin, rid);
  const auto applied = std::string(applied_prefix) + process;
  if (!tree.get("", applied)) {
    const auto node = std::to_string(origin) + ".";
    for (const auto& v : tree.values("")) {
      for (const auto prefix : {applied_prefix, refused_prefix}) {
        const auto mine = std::string(prefix) + node;
        if (v.name.rfind(mine, 0) == 0 && v.name != std::string(prefix) + process &&
            !refusals.contains(v.name))
          ops.push_back(db_op::delete_value("", v.name));
      }
    }
  }
  for (auto& [name, list] : refusals)
    ops.push_back(db_op::set_value("", name, typed_value::multi_sz(std::move(list))));
  ops.push_back(db_op::set_value("", applied, typed_value::qword(rid)));
}

void gum_manager::forget_unapplied() {
  unapplied_.clear();
  unapplied_order_.clear();
  unapplied_out_ = nlohmann::json::array();
}

void gum_manager::on_request(std::uint32_t from, const nlohmann::json& f) {
  const auto rid = f.value("rid", std::uint64_t{0});
  if (!members_.settled() || members_.locker() != members_.self() || syncing()) {
    members_.send(from, {{"type", "gum_done"}, {"rid", rid}, {"retry", true}});
    return;
  }
  auto ops = parse_ops(member_or(f, "ops", json_null()));
  if (!ops) {
    answer(from, rid, fail("global update from node " + std::to_string(from) + ": " + ops.error()));
    return;
  }
  if (auto st = check_events(member_or(f, "events", json_empty_array())); !st) {
    answer(from, rid, fail("global update from node " + std::to_string(from) + ": " + st.error()));
    return;
  }
  const auto first = std::min(f.value("first", rid), rid);
  auto& next = next_rid_of_.try_emplace(from, first).first->second;
  auto& held = held_[from];
  if (first > next) {
    // Everything before `first` has been answered: nothing to wait for there.
    next = first;
    held.erase(held.begin(), held.lower_bound(first));
  }
  if (rid > next) {
    // An earlier one is missing: it comes again.
    held.insert_or_assign(
        rid, request{from, rid, std::move(*ops), member_or(f, "events", json_empty_array()),
                     f.value("base", std::uint64_t{0}), f.value("base_epoch", std::uint64_t{0})});
  } else {
    // One in flight is answered when the batch that holds it is on every member's disk.
    if (!in_flight(from, rid))
      enqueue({from, rid, std::move(*ops), member_or(f, "events", json_empty_array()),
               f.value("base", std::uint64_t{0}), f.value("base_epoch", std::uint64_t{0})});
    if (rid == next)
      ++next;
  }
  // What the new `next` lets through, in rid order.
  for (auto it = held.begin(); it != held.end() && it->first <= next;) {
    if (it->first == next)
      ++next;
    if (!in_flight(from, it->first))
      enqueue(std::move(it->second));
    it = held.erase(it);
  }
  order_next();
}

// A request queued twice would be applied once and its second copy answered at once as seen,
// before the members acknowledged the first: its client would be told of an update a crash
// of the locker could still lose (the review's seed 42441 of all,evict). So would one applied
// in a batch the members have not all acknowledged, sent again by an origin that heard nothing
// for a window.
bool gum_manager::in_flight(std::uint32_t origin, std::uint64_t rid) const {
  return in_flight_.contains({origin, rid});
}

void gum_manager::enqueue(request r) {
  in_flight_.insert({r.origin, r.rid});
  queue_.push_back(std::move(r));
}

void gum_manager::drop_queue() {
  for (const auto& q : queue_)
    in_flight_.erase({q.origin, q.rid});
  queue_.clear();
}

void gum_manager::drop_batches() {
  for (const auto& b : batches_) {
    for (const auto& key : b.answer)
      in_flight_.erase(key);
  }
  batches_.clear();
  ctx_.cancel_timer(batch_timer_);
  batch_timer_ = 0;
}

void gum_manager::order_next() {
  if (ordering_ || batches_.size() >= max_batches_out || queue_.empty() || !members_.settled() ||
      syncing() || members_.locker() != members_.self()) {
    return;
  }
  // Applying an update makes the node react (place groups, write what a plugin wrote), which
  // may propose more: those join this batch through the queue.
  ordering_ = true;
  struct reset {
    bool& flag;
    ~reset() { flag = false; }
  } reset_ordering{ordering_};
  batch b;
  b.epoch = members_.view().epoch;
  nlohmann::json updates = nlohmann::json::array();
  while (!queue_.empty()) {
    auto r = std::move(queue_.front());
    queue_.pop_front();
    in_flight_.erase({r.origin, r.rid});  // again when it joins the batch's answers
    if (seen(r.origin, r.rid)) {
      if (!catch_up_.empty()) {
        // Applied here, but maybe only here: after a view change a member may still be taking
        // this node's database. Answered once every member has it (catch_up).
        deferred_seen_.push_back({r.origin, r.rid});
        in_flight_.insert({r.origin, r.rid});
        continue;
      }
      answer(r.origin, r.rid, {});  // sent twice: it is already everywhere
      continue;
    }
    if (const auto kept = unapplied_.find({r.origin, r.rid}); kept != unapplied_.end()) {
      // Answered before without a change (refused, or nothing to do then), by this locker or
      // one before it: the same answer. Evaluated again now, after the origin's later
      // requests, it could apply out of their order.
      answer(r.origin, r.rid, kept->second);
      continue;
    }
    if (const auto recorded = recorded_answer(r.origin, r.rid)) {
      // The database says it was answered (this node's memory of it is gone: a restart).
      if (*recorded && !catch_up_.empty()) {
        deferred_seen_.push_back({r.origin, r.rid});
        in_flight_.insert({r.origin, r.rid});
        continue;
      }
      answer(r.origin, r.rid, *recorded);
      continue;
    }
    if (auto stale = stale_list_edit(r)) {
      answer_unapplied(r.origin, r.rid, fail(*stale));
      continue;
    }
    auto ops = db_.without_no_ops(std::move(r.ops));
    const bool values_only = std::none_of(ops.begin(), ops.end(), [](const db_op& op) {
      return op.op == db_op::kind::create_key || op.op == db_op::kind::delete_key;
    });
    if (ops.empty()) {
      answer_unapplied(r.origin, r.rid, {});
      continue;
    }
    if (check) {
      if (auto st = check(r.origin, ops); !st) {
        answer_unapplied(r.origin, r.rid, st);
        continue;
      }
    }
    // The version the update applies on (Raft's previous log term): a member whose database
    // has the same seq from another history must not take it on top of that.
    const auto base_epoch = version().epoch;
    if (base_epoch != b.epoch)
      ops.push_back(db_op::set_value("", gum_epoch_value, typed_value::qword(b.epoch)));
    record_answers(ops, r.origin, r.rid);
    db_update u{db_.seq() + 1, std::move(ops)};
    nlohmann::json wire{{"seq", u.seq},       {"base_epoch", base_epoch}, {"ops", ops_json(u.ops)},
                        {"events", r.events}, {"origin", r.origin},       {"rid", r.rid}};
    if (auto st = apply_here(std::move(u), r.events, r.origin, r.rid, {}); !st) {
      answer_unapplied(r.origin, r.rid, st);
      continue;
    }
    // The answers given without a change since the last update go with this one.
    if (!unapplied_out_.empty())
      wire["unapplied"] = std::exchange(unapplied_out_, nlohmann::json::array());
    updates.push_back(std::move(wire));
    if (breaks.early_ack && values_only) {
      answer(r.origin, r.rid, {});  // broken on purpose: not yet durable anywhere
    } else {
      b.answer.push_back({r.origin, r.rid});
      in_flight_.insert({r.origin, r.rid});
    }
    b.last_seq = db_.seq();
  }
  if (updates.empty())
    return;
  for (auto m : members_.view().members) {
    if (m != members_.self())
      b.waiting.insert(m);
  }
  b.frame = std::make_shared<const nlohmann::json>(
      nlohmann::json{{"type", "gum_apply"}, {"epoch", b.epoch}, {"updates", std::move(updates)}});
  if (!breaks.early_ack) {
    for (auto m : b.waiting)
      members_.send(m, b.frame);
  }
  const auto epoch = b.epoch;
  const auto last = b.last_seq;
  batches_.push_back(std::move(b));
  // The durable callback of the batch's last update: the earlier ones are durable by then.
  db_.on_durable(last, [this, epoch, last] {
    for (auto& out : batches_) {
      if (out.epoch == epoch && out.last_seq == last) {
        out.durable_here = true;
        if (breaks.early_ack) {
          for (auto m : out.waiting)
            members_.send(m, out.frame);
        }
      }
    }
    finish_batches();
  });
  // Frames to a member behind a cut link are lost without a sound: send again until it
  // answers or the regroup removes it.
  if (batch_timer_ == 0)
    batch_timer_ = ctx_.arm_timer(ctx_.now() + members_.window_ms(), [this] { resend_batches(); });
}

void gum_manager::resend_batches() {
  batch_timer_ = 0;
  if (batches_.empty())
    return;
  for (const auto& b : batches_) {
    for (auto m : b.waiting)
      members_.send(m, b.frame);
  }
  batch_timer_ = ctx_.arm_timer(ctx_.now() + members_.window_ms(), [this] { resend_batches(); });
}

void gum_manager::finish_batches() {
  bool finished = false;
  // The requests each other node sent, answered in one gum_done per node: under load a batch
  // holds several requests of each origin.
  // This node's own requests are answered after those frames are sent: an answer's callback
  // may propose again, and what that orders must not reach an origin before the answers to its
  // earlier requests.
  std::map<std::uint32_t, nlohmann::json> done_by_origin;
  std::vector<std::uint64_t> own_done;
  while (!batches_.empty() && batches_.front().durable_here && batches_.front().waiting.empty()) {
    auto b = std::move(batches_.front());
    batches_.pop_front();
    finished = true;
    for (const auto& [origin, rid] : b.answer) {
      in_flight_.erase({origin, rid});
      if (origin == members_.self()) {
        own_done.push_back(rid);
        continue;
      }
      auto& rids = done_by_origin[origin];
      if (rids.is_null())
        rids = nlohmann::json::array();
      rids.push_back(rid);
    }
  }
  for (auto& [origin, rids] : done_by_origin)
    members_.send(origin, {{"type", "gum_done"}, {"rids", std::move(rids)}, {"ok", true}});
  for (auto rid : own_done)
    answer(members_.self(), rid, {});
  if (batches_.empty()) {
    ctx_.cancel_timer(batch_timer_);
    batch_timer_ = 0;
  }
  if (finished)
    order_next();
}

void gum_manager::on_ack(std::uint32_t from, const nlohmann::json& f) {
  const auto epoch = f.value("epoch", std::uint64_t{0});
  const auto seq = f.value("seq", std::uint64_t{0});
  for (auto& b : batches_) {
    if (b.epoch == epoch && b.last_seq <= seq)
      b.waiting.erase(from);
  }
  // An ack in this view says the member's database is this node's up to `seq` (it takes
  // updates only on top of the same history, or takes the whole database).
  if (!catch_up_.empty() && members_.settled() && epoch == members_.view().epoch &&
      seq >= catch_up_seq_ && catch_up_.erase(from) != 0)
    finish_catch_up();
  finish_batches();
}

// ---- after a view change, on the locker -----------------------------------------------------

// The members that may lack what this node's database has: every other member, until it
// says (gum_ack) that it has this node's database as it was when the view was installed, or
// when this node had finished taking the newest. Asked every window until then.
void gum_manager::start_catch_up() {
  drop_catch_up();
  for (auto m : members_.view().members) {
    if (m != members_.self())
      catch_up_.insert(m);
  }
  catch_up_seq_ = db_.seq();
  ask_catch_up();
}

// Asks the members still missing, now and every window until none is.
void gum_manager::ask_catch_up() {
  catch_up_timer_ = 0;
  if (catch_up_.empty())
    return;
  for (auto m : catch_up_)
    members_.send(m, {{"type", "gum_catch_up"}});
  catch_up_timer_ = ctx_.arm_timer(ctx_.now() + members_.window_ms(), [this] { ask_catch_up(); });
}

void gum_manager::finish_catch_up() {
  if (!catch_up_.empty())
    return;
  ctx_.cancel_timer(catch_up_timer_);
  catch_up_timer_ = 0;
  auto answers = std::move(deferred_seen_);
  deferred_seen_.clear();
  for (const auto& [origin, rid] : answers) {
    in_flight_.erase({origin, rid});
    answer(origin, rid, {});
  }
}

void gum_manager::drop_catch_up() {
  catch_up_.clear();
  for (const auto& key : deferred_seen_)
    in_flight_.erase(key);
  deferred_seen_.clear();
  ctx_.cancel_timer(catch_up_timer_);
  catch_up_timer_ = 0;
}

// Asked by the locker whether it has the locker's database: a member answers with what it has
// once that is on disk, unless it is still taking the newest (on_snapshot answers then).
void gum_manager::on_catch_up(std::uint32_t from) {
  if (!members_.settled() || from != members_.locker() || syncing())
    return;
  ack_when_durable(from, members_.view().epoch, db_.seq());
}

// ---- the other members ----------------------------------------------------------------------

// Tells `to` (the locker) that this node's database holds `seq` of view `epoch`, once it is on
// disk: the answer to a batch, a snapshot taken, or a catch-up asked.
void gum_manager::ack_when_durable(std::uint32_t to, std::uint64_t epoch, std::uint64_t seq) {
  db_.on_durable(seq, [this, to, epoch, seq] {
    members_.send(to, {{"type", "gum_ack"}, {"epoch", epoch}, {"seq", seq}});
  });
}

void gum_manager::on_apply(std::uint32_t from, const nlohmann::json& f) {
  if (!members_.settled() || from != members_.locker() ||
      f.value("epoch", std::uint64_t{0}) != members_.view().epoch || syncing()) {
    return;
  }
  const auto epoch = members_.view().epoch;
  const auto& updates = member_or(f, "updates", json_empty_array());
  for (const auto& u : updates) {
    const auto seq = u.value("seq", std::uint64_t{0});
    if (seq <= db_.seq())
      continue;  // sent again: this node has it
    if (seq != db_.seq() + 1) {
      ctx_.log("warn", "gum",
               "update " + std::to_string(seq) + " does not follow " + std::to_string(db_.seq()) +
                   ": taking the locker's database");
      sync_from(from);
      return;
    }
    if (const auto base = u.value("base_epoch", version().epoch); base != version().epoch) {
      ctx_.log("warn", "gum",
               "update " + std::to_string(seq) + " follows update " + std::to_string(seq - 1) +
                   " of view epoch " + std::to_string(base) + ", not this node's (epoch " +
                   std::to_string(version().epoch) + "): taking the locker's database");
      sync_from(from);
      return;
    }
    keep_unapplied(member_or(u, "unapplied", json_null()));
    auto ops = parse_ops(member_or(u, "ops", json_null()));
    status st =
        ops ? apply_here(db_update{seq, std::move(*ops)},
                         member_or(u, "events", json_empty_array()),
                         u.value("origin", std::uint32_t{0}), u.value("rid", std::uint64_t{0}), {})
            : status(fail(ops.error()));
    if (!st) {
      // The replicas no longer match: this node leaves and takes the cluster's copy again.
      ctx_.log("error", "gum",
               "cannot apply global update " + std::to_string(seq) + ": " + st.error());
      sync_from(from);
      return;
    }
  }
  ack_when_durable(from, epoch, db_.seq());
}

// ---- views and catching up ------------------------------------------------------------------

void gum_manager::view_changed() {
  // Each origin sends its unanswered requests again, oldest first: the order per origin is
  // learnt afresh.
  next_rid_of_.clear();
  held_.clear();
  if (!members_.active() || members_.locker() != members_.self()) {
    // What this node answered as the locker without a change and sent with no update stays
    // kept here (replayed only for a request not applied since: another locker may apply it),
    // but goes to no other member: no other locker orders after it.
    unapplied_out_ = nlohmann::json::array();
  }
  if (!members_.active()) {
    drop_batches();
    drop_queue();
    drop_catch_up();
    // Without quorum nothing can be ordered: say so rather than leave the callers waiting. An
    // update already sent may still be committed by the others.
    auto pending = std::move(own_);
    own_.clear();
    for (auto& [rid, r] : pending) {
      r.done(fail("node '" + ctx_.node_name() +
                  "' lost its cluster membership; the change may or may not have been made"));
    }
    run_own_waiters();
    return;
  }
  if (!batches_.empty() &&
      (members_.locker() != members_.self() || batches_.front().epoch != members_.view().epoch)) {
    // The regroup has made every member take the newest database: what these batches applied
    // is everywhere or nowhere. Their origins send their requests again.
    drop_batches();
  }
  if (members_.locker() != members_.self())
    drop_queue();
  if (syncing_ && !members_.view().contains(*syncing_)) {
    // Taking a database from a node that is not in this view: this node has the view's
    // newest version (or the install would have named another source), so it waits no more.
    syncing_.reset();
    ctx_.cancel_timer(sync_timer_);
    sync_timer_ = 0;
  }
  if (members_.locker() == members_.self() && !syncing())
    start_catch_up();  // when syncing, once the newest database is here (on_snapshot)
  else
    drop_catch_up();
  // send_request may answer (and erase) a request at once on the locker: walk a copy.
  std::vector<std::uint64_t> rids;
  for (const auto& [rid, r] : own_)
    rids.push_back(rid);
  for (auto rid : rids) {
    if (auto it = own_.find(rid); it != own_.end())
      send_request(rid, it->second);
  }
  order_next();
}

void gum_manager::sync_from(std::uint32_t source) {
  syncing_ = source;
  members_.send(source, {{"type", "db_fetch"}});
  ctx_.cancel_timer(sync_timer_);
  sync_timer_ = ctx_.arm_timer(ctx_.now() + members_.window_ms(), [this] {
    sync_timer_ = 0;
    if (syncing_)
      sync_from(*syncing_);
  });
}

void gum_manager::on_fetch(std::uint32_t from) {
  const auto v = version();
  nlohmann::json snapshot{
      {"type", "db_snapshot"}, {"seq", v.seq}, {"epoch", v.epoch}, {"tree", db_.tree().to_json()}};
  add_request_memory(snapshot);
  members_.send(from, std::move(snapshot));
}

// The requests a database holds go with it, and the answers its updates carried to those that
// applied nothing: a new locker that took it must answer a resent request from what its
// database has, not from what it had applied or answered before.
void gum_manager::add_request_memory(nlohmann::json& frame) const {
  nlohmann::json recent = nlohmann::json::array();
  for (const auto& [origin, rid] : recent_order_)
    recent.push_back({origin, rid});
  nlohmann::json unapplied = nlohmann::json::array();
  for (const auto& key : unapplied_order_)
    unapplied.push_back(unapplied_entry(key.first, key.second, unapplied_.at(key)));
  frame["recent"] = std::move(recent);
  frame["unapplied"] = std::move(unapplied);
}

void gum_manager::take_request_memory(const nlohmann::json& frame) {
  recent_.clear();
  recent_order_.clear();
  restart_list_memory();  // of another copy's history: nothing to tell from

  forget_unapplied();
  const auto& recent = member_or(frame, "recent", json_empty_array());
  for (const auto& pair : recent.is_array() ? recent : json_empty_array()) {
    if (const auto key = origin_rid(pair))
      remember(key->first, key->second);
  }
  keep_unapplied(member_or(frame, "unapplied", json_null()));
}

void gum_manager::on_snapshot(std::uint32_t from, const nlohmann::json& f) {
  if (!syncing_ || *syncing_ != from)
    return;
  // find(), not value(): value() would copy the whole tree's JSON first.
  static const nlohmann::json no_tree;
  const auto tree_it = f.find("tree");
  auto tree = db_tree::from_json(tree_it != f.end() ? *tree_it : no_tree);
  if (!tree) {
    ctx_.log("error", "gum",
             "database from node " + std::to_string(from) + " refused: " + tree.error());
    return;
  }
  syncing_.reset();
  ctx_.cancel_timer(sync_timer_);
  const auto seq = f.value("seq", std::uint64_t{0});
  ctx_.log(
      "info", "gum",
      "took the database of node " + std::to_string(from) + " (seq " + std::to_string(seq) + ")",
      {{"seq", std::to_string(seq)}});
  db_.replace(std::move(*tree), seq);
  take_request_memory(f);
  if (members_.settled() && members_.locker() != members_.self())
    ack_when_durable(members_.locker(), members_.view().epoch, seq);
  if (members_.settled() && members_.locker() == members_.self())
    start_catch_up();
  order_next();
  std::vector<std::uint64_t> unsent;
  for (const auto& [rid, r] : own_) {
    if (!r.sent)
      unsent.push_back(rid);
  }
  for (auto rid : unsent) {
    if (auto it = own_.find(rid); it != own_.end())
      send_request(rid, it->second);
  }
}

void gum_manager::peer_frame(std::uint32_t from, const nlohmann::json& f) {
  const auto type = f.value("type", "");
  if (type == "gum_req")
    on_request(from, f);
  else if (type == "gum_apply")
    on_apply(from, f);
  else if (type == "gum_ack")
    on_ack(from, f);
  else if (type == "gum_done") {
    if (const auto rids = f.find("rids"); rids != f.end() && rids->is_array()) {
      for (const auto& rid : *rids) {
        if (rid.is_number_unsigned())
          on_done(rid.get<std::uint64_t>(), f);
      }
    } else {
      on_done(f.value("rid", std::uint64_t{0}), f);
    }
  } else if (type == "gum_catch_up")
    on_catch_up(from);
  else if (type == "db_fetch")
    on_fetch(from);
  else if (type == "db_snapshot")
    on_snapshot(from, f);
}

}  // namespace wolfpack::cluster
