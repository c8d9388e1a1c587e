#pragma once

// Starts a real resrcmon that connects back to the test over a Unix socket, and lets a test
// send commands and wait, with deadlines, for the events the monitor sends. The process is
// killed when the fixture goes away.

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <wolfpack/common/frame.hpp>
#include <wolfpack/common/platform/child_process.hpp>

namespace wolfpack::testing {

using namespace std::chrono_literals;

std::filesystem::path build_dir();
std::filesystem::path resrcmon_path();
std::filesystem::path plugin_path(const std::string& name);       // build/plugins/<name>.so
std::filesystem::path test_plugin_path(const std::string& name);  // build/tests/plugins/<name>.so

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

class monitor_fixture {
 public:
  // `node`: resrcmon --node, which plugins see as WOLFPACK_NODE (two fixtures with different
  // names act as two nodes of one lab).
  explicit monitor_fixture(std::vector<std::string> extra_args = {},
                           const std::string& node = "testnode");
  ~monitor_fixture();

  // Sends a command with a fresh id and returns the id.
  std::int64_t send(nlohmann::json command);
  // Sends and waits for the response.
  nlohmann::json request(nlohmann::json command, std::chrono::milliseconds timeout = 10s);
  // Waits for the first event (not yet consumed by a wait) matching `pred`.
  std::optional<nlohmann::json> wait_for(const std::function<bool(const nlohmann::json&)>& pred,
                                         std::chrono::milliseconds timeout = 10s);
  std::optional<nlohmann::json> wait_state(const std::string& resource, const std::string& state,
                                           std::chrono::milliseconds timeout = 10s);
  // Everything received so far, in order.
  const std::vector<nlohmann::json>& events() const { return all_; }

  void load_dummy();
  void open(const std::string& resource, nlohmann::json parameters = nlohmann::json::object(),
            nlohmann::json timing = nlohmann::json::object(), const std::string& type = "Dummy");
  // Sends a control code (with `in` as its input buffer and room for `out_size` bytes of
  // output) to a resource / a resource type and waits for the response.
  nlohmann::json resource_control(const std::string& resource, std::uint32_t code,
                                  const std::vector<std::uint8_t>& in = {},
                                  std::uint32_t out_size = 0,
                                  std::chrono::milliseconds timeout = 10s);
  nlohmann::json type_control(const std::string& type, std::uint32_t code,
                              const std::vector<std::uint8_t>& in = {}, std::uint32_t out_size = 0,
                              std::chrono::milliseconds timeout = 10s);

  platform::child_process& process() { return process_; }
  std::optional<platform::exit_status> wait_exit(std::chrono::milliseconds timeout = 10s);
  bool connected() const { return fd_ >= 0; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::string log_text() const;  // the monitor's log and stderr, for failure messages
  void close_connection();       // as if the parent died

 private:
  bool pump(std::chrono::steady_clock::time_point deadline);

  temp_dir dir_;
  int listen_fd_ = -1;
  int fd_ = -1;
  platform::child_process process_;
  frame_decoder decoder_;
  std::deque<nlohmann::json> unread_;
  std::vector<nlohmann::json> all_;
  std::int64_t next_id_ = 1;
};

// Runs `resrcmon --standalone ...` to the end and returns its exit status and output lines.
struct harness_run {
  platform::exit_status status;
  std::vector<nlohmann::json> lines;
  std::string stderr_text;
  std::size_t count(const std::string& type) const;
  bool has_state(const std::string& state) const;
};
harness_run run_harness(const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout = 60s);
// --plugin <plugin> --type <type> --name <name> <more...>
std::vector<std::string> harness_args(const std::filesystem::path& plugin, const std::string& type,
                                      const std::string& name, std::vector<std::string> more);
// The harness's status and every line, for failure messages.
std::string describe(const harness_run& run);
// A whole file's contents ("" when it cannot be read).
std::string read_text(const std::filesystem::path& path);
// A "log" line (the harness's) or a "log" event (a monitor's) containing `text`.
bool has_log(const std::vector<nlohmann::json>& lines, const std::string& text);

}  // namespace wolfpack::testing
