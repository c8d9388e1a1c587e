#include "dummy_call_log.hpp"

#include <chrono>
#include <cstdint>
#include <cstdlib>

#include <nlohmann/json.hpp>
#include <wolfpack/common/platform/shared_files.hpp>
#include <wolfpack/common/platform/system.hpp>

namespace wolfpack::dummy {

namespace {

std::int64_t monotonic_ns() {
  // steady_clock is CLOCK_MONOTONIC on Linux: comparable between processes on one machine.
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string call_log_line(std::string_view resource_utf8, entry_point entry) {
  const char* node = std::getenv("WOLFPACK_NODE");
  nlohmann::ordered_json line;
  line["node"] = node != nullptr ? node : "";
  line["resource"] = std::string(resource_utf8);
  line["entry"] = std::string(entry_point_name(entry));
  line["mono_ns"] = monotonic_ns();
  line["pid"] = platform::process_id();
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void append_call_log(const std::string& path_utf8, std::string_view resource_utf8,
                     entry_point entry) {
  // One append per line: lines of several monitors' processes never interleave.
  (void)platform::append_text(path_of_utf8(path_utf8), call_log_line(resource_utf8, entry));
}

}  // namespace wolfpack::dummy
