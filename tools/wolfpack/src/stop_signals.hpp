#pragma once

// SIGINT, SIGTERM and SIGHUP (a closed terminal) caught while `up` runs: Ctrl-C while the
// nodes start stops the ones already started instead of leaving them behind, and in the
// live view it takes the lab down. The handler only records the signal; the waits poll it.

namespace wolfpack::tool {

class stop_signals {
 public:
  stop_signals();   // installs the handlers and clears any earlier request
  ~stop_signals();  // puts the previous handlers back
  stop_signals(const stop_signals&) = delete;
  stop_signals& operator=(const stop_signals&) = delete;
};

// A stop signal arrived while a stop_signals was alive; which one (0: none).
bool stop_requested();
int stop_signal_number();

}  // namespace wolfpack::tool
