#include "dummy_entry_point.hpp"

#include <array>
#include <chrono>
#include <thread>
#include <utility>

#include <wolfpack/common/platform/system.hpp>

namespace wolfpack::dummy {

namespace {

constexpr std::array<std::pair<entry_point, std::string_view>, 11> names{{
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

}  // namespace

std::string_view entry_point_name(entry_point e) {
  for (const auto& [value, name] : names) {
    if (value == e)
      return name;
  }
  return {};
}

std::optional<entry_point> parse_entry_point(wide_string_view name) {
  if (name.empty())
    return entry_point::none;
  for (const auto& [value, text] : names) {
    if (iequals_ascii(name, text))
      return value;
  }
  return std::nullopt;
}

void hang_forever() {
  // A loop rather than one long sleep: sleep_for may return early (signals, clock limits).
  for (;;)
    std::this_thread::sleep_for(std::chrono::hours(24));
}

void crash_now() {
  platform::crash_process();
}

}  // namespace wolfpack::dummy
