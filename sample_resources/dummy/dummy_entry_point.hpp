#pragma once

// The entry points of the Dummy plugin by name, for the CallLog lines and for the HangIn and
// CrashIn fault-injection properties.

#include <optional>
#include <string_view>

#include "dummy_strings.hpp"

namespace wolfpack::dummy {

enum class entry_point {
  none,  // "no entry point": the empty value of HangIn and CrashIn
  open,
  close,
  online,
  offline,
  terminate,
  looks_alive,
  is_alive,
  arbitrate,
  release,
  resource_control,
  resource_type_control,
};

// Microsoft's spelling ("LooksAlive", "ResourceControl"); "" for none.
std::string_view entry_point_name(entry_point e);

// Case-insensitive parse of an entry-point name; "" gives none; anything else gives nullopt.
std::optional<entry_point> parse_entry_point(wide_string_view name);

// Blocks the calling thread forever, so that the monitor's deadlock detection has
// something to detect. Never returns.
[[noreturn]] void hang_forever();

// Crashes the process the way a buggy plugin would (SIGSEGV, or an access violation on
// Windows). Never returns.
[[noreturn]] void crash_now();

}  // namespace wolfpack::dummy
