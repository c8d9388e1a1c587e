#include "wolfpack/common/platform/system.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
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

std::string host_name() {
#ifdef _WIN32
  char host[MAX_COMPUTERNAME_LENGTH + 1] = {};
  DWORD size = sizeof host;
  if (!::GetComputerNameA(host, &size))
    return {};
  return std::string(host, size);
#else
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0)
    return {};
  return host;
#endif
}

std::string user_tag() {
#ifdef _WIN32
  wchar_t name[256] = {};
  DWORD size = 256;
  if (!::GetUserNameW(name, &size) || size <= 1)
    return "user";
  // A file name part: ASCII letters and digits as they are, anything else in hex.
  std::string tag;
  for (DWORD i = 0; i + 1 < size; ++i) {
    const wchar_t c = name[i];
    if ((c >= L'a' && c <= L'z') || (c >= L'A' && c <= L'Z') || (c >= L'0' && c <= L'9'))
      tag.push_back(static_cast<char>(c));
    else
      tag += "_" + std::to_string(static_cast<unsigned>(c));
  }
  return tag;
#else
  return std::to_string(::getuid());
#endif
}

void crash_process() {
#ifdef _WIN32
  ::RaiseException(EXCEPTION_ACCESS_VIOLATION, EXCEPTION_NONCONTINUABLE, 0, nullptr);
#else
  std::raise(SIGSEGV);
#endif
  std::abort();
}

int exit_code_for(std::uint32_t code) {
#ifdef _WIN32
  return static_cast<int>(code);
#else
  return code > 255 ? 255 : static_cast<int>(code);
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
