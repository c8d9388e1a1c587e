// cluster.exe's command-line grammar:
//   cluster [[/cluster:]NAME|HOST:PORT]
//           [node|group|res[ource]|restype|resourcetype|net[work]|netint[erface]] [OBJECT]
//           [/option[:value]...] [Name=Value[,Value...][:format]...]
// Options and keywords are case-insensitive, take '-' as well as '/', and accept every spelling
// between the short form and the full word (/stat, /statu, /status).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wolfpack/cluster_cli/command.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster_cli {

// Parses the arguments after the program name. A failure is a usage error (the caller reports
// ERROR_INVALID_PARAMETER) whose message says what is wrong: "Invalid option '/foo'.",
// "The '/rename' option requires a value (/rename:VALUE).", "The '/pause' option is not valid
// for 'group'.".
[[nodiscard]] result<command> parse_command_line(const std::vector<std::string>& args);

// Parses one `Name=Value[,Value...][:format]` item of a property list.
[[nodiscard]] result<property_setting> parse_property_setting(std::string_view text);

// Splits a whole command line into arguments the way the Windows C runtime does (blanks
// separate, double quotes group, `\"` and `""` inside quotes are a literal quote). Tests use it
// to write command lines as the user types them.
std::vector<std::string> split_command_line(std::string_view line);

}  // namespace wolfpack::cluster_cli
