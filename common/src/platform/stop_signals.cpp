#include "wolfpack/common/platform/stop_signals.hpp"

#include <boost/asio/post.hpp>

#ifdef _WIN32
#include <windows.h>

#include <mutex>
#else
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

#else

struct stop_signals::state {
  state(boost::asio::io_context& context, handler h) : io(context), on_stop(std::move(h)) {}

  boost::asio::io_context& io;
  handler on_stop;
};

namespace {

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
  boost::asio::post(target->io, [weak = std::weak_ptr(target), name] {
    if (auto s = weak.lock())
      s->on_stop(name);
  });
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
}

stop_signals::~stop_signals() {
  ::SetConsoleCtrlHandler(on_console_event, FALSE);
  std::lock_guard lock(current_mutex);
  if (current.lock() == state_)
    current.reset();
}

#endif

}  // namespace wolfpack::platform
