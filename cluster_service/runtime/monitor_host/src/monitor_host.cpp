#include "wolfpack/monitor_host/monitor_host.hpp"

#include <algorithm>
#include <csignal>
#include <system_error>
#include <utility>
#include <vector>

#include <boost/system/error_code.hpp>

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/logging.hpp"
#include "wolfpack/common/platform/local_endpoint.hpp"

namespace wolfpack::host {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

constexpr std::string_view component = "monitor_host";
// How often live monitors are checked for having exited.
constexpr milliseconds reap_interval{100};
// How long a reaped monitor's socket is still read for frames written before the exit.
constexpr milliseconds drain_limit{500};
// How long the destructor waits for a killed process to be reaped.
constexpr milliseconds reap_limit{5000};

bool valid_monitor_id(const std::string& id) {
  return !id.empty() && id != "." && id != ".." && id.find('/') == std::string::npos &&
         id.find('\\') == std::string::npos && id.find('\0') == std::string::npos;
}

bool is_crash_signal(int signal) {
  // SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS on Linux: the plugin (or the monitor)
  // broke, as opposed to someone stopping the process.
  return signal == 4 || signal == 6 || signal == 7 || signal == 8 || signal == 11 || signal == 31;
}

std::string describe_status(const platform::exit_status& s) {
  if (s.signaled()) {
    return (is_crash_signal(s.code) ? "crashed (signal " : "killed (signal ") +
           std::to_string(s.code) + ")";
  }
  return "exited with code " + std::to_string(s.code);
}

std::string describe_deadlock(const json& event) {
  std::string text = "deadlock reported: " + event.value("entry", std::string("a call"));
  if (event.contains("resource") && event["resource"].is_string()) {
    text += " of resource " + event["resource"].get<std::string>();
  } else if (event.contains("resource_type") && event["resource_type"].is_string()) {
    text += " of resource type " + event["resource_type"].get<std::string>();
  }
  if (event.contains("deadlock_timeout_ms") && event["deadlock_timeout_ms"].is_number()) {
    text += " did not return within " + event["deadlock_timeout_ms"].dump() + " ms";
  }
  return text;
}

}  // namespace

struct monitor_host::connection {
  std::shared_ptr<framed_channel> channel;
  std::string monitor_id;        // empty until hello
  std::uint64_t generation = 0;  // of the monitor process it belongs to
};

struct monitor_host::monitor {
  monitor(boost::asio::io_context& io, std::string monitor_id, milliseconds backoff)
      : id(std::move(monitor_id)),
        next_backoff(backoff),
        hello_timer(io),
        restart_timer(io),
        drain_timer(io),
        stop_timer(io) {}

  const std::string id;
  phase state = phase::stopped;
  platform::child_process process;
  std::shared_ptr<connection> conn;
  // Bumped at each spawn so that handlers of an earlier process do nothing.
  std::uint64_t generation = 0;
  bool stop_requested = false;
  std::string restart_reason;  // restart(): stopping, to be started again
  bool leased = true;          // started with --leased (when the node has peers)
  std::string kill_reason;     // set when the host itself killed the process
  std::optional<json> deadlock;
  std::optional<platform::exit_status> exit;
  milliseconds next_backoff;
  std::optional<steady_clock::time_point> ready_at;
  boost::asio::steady_timer hello_timer;
  boost::asio::steady_timer restart_timer;
  boost::asio::steady_timer drain_timer;
  boost::asio::steady_timer stop_timer;
};

monitor_host::monitor_host(boost::asio::io_context& io, monitor_host_options options)
    : io_(io),
      options_(std::move(options)),
      listen_at_(platform::local_listen_endpoint(options_.run_dir, "monitors.sock")),
      reap_timer_(io) {}

monitor_host::~monitor_host() {
  reap_timer_.cancel();
  if (acceptor_) {
    boost::system::error_code ignored;
    acceptor_->close(ignored);
  }
  for (auto& [ptr, conn] : unidentified_) {
    conn->channel->close();
  }
  for (auto& [id, m] : monitors_) {
    if (m->conn) {
      m->conn->channel->close();
    }
    kill_and_reap(*m);
  }
  std::error_code ec;
  if (acceptor_ && listen_at_.kind == endpoint_kind::unix_socket) {
    fs::remove(listen_at_.path, ec);
  }
}

void monitor_host::kill_and_reap(monitor& m) {
  if (!m.process.valid()) {
    return;
  }
  if (m.process.is_running()) {
    m.process.kill();
  }
  if (!m.process.status() && !m.process.wait_for(reap_limit)) {
    log::error(component, {{"monitor", m.id}}, "monitor pid {} did not end after SIGKILL",
               m.process.pid());
  }
}

status monitor_host::start() {
  if (acceptor_) {
    return fail("monitor host already started");
  }
  std::error_code ec;
  fs::create_directories(options_.run_dir / "monitors", ec);
  if (ec) {
    return fail("cannot create " + (options_.run_dir / "monitors").string() + ": " + ec.message());
  }
  auto acceptor = listen_on(io_, listen_at_);
  if (!acceptor) {
    return fail(acceptor.error());
  }
  // The address the monitors dial: with TCP, the port the system picked.
  auto bound = local_endpoint_of(*acceptor);
  if (!bound) {
    return fail(bound.error());
  }
  acceptor_.emplace(std::move(acceptor).value());
  bound_ = std::move(bound).value();
  log::info(component, "listening for monitors on {}", bound_.to_string());
  do_accept();
  arm_reap_timer();
  return {};
}

void monitor_host::do_accept() {
  acceptor_->async_accept([this, alive = std::weak_ptr<int>(alive_)](
                              const boost::system::error_code& ec, stream_socket socket) {
    if (alive.expired() || ec == boost::asio::error::operation_aborted) {
      return;
    }
    if (ec) {
      log::warn(component, "accept failed: {}", ec.message());
    } else {
      auto conn = std::make_shared<connection>();
      conn->channel = framed_channel::create(std::move(socket), "resrcmon (no hello yet)");
      unidentified_.emplace(conn.get(), conn);
      std::weak_ptr<int> token = alive_;
      // Weak: the connection is owned by unidentified_ or by its monitor, and must not be
      // kept alive by its own channel's handlers.
      std::weak_ptr<connection> weak_conn = conn;
      conn->channel->start(
          [this, token, weak_conn](json message) {
            auto c = weak_conn.lock();
            if (c && !token.expired()) {
              on_connection_message(c, std::move(message));
            }
          },
          [this, token, weak_conn](const std::string& reason) {
            auto c = weak_conn.lock();
            if (c && !token.expired()) {
              on_connection_closed(c, reason);
            }
          });
    }
    do_accept();
  });
}

void monitor_host::on_connection_message(const std::shared_ptr<connection>& conn, json message) {
  const std::string type = message.value("type", std::string());
  if (conn->monitor_id.empty()) {
    // The first frame must be hello and must name a monitor we started and are waiting for.
    if (type != "hello") {
      log::warn(component, "connection closed: first frame was '{}', not hello", type);
      conn->channel->close();
      return;
    }
    const std::string id = message.value("monitor_id", std::string());
    monitor* m = find(id);
    const int hello_pid = message.value("pid", -1);
    std::string problem;
    if (m == nullptr) {
      problem = "unknown monitor id";
    } else if (m->state != phase::starting || m->conn) {
      problem = "that monitor is already connected or not starting";
    } else if (hello_pid != m->process.pid()) {
      problem = "pid " + std::to_string(hello_pid) + " is not the monitor's pid " +
                std::to_string(m->process.pid());
    }
    if (!problem.empty()) {
      log::warn(component, {{"monitor", id}}, "hello rejected: {}", problem);
      conn->channel->close();
      return;
    }
    unidentified_.erase(conn.get());
    conn->monitor_id = id;
    conn->generation = m->generation;
    m->conn = conn;
    m->state = phase::ready;
    m->ready_at = steady_clock::now();
    m->hello_timer.cancel();
    if (!m->restart_reason.empty()) {
      // Asked to restart before its hello (SIGTERM may have come before its handler): it is
      // told to shut down, and the core hears of it only when it has ended.
      conn->channel->send({{"type", "shutdown"}});
      return;
    }
    log::info(component, {{"monitor", id}}, "monitor ready (pid {})", m->process.pid());
    if (on_ready) {
      on_ready(id);
    }
    return;
  }
  monitor* m = find(conn->monitor_id);
  if (m == nullptr || m->generation != conn->generation) {
    return;
  }
  if (type == "deadlock") {
    m->deadlock = message;
  }
  if (!m->restart_reason.empty()) {
    return;  // being restarted: what it says is no longer trusted
  }
  if (on_event) {
    on_event(m->id, std::move(message));
  }
}

void monitor_host::on_connection_closed(const std::shared_ptr<connection>& conn,
                                        const std::string& reason) {
  if (conn->monitor_id.empty()) {
    unidentified_.erase(conn.get());
    return;
  }
  monitor* m = find(conn->monitor_id);
  if (m == nullptr || m->generation != conn->generation || m->conn != conn) {
    return;
  }
  log::info(component, {{"monitor", m->id}}, "monitor connection closed: {}", reason);
  if (m->state == phase::ready) {
    // Commands can no longer reach it; the process normally ends right after.
    m->state = phase::starting;
    m->hello_timer.cancel();
  }
  if (m->state == phase::draining) {
    m->drain_timer.cancel();
    finish_exit(*m);
    return;
  }
  check_exit(*m);
}

monitor_host::monitor* monitor_host::find(const std::string& id) {
  auto it = monitors_.find(id);
  return it == monitors_.end() ? nullptr : it->second.get();
}

const monitor_host::monitor* monitor_host::find(const std::string& id) const {
  auto it = monitors_.find(id);
  return it == monitors_.end() ? nullptr : it->second.get();
}

void monitor_host::ensure(const std::string& monitor_id, bool leased) {
  if (!acceptor_) {
    log::error(component, {{"monitor", monitor_id}}, "ensure() before start(): ignored");
    return;
  }
  if (!valid_monitor_id(monitor_id)) {
    log::error(component, {{"monitor", monitor_id}}, "invalid monitor id: ignored");
    return;
  }
  monitor* m = find(monitor_id);
  if (m == nullptr) {
    auto owned = std::make_unique<monitor>(io_, monitor_id, options_.restart_backoff);
    m = owned.get();
    monitors_.emplace(monitor_id, std::move(owned));
  }
  m->leased = leased;
  m->stop_requested = false;
  if (m->restart_reason.empty()) {
    m->stop_timer.cancel();  // a restart still ends the process it was asked to end
  }
  if (m->state == phase::stopped) {
    spawn(*m);
  }
  // starting, ready, draining (a restart follows) and backoff already lead to a running
  // monitor.
}

void monitor_host::spawn(monitor& m) {
  ++m.generation;
  m.conn.reset();
  m.deadlock.reset();
  m.exit.reset();
  m.kill_reason.clear();
  m.ready_at.reset();
  const fs::path dir = options_.run_dir / "monitors";
  std::vector<std::string> args = {
      "--connect", bound_.to_string(), "--monitor-id", m.id,
      "--node",    options_.node,      "--log-file",   (dir / (m.id + ".log")).string()};
  // No lease until the core renews one (it sends the current one as the monitor gets ready).
  if (options_.leased_monitors && m.leased)
    args.push_back("--leased");
  platform::spawn_options spawn_opts;
  spawn_opts.env = monitor_env_;
  spawn_opts.stdout_path = dir / (m.id + ".stderr");
  spawn_opts.stderr_path = dir / (m.id + ".stderr");
  auto child = platform::child_process::spawn(options_.resrcmon, args, spawn_opts);
  if (!child) {
    log::error(component, {{"monitor", m.id}}, "cannot start resrcmon: {}", child.error());
    m.state = phase::draining;  // so that finish_exit reports and schedules as for an exit
    m.exit = platform::exit_status::exited_with(-1);
    m.kill_reason = "could not start: " + child.error();
    finish_exit(m);
    return;
  }
  m.process = std::move(child).value();
  m.state = phase::starting;
  log::info(component, {{"monitor", m.id}}, "started resrcmon pid {}", m.process.pid());
  m.hello_timer.expires_after(options_.hello_timeout);
  m.hello_timer.async_wait([this, alive = std::weak_ptr<int>(alive_), id = m.id,
                            gen = m.generation](const boost::system::error_code& ec) {
    if (ec || alive.expired()) {
      return;
    }
    monitor* mon = find(id);
    if (mon == nullptr || mon->generation != gen || mon->state != phase::starting || mon->conn) {
      return;
    }
    log::warn(component, {{"monitor", id}}, "no hello within {} ms: killing pid {}",
              options_.hello_timeout.count(), mon->process.pid());
    mon->kill_reason = "no hello within " + std::to_string(options_.hello_timeout.count()) + " ms";
    mon->process.kill();
    check_exit(*mon);
  });
}

void monitor_host::arm_reap_timer() {
  reap_timer_.expires_after(reap_interval);
  reap_timer_.async_wait(
      [this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
        if (ec || alive.expired()) {
          return;
        }
        // Collected first: check_exit may run callbacks that add or stop monitors.
        std::vector<std::string> live;
        for (auto& [id, m] : monitors_) {
          if (m->state == phase::starting || m->state == phase::ready) {
            live.push_back(id);
          }
        }
        for (const auto& id : live) {
          if (monitor* m = find(id)) {
            check_exit(*m);
          }
        }
        arm_reap_timer();
      });
}

void monitor_host::check_exit(monitor& m) {
  if (m.state != phase::starting && m.state != phase::ready) {
    return;
  }
  if (!m.process.valid() || m.process.is_running()) {
    return;
  }
  m.exit = m.process.status();
  m.hello_timer.cancel();
  m.stop_timer.cancel();
  m.state = phase::draining;
  if (!m.conn || !m.conn->channel->is_open()) {
    finish_exit(m);
    return;
  }
  // The process is gone but its socket may still hold frames (a deadlock event is written
  // right before exit code 3): read until the close, within a limit.
  m.drain_timer.expires_after(drain_limit);
  m.drain_timer.async_wait([this, alive = std::weak_ptr<int>(alive_), id = m.id,
                            gen = m.generation](const boost::system::error_code& ec) {
    if (ec || alive.expired()) {
      return;
    }
    monitor* mon = find(id);
    if (mon != nullptr && mon->generation == gen && mon->state == phase::draining) {
      finish_exit(*mon);
    }
  });
}

void monitor_host::finish_exit(monitor& m) {
  if (m.conn) {
    m.conn->channel->close();
    m.conn.reset();
  }
  monitor_exit report;
  report.monitor_id = m.id;
  report.status = m.exit.value_or(platform::exit_status::exited_with(-1));
  report.deadlock = m.deadlock;
  if (!m.restart_reason.empty()) {
    // A deadlock while it shut down is still told: nothing else reports it.
    report.reason = "restarted: " + m.restart_reason + " (" +
                    (m.deadlock ? describe_deadlock(*m.deadlock) + "; " : std::string()) +
                    (m.kill_reason.empty() ? "" : m.kill_reason + "; ") +
                    describe_status(report.status) + ")";
  } else if (!m.kill_reason.empty()) {
    report.reason = m.kill_reason;
    if (m.process.valid()) {
      report.reason += "; " + describe_status(report.status);
    }
  } else if (m.deadlock) {
    report.reason = describe_deadlock(*m.deadlock);
  } else if (report.status.exited() && report.status.code == 3) {
    report.reason = "deadlock reported (exit code 3; the event did not arrive)";
  } else if (m.stop_requested &&
             ((report.status.exited() && (report.status.code == 0 || report.status.code == 4)) ||
              (report.status.signaled() && report.status.code == SIGTERM))) {
    // 0 after shutdown, 4 after SIGTERM (the monitor treats it as losing its parent), or
    // SIGTERM itself when it came before the monitor had installed its handler.
    report.reason = "stopped (" + describe_status(report.status) + ")";
  } else {
    report.reason = describe_status(report.status);
  }
  m.process = platform::child_process();

  // A monitor that stayed up long enough earns the short backoff again.
  if (m.ready_at && steady_clock::now() - *m.ready_at >= options_.stable_after) {
    m.next_backoff = options_.restart_backoff;
  }
  m.ready_at.reset();
  m.restart_reason.clear();
  if (m.stop_requested) {
    m.state = phase::stopped;
  } else {
    schedule_restart(m);
  }
  report.restarting = m.state == phase::backoff;
  log::warn(component, {{"monitor", m.id}}, "monitor ended: {}{}", report.reason,
            report.restarting ? "; restarting" : "");
  if (on_exit) {
    on_exit(report);
  }
}

void monitor_host::schedule_restart(monitor& m) {
  m.state = phase::backoff;
  const milliseconds delay = m.next_backoff;
  m.next_backoff = std::min(m.next_backoff * 2, options_.max_restart_backoff);
  m.restart_timer.expires_after(delay);
  m.restart_timer.async_wait([this, alive = std::weak_ptr<int>(alive_), id = m.id,
                              gen = m.generation](const boost::system::error_code& ec) {
    if (ec || alive.expired()) {
      return;
    }
    monitor* mon = find(id);
    if (mon != nullptr && mon->generation == gen && mon->state == phase::backoff &&
        !mon->stop_requested) {
      spawn(*mon);
    }
  });
}

bool monitor_host::send(const std::string& monitor_id, const json& command) {
  monitor* m = find(monitor_id);
  if (m == nullptr || !takes_commands(*m) || !m->conn->channel->is_open()) {
    return false;
  }
  m->conn->channel->send(command);
  return true;
}

void monitor_host::restart(const std::string& monitor_id, const std::string& reason) {
  monitor* m = find(monitor_id);
  if (m == nullptr || (m->state != phase::starting && m->state != phase::ready) ||
      m->stop_requested || !m->restart_reason.empty()) {
    return;
  }
  log::warn(component, {{"monitor", monitor_id}}, "restarting the monitor: {}", reason);
  m->restart_reason = reason;
  end_gracefully(*m);
}

void monitor_host::stop(const std::string& monitor_id) {
  monitor* m = find(monitor_id);
  if (m == nullptr) {
    return;
  }
  m->stop_requested = true;
  end_gracefully(*m);
}

void monitor_host::end_gracefully(monitor& m) {
  switch (m.state) {
    case phase::backoff:
      m.restart_timer.cancel();
      m.state = phase::stopped;
      return;
    case phase::stopped:
    case phase::draining:  // finish_exit sees stop_requested
      return;
    case phase::ready:
      m.conn->channel->send({{"type", "shutdown"}});
      break;
    case phase::starting:
      // No connection to send shutdown on: SIGTERM makes the monitor terminate its resources
      // and exit.
      m.process.terminate();
      break;
  }
  m.stop_timer.expires_after(options_.stop_grace);
  m.stop_timer.async_wait([this, alive = std::weak_ptr<int>(alive_), id = m.id,
                           gen = m.generation](const boost::system::error_code& ec) {
    if (ec || alive.expired()) {
      return;
    }
    monitor* mon = find(id);
    if (mon == nullptr || mon->generation != gen ||
        (!mon->stop_requested && mon->restart_reason.empty()) ||
        (mon->state != phase::starting && mon->state != phase::ready)) {
      return;
    }
    log::warn(component, {{"monitor", id}}, "still running {} ms after stop: killing pid {}",
              options_.stop_grace.count(), mon->process.pid());
    mon->kill_reason = "stopped, killed after the grace period";
    mon->process.kill();
    check_exit(*mon);
  });
}

void monitor_host::stop_all(milliseconds grace) {
  const auto deadline = steady_clock::now() + grace;
  std::vector<std::string> ids;
  for (auto& [id, m] : monitors_) {
    m->stop_requested = true;
    m->restart_timer.cancel();
    m->hello_timer.cancel();
    m->stop_timer.cancel();
    m->drain_timer.cancel();
    if (m->state == phase::backoff) {
      m->state = phase::stopped;
    }
    if (m->state == phase::starting || m->state == phase::ready) {
      m->process.terminate();
    }
    if (m->state != phase::stopped) {
      ids.push_back(id);
    }
  }
  for (const auto& id : ids) {
    monitor* m = find(id);
    if (m == nullptr || m->state == phase::stopped) {
      continue;
    }
    if (m->process.valid() && !m->process.status()) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
      if (!m->process.wait_for(std::max(left, milliseconds(0)))) {
        m->kill_reason = "stopped, killed after the grace period";
        kill_and_reap(*m);
      }
    }
    m->exit = m->process.status();
    m->state = phase::draining;
    // Frames still unread are dropped: the service is shutting down.
    finish_exit(*m);
  }
}

std::optional<int> monitor_host::pid(const std::string& monitor_id) const {
  const monitor* m = find(monitor_id);
  if (m == nullptr || (m->state != phase::starting && m->state != phase::ready) ||
      !m->process.valid()) {
    return std::nullopt;
  }
  return m->process.pid();
}

bool monitor_host::takes_commands(const monitor& m) {
  // A monitor being restarted runs nothing more: it is no longer trusted.
  return m.state == phase::ready && m.conn && m.restart_reason.empty();
}

bool monitor_host::ready(const std::string& monitor_id) const {
  const monitor* m = find(monitor_id);
  return m != nullptr && takes_commands(*m);
}

}  // namespace wolfpack::host
