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
//
// Quiet polls (call_request::quiet) that answer TRUE are the bulk of the traffic and change
// nothing but the next deadline: their results stay in the batch, lock-free, until the core's
// thread collects them with harvest(). A worker that leaves a batch with such results calls
// `on_quiet`, which decides whether the core's thread must be woken for them or will come by
// soon anyway. Without `on_quiet` every result goes to `on_done`.
class call_pool final : public call_executor {
 public:
  // Results are handed over a few at a time (one lock for up to 16 polls). `wake`: false when
  // other calls of the same batch are still to come, so the wake-up may wait for theirs.
  using result_batch = std::vector<std::pair<std::uint64_t, call_outcome>>;
  using completion = std::function<void(result_batch&& results, bool wake)>;

  call_pool(std::size_t workers, std::size_t terminate_workers, completion on_done,
            std::function<void()> on_quiet = {});
  ~call_pool() override;
  call_pool(const call_pool&) = delete;
  call_pool& operator=(const call_pool&) = delete;

  void submit(std::vector<call_request>&& calls) override;
  std::vector<running_call> running() const override;
  void set_lease_deadline(std::optional<mono_ns> deadline) override;
  void nudge() override;

  // Appends the quiet results that have come in since the last call. Call it on the thread
  // that submits (the core's): it owns the list of batches with quiet calls.
  void harvest(std::vector<poll_success>& out);
  // Quiet results not harvested yet (any thread; see monitor_runtime::publish_wake).
  bool quiet_waiting() const { return quiet_waiting_.load() > 0; }

  // While held, submit() queues calls but wakes no worker; the last release wakes them. The
  // core's thread holds wake-ups for the length of a handler, so that a worker woken on its
  // core does not preempt it halfway (a third context switch). Submitting thread only.
  void hold_wakeups() { ++hold_; }
  void release_wakeups();
  class wakeup_hold {
   public:
    explicit wakeup_hold(call_pool& p) : pool_(p) { pool_.hold_wakeups(); }
    ~wakeup_hold() { pool_.release_wakeups(); }
    wakeup_hold(const wakeup_hold&) = delete;
    wakeup_hold& operator=(const wakeup_hold&) = delete;

   private:
    call_pool& pool_;
  };

  // Stops accepting work and lets idle workers end; workers stuck in a plugin stay detached.
  void stop();

 private:
  // Where call i of a batch stands, for harvest(): the worker moves it from call_running to
  // call_quiet_done (the result is in quiet[i]) or call_reported (it went to on_done);
  // harvest() moves call_quiet_done to call_reported.
  enum : std::uint8_t { call_running = 0, call_quiet_done = 1, call_reported = 2 };
  struct batch {
    std::vector<call_request> calls;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> finished{0};
    // Only for batches with quiet calls:
    std::unique_ptr<std::atomic<std::uint8_t>[]> state;
    std::unique_ptr<poll_success[]> quiet;
    std::size_t settled = 0;  // harvest(): every call below this is call_reported
  };
  struct lane {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<std::shared_ptr<batch>> queue;  // batches with calls not yet taken
    std::size_t idle = 0;
    std::size_t held_wakes = 0;  // submitting thread only: wake-ups waiting for release
  };
  struct slot {
    std::atomic<std::uint64_t> call_id{0};
    std::atomic<mono_ns> started{0};
    std::atomic<bool> exited{false};
  };

  void enqueue(lane& l, std::vector<call_request>&& calls);
  void wake(lane& l, std::size_t n);
  void work(lane& l, slot& s);
  call_outcome run(call_request& req, slot& s);

  completion on_done_;
  std::function<void()> on_quiet_;
  std::vector<std::shared_ptr<batch>> quiet_batches_;  // submitting thread only
  std::atomic<std::int64_t> quiet_waiting_{0};
  int hold_ = 0;  // submitting thread only
  // What a poll has cost lately (a moving average, ns): decides how many workers a batch
  // needs. Approximate: workers update it without a lock.
  std::atomic<std::int64_t> poll_cost_ns_{20'000};
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
