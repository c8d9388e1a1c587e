#include "database_manager.hpp"

#include <set>

#include "wolfpack/cluster_db/db_path.hpp"

namespace wolfpack::cluster {

database_manager::database_manager(core_context& ctx, db_tree tree, std::uint64_t last_seq)
    : ctx_(ctx), tree_(std::move(tree)), seq_(last_seq) {}

std::vector<db_op> database_manager::without_no_ops(std::vector<db_op> ops) const {
  // A value set to what it already is changes nothing: such ops are dropped, so that asking
  // twice for the same thing does not make a new update (nor wake every node through GUM).
  // An op is kept if an earlier op of the same update touched its key.
  std::set<std::string> touched;
  std::vector<db_op> kept;
  kept.reserve(ops.size());
  for (auto& op : ops) {
    const auto key = fold_case(op.path);
    if (op.op == db_op::kind::set_value && !touched.contains(key) &&
        tree_.get(op.path, op.name) == op.value) {
      continue;
    }
    touched.insert(key);
    kept.push_back(std::move(op));
  }
  return kept;
}

status database_manager::submit(std::vector<db_op> ops, std::function<void()> durable) {
  ops = without_no_ops(std::move(ops));
  if (ops.empty()) {
    if (durable)
      durable();
    return {};
  }
  return apply(db_update{seq_ + 1, std::move(ops)}, std::move(durable));
}

status database_manager::apply(db_update update, std::function<void()> durable) {
  if (update.seq != seq_ + 1)
    return fail("update " + std::to_string(update.seq) + " does not follow " +
                std::to_string(seq_));
  if (auto applied = update.apply(tree_); !applied) {
    ctx_.log("error", "database", "update refused: " + applied.error(),
             {{"seq", std::to_string(update.seq)}});
    return applied;
  }
  seq_ = update.seq;
  ++generation_;
  durable_[update.seq] = std::move(durable);
  if (on_applied)
    on_applied(update);
  ctx_.emit(out_write_db{std::move(update), nullptr});
  return {};
}

void database_manager::replace(db_tree tree, std::uint64_t seq, std::function<void()> durable) {
  if (before_replaced)
    before_replaced();
  tree_ = std::move(tree);
  seq_ = seq;
  ++generation_;
  durable_[seq] = std::move(durable);
  out_write_db w;
  w.update.seq = seq;
  w.replace = std::make_shared<const db_tree>(tree_);
  if (on_replaced)
    on_replaced();
  ctx_.emit(std::move(w));
}

void database_manager::on_durable(std::uint64_t seq, std::function<void()> done) {
  auto it = durable_.find(seq);
  if (it == durable_.end()) {
    done();
    return;
  }
  if (!it->second) {
    it->second = std::move(done);
    return;
  }
  it->second = [first = std::move(it->second), second = std::move(done)] {
    first();
    second();
  };
}

bool database_manager::written(const in_db_written& result) {
  auto it = durable_.find(result.seq);
  if (!result.ok) {
    ctx_.log("error", "database", "could not make update durable: " + result.error,
             {{"seq", std::to_string(result.seq)}});
    if (it != durable_.end())
      durable_.erase(it);
    return false;
  }
  if (it == durable_.end())
    return true;
  auto done = std::move(it->second);
  durable_.erase(it);
  if (done)
    done();
  return true;
}

}  // namespace wolfpack::cluster
