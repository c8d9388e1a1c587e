#pragma once

// Helpers for the tests of the process-running sample types (Generic Application, Generic
// Script, OCF Agent): harness arguments, the harness's lines, scripts written for a test,
// and whether a process still exists.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration_support.hpp"
#include "monitor_fixture.hpp"

namespace wolfpack::testing::procs {

// --plugin build/plugins/<plugin>.so --type <type> --name <name> <more...>
std::vector<std::string> harness_args(const std::string& plugin, const std::string& type,
                                      const std::string& name, std::vector<std::string> more);
// The harness's status and every line, for failure messages.
std::string describe(const harness_run& run);
// A "log" line (the harness's) or a "log" event (a monitor's) containing `text`.
bool has_log(const std::vector<nlohmann::json>& lines, const std::string& text);
// The result of the first call to `entry`.
std::optional<std::uint32_t> call_result(const harness_run& run, const std::string& entry);

// Writes an executable shell script (#!/bin/sh, then `body`).
void write_script(const std::filesystem::path& path, const std::string& body);
std::string read_text(const std::filesystem::path& path);
// The lines of a file (empty when it does not exist).
std::vector<std::string> read_lines(const std::filesystem::path& path);
// The pid written in a file, once the file holds one (nullopt at the deadline).
std::optional<int> wait_pid_file(const std::filesystem::path& path,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
// The process exists and is not a zombie.
bool process_running(int pid);
// /proc has no entry for it at all: it ended and was reaped (no zombie left).
bool process_gone(int pid);

// Sends a resource control code to a monitor's resource / resource type.
nlohmann::json resource_control(monitor_fixture& m, const std::string& resource, std::uint32_t code,
                                const std::vector<std::uint8_t>& in = {},
                                std::uint32_t out_size = 0);
nlohmann::json type_control(monitor_fixture& m, const std::string& type, std::uint32_t code,
                            const std::vector<std::uint8_t>& in = {}, std::uint32_t out_size = 0);
// A control code whose output is a property list: sized, then fetched; the bytes.
std::vector<std::uint8_t> control_output(monitor_fixture& m, const std::string& resource,
                                         std::uint32_t code);
void load_type(monitor_fixture& m, const std::string& type, const std::string& plugin);

}  // namespace wolfpack::testing::procs
