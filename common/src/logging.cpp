#include "wolfpack/common/logging.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <iterator>
#include <memory>
#include <mutex>

#include <spdlog/formatter.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "wolfpack/common/platform/paths.hpp"
#include "wolfpack/common/platform/system.hpp"

namespace wolfpack {
namespace {

// Marks lines written through wolfpack::log, whose payload is already a JSON fragment
// ("msg":...,"resource":...). Compared by address, so no text can imitate it; lines logged
// straight through spdlog carry no mark and their payload is escaped as "msg".
constexpr char structured_mark[] = "wolfpack.structured";

constexpr std::array<std::string_view, 7> reserved_keys = {"ts",   "level",     "process", "pid",
                                                           "node", "component", "msg"};

void append_json_string(std::string& out, std::string_view text) {
  out += nlohmann::json(std::string(text))
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string_view spdlog_level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

spdlog::level::level_enum to_spdlog(log_level level) {
  switch (level) {
    case log_level::trace:
      return spdlog::level::trace;
    case log_level::debug:
      return spdlog::level::debug;
    case log_level::info:
      return spdlog::level::info;
    case log_level::warn:
      return spdlog::level::warn;
    case log_level::error:
      return spdlog::level::err;
    case log_level::critical:
      return spdlog::level::critical;
    case log_level::off:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

// Writes each line as one JSON object; the fields naming the process are serialised once.
class json_line_formatter final : public spdlog::formatter {
 public:
  explicit json_line_formatter(std::string identity) : identity_(std::move(identity)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto tp = std::chrono::time_point_cast<std::chrono::microseconds>(msg.time);
    const auto day = std::chrono::floor<std::chrono::days>(tp);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{tp - day};
    fmt::format_to(std::back_inserter(dest),
                   R"({{"ts":"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z","level":"{}",)",
                   static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                   static_cast<unsigned>(ymd.day()), hms.hours().count(), hms.minutes().count(),
                   hms.seconds().count(), hms.subseconds().count(), spdlog_level_name(msg.level));
    dest.append(identity_.data(), identity_.data() + identity_.size());
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    if (msg.source.funcname == structured_mark) {
      dest.append(payload.data(), payload.data() + payload.size());
    } else {
      std::string tail = ",\"component\":";
      append_json_string(tail, std::string_view(msg.logger_name.data(), msg.logger_name.size()));
      tail += ",\"msg\":";
      append_json_string(tail, payload);
      dest.append(tail.data(), tail.data() + tail.size());
    }
    dest.push_back('}');
    dest.push_back('\n');
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<json_line_formatter>(identity_);
  }

 private:
  std::string identity_;  // "process":"x","pid":1,"node":"y"
};

std::atomic<int> current_level{static_cast<int>(log_level::info)};

struct log_state {
  std::mutex mutex;
  std::shared_ptr<spdlog::logger> logger;  // guarded by mutex (the pointer, not the logger)
};

log_state& state() {
  static log_state s;
  return s;
}

std::shared_ptr<spdlog::logger> make_logger(const log_options& options, std::string* error) {
  spdlog::sink_ptr sink;
  if (!options.file_path.empty()) {
    try {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file_path, false);
    } catch (const std::exception& e) {
      *error = "cannot open log file '" + options.file_path + "': " + e.what();
    }
  }
  if (!sink) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  }
  std::string identity = "\"process\":";
  append_json_string(identity, options.process);
  identity += ",\"pid\":" + std::to_string(platform::process_id()) + ",\"node\":";
  append_json_string(identity, options.node);
  sink->set_formatter(std::make_unique<json_line_formatter>(std::move(identity)));
  sink->set_level(spdlog::level::trace);

  auto logger = std::make_shared<spdlog::logger>(options.process, std::move(sink));
  // Filtering happens in detail::enabled(); the logger passes everything it is given.
  logger->set_level(spdlog::level::trace);
  logger->flush_on(options.flush_every_line ? spdlog::level::trace : spdlog::level::warn);
  return logger;
}

std::shared_ptr<spdlog::logger> get_logger() {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  if (!s.logger) {
    log_options defaults;
    try {
      defaults.process = platform::executable_path().filename().string();
    } catch (const std::exception&) {
      defaults.process = "wolfpack";
    }
    std::string ignored;
    s.logger = make_logger(defaults, &ignored);
  }
  return s.logger;
}

}  // namespace

std::string_view to_string(log_level level) {
  switch (level) {
    case log_level::trace:
      return "trace";
    case log_level::debug:
      return "debug";
    case log_level::info:
      return "info";
    case log_level::warn:
      return "warn";
    case log_level::error:
      return "error";
    case log_level::critical:
      return "critical";
    case log_level::off:
      return "off";
  }
  return "off";
}

std::optional<log_level> parse_log_level(std::string_view text) {
  for (auto level : {log_level::trace, log_level::debug, log_level::info, log_level::warn,
                     log_level::error, log_level::critical, log_level::off}) {
    if (text == to_string(level)) {
      return level;
    }
  }
  if (text == "warning") {
    return log_level::warn;
  }
  return std::nullopt;
}

status init_logging(const log_options& options) {
  std::string error;
  auto logger = make_logger(options, &error);
  {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    if (s.logger) {
      s.logger->flush();
    }
    s.logger = logger;
  }
  set_log_level(options.level);
  // Lines logged straight through spdlog (spdlog::info(...)) land in the same file.
  spdlog::set_default_logger(logger);
  if (!error.empty()) {
    log::error("logging", "{}; logging to stderr instead", error);
    return fail(error);
  }
  return {};
}

void set_log_level(log_level level) {
  current_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

log_level current_log_level() {
  return static_cast<log_level>(current_level.load(std::memory_order_relaxed));
}

void flush_logging() {
  get_logger()->flush();
}

namespace log {
namespace detail {

bool enabled(log_level level) {
  return level != log_level::off &&
         static_cast<int>(level) >= current_level.load(std::memory_order_relaxed);
}

void write(log_level level, std::string_view component, fields extra, std::string_view message) {
  std::string payload = ",\"component\":";
  append_json_string(payload, component);
  payload += ",\"msg\":";
  append_json_string(payload, message);
  for (const auto& f : extra) {
    payload += ',';
    const bool reserved =
        std::find(reserved_keys.begin(), reserved_keys.end(), f.key) != reserved_keys.end();
    append_json_string(payload, reserved ? "field_" + std::string(f.key) : std::string(f.key));
    payload += ':';
    append_json_string(payload, f.value);
  }
  get_logger()->log(spdlog::source_loc{nullptr, 0, structured_mark}, to_spdlog(level),
                    spdlog::string_view_t(payload.data(), payload.size()));
}

}  // namespace detail

void write_line(log_level level, std::string_view component, fields extra,
                std::string_view message) {
  if (detail::enabled(level)) {
    detail::write(level, component, extra, message);
  }
}

}  // namespace log
}  // namespace wolfpack
