#pragma once

#include <string>

#include "entry_point.hpp"

namespace wolfpack::monitor {

// A plugin that crashes takes its monitor down; these say which call did it, from a signal
// handler, using only async-signal-safe writes.
enum class crash_mode {
  monitor,  // one line on stderr, then the signal's default action (the parent sees it)
  harness,  // a JSON line on stdout and one on stderr, then exit code 1
};

void install_crash_handler(crash_mode mode);

// Names the call this thread is making, for the crash handler.
class crash_context_scope {
 public:
  crash_context_scope(entry_point entry, const std::string& resource);
  ~crash_context_scope();
  crash_context_scope(const crash_context_scope&) = delete;
  crash_context_scope& operator=(const crash_context_scope&) = delete;
};

}  // namespace wolfpack::monitor
