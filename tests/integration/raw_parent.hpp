#pragma once

// A parent that can say anything on the wire, including what no encoder would produce
// (oversized, non-JSON or type-less frames). monitor_fixture only sends well-formed frames,
// so the bad-frame tests start their monitor through this instead.

#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <wolfpack/common/frame.hpp>
#include <wolfpack/common/platform/child_process.hpp>

#include "monitor_fixture.hpp"

namespace wolfpack::testing {

class raw_parent {
 public:
  explicit raw_parent(std::vector<std::string> extra_args = {});
  ~raw_parent();
  raw_parent(const raw_parent&) = delete;
  raw_parent& operator=(const raw_parent&) = delete;

  // Writes bytes as they are; false if the monitor has closed the connection.
  bool send_bytes(std::string_view bytes);
  // Sends a well-formed command with a fresh id and waits for its response.
  nlohmann::json request(nlohmann::json command,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::optional<nlohmann::json> wait_for(
      const std::function<bool(const nlohmann::json&)>& pred,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads (and keeps) everything until the monitor closes its end; false at the deadline.
  bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  platform::child_process& process() { return process_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::string log_text() const;

 private:
  // Reads what is available until the deadline; false when nothing more can come.
  bool pump(std::chrono::steady_clock::time_point deadline);

  temp_dir dir_;
  int listen_fd_ = -1;
  int fd_ = -1;
  bool peer_closed_ = false;
  platform::child_process process_;
  frame_decoder decoder_;
  std::deque<nlohmann::json> unread_;
  std::int64_t next_id_ = 1;
};

}  // namespace wolfpack::testing
