#include "dummy_resource.hpp"

#include <algorithm>
#include <system_error>
#include <utility>
#include <vector>

#include "dummy_call_log.hpp"
#include "dummy_callbacks.hpp"

namespace wolfpack::dummy {

namespace {

std::filesystem::path path_of(const wide_string& text) {
  return path_of_utf8(to_utf8(text));
}

std::string ms(DWORD value) {
  return std::to_string(value) + " ms";
}

}  // namespace

dummy_resource::dummy_resource(wide_string name, HKEY resource_key, RESOURCE_HANDLE handle)
    : name_(std::move(name)),
      name_utf8_(to_utf8(name_)),
      resource_key_(resource_key),
      handle_(handle) {}

dummy_resource::~dummy_resource() {
  // Close has joined every thread already; this is only a safety net for error paths.
  std::thread worker;
  std::thread retired;
  {
    std::lock_guard lock(mutex_);
    ++generation_;
    worker = std::move(worker_);
    retired = std::move(retired_);
  }
  wake_.notify_all();
  for (std::thread* thread : {&worker, &retired}) {
    if (!thread->joinable())
      continue;
    if (thread->get_id() == std::this_thread::get_id()) {
      thread->detach();  // deleted from inside its own callback: nothing else is possible
    } else {
      thread->join();
    }
  }
}

void dummy_resource::log(LOG_LEVEL level, std::string_view message) const {
  log_event(handle_, level, message);
}

dummy_settings dummy_resource::load_settings(std::string_view context, LOG_LEVEL level,
                                             std::vector<property_problem>& problems) {
  const dummy_properties properties = dummy_properties::read(resource_key_, problems);
  const dummy_settings settings = properties.settings();
  apply_fault_settings(settings);
  for (const auto& problem : problems) {
    log(level, std::string(context) + ": " + problem.message);
  }
  return settings;
}

void dummy_resource::apply_fault_settings(const dummy_settings& settings) {
  std::filesystem::path fail_file = path_of(settings.fail_file);
  std::string call_log = to_utf8(settings.call_log);
  std::lock_guard lock(mutex_);
  fail_file_ = std::move(fail_file);
  call_log_ = std::move(call_log);
  hang_in_ = settings.hang_in;
  crash_in_ = settings.crash_in;
}

dummy_resource::fault_view dummy_resource::faults() const {
  std::lock_guard lock(mutex_);
  return {hang_in_, crash_in_, call_log_};
}

void dummy_resource::enter(entry_point entry) {
  entry_point hang_in = entry_point::none;
  entry_point crash_in = entry_point::none;
  std::string call_log;
  {
    std::lock_guard lock(mutex_);
    hang_in = hang_in_;
    crash_in = crash_in_;
    if (!call_log_.empty())
      call_log = call_log_;
  }
  if (!call_log.empty())
    append_call_log(call_log, name_utf8_, entry);
  if (crash_in == entry) {
    log(LOG_ERROR, std::string(entry_point_name(entry)) + ": CrashIn asks to crash here");
    crash_now();
  }
  if (hang_in == entry) {
    log(LOG_WARNING, std::string(entry_point_name(entry)) + ": HangIn asks to block here forever");
    hang_forever();
  }
}

void dummy_resource::open() {
  std::vector<property_problem> problems;
  // A bad stored value must not stop the resource from being created (it could not be
  // fixed through the resource otherwise): warn now, refuse at Online.
  load_settings("Open", LOG_WARNING, problems);
  enter(entry_point::open);
}

void dummy_resource::stop_worker() {
  std::thread worker;
  std::thread retired;
  {
    std::lock_guard lock(mutex_);
    if (worker_.joinable())
      ++generation_;
    worker = std::move(worker_);
    retired = std::move(retired_);
  }
  wake_.notify_all();
  join_or_retire(std::move(worker));
  join_or_retire(std::move(retired));
}

void dummy_resource::join_or_retire(std::thread worker) {
  if (!worker.joinable())
    return;
  if (worker.get_id() != std::this_thread::get_id()) {
    worker.join();
    return;
  }
  // We are that worker, called back from inside its SetResourceStatus: it ends when the
  // callback returns, and the next operation or Close joins it.
  std::thread previous;
  {
    std::lock_guard lock(mutex_);
    previous = std::move(retired_);
    retired_ = std::move(worker);
  }
  if (previous.joinable())
    previous.join();  // another, earlier worker: long finished
}

bool dummy_resource::wait_until(std::unique_lock<std::mutex>& lock, clock::time_point deadline,
                                std::uint64_t generation) {
  while (generation_ == generation) {
    if (clock::now() >= deadline)
      return true;
    wake_.wait_until(lock, deadline);
  }
  return false;
}

void dummy_resource::become_online_locked(DWORD fail_after_ms) {
  phase_ = phase::online;
  fail_at_ = fail_after_ms == 0 ? clock::time_point::max()
                                : clock::now() + std::chrono::milliseconds(fail_after_ms);
}

DWORD dummy_resource::online() {
  std::uint64_t terminations = 0;
  {
    std::lock_guard lock(mutex_);
    terminations = terminations_;
  }
  std::vector<property_problem> problems;
  const dummy_settings settings = load_settings("Online", LOG_ERROR, problems);
  enter(entry_point::online);
  stop_worker();

  std::unique_lock lock(mutex_);
  if (terminations_ != terminations)
    return ERROR_OPERATION_ABORTED;
  if (!problems.empty()) {
    phase_ = phase::failed;
    return problems.front().status;
  }
  const std::uint64_t generation = generation_;
  phase_ = phase::online_pending;
  fail_at_ = clock::time_point::max();

  if (settings.pending) {
    worker_ = std::thread(
        [this, settings, generation] { run_worker(operation::online, settings, generation); });
    lock.unlock();
    log(LOG_INFORMATION, "Online: pending for " + ms(settings.online_delay_ms) +
                             (settings.online_error != 0 ? ", then failing" : ""));
    return ERROR_IO_PENDING;
  }

  const auto deadline = clock::now() + std::chrono::milliseconds(settings.online_delay_ms);
  if (!wait_until(lock, deadline, generation)) {
    lock.unlock();
    log(LOG_WARNING, "Online: abandoned, the resource was terminated meanwhile");
    return ERROR_OPERATION_ABORTED;
  }
  if (settings.online_error != 0) {
    phase_ = phase::failed;
    lock.unlock();
    log(LOG_ERROR, "Online: failing with error " + std::to_string(settings.online_error) +
                       " as OnlineError asks");
    return settings.online_error;
  }
  become_online_locked(settings.fail_after_ms);
  lock.unlock();
  log(LOG_INFORMATION, "Online: the resource is online after " + ms(settings.online_delay_ms));
  return ERROR_SUCCESS;
}

DWORD dummy_resource::offline() {
  std::uint64_t terminations = 0;
  {
    std::lock_guard lock(mutex_);
    terminations = terminations_;
  }
  // Offline never fails for a bad stored value: it uses the defaults for it.
  std::vector<property_problem> problems;
  const dummy_settings settings = load_settings("Offline", LOG_WARNING, problems);
  enter(entry_point::offline);
  stop_worker();

  std::unique_lock lock(mutex_);
  if (terminations_ != terminations)
    return ERROR_OPERATION_ABORTED;
  const std::uint64_t generation = generation_;
  phase_ = phase::offline_pending;
  fail_at_ = clock::time_point::max();

  if (settings.pending) {
    worker_ = std::thread(
        [this, settings, generation] { run_worker(operation::offline, settings, generation); });
    lock.unlock();
    log(LOG_INFORMATION, "Offline: pending for " + ms(settings.offline_delay_ms));
    return ERROR_IO_PENDING;
  }

  const auto deadline = clock::now() + std::chrono::milliseconds(settings.offline_delay_ms);
  if (!wait_until(lock, deadline, generation)) {
    lock.unlock();
    log(LOG_WARNING, "Offline: abandoned, the resource was terminated meanwhile");
    return ERROR_OPERATION_ABORTED;
  }
  phase_ = phase::offline;
  lock.unlock();
  log(LOG_INFORMATION, "Offline: the resource is offline after " + ms(settings.offline_delay_ms));
  return ERROR_SUCCESS;
}

void dummy_resource::run_worker(operation op, dummy_settings settings, std::uint64_t generation) {
  const bool going_online = op == operation::online;
  const CLUSTER_RESOURCE_STATE pending_state =
      going_online ? ClusterResourceOnlinePending : ClusterResourceOfflinePending;
  const auto start = clock::now();
  const auto deadline = start + std::chrono::milliseconds(going_online ? settings.online_delay_ms
                                                                       : settings.offline_delay_ms);
  const auto progress = std::chrono::milliseconds(settings.pending_progress_ms);
  auto next_report =
      settings.pending_progress_ms == 0 ? clock::time_point::max() : start + progress;
  DWORD check_point = 0;

  std::unique_lock lock(mutex_);
  for (;;) {
    if (generation_ != generation)
      return;  // Terminate or Close: stop without a report
    const auto now = clock::now();
    if (now >= deadline)
      break;
    if (now >= next_report) {
      ++check_point;
      next_report += progress;
      if (next_report <= now)
        next_report = now + progress;  // we fell behind: no burst
      lock.unlock();
      const DWORD answer = report_status(handle_, pending_state, check_point);
      lock.lock();
      if (answer == ResourceExitStateTerminate) {
        lock.unlock();
        log(LOG_WARNING, std::string(going_online ? "Online" : "Offline") +
                             ": the monitor asked the pending worker to stop");
        return;
      }
      continue;
    }
    wake_.wait_until(lock, std::min(deadline, next_report));
  }

  CLUSTER_RESOURCE_STATE final_state = ClusterResourceOffline;
  std::string message;
  LOG_LEVEL level = LOG_INFORMATION;
  if (!going_online) {
    phase_ = phase::offline;
    message = "Offline: the resource is offline after " + ms(settings.offline_delay_ms);
  } else if (settings.online_error != 0) {
    phase_ = phase::failed;
    final_state = ClusterResourceFailed;
    level = LOG_ERROR;
    message = "Online: failing with error " + std::to_string(settings.online_error) +
              " as OnlineError asks";
  } else {
    become_online_locked(settings.fail_after_ms);
    final_state = ClusterResourceOnline;
    message = "Online: the resource is online after " + ms(settings.online_delay_ms);
  }
  lock.unlock();
  log(level, message);
  report_status(handle_, final_state, check_point + 1);
}

void dummy_resource::terminate() {
  enter(entry_point::terminate);
  std::thread worker;
  {
    std::lock_guard lock(mutex_);
    ++generation_;
    ++terminations_;
    phase_ = phase::offline;
    fail_at_ = clock::time_point::max();
    worker = std::move(worker_);
  }
  wake_.notify_all();
  join_or_retire(std::move(worker));
  log(LOG_INFORMATION, "Terminate: the resource is offline");
}

void dummy_resource::close() {
  enter(entry_point::close);
  std::thread worker;
  std::thread retired;
  {
    std::lock_guard lock(mutex_);
    ++generation_;
    ++terminations_;
    phase_ = phase::offline;
    worker = std::move(worker_);
    retired = std::move(retired_);
  }
  wake_.notify_all();
  join_or_retire(std::move(worker));
  join_or_retire(std::move(retired));
}

BOOL dummy_resource::check_alive(std::string* reason) {
  std::filesystem::path fail_file;
  {
    std::lock_guard lock(mutex_);
    if (phase_ != phase::online)
      return FALSE;  // offline, pending or failed: not alive
    // Only read the clock when FailAfterMs is set (it is a vDSO call, not a syscall).
    if (fail_at_ != clock::time_point::max() && clock::now() >= fail_at_) {
      if (reason != nullptr)
        *reason = "FailAfterMs has elapsed since the resource came online";
      return FALSE;
    }
    if (fail_file_.empty())
      return TRUE;
    fail_file = fail_file_;
  }
  std::error_code error;
  if (std::filesystem::exists(fail_file, error)) {
    if (reason != nullptr)
      *reason = "FailFile " + fail_file.string() + " exists";
    return FALSE;
  }
  return TRUE;
}

BOOL dummy_resource::looks_alive() {
  enter(entry_point::looks_alive);
  return check_alive(nullptr);
}

BOOL dummy_resource::is_alive() {
  enter(entry_point::is_alive);
  std::string reason;
  const BOOL alive = check_alive(&reason);
  if (!alive && !reason.empty())
    log(LOG_ERROR, "IsAlive: failing because " + reason);
  return alive;
}

}  // namespace wolfpack::dummy
