#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core_support.hpp"
#include "core_types.hpp"
#include "resource_record.hpp"

namespace wolfpack::monitor {

// The resource monitor's logic: commands from the parent, outcomes of plugin calls, status
// reports and timers in; plugin calls and events out. Single-threaded and deterministic: every
// input carries the time, nothing here reads a clock, sleeps or touches a socket.
class monitor_core {
 public:
  monitor_core(core_context context, core_settings settings);
  ~monitor_core();
  monitor_core(const monitor_core&) = delete;
  monitor_core& operator=(const monitor_core&) = delete;

  void handle_command(const nlohmann::json& command, mono_ns now);
  void handle_completion(std::uint64_t call_id, call_outcome&& outcome, mono_ns now);
  // Quiet polls that answered TRUE (call_request::quiet), collected in bulk: the same as
  // handle_completion for each, in order, except that the calls they lead to are submitted
  // by the handle_tick() or handle_command() that must follow, with that batch.
  void handle_poll_successes(const std::vector<poll_success>& results, mono_ns now);
  void handle_status(std::uint64_t token, const status_report& report, mono_ns now);
  void handle_log(std::uint64_t token, int level, std::string message, mono_ns now);
  void handle_quorum_lost(std::uint64_t token, mono_ns now);
  void handle_registry_write(registry_write&& write, mono_ns now);
  void handle_stale_handle(const std::string& callback, std::uintptr_t handle, mono_ns now);
  // The parent's connection closed: terminate everything at once, then exit.
  void handle_parent_lost(mono_ns now);
  // Before any command: leased, but no lease until the parent renews one. A lease given at
  // the start (--lease-ms) would let a node that is not in a quorum's view, or no longer is,
  // bring resources online in a monitor it started meanwhile, past the time the others wait
  // out before taking its groups over.
  void start_unleased(mono_ns now);
  void handle_tick(mono_ns now);

  std::optional<mono_ns> next_deadline() const;
  std::size_t resource_count() const { return by_name_.size(); }

  // Test-only views.
  std::optional<rstate> TEST_state(const std::string& resource) const;
  bool TEST_fenced() const { return fenced_; }

 private:
  enum class timer_kind : std::uint8_t {
    looks_alive,
    is_alive,
    pending,
    deadlock_check,
    lease,
    exit_grace
  };
  struct timer_entry {
    mono_ns at;
    std::uint64_t seq;  // ties broken by arming order, so firing order is deterministic
    timer_kind kind;
    std::uint64_t slot;
    std::uint64_t generation;
    bool operator>(const timer_entry& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  struct inflight {
    std::uint64_t slot = 0;  // 0 = type-level call
    entry_point entry = entry_point::open;
    std::uint64_t generation = 0;
    std::uint32_t deadlock_timeout_ms = 0;
    std::optional<std::int64_t> request_id;
    std::string type_name;  // load_type and type control
    std::string resource;   // for events, even after the record is gone
    bool serialized = false;
    std::optional<control_args> control;
  };

  // commands
  void dispatch_command(const nlohmann::json& c, mono_ns now);
  void cmd_load_type(const nlohmann::json& c, std::optional<std::int64_t> id, mono_ns now);
  void cmd_open(const nlohmann::json& c, std::optional<std::int64_t> id, mono_ns now);
  void cmd_online(resource_record& r, const nlohmann::json& c, std::optional<std::int64_t> id,
                  mono_ns now);
  void cmd_offline(resource_record& r, std::optional<std::int64_t> id, mono_ns now);
  void cmd_terminate(resource_record& r, std::optional<std::int64_t> id, mono_ns now);
  void cmd_close(resource_record& r, std::optional<std::int64_t> id, mono_ns now);
  void cmd_quorum(resource_record& r, entry_point entry, std::optional<std::int64_t> id,
                  mono_ns now);
  void cmd_resource_control(resource_record& r, const nlohmann::json& c,
                            std::optional<std::int64_t> id, mono_ns now);
  void cmd_type_control(const nlohmann::json& c, std::optional<std::int64_t> id, mono_ns now);
  void cmd_set_properties(resource_record& r, const nlohmann::json& c,
                          std::optional<std::int64_t> id, mono_ns now);
  void cmd_renew_lease(const nlohmann::json& c, std::optional<std::int64_t> id, mono_ns now);
  void cmd_status(std::optional<std::int64_t> id);
  void cmd_shutdown(std::optional<std::int64_t> id, mono_ns now);

  // completions
  void on_startup_done(const inflight& f, call_outcome&& o);
  void on_open_done(resource_record& r, const inflight& f, call_outcome&& o, mono_ns now);
  void on_online_done(resource_record& r, const inflight& f, call_outcome&& o, mono_ns now);
  void on_offline_done(resource_record& r, const inflight& f, call_outcome&& o, mono_ns now);
  void on_pending_call_done(resource_record& r, const inflight& f, call_outcome&& o, mono_ns now);
  void on_terminate_done(resource_record& r, mono_ns now);
  void on_close_done(resource_record& r, const inflight& f, call_outcome&& o, mono_ns now);
  bool complete_poll(std::uint64_t call_id, const call_outcome& o, mono_ns now);
  void on_poll_done(resource_record& r, entry_point entry, std::uint64_t generation,
                    const call_outcome& o, mono_ns now);
  void on_control_done(resource_record* r, const inflight& f, call_outcome&& o, mono_ns now);

  // resource life
  void start_pending_operation(resource_record& r, entry_point entry,
                               std::optional<std::int64_t> id, mono_ns now);
  void run_or_wait(resource_record& r, std::function<void(mono_ns)> op, mono_ns now,
                   std::optional<std::int64_t> id);
  void drop_waiting(resource_record& r, std::uint32_t code, const std::string& why);
  void emit_registry_write(const std::string& resource, registry_write&& w);
  void release_busy(resource_record& r, mono_ns now);
  void start_terminate(resource_record& r, mono_ns now, std::function<void(mono_ns)> then);
  void set_state(resource_record& r, rstate s, const std::string& reason, mono_ns now,
                 std::optional<exec_status> exec = std::nullopt);
  void become_online(resource_record& r, mono_ns now);
  void fail(resource_record& r, const std::string& reason, mono_ns now,
            std::optional<exec_status> exec = std::nullopt);
  void apply_report(resource_record& r, const status_report& report, mono_ns now);
  void arm_pending(resource_record& r, mono_ns now);
  void schedule_polls(resource_record& r, mono_ns now);
  void start_poll(resource_record& r, entry_point entry, mono_ns now);
  void remove(resource_record& r);

  // calls and timers
  std::uint64_t submit(resource_record* r, entry_point entry, std::function<call_outcome()> invoke,
                       std::optional<std::int64_t> request_id, mono_ns now, bool serialized,
                       const std::string& type_name = {});
  std::uint64_t submit_poll(resource_record& r, entry_point entry,
                            std::function<call_outcome()> invoke);
  void flush_submissions();
  void arm(mono_ns at, timer_kind kind, std::uint64_t slot, std::uint64_t generation);
  // Brings the first `lines` cache lines of a resource's record in (see resource_record).
  void prefetch_record(std::uint64_t slot, int lines) const;
  static constexpr std::size_t prefetch_distance = 8;
  mono_ns quantize(mono_ns t) const;
  bool lease_ok(mono_ns now) const;
  void fence(mono_ns now);
  void check_deadlocks(mono_ns now);
  void maybe_exit_after_parent_lost();

  // events
  void emit(nlohmann::json&& event);
  void respond_ok(std::optional<std::int64_t> id, nlohmann::json extra = nlohmann::json::object());
  void respond_error(std::optional<std::int64_t> id, std::uint32_t code, const std::string& message,
                     exec_status exec = exec_status::refused,
                     nlohmann::json extra = nlohmann::json::object());
  void respond_call(std::optional<std::int64_t> id, const inflight& f, const call_outcome& o,
                    nlohmann::json extra = nlohmann::json::object());
  void trace_call(const inflight& f, const call_outcome& o);

  resource_record* find(const std::string& name);
  resource_record* find_token(std::uint64_t token);
  resource_record* find_slot(std::uint64_t slot);

  core_context ctx_;
  core_settings settings_;

  std::map<std::string, std::uint64_t> by_name_;  // ordered: decisions iterate deterministically
  // Indexed by slot: slots are handed out in order and never reused, and the poll path looks
  // a resource up for every call.
  std::vector<std::unique_ptr<resource_record>> slots_;
  std::unordered_map<std::uint64_t, std::uint64_t> by_token_;
  std::map<std::string, std::shared_ptr<plugin_type>> types_;
  std::map<std::string, std::vector<std::optional<std::int64_t>>> loading_types_;

  std::unordered_map<std::uint64_t, inflight> inflight_;
  std::vector<call_request> outgoing_;
  std::map<mono_ns, std::vector<timer_entry>> timers_;  // by deadline, then arming order
  std::vector<timer_entry>* last_armed_ = nullptr;      // the bucket arm() used last
  mono_ns last_armed_at_ = 0;
  std::uint64_t next_slot_ = 1;
  std::uint64_t next_token_ = 1;
  std::uint64_t next_call_ = 1;
  std::uint64_t timer_seq_ = 0;

  std::optional<mono_ns> lease_deadline_;
  std::uint64_t lease_generation_ = 0;
  bool fenced_ = false;
  bool parent_lost_ = false;
  bool exiting_ = false;
  bool deadlock_timer_armed_ = false;
  bool exiting_done_ = false;
  std::size_t terminates_in_flight_ = 0;
  static constexpr std::uint64_t poll_call_flag = 1ull << 63;
  std::uint64_t poll_seq_ = 0;
  std::size_t polls_in_flight_ = 0;
  std::map<std::int64_t, std::vector<std::string>> type_messages_;  // by request id
  std::optional<std::int64_t> shutdown_request_;
  std::vector<std::uint64_t> type_control_calls_;  // in flight, oldest first
};

}  // namespace wolfpack::monitor
