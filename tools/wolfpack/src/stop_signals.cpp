// Stop signals: see stop_signals.hpp.

#include "stop_signals.hpp"

#include <signal.h>

#include <csignal>
#include <iterator>

namespace wolfpack::tool {

namespace {

volatile std::sig_atomic_t received = 0;

extern "C" void on_stop_signal(int sig) {
  received = sig;
}

constexpr int caught[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction previous[std::size(caught)];

}  // namespace

stop_signals::stop_signals() {
  received = 0;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  // No SA_RESTART: a blocking call returns early and the loop around it looks at the flag.
  for (std::size_t i = 0; i < std::size(caught); ++i)
    ::sigaction(caught[i], &sa, &previous[i]);
}

stop_signals::~stop_signals() {
  for (std::size_t i = 0; i < std::size(caught); ++i)
    ::sigaction(caught[i], &previous[i], nullptr);
}

bool stop_requested() {
  return received != 0;
}

int stop_signal_number() {
  return received;
}

}  // namespace wolfpack::tool
