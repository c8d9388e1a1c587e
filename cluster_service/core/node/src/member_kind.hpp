// The types the core reads the members of frames as (from other nodes: peer_frame_check; from
// monitors: monitor_response_check), and how a problem names them.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

namespace wolfpack::cluster {

enum class member_kind { text, count, integer, boolean, array, object };

inline const char* described(member_kind k) {
  switch (k) {
    case member_kind::text:
      return "a string";
    case member_kind::count:
      return "a count (an integer of 0 or more)";
    case member_kind::integer:
      return "an integer";
    case member_kind::boolean:
      return "a boolean";
    case member_kind::array:
      return "an array";
    case member_kind::object:
      return "an object";
  }
  return "?";
}

// A count may be a signed integer: a 0 built in this process (the simulator's frames) is one;
// read off the wire it is unsigned.
inline bool fits(const nlohmann::json& v, member_kind k) {
  switch (k) {
    case member_kind::text:
      return v.is_string();
    case member_kind::count:
      return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
    case member_kind::integer:
      return v.is_number_integer();
    case member_kind::boolean:
      return v.is_boolean();
    case member_kind::array:
      return v.is_array();
    case member_kind::object:
      return v.is_object();
  }
  return false;
}

}  // namespace wolfpack::cluster
