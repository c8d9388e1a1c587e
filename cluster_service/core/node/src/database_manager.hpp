// The node's replica of the cluster database (SPEC 5.4). A change is applied to the tree in
// memory at once (so reads that follow see it) and handed to the runtime to make durable;
// whoever asked for it is told once it is. With one node the database manager numbers the
// updates itself; the multi-node issue puts GUM in front of submit().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "core_context.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/cluster_db/db_update.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster {

class database_manager {
 public:
  database_manager(core_context& ctx, db_tree tree, std::uint64_t last_seq);

  const db_tree& tree() const { return tree_; }
  std::uint64_t seq() const { return seq_; }
  // Grows with every change of the tree (an update or a replacement): what is derived from
  // the tree and kept may be kept while it stays the same.
  std::uint64_t generation() const { return generation_; }
  std::size_t writes_in_flight() const { return durable_.size(); }

  // Runs after every applied update (the object index is rebuilt there).
  std::function<void(const db_update&)> on_applied;

  // Applies the ops as one update (all or nothing). `durable` runs once the update is on disk.
  // An op that does not apply is an error (nothing changes): callers validate first, so it
  // names a bug, but the node keeps running.
  [[nodiscard]] status submit(std::vector<db_op> ops, std::function<void()> durable = {});

  // Drops the ops that would change nothing (a value set to what it already is).
  std::vector<db_op> without_no_ops(std::vector<db_op> ops) const;
  // Applies an update GUM ordered, under its own seq (which must follow seq()).
  [[nodiscard]] status apply(db_update update, std::function<void()> durable = {});
  // Replaces the whole database (a joiner or a node behind the cluster takes a member's copy).
  // on_replaced runs instead of on_applied.
  void replace(db_tree tree, std::uint64_t seq, std::function<void()> durable = {});
  // Runs before the tree is swapped (the old one still readable), then on_replaced after.
  std::function<void()> before_replaced;
  std::function<void()> on_replaced;
  // Runs `done` once update `seq` is durable (at once if it already is).
  void on_durable(std::uint64_t seq, std::function<void()> done);

  // The runtime's answer to out_write_db. False when the write failed: the node must stop.
  bool written(const in_db_written& result);

 private:
  core_context& ctx_;
  db_tree tree_;
  std::uint64_t seq_;
  std::uint64_t generation_ = 0;
  std::map<std::uint64_t, std::function<void()>> durable_;
};

}  // namespace wolfpack::cluster
