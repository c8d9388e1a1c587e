#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core_types.hpp"

namespace wolfpack::monitor {

// Runs plugin calls on a bounded set of threads so that one slow plugin cannot stall the
// others. Terminate gets lanes of its own: it must get through while a hung Online holds a
// worker. Outcomes go to `on_done` on the worker's thread, in the order each call finished.
//
// Calls arrive in batches (all the polls due in one 20 ms slot). A batch is shared: workers
// take its calls one by one with an atomic index, so thousands of polls cost one wake-up and
// no lock per call. If a call hangs, nudge() (every timer tick) brings another worker in to
// carry on with the rest of the batch.
class call_pool final : public call_executor {
 public:
  // Results are handed over a few at a time (one lock for up to 16 polls). `wake`: false when
  // other calls of the same batch are still to come, so the wake-up may wait for theirs.
  using result_batch = std::vector<std::pair<std::uint64_t, call_outcome>>;
  using completion = std::function<void(result_batch&& results, bool wake)>;

  call_pool(std::size_t workers, std::size_t terminate_workers, completion on_done);
  ~call_pool() override;
  call_pool(const call_pool&) = delete;
  call_pool& operator=(const call_pool&) = delete;

  void submit(std::vector<call_request>&& calls) override;
  std::vector<running_call> running() const override;
  void set_lease_deadline(std::optional<mono_ns> deadline) override;
  void nudge() override;

  // Stops accepting work and lets idle workers end; workers stuck in a plugin stay detached.
  void stop();

 private:
  struct batch {
    std::vector<call_request> calls;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> finished{0};
  };
  struct lane {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<std::shared_ptr<batch>> queue;  // batches with calls not yet taken
    std::size_t idle = 0;
  };
  struct slot {
    std::atomic<std::uint64_t> call_id{0};
    std::atomic<mono_ns> started{0};
    std::atomic<bool> exited{false};
  };

  void enqueue(lane& l, std::vector<call_request>&& calls);
  void work(lane& l, slot& s);
  call_outcome run(call_request& req, slot& s);

  completion on_done_;
  lane normal_;
  lane urgent_;
  std::vector<std::unique_ptr<slot>> slots_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::atomic<mono_ns> lease_deadline_{0};  // 0 = no lease
  std::mutex exit_mutex_;
  std::condition_variable exited_;
};

}  // namespace wolfpack::monitor
