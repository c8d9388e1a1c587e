#include "wolfpack/common/platform/stop_flag.hpp"

#ifdef _WIN32
#include <windows.h>

#include <atomic>
#else
#include <signal.h>
#include <string.h>

#include <csignal>
#include <iterator>
#endif

namespace wolfpack::platform {

#ifdef _WIN32

namespace {

std::atomic<DWORD> recorded_request{0};
std::atomic<bool> request_recorded{false};

BOOL WINAPI record_console_event(DWORD event) {
  if (event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT && event != CTRL_CLOSE_EVENT)
    return FALSE;
  recorded_request = event;
  request_recorded = true;
  // Handled: the waits see the flag and stop what was started.
  return TRUE;
}

}  // namespace

stop_flag::stop_flag() {
  request_recorded = false;
  ::SetConsoleCtrlHandler(record_console_event, TRUE);
}

stop_flag::~stop_flag() {
  ::SetConsoleCtrlHandler(record_console_event, FALSE);
}

bool stop_flag::raised() {
  return request_recorded;
}

const char* stop_flag::request() {
  if (!request_recorded)
    return "";
  switch (recorded_request.load()) {
    case CTRL_C_EVENT:
      return "Ctrl-C";
    case CTRL_BREAK_EVENT:
      return "Ctrl-Break";
    default:
      return "console closed";
  }
}

#else

namespace {

volatile std::sig_atomic_t recorded_request = 0;

extern "C" void record_stop_signal(int sig) {
  recorded_request = sig;
}

constexpr int recorded_signals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction previous_handlers[std::size(recorded_signals)];

}  // namespace

stop_flag::stop_flag() {
  recorded_request = 0;
  struct sigaction sa {};
  sa.sa_handler = record_stop_signal;
  sigemptyset(&sa.sa_mask);
  // No SA_RESTART: a blocking call returns early and the loop around it looks at the flag.
  for (std::size_t i = 0; i < std::size(recorded_signals); ++i)
    ::sigaction(recorded_signals[i], &sa, &previous_handlers[i]);
}

stop_flag::~stop_flag() {
  for (std::size_t i = 0; i < std::size(recorded_signals); ++i)
    ::sigaction(recorded_signals[i], &previous_handlers[i], nullptr);
}

bool stop_flag::raised() {
  return recorded_request != 0;
}

const char* stop_flag::request() {
  return recorded_request == 0 ? "" : ::strsignal(recorded_request);
}

#endif

}  // namespace wolfpack::platform
