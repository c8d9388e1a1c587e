#include "entry_point.hpp"

#include <array>
#include <cctype>
#include <utility>

#include "resource_monitor/protocol.hpp"

namespace wolfpack::monitor {

namespace {

// Names as Microsoft spells the entry points; these literals are also read by the crash handler.
constexpr std::array<std::pair<entry_point, std::string_view>, 12> names = {{
    {entry_point::startup, "Startup"},
    {entry_point::open, "Open"},
    {entry_point::close, "Close"},
    {entry_point::online, "Online"},
    {entry_point::offline, "Offline"},
    {entry_point::terminate, "Terminate"},
    {entry_point::looks_alive, "LooksAlive"},
    {entry_point::is_alive, "IsAlive"},
    {entry_point::arbitrate, "Arbitrate"},
    {entry_point::release, "Release"},
    {entry_point::resource_control, "ResourceControl"},
    {entry_point::resource_type_control, "ResourceTypeControl"},
}};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view to_string(entry_point e) {
  for (const auto& [k, v] : names) {
    if (k == e)
      return v;
  }
  return "Unknown";
}

std::optional<entry_point> entry_point_from_string(std::string_view s) {
  for (const auto& [k, v] : names) {
    if (iequals(v, s))
      return k;
  }
  return std::nullopt;
}

std::string_view to_string(exec_status s) {
  switch (s) {
    case exec_status::completed:
      return "completed";
    case exec_status::timed_out:
      return "timed_out";
    case exec_status::refused:
      return "refused";
    case exec_status::crashed:
      return "crashed";
  }
  return "unknown";
}

}  // namespace wolfpack::monitor
