#include "call_pool.hpp"

#include <algorithm>
#include <utility>

#include <wolfpack/winerror.h>
#include <wolfpack/common/platform/system.hpp>

#include "crash_report.hpp"

namespace wolfpack::monitor {

namespace {

bool is_poll(entry_point e) {
  return e == entry_point::looks_alive || e == entry_point::is_alive;
}

}  // namespace

call_pool::call_pool(std::size_t workers, std::size_t terminate_workers, completion on_done,
                     std::function<void()> on_quiet)
    : on_done_(std::move(on_done)), on_quiet_(std::move(on_quiet)) {
  const std::size_t total = workers + terminate_workers;
  for (std::size_t i = 0; i < total; ++i)
    slots_.push_back(std::make_unique<slot>());
  for (std::size_t i = 0; i < total; ++i) {
    lane& l = i < workers ? normal_ : urgent_;
    threads_.emplace_back([this, &l, s = slots_[i].get()] { work(l, *s); });
  }
}

call_pool::~call_pool() {
  stop();
  // Idle workers end at once; a worker stuck inside a plugin cannot be joined, and is left
  // behind only when the process is about to end anyway.
  {
    std::unique_lock lock(exit_mutex_);
    exited_.wait_for(lock, std::chrono::seconds(2), [this] {
      for (const auto& s : slots_) {
        if (!s->exited.load() && s->call_id.load() == 0)
          return false;
      }
      return true;
    });
  }
  for (std::size_t i = 0; i < threads_.size(); ++i) {
    if (!threads_[i].joinable())
      continue;
    if (slots_[i]->exited.load()) {
      threads_[i].join();
    } else {
      threads_[i].detach();
    }
  }
}

void call_pool::stop() {
  stopping_ = true;
  for (lane* l : {&normal_, &urgent_}) {
    std::lock_guard lock(l->mutex);
    l->ready.notify_all();
  }
}

void call_pool::submit(std::vector<call_request>&& calls) {
  if (std::none_of(calls.begin(), calls.end(), [](const call_request& c) { return c.urgent; })) {
    enqueue(normal_, std::move(calls));  // the common case: a batch of polls
    return;
  }
  std::vector<call_request> normal;
  std::vector<call_request> urgent;
  for (auto& c : calls)
    (c.urgent ? urgent : normal).push_back(std::move(c));
  if (!normal.empty())
    enqueue(normal_, std::move(normal));
  if (!urgent.empty())
    enqueue(urgent_, std::move(urgent));
}

void call_pool::enqueue(lane& l, std::vector<call_request>&& calls) {
  auto b = std::make_shared<batch>();
  b->calls = std::move(calls);
  if (on_quiet_ && std::any_of(b->calls.begin(), b->calls.end(),
                               [](const call_request& c) { return c.quiet; })) {
    const std::size_t n = b->calls.size();
    b->state = std::make_unique<std::atomic<std::uint8_t>[]>(n);  // value-initialised: running
    b->quiet = std::make_unique<poll_success[]>(n);
    quiet_batches_.push_back(b);
  }
  // Polls: as many workers as get through them in about 2 ms at what polls have cost lately;
  // they take microseconds, and waking a thread costs more than hundreds of them. If they
  // turn out slower, nudge() brings more workers in at every timer tick. Any other call may
  // block for long (Online, Terminate): one worker each.
  constexpr std::size_t share_ns = 2'000'000;
  const auto polls = static_cast<std::size_t>(std::count_if(
      b->calls.begin(), b->calls.end(), [](const call_request& c) { return is_poll(c.entry); }));
  const auto cost = static_cast<std::size_t>(std::max<std::int64_t>(poll_cost_ns_.load(), 1));
  const std::size_t wanted =
      (b->calls.size() - polls) + (polls == 0 ? 0 : (polls * cost + share_ns - 1) / share_ns);
  {
    std::lock_guard lock(l.mutex);
    l.queue.push_back(std::move(b));
  }
  if (hold_ > 0) {
    l.held_wakes += wanted;
    return;
  }
  wake(l, wanted);
}

void call_pool::wake(lane& l, std::size_t n) {
  n = std::min(n, slots_.size());  // more would find nobody to wake
  for (std::size_t i = 0; i < n; ++i)
    l.ready.notify_one();
}

void call_pool::release_wakeups() {
  if (--hold_ > 0)
    return;
  for (lane* l : {&urgent_, &normal_}) {
    const std::size_t n = std::exchange(l->held_wakes, 0);
    if (n > 0)
      wake(*l, n);
  }
}

void call_pool::harvest(std::vector<poll_success>& out) {
  std::int64_t taken = 0;
  std::erase_if(quiet_batches_, [&](const std::shared_ptr<batch>& b) {
    const std::size_t n = b->calls.size();
    bool settled = true;
    for (std::size_t i = b->settled; i < n; ++i) {
      const std::uint8_t st = b->state[i].load(std::memory_order_acquire);
      if (st == call_quiet_done) {
        out.push_back(b->quiet[i]);
        b->state[i].store(call_reported, std::memory_order_relaxed);
        ++taken;
      } else if (st == call_running) {
        if (settled)
          b->settled = i;
        settled = false;
      }
    }
    return settled;  // every call of the batch is taken care of: forget it
  });
  if (taken > 0)
    quiet_waiting_.fetch_sub(taken);
}

void call_pool::nudge() {
  // A batch still waiting at a timer tick has a worker stuck in a slow call: bring in another.
  for (lane* l : {&normal_, &urgent_}) {
    std::lock_guard lock(l->mutex);
    if (!l->queue.empty() && l->idle > 0)
      l->ready.notify_one();
  }
}

std::vector<running_call> call_pool::running() const {
  std::vector<running_call> out;
  for (const auto& s : slots_) {
    const std::uint64_t id = s->call_id.load(std::memory_order_acquire);
    if (id != 0)
      out.push_back({id, s->started.load(std::memory_order_acquire)});
  }
  return out;
}

void call_pool::set_lease_deadline(std::optional<mono_ns> deadline) {
  lease_deadline_.store(deadline ? *deadline : 0, std::memory_order_release);
}

void call_pool::work(lane& l, slot& s) {
  for (;;) {
    std::shared_ptr<batch> b;
    {
      std::unique_lock lock(l.mutex);
      ++l.idle;
      l.ready.wait(lock, [&] { return stopping_ || !l.queue.empty(); });
      --l.idle;
      if (l.queue.empty()) {  // stopping
        std::lock_guard exit_lock(exit_mutex_);
        s.exited = true;
        exited_.notify_all();
        return;
      }
      b = l.queue.front();
    }
    result_batch results;
    bool quiet_left = false;
    std::int64_t polls_ran = 0;
    mono_ns poll_time = 0;
    for (;;) {
      const std::size_t i = b->next.fetch_add(1, std::memory_order_relaxed);
      if (i >= b->calls.size())
        break;
      call_request& req = b->calls[i];
      call_outcome outcome = run(req, s);
      const bool poll = is_poll(req.entry);
      if (poll) {
        ++polls_ran;
        poll_time += outcome.finished - outcome.started;
      }
      const std::size_t done = b->finished.fetch_add(1, std::memory_order_acq_rel) + 1;
      if (b->state) {
        if (req.quiet && outcome.exec == exec_status::completed && outcome.status != 0) {
          b->quiet[i] =
              poll_success{req.call_id, outcome.status, outcome.started, outcome.finished};
          // Counted before it is published, so that harvest() never takes more than counted.
          quiet_waiting_.fetch_add(1);
          b->state[i].store(call_quiet_done, std::memory_order_release);
          quiet_left = true;
          continue;
        }
        b->state[i].store(call_reported, std::memory_order_release);
      }
      results.emplace_back(req.call_id, std::move(outcome));
      // Poll results travel in small groups and only the batch's last one wakes the core;
      // anything else goes at once. A group is small so that a hung poll holds back few. A
      // quiet poll that is here answered FALSE or did not run: the core hears of it at once.
      const bool more = poll && !req.quiet && done < b->calls.size();
      if (!more || results.size() >= 16) {
        on_done_(std::move(results), !more);
        results.clear();
      }
    }
    if (!results.empty())
      on_done_(std::move(results), true);
    if (quiet_left)
      on_quiet_();
    if (polls_ran > 0) {
      const std::int64_t avg = poll_cost_ns_.load(std::memory_order_relaxed);
      poll_cost_ns_.store((avg * 3 + poll_time / polls_ran) / 4, std::memory_order_relaxed);
    }
    std::lock_guard lock(l.mutex);
    if (!l.queue.empty() && l.queue.front() == b)
      l.queue.pop_front();
  }
}

call_outcome call_pool::run(call_request& req, slot& s) {
  const mono_ns now = platform::monotonic_ns();
  // The executor checks the lease again right before entering the plugin: a call queued
  // before this process was frozen must not run after it thaws late.
  const mono_ns lease = lease_deadline_.load(std::memory_order_acquire);
  if (req.needs_lease && lease != 0 && now >= lease) {
    call_outcome o;
    o.exec = exec_status::refused;
    o.status = ERROR_CLUSTER_NODE_NOT_READY;
    o.message = "the monitor's lease had run out; the plugin was not called";
    o.started = o.finished = now;
    return o;
  }
  crash_context_scope crash_scope(req.entry, req.resource);
  const mono_ns started = now;
  // The deadlock watchdog reads these two without a lock.
  s.started.store(started, std::memory_order_release);
  s.call_id.store(req.call_id, std::memory_order_release);
  call_outcome o;
  try {
    o = req.invoke();
  } catch (const std::exception& e) {
    // A C++ exception must not cross the C ABI, but a plugin may still throw.
    o.status = ERROR_EXCEPTION_IN_RESOURCE_CALL;
    o.message = std::string("the plugin threw an exception: ") + e.what();
  } catch (...) {
    o.status = ERROR_EXCEPTION_IN_RESOURCE_CALL;
    o.message = "the plugin threw an exception";
  }
  s.call_id.store(0, std::memory_order_release);
  o.started = started;
  o.finished = platform::monotonic_ns();
  return o;
}

}  // namespace wolfpack::monitor
