#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wolfpack::monitor {

// The resource DLL entry points, plus Startup, as the monitor names them in events and logs.
enum class entry_point : std::uint8_t {
  startup,
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

std::string_view to_string(entry_point);
std::optional<entry_point> entry_point_from_string(std::string_view);

}  // namespace wolfpack::monitor
