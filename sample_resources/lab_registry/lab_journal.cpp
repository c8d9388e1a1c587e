#include "wolfpack/lab/lab_journal.hpp"

#include <chrono>
#include <cstdio>
#include <string>

#include "wolfpack/common/platform/shared_files.hpp"
#include "wolfpack/common/platform/system.hpp"
#include "wolfpack/lab/lab_paths.hpp"

namespace wolfpack::lab {
namespace {

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (b < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", b);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

// The system-wide monotonic clock (CLOCK_MONOTONIC, QueryPerformanceCounter): lines of
// different processes compare.
long long mono_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void journal(std::string_view registry, std::string_view key, std::string_view event,
             std::string_view node, std::string_view resource, unsigned long long epoch) {
  try {
    const auto dir = lab_dir();
    ensure_directory(dir);
    const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    std::string line =
        "{\"registry\":" + quoted(registry) + ",\"key\":" + quoted(key) +
        ",\"event\":" + quoted(event) + ",\"node\":" + quoted(node) +
        ",\"resource\":" + quoted(resource) + ",\"pid\":" + std::to_string(platform::process_id()) +
        ",\"epoch\":" + std::to_string(epoch) + ",\"mono_ns\":" + std::to_string(mono_ns()) +
        ",\"wall_ms\":" + std::to_string(wall) + "}\n";
    // One append: lines from different processes never interleave.
    (void)platform::append_text(dir / "journal.jsonl", line);
  } catch (...) {
    // The journal is a record for people and tests; losing a line must not fail a claim.
  }
}

}  // namespace wolfpack::lab
