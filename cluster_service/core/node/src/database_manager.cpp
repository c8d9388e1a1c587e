#include "database_manager.hpp"

#include <set>

#include "wolfpack/cluster_db/db_path.hpp"

namespace wolfpack::cluster {

database_manager::database_manager(core_context& ctx, db_tree tree, std::uint64_t last_seq)
    : ctx_(ctx), tree_(std::move(tree)), seq_(last_seq) {}

status database_manager::submit(std::vector<db_op> ops, std::function<void()> durable) {
  // A value set to what it already is changes nothing: such ops are dropped, so that asking
  // twice for the same thing does not make a new update (nor wake every node, once GUM
  // carries them). An op is kept if an earlier op of the same update touched its key.
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
  ops = std::move(kept);
  if (ops.empty()) {
    if (durable)
      durable();
    return {};
  }
  db_update update{seq_ + 1, std::move(ops)};
  if (auto applied = update.apply(tree_); !applied) {
    ctx_.log("error", "database", "update refused: " + applied.error(),
             {{"seq", std::to_string(update.seq)}});
    return applied;
  }
  seq_ = update.seq;
  durable_[update.seq] = std::move(durable);
  if (on_applied)
    on_applied(update);
  ctx_.emit(out_write_db{std::move(update)});
  return {};
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
