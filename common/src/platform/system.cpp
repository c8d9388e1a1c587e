#include "wolfpack/common/platform/system.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#ifdef _WIN32
#include <windows.h>

#include <io.h>
#include <stdlib.h>
#else
#include <stdlib.h>
#include <unistd.h>

#include <csignal>
#endif
#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace wolfpack::platform {

std::int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

local_time_of_day local_time_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
#ifdef _WIN32
  localtime_s(&local, &t);
#else
  localtime_r(&t, &local);
#endif
  return {local.tm_hour, local.tm_sec};
}

int process_id() {
#ifdef _WIN32
  return static_cast<int>(::GetCurrentProcessId());
#else
  return static_cast<int>(::getpid());
#endif
}

parent_watch stop_with_parent() {
#ifdef __linux__
  const pid_t parent = ::getppid();
  if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0)
    return parent_watch::unsupported;
  // The parent may have gone between our start and the request: then nothing will come.
  return ::getppid() == parent ? parent_watch::armed : parent_watch::parent_gone;
#else
  return parent_watch::unsupported;
#endif
}

void write_fully(int fd, const char* data, std::size_t size) {
  while (size > 0) {
#ifdef _WIN32
    const int n = ::_write(fd, data, static_cast<unsigned>(std::min<std::size_t>(size, 1u << 30)));
#else
    const ssize_t n = ::write(fd, data, size);
#endif
    if (n <= 0)
      return;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

bool is_terminal(int fd) {
#ifdef _WIN32
  return ::_isatty(fd) != 0;
#else
  return ::isatty(fd) == 1;
#endif
}

bool set_environment(const std::string& name, const std::string& value) {
#ifdef _WIN32
  return ::_putenv_s(name.c_str(), value.c_str()) == 0;
#else
  return ::setenv(name.c_str(), value.c_str(), 1) == 0;
#endif
}

}  // namespace wolfpack::platform
