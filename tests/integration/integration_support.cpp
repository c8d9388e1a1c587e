#include "integration_support.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <wolfpack/common/hex.hpp>

namespace wolfpack::testing {

using nlohmann::json;
namespace fs = std::filesystem;

json timing(std::uint32_t looks_alive_ms, std::uint32_t is_alive_ms,
            std::uint32_t pending_timeout_ms, std::uint32_t deadlock_timeout_ms) {
  return {{"looks_alive_ms", looks_alive_ms},
          {"is_alive_ms", is_alive_ms},
          {"pending_timeout_ms", pending_timeout_ms},
          {"deadlock_timeout_ms", deadlock_timeout_ms}};
}

json online_cmd(const std::string& resource) {
  return {{"type", "online"}, {"resource", resource}};
}

json offline_cmd(const std::string& resource) {
  return {{"type", "offline"}, {"resource", resource}};
}

void open_resource(monitor_fixture& m, const std::string& name, json parameters, json timing,
                   const std::string& type) {
  m.open(name, std::move(parameters), std::move(timing), type);
  if (!m.wait_state(name, "Offline")) {
    throw std::runtime_error("open " + name + ": no Offline state event\n" + m.log_text());
  }
}

std::vector<json> read_call_log(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::vector<json> lines;
  std::size_t start = 0;
  for (;;) {
    const auto nl = text.find('\n', start);
    if (nl == std::string::npos)
      break;  // no line end yet: a write still in progress
    const std::string line = text.substr(start, nl - start);
    start = nl + 1;
    if (line.empty())
      continue;
    lines.push_back(json::parse(line));  // a line that is not JSON fails the test
  }
  return lines;
}

std::optional<json> wait_call_log(const fs::path& path,
                                  const std::function<bool(const json&)>& pred,
                                  std::chrono::milliseconds timeout) {
  // The log is a file another process appends to; there is nothing to block on but its
  // contents, so poll it, briefly, until the deadline.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (const auto& line : read_call_log(path)) {
      if (pred(line))
        return line;
    }
    if (std::chrono::steady_clock::now() >= deadline)
      return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool wait_until(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (cond())
      return true;
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::function<bool(const json&)> call_of(const std::string& resource, const std::string& entry) {
  return [resource, entry](const json& l) {
    return l.value("resource", "") == resource && l.value("entry", "") == entry;
  };
}

std::optional<std::size_t> find_line(const std::vector<json>& lines,
                                     const std::function<bool(const json&)>& pred,
                                     std::size_t from) {
  for (std::size_t i = from; i < lines.size(); ++i) {
    if (pred(lines[i]))
      return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> find_last_line(const std::vector<json>& lines,
                                          const std::function<bool(const json&)>& pred) {
  for (std::size_t i = lines.size(); i-- > 0;) {
    if (pred(lines[i]))
      return i;
  }
  return std::nullopt;
}

std::string describe_call_log(const std::vector<json>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty())
      out += ", ";
    out += l.value("resource", "?") + ":" + l.value("entry", "?");
  }
  return out.empty() ? "(empty call log)" : out;
}

std::vector<std::string> state_sequence(const std::vector<json>& events,
                                        const std::string& resource) {
  std::vector<std::string> out;
  for (const auto& e : events) {
    if (e.value("type", "") == "state" && e.value("resource", "") == resource)
      out.push_back(e.value("state", ""));
  }
  return out;
}

std::function<bool(const json&)> is_event(const std::string& type, const std::string& resource) {
  return [type, resource](const json& e) {
    if (e.value("type", "") != type)
      return false;
    if (resource.empty())
      return true;
    return e.contains("resource") && e["resource"].is_string() &&
           e["resource"].get<std::string>() == resource;
  };
}

std::optional<std::size_t> find_event(const std::vector<json>& events, const std::string& type,
                                      const std::string& resource,
                                      const std::function<bool(const json&)>& extra) {
  const auto match = is_event(type, resource);
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (match(events[i]) && (!extra || extra(events[i])))
      return i;
  }
  return std::nullopt;
}

std::string dump_events(const std::vector<json>& events) {
  std::string out;
  for (const auto& e : events)
    out += e.dump() + "\n";
  return out;
}

std::string error_message(const json& response) {
  if (!response.contains("error") || !response["error"].is_object())
    return "";
  return response["error"].value("message", "");
}

std::optional<json> status_entry(const json& status_response, const std::string& resource) {
  if (!status_response.contains("resources"))
    return std::nullopt;
  for (const auto& r : status_response["resources"]) {
    if (r.value("resource", "") == resource)
      return r;
  }
  return std::nullopt;
}

std::string to_hex(const std::vector<std::uint8_t>& bytes) {
  return hex::encode(bytes);
}

std::vector<std::uint8_t> from_hex(const std::string& hex) {
  auto bytes = hex::decode(hex);
  if (!bytes)
    throw std::invalid_argument("not an even number of hex digits: " + hex);
  return std::move(*bytes);
}

std::int64_t ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace wolfpack::testing
