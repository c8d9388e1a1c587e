#pragma once

#include <map>
#include <string>
#include <string_view>

#include "wolfpack/common/logging.hpp"

namespace wolfpack::runtime {

// wolfpack::log::write_line with fields known only at run time (log::fields is an
// initializer_list, which only a braced list can make). Up to max_log_fields fields become
// fields of the line; any further ones are appended to the message as " key=value".
inline constexpr std::size_t max_log_fields = 16;
void write_log_line(log_level level, std::string_view component, std::string_view message,
                    const std::map<std::string, std::string>& fields);

}  // namespace wolfpack::runtime
