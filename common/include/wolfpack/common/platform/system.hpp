#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

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

// The host's name (gethostname / GetComputerNameA); "" when it cannot be read.
std::string host_name();

// Tells this user's files from another user's on the same machine, as a file name part: the
// uid on POSIX, the user name (letters and digits kept, anything else as _<code>) on Windows.
std::string user_tag();

// Asks the system to send this process SIGTERM when the thread that started it ends (Linux
// prctl(PR_SET_PDEATHSIG)), so that a child of a test or a benchmark that crashed does not
// run on. `parent_gone`: it had already ended when the request was made (the caller should
// stop); `unsupported`: the system has no such request (other systems).
enum class parent_watch { armed, parent_gone, unsupported };
parent_watch stop_with_parent();

// Writes all of `data` to descriptor `fd` (1: stdout, 2: stderr), retrying short writes;
// gives up silently on an error, since its callers have nowhere left to report one. Safe in a
// signal handler: no allocation, no locks, no stdio buffers (write / _write).
void write_fully(int fd, const char* data, std::size_t size);

// True when descriptor `fd` (1: stdout) is a terminal or console (isatty / _isatty), e.g. to
// decide whether to redraw a screen in place.
bool is_terminal(int fd);

// Ends this process as a crash does, for tests of crash handling: an access violation
// (Windows RaiseException, which a structured exception handler or the system reports as a
// crash) or SIGSEGV; abort() if a handler returns.
[[noreturn]] void crash_process();

// The exit code a process can report for `code` (a Win32 error): itself on Windows, whose exit
// codes have 32 bits; POSIX keeps 8 bits, so codes above 255 become 255 (never 0, which would
// read as success).
int exit_code_for(std::uint32_t code);

// Sets an environment variable of this process, seen by what it loads and starts later
// (setenv / _putenv_s). False if the system refused (bad name, out of memory).
bool set_environment(const std::string& name, const std::string& value);

}  // namespace wolfpack::platform
