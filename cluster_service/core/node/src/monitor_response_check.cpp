#include "monitor_response_check.hpp"

#include <array>
#include <string_view>
#include <utility>

#include "member_kind.hpp"
#include "wolfpack/common/json_kind.hpp"

namespace wolfpack::cluster {

namespace {

using member_rules = std::pair<std::string_view, member_kind>;

// The members the core reads from responses, as it reads them.
constexpr std::array<member_rules, 13> response_members{{
    {"id", member_kind::integer},
    {"ok", member_kind::boolean},
    {"exec", member_kind::text},
    {"status", member_kind::count},
    {"entry", member_kind::text},
    {"error", member_kind::object},
    {"state", member_kind::text},
    {"out", member_kind::text},
    {"bytes_returned", member_kind::count},
    {"messages", member_kind::array},
    {"resource_type", member_kind::text},
    {"plugin", member_kind::text},
    {"quorum_capable", member_kind::boolean},
}};

constexpr std::array<member_rules, 3> error_members{{
    {"code", member_kind::count},
    {"name", member_kind::text},
    {"message", member_kind::text},
}};

template <std::size_t N>
std::optional<std::string> check_members(const nlohmann::json& object, const char* prefix,
                                         const std::array<member_rules, N>& rules) {
  for (const auto& [name, k] : rules) {
    const auto it = object.find(std::string(name));
    if (it != object.end() && !fits(*it, k)) {
      return "member '" + std::string(prefix) + std::string(name) + "' must be " + described(k) +
             ", not " + wolfpack::detail::json_kind_shown(*it);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> monitor_response_problem(const nlohmann::json& frame) {
  if (!frame.is_object())
    return "the frame must be an object, not " + wolfpack::detail::json_kind_shown(frame);
  if (auto problem = check_members(frame, "", response_members))
    return problem;
  if (const auto error = frame.find("error"); error != frame.end())
    return check_members(*error, "error.", error_members);
  return std::nullopt;
}

void check_monitor_response(const nlohmann::json& frame) {
  if (auto problem = monitor_response_problem(frame))
    throw unreadable_monitor_frame("a response: " + *problem);
}

}  // namespace wolfpack::cluster
