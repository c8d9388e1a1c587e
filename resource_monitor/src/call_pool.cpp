#include "call_pool.hpp"

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
  std::size_t normal_count = 0;
  std::size_t urgent_count = 0;
  {
    std::scoped_lock lock(normal_.mutex, urgent_.mutex);
    for (auto& c : calls) {
      if (c.urgent) {
        urgent_.queue.push_back(std::move(c));
        ++urgent_count;
      } else {
        normal_.queue.push_back(std::move(c));
        ++normal_count;
      }
    }
  }
  // Wake only as many workers as there is work for: waking them all costs more than the calls.
  auto wake = [](lane& l, std::size_t n) {
    if (n == 0)
      return;
    if (n > 1) {
      l.ready.notify_all();
    } else {
      l.ready.notify_one();
    }
  };
  wake(normal_, normal_count);
  wake(urgent_, urgent_count);
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
    call_request req;
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
      req = std::move(l.queue.front());
      l.queue.pop_front();
    }
    call_outcome outcome = run(req, s);
    on_done_(req.call_id, std::move(outcome));
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
  const mono_ns started = platform::monotonic_ns();
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
