#pragma once

#include <chrono>
#include <string>

namespace wolfpack::runtime {

// UTC, ISO-8601 with milliseconds: "2026-03-01T12:00:00.123Z" (the "time" of API events).
std::string format_event_time(std::chrono::system_clock::time_point when);

}  // namespace wolfpack::runtime
