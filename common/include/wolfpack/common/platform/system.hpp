#pragma once

#include <cstdint>

namespace wolfpack::platform {

// Nanoseconds on the steady (monotonic) clock: for timeouts and durations, never for
// timestamps shown to people. The epoch is unspecified (usually boot).
std::int64_t monotonic_ns();

// This process's id (getpid / GetCurrentProcessId).
int process_id();

}  // namespace wolfpack::platform
