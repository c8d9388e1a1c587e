#pragma once

// Helpers for the tests of the process-running sample types (Generic Application, Generic
// Script, OCF Agent): the harness's calls, scripts written for a test, whether a process
// still exists, and control codes sent to a monitor. Harness arguments, describe() and
// has_log() are monitor_fixture.hpp's.

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

// The result of the first call to `entry`.
std::optional<std::uint32_t> call_result(const harness_run& run, const std::string& entry);

// Writes an executable shell script (#!/bin/sh, then `body`).
void write_script(const std::filesystem::path& path, const std::string& body);
using wolfpack::testing::read_text;  // monitor_fixture.hpp
// The lines of a file (empty when it does not exist).
std::vector<std::string> read_lines(const std::filesystem::path& path);
// The pid written in a file, once the file holds one (nullopt at the deadline).
std::optional<int> wait_pid_file(const std::filesystem::path& path,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
// The process exists and is not a zombie.
bool process_running(int pid);
// /proc has no entry for it at all: it ended and was reaped (no zombie left).
bool process_gone(int pid);

// CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES with `properties` (a property list) as input;
// the status it returned (-1 when the response has none).
int validate_status(monitor_fixture& m, const std::string& resource,
                    const std::vector<std::uint8_t>& properties);
// A control code whose output is a property list: sized, then fetched; the bytes.
std::vector<std::uint8_t> control_output(monitor_fixture& m, const std::string& resource,
                                         std::uint32_t code);
void load_type(monitor_fixture& m, const std::string& type, const std::string& plugin);

}  // namespace wolfpack::testing::procs
