#include <chrono>

#include <catch2/catch.hpp>

#include "wolfpack/cluster_runtime/event_time.hpp"

TEST_CASE("event times are UTC ISO-8601 with milliseconds", "[event_time]") {
  using namespace std::chrono;
  const sys_days day = year{2026} / March / 1;
  const auto t = day + hours(7) + minutes(5) + seconds(9) + microseconds(123456);
  CHECK(wolfpack::runtime::format_event_time(t) == "2026-03-01T07:05:09.123Z");
  CHECK(wolfpack::runtime::format_event_time(system_clock::time_point{}) ==
        "1970-01-01T00:00:00.000Z");
}
