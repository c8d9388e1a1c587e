#pragma once

// Small helpers shared by the resrcmon integration tests: reading the Dummy's call log,
// querying the events a monitor sent, hex, and the numbers the protocol uses.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "monitor_fixture.hpp"

namespace wolfpack::testing {

// Timings small enough to keep the suite fast, explicit so that no test depends on the
// monitor's defaults (5 s / 60 s / 180 s / 300 s).
nlohmann::json timing(std::uint32_t looks_alive_ms = 600000, std::uint32_t is_alive_ms = 600000,
                      std::uint32_t pending_timeout_ms = 60000,
                      std::uint32_t deadlock_timeout_ms = 60000);

// Asserts that print the monitor's log and every event it sent when they fail (Catch2's
// INFO captures its text when it runs, so it has to run right before the assertion).
#define REQUIRE_M(m, ...)                                                \
  do {                                                                   \
    INFO("monitor log:\n" << (m).log_text());                            \
    INFO("events:\n" << ::wolfpack::testing::dump_events((m).events())); \
    REQUIRE(__VA_ARGS__);                                                \
  } while (false)
#define CHECK_M(m, ...)                                                  \
  do {                                                                   \
    INFO("monitor log:\n" << (m).log_text());                            \
    INFO("events:\n" << ::wolfpack::testing::dump_events((m).events())); \
    CHECK(__VA_ARGS__);                                                  \
  } while (false)

// {"type": "online" / "offline", "resource": resource}, for send() and request().
nlohmann::json online_cmd(const std::string& resource);
nlohmann::json offline_cmd(const std::string& resource);

// Opens a resource and consumes the "Offline" state event its Open produced, so that a later
// wait_state(name, "Offline") can only match a real transition to Offline.
void open_resource(monitor_fixture& m, const std::string& name, nlohmann::json parameters,
                   nlohmann::json timing, const std::string& type = "Dummy");

// ---- the Dummy's CallLog (one JSON object per line, written when a call starts) ----------

// Every complete line so far (a line still being written, without its '\n', is left out).
std::vector<nlohmann::json> read_call_log(const std::filesystem::path& path);
// Polls the file until a line matches; the line, or nullopt at the deadline.
std::optional<nlohmann::json> wait_call_log(
    const std::filesystem::path& path, const std::function<bool(const nlohmann::json&)>& pred,
    std::chrono::milliseconds timeout = std::chrono::seconds(10));
// A predicate for wait_call_log / find_line: this resource, this entry point.
std::function<bool(const nlohmann::json&)> call_of(const std::string& resource,
                                                   const std::string& entry);
// Index of the first line at or after `from` matching, if any.
std::optional<std::size_t> find_line(const std::vector<nlohmann::json>& lines,
                                     const std::function<bool(const nlohmann::json&)>& pred,
                                     std::size_t from = 0);
// Index of the last line matching, if any.
std::optional<std::size_t> find_last_line(const std::vector<nlohmann::json>& lines,
                                          const std::function<bool(const nlohmann::json&)>& pred);
// "Online, LooksAlive, ..." for failure messages.
std::string describe_call_log(const std::vector<nlohmann::json>& lines);

// ---- events --------------------------------------------------------------------------------

// The state names a resource went through, in the order the monitor reported them.
std::vector<std::string> state_sequence(const std::vector<nlohmann::json>& events,
                                        const std::string& resource);
// Index of the first event of `type` (and, if not empty, for `resource`) matching `extra`.
std::optional<std::size_t> find_event(
    const std::vector<nlohmann::json>& events, const std::string& type,
    const std::string& resource = {},
    const std::function<bool(const nlohmann::json&)>& extra = nullptr);
std::function<bool(const nlohmann::json&)> is_event(const std::string& type,
                                                    const std::string& resource = {});
// Every event, one per line, for failure messages.
std::string dump_events(const std::vector<nlohmann::json>& events);
// The error message of a response ("" when it has none).
std::string error_message(const nlohmann::json& response);
// The entry for `resource` in a `status` response, if present.
std::optional<nlohmann::json> status_entry(const nlohmann::json& status_response,
                                           const std::string& resource);

// ---- bytes ---------------------------------------------------------------------------------

std::string to_hex(const std::vector<std::uint8_t>& bytes);
std::vector<std::uint8_t> from_hex(const std::string& hex);  // throws on bad input

// Polls `cond` (something outside this process, such as a file) until it holds; false at
// the deadline.
bool wait_until(const std::function<bool()>& cond,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Milliseconds elapsed since `start`.
std::int64_t ms_since(std::chrono::steady_clock::time_point start);

}  // namespace wolfpack::testing
