#include "dummy_call_log.hpp"

#include <chrono>
#include <cstdint>
#include <cstdlib>

#include <nlohmann/json.hpp>

#ifdef _WIN32
#include <process.h>
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace wolfpack::dummy {

namespace {

std::int64_t monotonic_ns() {
  // steady_clock is CLOCK_MONOTONIC on Linux: comparable between processes on one machine.
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

long current_pid() {
#ifdef _WIN32
  return static_cast<long>(_getpid());
#else
  return static_cast<long>(getpid());
#endif
}

}  // namespace

std::string call_log_line(std::string_view resource_utf8, entry_point entry) {
  const char* node = std::getenv("WOLFPACK_NODE");
  nlohmann::ordered_json line;
  line["node"] = node != nullptr ? node : "";
  line["resource"] = std::string(resource_utf8);
  line["entry"] = std::string(entry_point_name(entry));
  line["mono_ns"] = monotonic_ns();
  line["pid"] = current_pid();
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void append_call_log(const std::string& path_utf8, std::string_view resource_utf8,
                     entry_point entry) {
  const std::string line = call_log_line(resource_utf8, entry);
#ifdef _WIN32
  // FILE_APPEND_DATA without FILE_WRITE_DATA makes every WriteFile an atomic append.
  const wide_string path = to_wide(path_utf8);
  HANDLE file = CreateFileW(path.c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE,
                            nullptr, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE)
    return;
  DWORD written = 0;
  WriteFile(file, line.data(), static_cast<DWORD>(line.size()), &written, nullptr);
  CloseHandle(file);
#else
  const int fd = ::open(path_utf8.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return;
  // One write() per line: with O_APPEND the kernel places it atomically at the end.
  [[maybe_unused]] const ssize_t written = ::write(fd, line.data(), line.size());
  ::close(fd);
#endif
}

}  // namespace wolfpack::dummy
