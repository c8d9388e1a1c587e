// The node's database writes, on a thread of their own. An fsync takes a millisecond or more
// (far more on a busy disk); on the event processor it would stall heartbeats, peer frames and
// API answers for that long. Here the event processor only queues, and the updates that arrive
// while one transaction is being made durable go to disk together in the next one (group
// commit): under load, the fsyncs per second stay the same while the updates per fsync grow.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/cluster_db/db_update.hpp"
#include "wolfpack/cluster_store/sqlite_store.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::runtime {

class store_writer {
 public:
  // What reached the disk (or failed to): the seqs of one transaction, in order. Called on
  // the writer's thread; the caller hands it over to its own.
  using written_fn = std::function<void(const std::vector<std::uint64_t>& seqs, const status& st)>;

  store_writer(cluster::sqlite_store store, written_fn written);
  // Writes what is queued, then stops the thread.
  ~store_writer();
  store_writer(const store_writer&) = delete;
  store_writer& operator=(const store_writer&) = delete;

  // Queued in call order; each is durable when `written` reports its seq.
  void commit(std::vector<cluster::db_update> updates);
  // The whole database replaced (after every commit queued before it).
  void replace(cluster::db_tree tree, std::uint64_t seq);
  // Blocks until everything queued so far is written.
  void drain();
  // Runs `fn` on the store after what is queued and waits for its result: for the rare write
  // whose effect must be on disk before the caller goes on (a regroup promise).
  status run_now(std::function<status(cluster::sqlite_store&)> fn);

 private:
  struct job {
    std::vector<cluster::db_update> updates;  // a commit, when neither of the others is set
    std::optional<cluster::db_tree> replacement;
    std::uint64_t replace_seq = 0;
    std::function<status(cluster::sqlite_store&)> call;  // run_now's
    std::promise<status>* answer = nullptr;
  };
  void run();

  cluster::sqlite_store store_;  // touched only by the thread
  written_fn written_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<job> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace wolfpack::runtime
