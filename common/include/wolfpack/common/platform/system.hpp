#pragma once

#include <cstdint>

namespace wolfpack::platform {

// Nanoseconds on the steady (monotonic) clock: for timeouts and durations, never for
// timestamps shown to people. The epoch is unspecified (usually boot).
std::int64_t monotonic_ns();

// The local time of day now: hour 0-23 and second 0-59 (localtime_r / localtime_s).
struct local_time_of_day {
  int hour = 0;
  int second = 0;
};
local_time_of_day local_time_now();

// This process's id (getpid / GetCurrentProcessId).
int process_id();

}  // namespace wolfpack::platform
