#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "call_pool.hpp"
#include "callback_router.hpp"
#include "core_types.hpp"
#include "library_loader.hpp"
#include "monitor_core.hpp"

namespace wolfpack {
class framed_channel;
struct endpoint;
}  // namespace wolfpack

namespace wolfpack::monitor {

class harness_driver;

struct runtime_options {
  core_settings core;
  std::size_t workers = 8;
  std::size_t terminate_workers = 2;
  std::string monitor_id;
  std::string node;
  std::optional<std::uint32_t> initial_lease_ms;
  // Leased, with no lease until the parent's first renewal (--leased).
  bool start_unleased = false;
};

// Drives monitor_core with real time, real threads and a real socket: one io_context thread
// owns the core; plugin threads hand their results over through the inbox.
class monitor_runtime final : public event_sink, public callback_sink {
 public:
  explicit monitor_runtime(runtime_options options);
  ~monitor_runtime() override;

  // Connects to the parent and serves it until it goes away; returns the exit code.
  int run_monitor(const endpoint& parent);
  // Runs the standalone harness; returns the exit code.
  int run_harness(harness_driver& driver);

  // event_sink
  void emit(nlohmann::json&& event) override;
  void request_exit(int code) override;

  // callback_sink (plugin threads)
  void on_status(std::uint64_t token, const status_report& report) override;
  void on_log(std::uint64_t token, int level, std::string message) override;
  void on_quorum_lost(std::uint64_t token) override;
  void on_stale_handle(const char* callback, std::uintptr_t handle) override;

  // For the harness: feed a command as if the parent had sent it.
  void command(const nlohmann::json& c);
  boost::asio::io_context& io() { return io_; }

 private:
  struct completion_item {
    std::uint64_t call_id;
    call_outcome outcome;
  };
  struct status_item {
    std::uint64_t token;
    status_report report;
  };
  struct log_item {
    std::uint64_t token;
    int level;
    std::string message;
  };
  struct quorum_item {
    std::uint64_t token;
  };
  struct stale_item {
    std::string callback;
    std::uintptr_t handle;
  };
  using inbox_item =
      std::variant<completion_item, status_item, log_item, quorum_item, registry_write, stale_item>;

  // `wake_now` false lets a burst of poll results share one wake-up of the core's thread.
  void post(inbox_item&& item, bool wake_now = true);
  void post_completions(call_pool::result_batch&& results, bool wake_now);
  void post_drain();
  void quiet_results_ready();
  void absorb(mono_ns now);
  void drain();
  void rearm();
  void publish_wake();
  void on_timer();
  void on_command(const nlohmann::json& c);
  void log_event(const nlohmann::json& event);
  [[noreturn]] void finish(int code);

  runtime_options options_;
  boost::asio::io_context io_;
  boost::asio::steady_timer timer_;
  std::optional<mono_ns> armed_for_;
  library_loader loader_;
  call_pool pool_;
  monitor_core core_;

  std::mutex inbox_mutex_;
  std::vector<inbox_item> inbox_;
  bool drain_posted_ = false;            // guarded by inbox_mutex_
  std::vector<inbox_item> draining_;     // core's thread: the inbox being worked off
  std::vector<poll_success> harvested_;  // core's thread: quiet poll results taken
  // When the core's thread will next collect quiet poll results: the time its timer is set
  // for, no_wake (a worker must wake it) or wake_running (it is at work and checks again
  // before it sleeps). Written by the core's thread, read by workers.
  static constexpr mono_ns no_wake = 0;
  static constexpr mono_ns wake_running = -1;
  std::atomic<mono_ns> core_wake_{no_wake};

  std::shared_ptr<framed_channel> channel_;
  harness_driver* harness_ = nullptr;
  std::optional<int> exit_code_;
};

}  // namespace wolfpack::monitor
