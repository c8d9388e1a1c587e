#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <wolfpack/common/platform/system.hpp>

#include "call_pool.hpp"

using namespace wolfpack::monitor;

namespace {

// Collects outcomes and lets the test wait for them with a deadline.
struct collector {
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::pair<std::uint64_t, call_outcome>> done;

  call_pool::completion sink() {
    return [this](call_pool::result_batch&& results, bool) {
      std::lock_guard l(m);
      for (auto& r : results)
        done.emplace_back(r.first, std::move(r.second));
      cv.notify_all();
    };
  }
  bool wait_for_count(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock l(m);
    return cv.wait_for(l, timeout, [&] { return done.size() >= n; });
  }
};

call_request make(std::uint64_t id, std::function<call_outcome()> fn,
                  entry_point e = entry_point::looks_alive) {
  call_request r;
  r.call_id = id;
  r.entry = e;
  r.urgent = e == entry_point::terminate;
  r.needs_lease = e != entry_point::terminate;
  r.invoke = std::move(fn);
  return r;
}

}  // namespace

TEST_CASE("the pool runs every call and reports each outcome", "[pool]") {
  collector c;
  call_pool pool(4, 1, c.sink());
  std::vector<call_request> batch;
  for (std::uint64_t i = 1; i <= 1000; ++i) {
    batch.push_back(make(i, [i] {
      call_outcome o;
      o.status = static_cast<std::uint32_t>(i);
      return o;
    }));
  }
  pool.submit(std::move(batch));
  REQUIRE(c.wait_for_count(1000));
  for (auto& [id, o] : c.done)
    REQUIRE(o.status == id);
  pool.stop();
}

TEST_CASE("a blocked call shows in running(), and Terminate gets through beside it", "[pool]") {
  collector c;
  call_pool pool(1, 1, c.sink());
  std::mutex gate;
  std::unique_lock hold(gate);
  std::atomic<bool> entered{false};
  pool.submit({make(1, [&] {
    entered = true;
    std::lock_guard g(gate);  // blocks until the test lets go
    return call_outcome{};
  })});
  for (int i = 0; i < 10000 && !entered; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(entered);
  pool.submit({make(
      2, [] { return call_outcome{}; }, entry_point::terminate)});
  REQUIRE(c.wait_for_count(1));
  REQUIRE(c.done[0].first == 2);
  auto running = pool.running();
  REQUIRE(running.size() == 1);
  REQUIRE(running[0].call_id == 1);
  hold.unlock();
  REQUIRE(c.wait_for_count(2));
  REQUIRE(pool.running().empty());
  pool.stop();
}

TEST_CASE("after the lease deadline, calls that need it are refused without entering the plugin",
          "[pool][lease]") {
  collector c;
  call_pool pool(2, 1, c.sink());
  pool.set_lease_deadline(wolfpack::platform::monotonic_ns() - 1);
  bool entered = false;
  pool.submit({make(1, [&] {
    entered = true;
    return call_outcome{};
  })});
  pool.submit({make(
      2, [] { return call_outcome{}; }, entry_point::terminate)});
  REQUIRE(c.wait_for_count(2));
  for (auto& [id, o] : c.done) {
    if (id == 1)
      REQUIRE(o.exec == exec_status::refused);
    if (id == 2)
      REQUIRE(o.exec == exec_status::completed);
  }
  REQUIRE_FALSE(entered);
  pool.stop();
}

TEST_CASE("an exception thrown by a plugin call is caught and reported", "[pool]") {
  collector c;
  call_pool pool(1, 1, c.sink());
  pool.submit({make(1, []() -> call_outcome { throw std::runtime_error("boom"); })});
  REQUIRE(c.wait_for_count(1));
  REQUIRE(c.done[0].second.status == 5930u);  // ERROR_EXCEPTION_IN_RESOURCE_CALL
  pool.stop();
}

TEST_CASE("quiet polls that answer TRUE wait to be harvested, FALSE is reported at once",
          "[pool][quiet]") {
  collector c;
  std::atomic<int> quiet_calls{0};
  call_pool pool(2, 1, c.sink(), [&] { ++quiet_calls; });
  std::vector<call_request> batch;
  for (std::uint64_t i = 1; i <= 100; ++i) {
    auto r = make(i, [i] {
      call_outcome o;
      o.status = i % 10 == 0 ? 0 : 1;  // every tenth says FALSE
      return o;
    });
    r.quiet = true;
    batch.push_back(std::move(r));
  }
  pool.submit(std::move(batch));
  REQUIRE(c.wait_for_count(10));
  std::vector<poll_success> harvested;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (harvested.size() < 90 && std::chrono::steady_clock::now() < deadline) {
    pool.harvest(harvested);
    if (harvested.size() < 90)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(harvested.size() == 90);
  for (const auto& h : harvested) {
    REQUIRE(h.call_id % 10 != 0);
    REQUIRE(h.status == 1);
    REQUIRE(h.finished >= h.started);
  }
  {
    std::lock_guard l(c.m);
    REQUIRE(c.done.size() == 10);
    for (auto& [id, o] : c.done) {
      REQUIRE(id % 10 == 0);
      REQUIRE(o.status == 0);
    }
  }
  // The worker calls on_quiet after it has published its batch's quiet results, so the
  // harvest above may come first: wait for the call.
  while (quiet_calls == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(quiet_calls >= 1);
  REQUIRE_FALSE(pool.quiet_waiting());
  harvested.clear();
  pool.harvest(harvested);  // nothing is handed out twice
  REQUIRE(harvested.empty());
  pool.stop();
}

TEST_CASE("without an on_quiet callback quiet polls are reported like any other", "[pool][quiet]") {
  collector c;
  call_pool pool(2, 1, c.sink());
  std::vector<call_request> batch;
  for (std::uint64_t i = 1; i <= 20; ++i) {
    auto r = make(i, [] {
      call_outcome o;
      o.status = 1;
      return o;
    });
    r.quiet = true;
    batch.push_back(std::move(r));
  }
  pool.submit(std::move(batch));
  REQUIRE(c.wait_for_count(20));
  pool.stop();
}

TEST_CASE("calls submitted while wake-ups are held run once they are released", "[pool]") {
  collector c;
  call_pool pool(2, 1, c.sink());
  {
    call_pool::wakeup_hold hold(pool);
    std::vector<call_request> batch;
    for (std::uint64_t i = 1; i <= 50; ++i)
      batch.push_back(make(i, [] { return call_outcome{}; }));
    pool.submit(std::move(batch));
    pool.submit({make(
        51, [] { return call_outcome{}; }, entry_point::terminate)});
  }
  REQUIRE(c.wait_for_count(51));
  pool.stop();
}
