#pragma once

// One resrcmon started for check-plugin: it listens where clussvc would (a Unix socket in a
// private temporary directory; TCP on loopback on Windows: platform::local_listen_endpoint),
// starts `resrcmon --connect`, and speaks the monitor protocol
// (docs/monitor-protocol.md). Failures (the monitor died, no answer) are values: the checks
// report them instead of throwing.

#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <wolfpack/common/blocking_channel.hpp>
#include <wolfpack/common/platform/child_process.hpp>
#include <wolfpack/common/result.hpp>

namespace wolfpack::tool {

class monitor_session {
 public:
  // Starts resrcmon and waits for its hello.
  static result<std::unique_ptr<monitor_session>> start(const std::filesystem::path& resrcmon);
  ~monitor_session();
  monitor_session(const monitor_session&) = delete;
  monitor_session& operator=(const monitor_session&) = delete;

  // Sends a command with a fresh id; returns the id (nullopt: the monitor is gone).
  std::optional<std::int64_t> send(nlohmann::json command);
  // Waits for the response to `id`.
  result<nlohmann::json> response(std::int64_t id, std::chrono::milliseconds timeout);
  // send + response.
  result<nlohmann::json> request(nlohmann::json command,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The first unread event matching `pred`, consumed.
  std::optional<nlohmann::json> wait_for(const std::function<bool(const nlohmann::json&)>& pred,
                                         std::chrono::milliseconds timeout);
  // Waits for `resource` to reach `state` ("Online", ...); any other state event it passes is
  // consumed too. nullopt at the deadline; *seen gets the last state seen.
  std::optional<nlohmann::json> wait_state(const std::string& resource, const std::string& state,
                                           std::chrono::milliseconds timeout,
                                           std::string* seen = nullptr);
  // Forgets the unread events matching `pred` (what came before a command must not be
  // taken for its outcome).
  void forget(const std::function<bool(const nlohmann::json&)>& pred);
  // Reads what has arrived without waiting long, and forgets every unread event.
  void drain(std::chrono::milliseconds quiet = std::chrono::milliseconds(0));
  // Every unread event, consumed.
  std::vector<nlohmann::json> take_unread();

  bool alive();
  int pid() const { return process_.pid(); }
  // Why the monitor is gone (exit status and the end of its stderr), for reasons.
  std::string death_note();

 private:
  monitor_session() = default;
  bool pump(std::chrono::steady_clock::time_point deadline);

  std::filesystem::path dir_;
  std::optional<blocking_channel> channel_;
  bool closed_ = false;
  platform::child_process process_;
  std::deque<nlohmann::json> unread_;
  std::int64_t next_id_ = 1;
};

}  // namespace wolfpack::tool
