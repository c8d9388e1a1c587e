#include "peer_frame_check.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

#include "member_kind.hpp"
#include "wolfpack/common/json_kind.hpp"

namespace wolfpack::cluster {

namespace {

using json = nlohmann::json;

using kind = member_kind;

// What a member carries that is checked too: a frame (a relayed join's request and answer),
// or a version, ballot or heartbeat's outsiders, with the same rules; a list of such (a
// gum_apply's updates); a state event, or a `states` frame's list of them.
enum class carries { nothing, object, objects, event, events };

struct rule {
  std::string_view member;
  kind type;
  carries inner = carries::nothing;
};

// The members of frames and heartbeats between nodes (node_core.cpp, gum.cpp, membership.cpp,
// core_cluster.cpp build them), and of the versions and ballots in them. A member not listed
// is not checked here. Kept sorted by name: a frame's members are looked up, not the table
// walked (heartbeats come ten times a second from every peer).
constexpr rule frame_rules[] = {
    {"address", kind::text},
    {"answer", kind::object, carries::object},
    {"ballot", kind::object, carries::object},
    {"base", kind::count},
    {"base_epoch", kind::count},
    {"cluster", kind::text},
    {"code", kind::integer},
    {"config", kind::object},
    {"coordinator", kind::count},
    {"echo", kind::object},
    {"epoch", kind::count},
    {"error", kind::text},
    {"event", kind::object, carries::event},
    {"events", kind::array, carries::events},
    {"fid", kind::count},
    {"first", kind::count},
    {"hops", kind::count},
    {"id", kind::count},
    {"ids", kind::array},
    {"member", kind::boolean},
    {"members", kind::array},
    {"message", kind::text},
    {"method", kind::text},
    {"name", kind::text},
    {"nodes", kind::array},
    {"ok", kind::boolean},
    {"ops", kind::array},
    {"origin", kind::count},
    {"outsiders", kind::object, carries::object},
    {"path", kind::array},
    {"promised", kind::object, carries::object},
    {"query", kind::object},
    {"recent", kind::array},
    {"request", kind::object, carries::object},
    {"retry", kind::boolean},
    {"rid", kind::count},
    {"rids", kind::array},
    {"round", kind::count},
    {"sees", kind::array},
    {"seq", kind::count},
    {"source", kind::count},
    {"status", kind::integer},
    {"stopping", kind::boolean},
    {"tree", kind::object},
    {"type", kind::text},
    {"unapplied", kind::array},
    {"uniform", kind::boolean},
    {"updates", kind::array, carries::objects},
    {"ver", kind::object, carries::object},
    {"version", kind::integer},
    {"why", kind::text},
    {"window", kind::count},
    {"witness", kind::boolean},
};

// A state event (state, states): the object's id is its GUID here, its state a code that may
// be -1 (ClusterGroupStateUnknown).
constexpr rule event_rules[] = {
    {"code", kind::integer}, {"id", kind::text}, {"name", kind::text}, {"object", kind::text}};

template <std::size_t N>
constexpr bool sorted(const rule (&rules)[N]) {
  for (std::size_t i = 1; i < N; ++i) {
    if (!(rules[i - 1].member < rules[i].member))
      return false;
  }
  return true;
}
static_assert(sorted(frame_rules) && sorted(event_rules), "rules must be sorted by name");

template <std::size_t N>
const rule* rule_for(const rule (&rules)[N], const std::string& member) {
  const auto r = std::lower_bound(std::begin(rules), std::end(rules), member,
                                  [](const rule& a, const std::string& k) { return a.member < k; });
  return r != std::end(rules) && r->member == member ? r : nullptr;
}

// One pass over the object's members; what it carries is checked on the way, two levels deep
// at most (a relayed join's answer carries a version). The place is added to a problem as it
// is returned, so that a good frame costs no string.
template <std::size_t N>
std::optional<std::string> check(const json& object, const rule (&rules)[N], int depth,
                                 bool states) {
  if (!object.is_object())
    return "must be an object, not " + wolfpack::detail::json_kind_shown(object);
  for (const auto& [key, value] : object.items()) {
    const auto* r = rule_for(rules, key);
    if (r == nullptr)
      continue;
    if (!fits(value, r->type)) {
      return "member '" + key + "' must be " + described(r->type) + ", not " +
             wolfpack::detail::json_kind_shown(value);
    }
    switch (r->inner) {
      case carries::nothing:
        break;
      case carries::object:
        if (depth < 2) {
          if (auto p = check(value, frame_rules, depth + 1, false))
            return "in '" + key + "': " + *p;
        }
        break;
      case carries::objects:
        if (depth < 2) {
          for (const auto& element : value) {
            if (auto p = check(element, frame_rules, depth + 1, false))
              return "in an element of '" + key + "': " + *p;
          }
        }
        break;
      case carries::event:
        if (auto p = check(value, event_rules, depth + 1, false))
          return "in '" + key + "': " + *p;
        break;
      case carries::events:
        if (states) {
          for (const auto& element : value) {
            if (auto p = check(element, event_rules, depth + 1, false))
              return "in an element of '" + key + "': " + *p;
          }
        }
        break;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> peer_frame_problem(const json& frame) {
  if (!frame.is_object())
    return "the frame must be an object, not " + wolfpack::detail::json_kind_shown(frame);
  const auto type = frame.find("type");
  if (type == frame.end())
    return "member 'type' is missing";
  // A forwarded request and its answer are read by forward_frame.cpp, which answers the waiting
  // client when one is malformed instead of dropping it.
  if (*type == "api_fwd" || *type == "api_answer")
    return std::nullopt;
  return check(frame, frame_rules, 0, *type == "states");
}

std::optional<std::string> heartbeat_problem(const json& body) {
  if (!body.is_object())
    return "the heartbeat must be an object, not " + wolfpack::detail::json_kind_shown(body);
  return check(body, frame_rules, 0, false);
}

}  // namespace wolfpack::cluster
