#include "wolfpack/resutils_log.hpp"

#include <atomic>
#include <cstdio>

#include "resutil_support.hpp"

namespace wolfpack {

namespace {
std::atomic<resutils_log_sink> log_sink{nullptr};
}  // namespace

void set_resutils_log_sink(resutils_log_sink sink) {
  log_sink.store(sink);
}

namespace detail {

void log_refusal(const std::string& message) {
  const resutils_log_sink sink = log_sink.load();
  if (sink != nullptr) {
    sink(message);
    return;
  }
  std::fprintf(stderr, "resutils: %s\n", message.c_str());
}

}  // namespace detail
}  // namespace wolfpack
