#pragma once

// Splits Generic Application's CommandLine into a program and its arguments, without a
// shell: words separated by blanks; "double" or 'single' quotes keep blanks in a word;
// a backslash outside single quotes takes the next character literally. No variables, no
// globbing, no redirection (a command line that wants those names /bin/sh -c '...').

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wolfpack::samples {

// The words, or nullopt (with `error` set) for an unterminated quote or a trailing
// backslash.
std::optional<std::vector<std::string>> split_command_line(std::string_view line,
                                                           std::string* error = nullptr);

}  // namespace wolfpack::samples
