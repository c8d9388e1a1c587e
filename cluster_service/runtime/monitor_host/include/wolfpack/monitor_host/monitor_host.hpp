#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "wolfpack/common/endpoint_io.hpp"
#include "wolfpack/common/framed_channel.hpp"
#include "wolfpack/common/platform/child_process.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::host {

struct monitor_host_options {
  std::filesystem::path resrcmon;  // the executable
  // Holds monitors.sock and the per-monitor files monitors/<id>.log and monitors/<id>.stderr.
  std::filesystem::path run_dir;
  std::string node;  // passed as --node
  // Leased monitors (all but the quorum monitor) start with --leased: no lease until the core
  // renews one. A node with peers; a node alone has no lease to give.
  bool leased_monitors = false;
  // First delay before restarting a monitor that died; doubles on each death up to
  // max_restart_backoff, and falls back to this once a monitor stayed up for
  // stable_after after its hello.
  std::chrono::milliseconds restart_backoff{200};
  std::chrono::milliseconds max_restart_backoff{5000};
  std::chrono::milliseconds stable_after{10000};
  // A monitor that has not said hello by then is killed (and restarted).
  std::chrono::milliseconds hello_timeout{10000};
  // stop(): how long after the shutdown command before the process is killed.
  std::chrono::milliseconds stop_grace{5000};
};

struct monitor_exit {
  std::string monitor_id;
  platform::exit_status status;
  // "crashed (signal 11)", "killed (signal 9)", "deadlock reported: Online of resource R1
  // did not return within 1000 ms", "exited with code 4", "stopped", "no hello within
  // 10000 ms; killed (signal 9)", "could not start: ..." (status then is exited_with(-1)).
  std::string reason;
  std::optional<nlohmann::json> deadlock;  // the deadlock event, if one came
  bool restarting = false;                 // a restart is scheduled (stop() not called)
};

// Starts and watches resrcmon processes and carries protocol frames (docs/monitor-protocol.md)
// between them and clussvc's core. Single-threaded: every member function and every callback
// runs on the io_context given to the constructor (the event processor thread).
//
// Each monitor is spawned with
//   --connect unix:<run_dir>/monitors.sock --monitor-id ID --node NODE
//   --log-file <run_dir>/monitors/ID.log [--lease-ms N]
// and its connection is matched to it by the monitor_id (and pid) of its hello frame; a
// connection naming an unknown id, or one that already has a connection, is closed.
//
// Exit detection: a periodic timer (every 100 ms) calls child_process::is_running() on each
// live monitor, and the same check runs at once when a monitor's socket closes. Once the
// process is reaped, the rest of its socket is read (up to 500 ms) so that a deadlock event
// written just before the exit is seen, then on_exit runs and, unless stop() was called, a
// restart follows after the backoff.
//
// Destroying the host kills and reaps every monitor it started.
class monitor_host {
 public:
  monitor_host(boost::asio::io_context& io, monitor_host_options options);
  ~monitor_host();
  monitor_host(const monitor_host&) = delete;
  monitor_host& operator=(const monitor_host&) = delete;

  // hello received: commands may be sent.
  std::function<void(const std::string& monitor_id)> on_ready;
  // Every frame but hello, in order.
  std::function<void(const std::string& monitor_id, nlohmann::json event)> on_event;
  // The process ended (it is then restarted unless stopped). The core treats the monitor's
  // resources as failed and re-opens them on the next on_ready.
  std::function<void(const monitor_exit&)> on_exit;

  // Creates run_dir/monitors and listens on <run_dir>/monitors.sock.
  status start();
  // Variables every monitor started from now on gets in its environment (replacing any of
  // the same name): the node's API address and key, through which its plugins reach the
  // cluster API with OpenCluster(NULL).
  void set_monitor_environment(std::vector<std::pair<std::string, std::string>> env) {
    monitor_env_ = std::move(env);
  }
  // Starts the monitor with this id unless it is running or waiting to restart ("default",
  // "sep-<resource>"). Cancels an earlier stop(). Ignored (logged) before start() or for an
  // id that cannot name a file (empty, ".", "..", containing '/' or NUL).
  // `leased`: started with --lease-ms (when the options set one). The quorum monitor is not:
  // it arbitrates the witness before this node has a membership that could renew a lease.
  void ensure(const std::string& monitor_id, bool leased = true);
  // Queues a command; false if that monitor is not ready (no hello yet, gone, or being
  // restarted).
  bool send(const std::string& monitor_id, const nlohmann::json& command);
  // Graceful stop without restart: sends shutdown (SIGTERM if there is no connection yet)
  // and kills the process if it still runs stop_grace later. on_exit still reports the end.
  void stop(const std::string& monitor_id);
  // Stops it as stop() does, then starts it again after the backoff, as after a crash: the
  // core could not read a frame it sent. on_exit reports "restarted: <reason> (...)".
  // Ignored unless it is starting or ready.
  void restart(const std::string& monitor_id, const std::string& reason);
  // At service shutdown. Blocks the calling (io) thread up to `grace`: every monitor gets
  // SIGTERM (the monitor terminates its resources and exits with code 4), the ones still
  // running at the deadline are killed; all are reaped and reported through on_exit before
  // this returns. Nothing is restarted afterwards (until ensure()).
  void stop_all(std::chrono::milliseconds grace);

  std::optional<int> pid(const std::string& monitor_id) const;
  // Said hello and takes commands: false while it is being restarted, as send() refuses it.
  bool ready(const std::string& monitor_id) const;
  // Where the monitors connect (platform::local_listen_endpoint); valid after start().
  const endpoint& listen_endpoint() const { return bound_; }

 private:
  enum class phase {
    starting,  // spawned, waiting for hello
    ready,     // hello received
    draining,  // process reaped, reading what is left on its socket
    backoff,   // waiting to restart
    stopped,   // stop() or stop_all() done; ensure() starts it again
  };
  struct monitor;
  struct connection;

  void do_accept();
  void on_connection_message(const std::shared_ptr<connection>& conn, nlohmann::json message);
  void on_connection_closed(const std::shared_ptr<connection>& conn, const std::string& reason);
  void spawn(monitor& m);
  void arm_reap_timer();
  void check_exit(monitor& m);
  void finish_exit(monitor& m);
  void schedule_restart(monitor& m);
  monitor* find(const std::string& id);
  const monitor* find(const std::string& id) const;
  void kill_and_reap(monitor& m);
  // shutdown (SIGTERM before hello), then SIGKILL if it still runs stop_grace later.
  void end_gracefully(monitor& m);
  // What ready() answers and send() requires.
  static bool takes_commands(const monitor& m);

  boost::asio::io_context& io_;
  const monitor_host_options options_;
  std::vector<std::pair<std::string, std::string>> monitor_env_;
  const endpoint listen_at_;
  endpoint bound_;
  std::optional<stream_acceptor> acceptor_;
  boost::asio::steady_timer reap_timer_;
  std::map<std::string, std::unique_ptr<monitor>> monitors_;
  // Accepted sockets that have not said hello yet.
  std::map<connection*, std::shared_ptr<connection>> unidentified_;
  // Handlers that may run after destruction hold a weak_ptr to this and do nothing once it
  // has expired.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace wolfpack::host
