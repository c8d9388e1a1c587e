#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <spdlog/fmt/fmt.h>

#include "wolfpack/common/result.hpp"

namespace wolfpack {

enum class log_level { trace, debug, info, warn, error, critical, off };

// "trace" ... "critical", "off".
std::string_view to_string(log_level level);
std::optional<log_level> parse_log_level(std::string_view text);

struct log_options {
  std::string process{};    // "clussvc", "resrcmon", ...
  std::string node{};       // this node's name; may be empty
  std::string file_path{};  // JSON-lines file, appended to (directories created); empty: stderr
  log_level level = log_level::info;
  // A monitor may die with its plugin: flushing every line keeps the lines that explain why.
  // Otherwise warnings and worse are flushed at once and the rest when flush_logging() is
  // called (clussvc does it periodically and at exit).
  bool flush_every_line = true;
};

// Sets up this process's log: one JSON object per line,
//   {"ts":"2024-05-01T12:00:00.123456Z","level":"info","process":"resrcmon","pid":4242,
//    "node":"node1","component":"monitor","msg":"online in 12 ms","resource":"R1"}
// May be called again (e.g. by tests) to switch files. If the file cannot be opened the log
// goes to stderr and the error is returned. Before any call, lines go to stderr with the
// executable's name as process.
status init_logging(const log_options& options);
void set_log_level(log_level level);
log_level current_log_level();
void flush_logging();

namespace log {

// Extra string fields of a line: {{"resource", "R1"}, {"type", "Dummy"}}. Values are copied
// into the line before the call returns. A key that collides with a standard field (ts,
// level, process, pid, node, component, msg) is written as "field_<key>".
struct field {
  std::string_view key;
  std::string_view value;
};
using fields = std::initializer_list<field>;

namespace detail {
bool enabled(log_level level);
void write(log_level level, std::string_view component, fields extra, std::string_view message);

template <typename... Args>
void emit(log_level level, std::string_view component, fields extra,
          fmt::format_string<Args...> format, Args&&... args) {
  // Checked first so that disabled lines cost no formatting.
  if (enabled(level)) {
    write(level, component, extra, fmt::format(format, std::forward<Args>(args)...));
  }
}
}  // namespace detail

// wolfpack::log::info("monitor", {{"resource", "R1"}}, "online in {} ms", ms);
// wolfpack::log::warn("channel", "peer closed: {}", reason);
template <typename... Args>
void trace(std::string_view component, fields extra, fmt::format_string<Args...> format,
           Args&&... args) {
  detail::emit(log_level::trace, component, extra, format, std::forward<Args>(args)...);
}
template <typename... Args>
void trace(std::string_view component, fmt::format_string<Args...> format, Args&&... args) {
  detail::emit(log_level::trace, component, {}, format, std::forward<Args>(args)...);
}
template <typename... Args>
void debug(std::string_view component, fields extra, fmt::format_string<Args...> format,
           Args&&... args) {
  detail::emit(log_level::debug, component, extra, format, std::forward<Args>(args)...);
}
template <typename... Args>
void debug(std::string_view component, fmt::format_string<Args...> format, Args&&... args) {
  detail::emit(log_level::debug, component, {}, format, std::forward<Args>(args)...);
}
template <typename... Args>
void info(std::string_view component, fields extra, fmt::format_string<Args...> format,
          Args&&... args) {
  detail::emit(log_level::info, component, extra, format, std::forward<Args>(args)...);
}
template <typename... Args>
void info(std::string_view component, fmt::format_string<Args...> format, Args&&... args) {
  detail::emit(log_level::info, component, {}, format, std::forward<Args>(args)...);
}
template <typename... Args>
void warn(std::string_view component, fields extra, fmt::format_string<Args...> format,
          Args&&... args) {
  detail::emit(log_level::warn, component, extra, format, std::forward<Args>(args)...);
}
template <typename... Args>
void warn(std::string_view component, fmt::format_string<Args...> format, Args&&... args) {
  detail::emit(log_level::warn, component, {}, format, std::forward<Args>(args)...);
}
template <typename... Args>
void error(std::string_view component, fields extra, fmt::format_string<Args...> format,
           Args&&... args) {
  detail::emit(log_level::error, component, extra, format, std::forward<Args>(args)...);
}
template <typename... Args>
void error(std::string_view component, fmt::format_string<Args...> format, Args&&... args) {
  detail::emit(log_level::error, component, {}, format, std::forward<Args>(args)...);
}
template <typename... Args>
void critical(std::string_view component, fields extra, fmt::format_string<Args...> format,
              Args&&... args) {
  detail::emit(log_level::critical, component, extra, format, std::forward<Args>(args)...);
}
template <typename... Args>
void critical(std::string_view component, fmt::format_string<Args...> format, Args&&... args) {
  detail::emit(log_level::critical, component, {}, format, std::forward<Args>(args)...);
}

// For a level chosen at run time; the message is used as is (no formatting).
void write_line(log_level level, std::string_view component, fields extra,
                std::string_view message);

}  // namespace log
}  // namespace wolfpack
