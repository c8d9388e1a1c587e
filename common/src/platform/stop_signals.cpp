#include "wolfpack/common/platform/stop_signals.hpp"

#include <boost/asio/post.hpp>

#ifdef _WIN32
#include <windows.h>

#include <mutex>
#include <string>
#else
#include <signal.h>

#include <csignal>

#include <boost/asio/signal_set.hpp>
#endif

namespace wolfpack::platform {

#ifndef _WIN32

struct stop_signals::state {
  state(boost::asio::io_context& io, handler h)
      : signals(io, SIGINT, SIGTERM), on_stop(std::move(h)) {}

  void arm() {
    signals.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec)
        return;  // cancelled: the object is going away
      on_stop(signal == SIGINT ? "SIGINT" : "SIGTERM");
      arm();
    });
  }

  boost::asio::signal_set signals;
  handler on_stop;
};

stop_signals::stop_signals(boost::asio::io_context& io, handler on_stop)
    : state_(std::make_shared<state>(io, std::move(on_stop))) {
  state_->arm();
}

stop_signals::~stop_signals() {
  boost::system::error_code ignored;
  state_->signals.cancel(ignored);
}

bool request_stop(int pid) {
  return pid > 0 && ::kill(pid, SIGTERM) == 0;
}

#else

struct stop_signals::state {
  state(boost::asio::io_context& context, handler h) : io(context), on_stop(std::move(h)) {}

  boost::asio::io_context& io;
  handler on_stop;
  // request_stop() from another process: a named auto-reset event and the thread-pool wait
  // on it. The wait's context is a weak pointer it owns, deleted after the wait is gone.
  HANDLE request_event = nullptr;
  HANDLE request_wait = nullptr;
  std::weak_ptr<state>* wait_context = nullptr;
};

namespace {

// Per process id, so that request_stop(pid) finds it; Local\: this logon session only.
std::wstring request_event_name(DWORD pid) {
  return L"Local\\wolfpack-stop-request-" + std::to_wstring(pid);
}

void post_stop(const std::shared_ptr<stop_signals::state>& target, const char* name) {
  boost::asio::post(target->io, [weak = std::weak_ptr(target), name] {
    if (auto s = weak.lock())
      s->on_stop(name);
  });
}

VOID CALLBACK on_request_event(PVOID context, BOOLEAN) {
  if (auto target = static_cast<std::weak_ptr<stop_signals::state>*>(context)->lock())
    post_stop(target, "STOP_REQUEST");
}

// The console handler is a plain function called on a thread the system creates, so the
// object it reports to has to be found through process-wide state.
std::mutex current_mutex;
std::weak_ptr<stop_signals::state> current;

const char* event_name(DWORD event) {
  switch (event) {
    case CTRL_C_EVENT:
      return "CTRL_C_EVENT";
    case CTRL_BREAK_EVENT:
      return "CTRL_BREAK_EVENT";
    case CTRL_CLOSE_EVENT:
      return "CTRL_CLOSE_EVENT";
    case CTRL_SHUTDOWN_EVENT:
      return "CTRL_SHUTDOWN_EVENT";
    default:
      return nullptr;
  }
}

BOOL WINAPI on_console_event(DWORD event) {
  // CTRL_LOGOFF_EVENT is not a request to stop: a service outlives the user's session.
  const char* name = event_name(event);
  if (name == nullptr)
    return FALSE;
  std::shared_ptr<stop_signals::state> target;
  {
    std::lock_guard lock(current_mutex);
    target = current.lock();
  }
  if (!target)
    return FALSE;  // nobody listens: the default handler ends the process
  post_stop(target, name);
  if (event == CTRL_CLOSE_EVENT || event == CTRL_SHUTDOWN_EVENT) {
    // Returning would end the process at once; the orderly stop ends it instead, or Windows
    // does when its grace period runs out.
    ::Sleep(INFINITE);
  }
  return TRUE;
}

}  // namespace

stop_signals::stop_signals(boost::asio::io_context& io, handler on_stop)
    : state_(std::make_shared<state>(io, std::move(on_stop))) {
  {
    std::lock_guard lock(current_mutex);
    current = state_;
  }
  ::SetConsoleCtrlHandler(on_console_event, TRUE);
  // Without the event only request_stop() is lost; the console requests still work.
  state_->request_event =
      ::CreateEventW(nullptr, FALSE, FALSE, request_event_name(::GetCurrentProcessId()).c_str());
  if (state_->request_event != nullptr) {
    state_->wait_context = new std::weak_ptr<state>(state_);
    if (!::RegisterWaitForSingleObject(&state_->request_wait, state_->request_event,
                                       on_request_event, state_->wait_context, INFINITE,
                                       WT_EXECUTEDEFAULT)) {
      state_->request_wait = nullptr;
    }
  }
}

stop_signals::~stop_signals() {
  ::SetConsoleCtrlHandler(on_console_event, FALSE);
  if (state_->request_wait != nullptr) {
    // INVALID_HANDLE_VALUE: returns once a callback under way has finished.
    ::UnregisterWaitEx(state_->request_wait, INVALID_HANDLE_VALUE);
  }
  delete state_->wait_context;
  if (state_->request_event != nullptr)
    ::CloseHandle(state_->request_event);
  std::lock_guard lock(current_mutex);
  if (current.lock() == state_)
    current.reset();
}

bool request_stop(int pid) {
  if (pid <= 0)
    return false;
  const HANDLE event =
      ::OpenEventW(EVENT_MODIFY_STATE, FALSE, request_event_name(static_cast<DWORD>(pid)).c_str());
  if (event == nullptr)
    return false;
  const bool set = ::SetEvent(event) != 0;
  ::CloseHandle(event);
  return set;
}

#endif

int forced_exit_code(std::string_view request) {
  // The numbers are fixed across platforms (POSIX.1 for SIGINT and SIGTERM; SIGBREAK is
  // Microsoft's 21), so that one request gives one exit code everywhere.
  if (request == "SIGINT" || request == "CTRL_C_EVENT")
    return 128 + 2;
  if (request == "SIGTERM")
    return 128 + 15;
  return 128 + 21;
}

}  // namespace wolfpack::platform
