#pragma once

// The CallLog property: one JSON line per entry-point call, appended to a file shared by
// every process on the machine, so tests can reconstruct who called what and when (for
// example that no two nodes had the resource online at once).

#include <string>
#include <string_view>

#include "dummy_entry_point.hpp"

namespace wolfpack::dummy {

// The JSON line (with its trailing newline) for one call:
// {"node":..,"resource":..,"entry":..,"mono_ns":..,"pid":..}. node is $WOLFPACK_NODE or "".
std::string call_log_line(std::string_view resource_utf8, entry_point entry);

// Appends call_log_line(...) to path_utf8 with O_APPEND and a single write, so lines from
// concurrent processes never interleave. Failures are ignored: a broken log must not change
// the resource's behaviour.
void append_call_log(const std::string& path_utf8, std::string_view resource_utf8,
                     entry_point entry);

}  // namespace wolfpack::dummy
