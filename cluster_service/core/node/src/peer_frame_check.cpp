#include "peer_frame_check.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

#include "wolfpack/common/json_kind.hpp"

namespace wolfpack::cluster {

namespace {

using json = nlohmann::json;

enum class kind { text, count, integer, boolean, array, object };

struct rule {
  std::string_view member;
  kind type;
};

// The members of frames and heartbeats between nodes (node_core.cpp, gum.cpp, membership.cpp,
// core_cluster.cpp build them), and of the versions and ballots in them. A member not listed
// is not checked here. Kept sorted by name: a frame's members are looked up, not the table
// walked (heartbeats come ten times a second from every peer).
constexpr rule frame_rules[] = {
    {"address", kind::text},     {"answer", kind::object},     {"ballot", kind::object},
    {"base_epoch", kind::count}, {"cluster", kind::text},      {"code", kind::integer},
    {"config", kind::object},    {"coordinator", kind::count}, {"echo", kind::object},
    {"epoch", kind::count},      {"error", kind::text},        {"event", kind::object},
    {"events", kind::array},     {"fid", kind::count},         {"first", kind::count},
    {"hops", kind::count},       {"id", kind::count},          {"ids", kind::array},
    {"member", kind::boolean},   {"members", kind::array},     {"message", kind::text},
    {"method", kind::text},      {"name", kind::text},         {"nodes", kind::array},
    {"ok", kind::boolean},       {"ops", kind::array},         {"origin", kind::count},
    {"outsiders", kind::object}, {"path", kind::array},        {"promised", kind::object},
    {"query", kind::object},     {"recent", kind::array},      {"request", kind::object},
    {"retry", kind::boolean},    {"rid", kind::count},         {"rids", kind::array},
    {"round", kind::count},      {"sees", kind::array},        {"seq", kind::count},
    {"source", kind::count},     {"status", kind::integer},    {"stopping", kind::boolean},
    {"tree", kind::object},      {"type", kind::text},         {"unapplied", kind::array},
    {"uniform", kind::boolean},  {"updates", kind::array},     {"ver", kind::object},
    {"version", kind::integer},  {"why", kind::text},          {"window", kind::count},
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

const char* described(kind k) {
  switch (k) {
    case kind::text:
      return "a string";
    case kind::count:
      return "a count (an integer of 0 or more)";
    case kind::integer:
      return "an integer";
    case kind::boolean:
      return "a boolean";
    case kind::array:
      return "an array";
    case kind::object:
      return "an object";
  }
  return "?";
}

bool fits(const json& v, kind k) {
  switch (k) {
    case kind::text:
      return v.is_string();
    case kind::count:
      return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
    case kind::integer:
      return v.is_number_integer();
    case kind::boolean:
      return v.is_boolean();
    case kind::array:
      return v.is_array();
    case kind::object:
      return v.is_object();
  }
  return false;
}

template <std::size_t N>
std::optional<std::string> check(const json& object, const rule (&rules)[N],
                                 const std::string& in) {
  if (!object.is_object()) {
    return (in.empty() ? std::string("the frame ") : in) + "must be an object, not " +
           wolfpack::detail::json_kind_shown(object);
  }
  for (const auto& [key, value] : object.items()) {
    const auto r =
        std::lower_bound(std::begin(rules), std::end(rules), key,
                         [](const rule& a, const std::string& k) { return a.member < k; });
    if (r != std::end(rules) && r->member == key && !fits(value, r->type)) {
      return in + "member '" + key + "' must be " + described(r->type) + ", not " +
             wolfpack::detail::json_kind_shown(value);
    }
  }
  return std::nullopt;
}

// The objects a frame carries are checked with the same rules: a relayed join's request and
// answer (frames themselves), versions, ballots, a heartbeat's outsiders, gum_apply's updates.
std::optional<std::string> check_frame(const json& frame, const std::string& in, int depth) {
  if (auto p = check(frame, frame_rules, in))
    return p;
  if (depth < 2) {
    for (const char* inner : {"request", "answer", "ver", "ballot", "promised", "outsiders"}) {
      if (const auto it = frame.find(inner); it != frame.end()) {
        if (auto p = check_frame(*it, in + "in '" + std::string(inner) + "': ", depth + 1))
          return p;
      }
    }
    if (const auto it = frame.find("updates"); it != frame.end()) {
      for (const auto& u : *it) {
        if (auto p = check_frame(u, in + "in an element of 'updates': ", depth + 1))
          return p;
      }
    }
  }
  if (const auto it = frame.find("event"); it != frame.end()) {
    if (auto p = check(*it, event_rules, in + "in 'event': "))
      return p;
  }
  const auto type = frame.find("type");
  if (const auto it = frame.find("events");
      it != frame.end() && type != frame.end() && *type == "states") {
    for (const auto& e : *it) {
      if (auto p = check(e, event_rules, in + "in an element of 'events': "))
        return p;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> peer_frame_problem(const json& frame) {
  // A forwarded request and its answer are read by forward_frame.cpp, which answers the waiting
  // client when one is malformed instead of dropping it.
  if (frame.is_object()) {
    if (const auto type = frame.find("type");
        type != frame.end() && (*type == "api_fwd" || *type == "api_answer"))
      return std::nullopt;
  }
  if (auto p = check_frame(frame, std::string(), 0))
    return p;
  if (frame.find("type") == frame.end())
    return "member 'type' is missing";
  return std::nullopt;
}

std::optional<std::string> heartbeat_problem(const json& body) {
  return check_frame(body, std::string(), 0);
}

}  // namespace wolfpack::cluster
