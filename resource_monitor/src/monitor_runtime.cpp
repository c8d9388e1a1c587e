#include "monitor_runtime.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <boost/asio/post.hpp>
#include <wolfpack/common/endpoint_io.hpp>
#include <wolfpack/common/framed_channel.hpp>
#include <wolfpack/common/logging.hpp>
#include <wolfpack/common/platform/stop_signals.hpp>
#include <wolfpack/common/platform/system.hpp>

#include "harness.hpp"

namespace wolfpack::monitor {

using nlohmann::json;

monitor_runtime::monitor_runtime(runtime_options options)
    : options_(std::move(options)),
      timer_(io_),
      pool_(
          options_.workers, options_.terminate_workers,
          [this](call_pool::result_batch&& results, bool wake) {
            post_completions(std::move(results), wake);
          },
          [this] { quiet_results_ready(); }),
      core_(core_context{pool_, *this, callback_router::instance(), loader_,
                         [this](registry_write&& w) { post(std::move(w)); }},
            options_.core) {
  callback_router::instance().attach(this);
}

monitor_runtime::~monitor_runtime() {
  callback_router::instance().attach(nullptr);
}

// ---------------------------------------------------------------------------------------------
// Inbox: the only way plugin threads reach the core. One FIFO keeps a plugin's LogEvent and
// SetResourceStatus in order with the completion of the call that made them.

void monitor_runtime::post(inbox_item&& item, bool wake_now) {
  bool wake = false;
  {
    std::lock_guard lock(inbox_mutex_);
    inbox_.push_back(std::move(item));
    // While workers still have queued calls, the last of them wakes the core for all the
    // results at once; a full inbox or the next timer tick wakes it anyway.
    if (!drain_posted_ && (wake_now || inbox_.size() >= 256)) {
      drain_posted_ = true;
      wake = true;
    }
  }
  if (wake)
    boost::asio::post(io_, [this] { drain(); });
}

void monitor_runtime::post_completions(call_pool::result_batch&& results, bool wake_now) {
  bool wake = false;
  {
    std::lock_guard lock(inbox_mutex_);
    for (auto& [id, outcome] : results)
      inbox_.push_back(completion_item{id, std::move(outcome)});
    if (!drain_posted_ && (wake_now || inbox_.size() >= 256)) {
      drain_posted_ = true;
      wake = true;
    }
  }
  if (wake)
    boost::asio::post(io_, [this] { drain(); });
}

void monitor_runtime::post_drain() {
  {
    std::lock_guard lock(inbox_mutex_);
    if (drain_posted_)
      return;
    drain_posted_ = true;
  }
  boost::asio::post(io_, [this] { drain(); });
}

// Quiet poll results (TRUE answers) do not wake the core's thread by themselves: at 10,000
// resources that would be a second wake-up per 20 ms slot. They wait until the thread runs
// anyway, which it does at its next timer, normally the next poll slot; only when that is
// more than one slot away does the worker wake it. Worker threads.
void monitor_runtime::quiet_results_ready() {
  // The results are counted (seq_cst) before this load, and publish_wake() stores before it
  // counts: either it sees them, or this sees the time it published.
  const mono_ns at = core_wake_.load();
  if (at == wake_running)
    return;
  if (at != no_wake && at <= platform::monotonic_ns() + ms_to_ns(options_.core.poll_quantum_ms)) {
    return;
  }
  post_drain();
}

// Everything plugin threads have handed over, in order: the inbox, then the quiet results.
// Quiet results are taken first: a log event a poll raised is in the inbox before its result
// is published, so it is seen in this round too and goes out before the poll's outcome.
void monitor_runtime::absorb(mono_ns now) {
  core_wake_.store(wake_running);
  harvested_.clear();
  pool_.harvest(harvested_);
  draining_.clear();
  {
    std::lock_guard lock(inbox_mutex_);
    draining_.swap(inbox_);
    drain_posted_ = false;
  }
  for (auto& item : draining_) {
    std::visit(
        [&](auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, completion_item>) {
            core_.handle_completion(v.call_id, std::move(v.outcome), now);
          } else if constexpr (std::is_same_v<T, status_item>) {
            core_.handle_status(v.token, v.report, now);
          } else if constexpr (std::is_same_v<T, log_item>) {
            core_.handle_log(v.token, v.level, std::move(v.message), now);
          } else if constexpr (std::is_same_v<T, quorum_item>) {
            core_.handle_quorum_lost(v.token, now);
          } else if constexpr (std::is_same_v<T, registry_write>) {
            core_.handle_registry_write(std::move(v), now);
          } else {
            core_.handle_stale_handle(v.callback, v.handle, now);
          }
        },
        item);
  }
  draining_.clear();
  if (!harvested_.empty())
    core_.handle_poll_successes(harvested_, now);
}

void monitor_runtime::drain() {
  call_pool::wakeup_hold hold(pool_);  // workers start once this thread is done
  const mono_ns now = platform::monotonic_ns();
  absorb(now);
  core_.handle_tick(now);
  rearm();
}

void monitor_runtime::rearm() {
  auto next = core_.next_deadline();
  // An earlier wake-up already set stays.
  if (next && !(armed_for_ && *armed_for_ <= *next)) {
    armed_for_ = *next;
    timer_.expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(*next)));
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec)
        return;  // re-armed for an earlier time; that wait takes over
      on_timer();
    });
  }
  publish_wake();
}

// Tells the workers when this thread will next collect quiet results, then looks for results
// that came in while it was at work and would otherwise wait too long.
void monitor_runtime::publish_wake() {
  const mono_ns at = armed_for_ ? *armed_for_ : no_wake;
  core_wake_.store(at);
  if (!pool_.quiet_waiting())
    return;
  if (at != no_wake && at <= platform::monotonic_ns() + ms_to_ns(options_.core.poll_quantum_ms)) {
    return;
  }
  post_drain();
}

void monitor_runtime::on_timer() {
  armed_for_.reset();
  pool_.nudge();
  drain();  // also picks up results whose wake-up was deferred
}

void monitor_runtime::on_command(const json& c) {
  call_pool::wakeup_hold hold(pool_);
  // What plugin threads handed over first, so that the command sees every call that has
  // returned (a poll's TRUE may otherwise wait for the next slot).
  absorb(platform::monotonic_ns());
  core_.handle_command(c, platform::monotonic_ns());
  core_.handle_tick(platform::monotonic_ns());
  rearm();
}

void monitor_runtime::command(const json& c) {
  // Posted, never run inline: the harness sends commands while handling an event, and the
  // core must not be re-entered in the middle of an operation.
  boost::asio::post(io_, [this, c] { on_command(c); });
}

// ---------------------------------------------------------------------------------------------
// callback_sink: plugin threads

void monitor_runtime::on_status(std::uint64_t token, const status_report& report) {
  post(status_item{token, report});
}
void monitor_runtime::on_log(std::uint64_t token, int level, std::string message) {
  post(log_item{token, level, std::move(message)});
}
void monitor_runtime::on_quorum_lost(std::uint64_t token) {
  post(quorum_item{token});
}
void monitor_runtime::on_stale_handle(const char* callback, std::uintptr_t handle) {
  post(stale_item{callback, handle});
}

// ---------------------------------------------------------------------------------------------
// event_sink

void monitor_runtime::emit(json&& event) {
  log_event(event);
  if (harness_ != nullptr) {
    harness_->on_event(event);
    return;
  }
  if (channel_ && channel_->is_open())
    channel_->send(event);
}

void monitor_runtime::log_event(const json& e) {
  const std::string type = e.value("type", "");
  if (type == "call" || type == "response")
    return;  // too many to log; the parent logs what matters
  const std::string resource =
      e.contains("resource") && e["resource"].is_string() ? e["resource"].get<std::string>() : "";
  const std::string rtype = e.contains("resource_type") && e["resource_type"].is_string()
                                ? e["resource_type"].get<std::string>()
                                : "";
  if (type == "log") {
    const std::string level = e.value("level", "information");
    const std::string msg = e.value("message", "");
    if (level == "error" || level == "severe") {
      log::error("plugin", {{"resource", resource}, {"type", rtype}}, "{}", msg);
    } else if (level == "warning") {
      log::warn("plugin", {{"resource", resource}, {"type", rtype}}, "{}", msg);
    } else {
      log::info("plugin", {{"resource", resource}, {"type", rtype}}, "{}", msg);
    }
    return;
  }
  if (type == "deadlock") {
    log::critical("monitor", {{"resource", resource}, {"type", rtype}}, "deadlock: {}", e.dump());
    return;
  }
  if (type == "state") {
    log::info("monitor", {{"resource", resource}}, "{} -> {}: {}", e.value("previous", ""),
              e.value("state", ""), e.value("reason", ""));
    return;
  }
  log::info("monitor", {{"resource", resource}, {"type", rtype}}, "{}: {}", type, e.dump());
}

void monitor_runtime::request_exit(int code) {
  if (exit_code_)
    return;
  exit_code_ = code;
  boost::asio::post(io_, [this, code] { finish(code); });
}

void monitor_runtime::finish(int code) {
  if (harness_ != nullptr)
    code = harness_->exit_code_for(code);
  // Let queued frames reach the parent before going (bounded: it may be gone too).
  const mono_ns deadline = platform::monotonic_ns() + ms_to_ns(2000);
  while (channel_ && channel_->is_open() && channel_->queued_bytes() > 0 &&
         platform::monotonic_ns() < deadline) {
    io_.run_one_for(std::chrono::milliseconds(20));
  }
  log::info("monitor", "exiting with code {}", code);
  flush_logging();
  std::fflush(stdout);
  std::fflush(stderr);
  // Workers may be stuck inside a plugin; nothing may wait for them.
  std::_Exit(code);
}

// ---------------------------------------------------------------------------------------------
// Modes

int monitor_runtime::run_monitor(const endpoint& parent) {
  auto socket = connect_to(io_, parent);
  if (!socket) {
    std::fprintf(stderr, "resrcmon: cannot connect to parent %s: %s\n", parent.to_string().c_str(),
                 socket.error().c_str());
    return exit_usage;
  }
  // Stop requests are handled before the parent hears hello: a SIGTERM (Windows: Ctrl-Break)
  // right after it must still terminate the resources the orderly way.
  platform::stop_signals stop(io_, [this](std::string_view request) {
    log::warn("monitor", "{}: terminating every resource", request);
    core_.handle_parent_lost(platform::monotonic_ns());
    rearm();
  });
  channel_ = framed_channel::create(std::move(socket).value(), "parent");
  channel_->start([this](json message) { on_command(message); },
                  [this](const std::string& reason) {
                    log::warn("monitor", "parent connection closed: {}", reason);
                    core_.handle_parent_lost(platform::monotonic_ns());
                    rearm();
                  });
  channel_->send({{"type", "hello"},
                  {"protocol", protocol_version},
                  {"pid", platform::process_id()},
                  {"monitor_id", options_.monitor_id},
                  {"node", options_.node}});
  if (options_.initial_lease_ms) {
    command({{"type", "renew_lease"}, {"ms", *options_.initial_lease_ms}});
  }
  if (options_.start_unleased) {
    core_.start_unleased(platform::monotonic_ns());
  }
  io_.run();
  return exit_code_.value_or(exit_clean);
}

int monitor_runtime::run_harness(harness_driver& driver) {
  harness_ = &driver;
  driver.start(*this);
  platform::stop_signals stop(io_, [&driver](std::string_view) { driver.on_interrupt(); });
  io_.run();
  return exit_code_.value_or(harness_exit_ok);
}

}  // namespace wolfpack::monitor
