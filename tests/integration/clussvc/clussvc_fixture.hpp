#pragma once

// Real clussvc nodes for the integration tests: a node started in a temporary state
// directory (with its resrcmon children and the Dummy plugin), the API through
// wolfpack::http, the `cluster` CLI run as a child process, the event stream, and helpers
// that wait with deadlines. Every process a fixture starts is ended when it goes away; when
// the test failed, the node's and the monitors' logs are printed.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <wolfpack/common/platform/child_process.hpp>
#include <wolfpack/http/http_client.hpp>

namespace wolfpack::itest {

using namespace std::chrono_literals;
using nlohmann::json;

std::filesystem::path build_dir();
std::filesystem::path clussvc_path();
std::filesystem::path cluster_cli_path();

// A fresh directory under the system temp dir, removed when it goes away.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Polls `pred` (every 20 ms) until it holds; false when `timeout` passed first.
bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 10s);

// What a `cluster` run printed and how it ended.
struct cli_result {
  int exit_code = -1;  // -1: killed by a signal or did not end in time
  std::string out;
  std::string err;
  std::string describe() const;  // for failure messages
};

// The live event stream (GET /events) with everything it delivered so far.
class event_recorder {
 public:
  explicit event_recorder(http::event_stream stream) : stream_(std::move(stream)) {}

  // The first event after the last one a wait_for returned that matches `pred`, reading the
  // stream until `timeout`; nullopt if none came.
  std::optional<json> wait_for(const std::function<bool(const json&)>& pred,
                               std::chrono::milliseconds timeout = 10s);
  // Reads whatever arrives until the stream has been quiet for `quiet` (or is closed).
  void drain(std::chrono::milliseconds quiet = 300ms);
  // Reads until the server closes the stream; false if still open at the deadline.
  bool wait_closed(std::chrono::milliseconds timeout = 10s);
  const std::vector<json>& events() const { return all_; }
  bool is_open() const { return stream_.is_open(); }
  std::string dump() const;

 private:
  bool read_one(std::chrono::milliseconds timeout);

  http::event_stream stream_;
  std::vector<json> all_;
  std::size_t cursor_ = 0;
};

// Predicates on events.
std::function<bool(const json&)> resource_state_is(const std::string& resource,
                                                   const std::string& state);
std::function<bool(const json&)> group_state_is(const std::string& group, const std::string& state);

// One clussvc node on a state directory. start() may be called again after stop() or
// kill(): the node restarts on the same state directory (with a new API port).
class clussvc_node {
 public:
  clussvc_node(std::filesystem::path state_dir, std::string node_name = "node1",
               std::string cluster_name = "itest");
  ~clussvc_node();
  clussvc_node(const clussvc_node&) = delete;
  clussvc_node& operator=(const clussvc_node&) = delete;

  // Starts the node and waits for its ready line; throws (with the logs) when it does not
  // get ready within `timeout`.
  void start(std::chrono::milliseconds timeout = 20s);
  // SIGTERM, then waits for the exit; kills the node (and throws) when it does not end in
  // time. Returns how it ended.
  platform::exit_status stop(std::chrono::milliseconds timeout = 20s);
  // Sends the SIGTERM of stop() without waiting (to stop several nodes at once); the next
  // stop() only waits. A second SIGTERM would make the node exit at once.
  void request_stop();
  // SIGKILL to the node and its monitors; waits for every one of them to end.
  void kill();
  // SIGKILL to the clussvc process only (a crash of the service): its monitors find out by
  // themselves. Waits for the process to end; returns the monitors' pids from before the kill.
  std::vector<int> kill_service();
  // A signal to the node's process group: the node and its monitors at once (SIGSTOP,
  // SIGCONT). False when the node is not running.
  bool signal_group(int sig);

  // Settings for the next start(): the peer --listen address (default 127.0.0.1:0) and
  // arguments added to the command line (--secret-file, --join, --heartbeat-ms, ...).
  void set_listen(std::string host_port) { listen_ = std::move(host_port); }
  void set_extra_args(std::vector<std::string> args) { extra_args_ = std::move(args); }
  // HOST:PORT from <state-dir>/peer.endpoint, "" when the file is not there.
  std::string peer_address() const;
  // The monitors that were still running a few seconds after the node's last stop() (and
  // were killed then); a node must stop its monitors itself.
  const std::vector<int>& leftover_monitors() const { return leftover_monitors_; }
  bool running();
  int pid() const { return process_.pid(); }

  const std::filesystem::path& state_dir() const { return state_dir_; }
  const std::string& name() const { return node_name_; }
  const std::string& address() const { return address_; }  // HOST:PORT of the API
  // The key the API asks for: derived from the --secret-file among the extra arguments; empty
  // for a node without one. api(), cli() and events() send it.
  const std::string& api_key() const { return api_key_; }

  // One API request (body null: none). Throws when the transport fails.
  http::http_response api(const std::string& method, const std::string& path,
                          const json& body = nullptr, std::chrono::milliseconds timeout = 15s);
  // GET that must answer 200; the body.
  json get(const std::string& path);
  std::uint64_t db_seq();
  // The state name of a resource / group ("Online", ...), "" when the request fails.
  std::string resource_state(const std::string& name);
  std::string group_state(const std::string& name);
  // Waits until GET says the resource / group is in `state`.
  bool wait_resource_state(const std::string& name, const std::string& state,
                           std::chrono::milliseconds timeout = 10s);
  bool wait_group_state(const std::string& name, const std::string& state,
                        std::chrono::milliseconds timeout = 10s);

  // Runs `cluster /cluster:ADDRESS args...` to the end (killed after `timeout`).
  cli_result cli(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 30s);
  // The same, requiring exit code 0 (throws with the output otherwise).
  cli_result cli_ok(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 30s);

  // `cluster res RESOURCE /priv Name=Value...`, requiring success (throws with the output
  // otherwise). The node validates the values in the resource's monitor, waiting for the
  // resource's Open when it is under way (docs/api.md).
  cli_result set_private(const std::string& resource, const std::vector<std::string>& settings,
                         std::chrono::milliseconds timeout = 30s);

  // Subscribes to GET /events (with ?since=SEQ when given).
  event_recorder events(std::optional<std::uint64_t> since = std::nullopt);

  // Pids of the node's resrcmon children, optionally only those of one monitor id.
  std::vector<int> monitor_pids(const std::string& monitor_id = "");

  // clussvc.log, the node's stdout/stderr and every monitors/*.log / *.stderr.
  std::string logs() const;

 private:
  // Waits a few seconds for these pids to end, then kills the rest; returns those.
  std::vector<int> reap_monitors(const std::vector<int>& pids);

  std::filesystem::path state_dir_;
  std::string node_name_;
  std::string cluster_name_;
  std::string listen_ = "127.0.0.1:0";
  std::vector<std::string> extra_args_;
  std::string api_key_;
  platform::child_process process_;
  std::string address_;
  std::optional<http::client> client_;
  std::vector<int> leftover_monitors_;
  bool stop_requested_ = false;
  std::vector<int> stopping_monitors_;  // the monitors when request_stop() sent the SIGTERM
};

// A test's node: a temporary state directory, a node started in it, and the logs printed
// when the test fails. `dir()` also holds the test's own files (call logs, fail files).
class clussvc_fixture {
 public:
  clussvc_fixture();
  ~clussvc_fixture();
  clussvc_fixture(const clussvc_fixture&) = delete;
  clussvc_fixture& operator=(const clussvc_fixture&) = delete;

  clussvc_node& node() { return *node_; }
  std::filesystem::path file(const std::string& name) const { return dir_.path() / name; }

  // Shorthands for node().
  cli_result cli(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 30s) {
    return node_->cli(args, timeout);
  }
  cli_result cli_ok(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 30s) {
    return node_->cli_ok(args, timeout);
  }
  http::http_response api(const std::string& method, const std::string& path,
                          const json& body = nullptr) {
    return node_->api(method, path, body);
  }

  // Marks the fixture as failed (the listener does it for every failed assertion).
  void mark_failed() { failed_ = true; }

 private:
  temp_dir dir_;
  std::optional<clussvc_node> node_;
  bool failed_ = false;
};

// ---- the Dummy's CallLog ------------------------------------------------------------------

// Every complete line of the file so far.
std::vector<json> read_call_log(const std::filesystem::path& path);
// The entries of `lines` with this entry point, as resource names in file order.
std::vector<std::string> calls_of(const std::vector<json>& lines, const std::string& entry);

// ---- scenario helpers --------------------------------------------------------------------

// Creates `group` (unless it exists) and, through the CLI, a Dummy resource for each name,
// each depending on the one before it (names[1] on names[0], ...), then sets `priv` (Name=Value
// words) on each.
void create_dummy_chain(clussvc_node& node, const std::string& group,
                        const std::vector<std::string>& names,
                        const std::vector<std::string>& priv = {});

// Index of the first event at or after `from` matching `pred`.
std::optional<std::size_t> find_event(const std::vector<json>& events,
                                      const std::function<bool(const json&)>& pred,
                                      std::size_t from = 0);
std::size_t count_events(const std::vector<json>& events,
                         const std::function<bool(const json&)>& pred, std::size_t from = 0);

// The events a node wrote to its log (clussvc.log lines of component "event"), in order.
std::vector<json> logged_events(const std::filesystem::path& log);
std::string dump_events(const std::vector<json>& events);

// ---- small helpers -----------------------------------------------------------------------

// Every complete line of a JSON-lines file that parses (logs, call logs).
std::vector<json> read_json_lines(const std::filesystem::path& path);
std::string read_file(const std::filesystem::path& path);
// "System error 5069 has occurred (0x000013cd)."
std::string system_error_line(unsigned code);
// The exit code `cluster` uses for a Win32 code outside Windows.
int cli_exit_code(unsigned code);

}  // namespace wolfpack::itest
