#pragma once

// The `wolfpack` command line: one CLI11 subcommand per verb, each in its own
// src/<verb>_command.cpp. main() only forwards its arguments here.

#include <ostream>
#include <string>
#include <vector>

namespace wolfpack::tool {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;  // the verb ran and found problems (check-plugin)
inline constexpr int exit_usage = 2;   // bad arguments, refused input

// Runs `wolfpack ARGS...` (ARGS without the program name). Normal output goes to `out`,
// errors to `err`; returns the exit code.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace wolfpack::tool
