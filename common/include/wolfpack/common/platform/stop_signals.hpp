#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include <boost/asio/io_context.hpp>

namespace wolfpack::platform {

// Runs a handler on an io_context's thread each time someone asks this process to stop, for
// as long as the object lives:
//   POSIX:   SIGINT and SIGTERM;
//   Windows: Ctrl-C, Ctrl-Break (what child_process::terminate sends a process group), the
//            console closing or the system shutting down, and request_stop() from another
//            process (a named event, "STOP_REQUEST"). Windows ends the process as soon as a
//            close or shutdown notice is answered, so that notice is held until the process
//            exits by itself (within the few seconds Windows allows).
// The handler gets a name for the request ("SIGTERM", "CTRL_BREAK_EVENT"). Windows has one
// console handler per process: only the newest stop_signals object hears the requests.
class stop_signals {
 public:
  using handler = std::function<void(std::string_view request)>;

  stop_signals(boost::asio::io_context& io, handler on_stop);
  ~stop_signals();
  stop_signals(const stop_signals&) = delete;
  stop_signals& operator=(const stop_signals&) = delete;

  // Defined in the .cpp only; named here so that the Windows console handler, a free
  // function, can hold one.
  struct state;

 private:
  std::shared_ptr<state> state_;
};

// Asks process `pid` to stop in order, as `kill -TERM` does: POSIX SIGTERM; Windows sets the
// event the process's stop_signals waits on, since a process in another console (or none)
// cannot be sent Ctrl-Break. False, with nothing done, when the process is gone, may not be
// signalled, or (Windows) listens for no such request.
bool request_stop(int pid);

// The exit code of a process that a second request made quit at once, as shells report a
// process a signal ended: 128 + the signal's number (130 for SIGINT and CTRL_C_EVENT, 143 for
// SIGTERM; the other Windows requests count as SIGBREAK, 149).
int forced_exit_code(std::string_view request);

}  // namespace wolfpack::platform
