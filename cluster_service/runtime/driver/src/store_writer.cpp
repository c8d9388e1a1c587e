#include "store_writer.hpp"

#include <utility>

namespace wolfpack::runtime {

store_writer::store_writer(cluster::sqlite_store store, written_fn written)
    : store_(std::move(store)), written_(std::move(written)), thread_([this] { run(); }) {}

store_writer::~store_writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void store_writer::commit(std::vector<cluster::db_update> updates) {
  if (updates.empty())
    return;
  {
    std::lock_guard lock(mutex_);
    // Joins the commit still waiting for the thread: one transaction for both.
    if (!queue_.empty() && !queue_.back().replacement && !queue_.back().call) {
      auto& last = queue_.back().updates;
      last.insert(last.end(), std::make_move_iterator(updates.begin()),
                  std::make_move_iterator(updates.end()));
    } else {
      queue_.push_back(job{std::move(updates), std::nullopt, 0, {}, nullptr});
    }
  }
  wake_.notify_one();
}

void store_writer::replace(cluster::db_tree tree, std::uint64_t seq) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(job{{}, std::move(tree), seq, {}, nullptr});
  }
  wake_.notify_one();
}

void store_writer::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

status store_writer::run_now(std::function<status(cluster::sqlite_store&)> fn) {
  std::promise<status> answer;
  auto result = answer.get_future();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(job{{}, std::nullopt, 0, std::move(fn), &answer});
  }
  wake_.notify_one();
  return result.get();
}

void store_writer::run() {
  for (;;) {
    job next;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty())
        return;  // stopping, and everything queued is written
      next = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    std::vector<std::uint64_t> seqs;
    status st;
    if (next.call) {
      next.answer->set_value(next.call(store_));
      {
        std::lock_guard lock(mutex_);
        busy_ = false;
      }
      idle_.notify_all();
      continue;
    }
    if (next.replacement) {
      seqs.push_back(next.replace_seq);
      st = store_.replace_all(*next.replacement, next.replace_seq);
    } else {
      for (const auto& u : next.updates)
        seqs.push_back(u.seq);
      st = store_.commit(next.updates);
    }
    written_(seqs, st);
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
    }
    idle_.notify_all();
  }
}

}  // namespace wolfpack::runtime
