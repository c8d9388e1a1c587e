#include "process_test_support.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <wolfpack/clusapi.h>

namespace wolfpack::testing::procs {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<std::uint32_t> call_result(const harness_run& run, const std::string& entry) {
  for (const auto& l : run.lines) {
    if (l.value("type", "") == "call" && l.value("entry", "") == entry && l.contains("result"))
      return l.value("result", 0u);
  }
  return std::nullopt;
}

void write_script(const fs::path& path, const std::string& body) {
  {
    std::ofstream out(path, std::ios::trunc);
    out << "#!/bin/sh\n" << body;
    if (!out.flush())
      throw std::runtime_error("cannot write " + path.string());
  }
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec,
                  fs::perm_options::replace);
}

std::vector<std::string> read_lines(const fs::path& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

std::optional<int> wait_pid_file(const fs::path& path, std::chrono::milliseconds timeout) {
  std::optional<int> pid;
  wait_until(
      [&] {
        const std::string text = read_text(path);
        if (text.empty() || text.back() != '\n')
          return false;  // not written completely yet
        pid = std::stoi(text);
        return true;
      },
      timeout);
  return pid;
}

bool process_running(int pid) {
  const std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty())
    return false;
  const auto paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] != 'Z';
}

bool process_gone(int pid) {
  std::error_code ec;
  return !fs::exists("/proc/" + std::to_string(pid), ec);
}

namespace {
// Validation can run the program, script or agent: more time than the fixture's 10 s.
constexpr std::chrono::milliseconds control_timeout = std::chrono::seconds(30);
}  // namespace

int validate_status(monitor_fixture& m, const std::string& resource,
                    const std::vector<std::uint8_t>& properties) {
  return m
      .resource_control(resource, CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES, properties, 0,
                        control_timeout)
      .value("status", -1);
}

std::vector<std::uint8_t> control_output(monitor_fixture& m, const std::string& resource,
                                         std::uint32_t code) {
  const auto sizing = m.resource_control(resource, code, {}, 0, control_timeout);
  if (sizing.value("status", 0) != 234 /* ERROR_MORE_DATA */)
    throw std::runtime_error("sizing call: " + sizing.dump());
  const auto full =
      m.resource_control(resource, code, {}, sizing.value("bytes_returned", 0u), control_timeout);
  if (!full.value("ok", false))
    throw std::runtime_error("control call: " + full.dump());
  return from_hex(full.value("out", ""));
}

void load_type(monitor_fixture& m, const std::string& type, const std::string& plugin) {
  const auto r = m.request(
      {{"type", "load_type"}, {"resource_type", type}, {"plugin", plugin_path(plugin).string()}});
  if (!r.value("ok", false))
    throw std::runtime_error("load_type " + type + ": " + r.dump() + "\n" + m.log_text());
}

}  // namespace wolfpack::testing::procs
