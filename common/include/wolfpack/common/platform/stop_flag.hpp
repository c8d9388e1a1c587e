#pragma once

namespace wolfpack::platform {

// Requests to stop, recorded for a program without an event loop that polls for them (`wolfpack
// up` while its nodes start, and its live view): SIGINT, SIGTERM and SIGHUP (a closed
// terminal) on POSIX; Ctrl-C, Ctrl-Break and the console closing on Windows. The handler only
// records the request; a blocking call returns early (no SA_RESTART) and the loop around it
// looks. For a program with an io_context, stop_signals is the better fit.
class stop_flag {
 public:
  stop_flag();   // installs the handlers and clears any earlier request
  ~stop_flag();  // puts the previous handlers back
  stop_flag(const stop_flag&) = delete;
  stop_flag& operator=(const stop_flag&) = delete;

  // A stop request arrived while a stop_flag was alive.
  static bool raised();
  // What it was, for messages: "Interrupt", "Terminated" (strsignal), "Ctrl-C"; "" when none.
  static const char* request();
};

}  // namespace wolfpack::platform
