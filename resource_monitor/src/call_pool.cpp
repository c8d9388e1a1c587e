#include "call_pool.hpp"

#include <algorithm>

#include <wolfpack/winerror.h>
#include <wolfpack/common/platform/system.hpp>

#include "crash_report.hpp"

namespace wolfpack::monitor {

call_pool::call_pool(std::size_t workers, std::size_t terminate_workers, completion on_done)
    : on_done_(std::move(on_done)) {
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
  // One worker per 256 calls: polls take microseconds, and waking every thread for a batch
  // costs more than the calls themselves.
  const std::size_t wake = 1 + b->calls.size() / 256;
  {
    std::lock_guard lock(l.mutex);
    l.queue.push_back(std::move(b));
  }
  for (std::size_t i = 0; i < wake; ++i)
    l.ready.notify_one();
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
    for (;;) {
      const std::size_t i = b->next.fetch_add(1, std::memory_order_relaxed);
      if (i >= b->calls.size())
        break;
      call_request& req = b->calls[i];
      call_outcome outcome = run(req, s);
      const std::size_t done = b->finished.fetch_add(1, std::memory_order_acq_rel) + 1;
      results.emplace_back(req.call_id, std::move(outcome));
      // Poll results travel in small groups and only the batch's last one wakes the core;
      // anything else goes at once. A group is small so that a hung poll holds back few.
      const bool poll = req.entry == entry_point::looks_alive || req.entry == entry_point::is_alive;
      const bool more = poll && done < b->calls.size();
      if (!more || results.size() >= 16) {
        on_done_(std::move(results), !more);
        results.clear();
      }
    }
    if (!results.empty())
      on_done_(std::move(results), true);
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
