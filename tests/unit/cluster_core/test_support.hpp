// Shared set-ups for the node_core tests: state codes, object creation through the API and
// the checks every scenario repeats.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "wolfpack/sim/fake_node.hpp"

namespace wolfpack::cluster::testing {

// The helpers drive the simulator's fake_node.
using namespace ::wolfpack::cluster::sim;

// Resource states (CLUSTER_RESOURCE_STATE).
inline constexpr int r_online = 2;
inline constexpr int r_offline = 3;
inline constexpr int r_failed = 4;
inline constexpr int r_online_pending = 129;
inline constexpr int r_offline_pending = 130;
// Group states (CLUSTER_GROUP_STATE).
inline constexpr int g_online = 0;
inline constexpr int g_offline = 1;
inline constexpr int g_failed = 2;
inline constexpr int g_partial_online = 3;
inline constexpr int g_pending = 4;

inline void create_group(fake_node& f, const std::string& name) {
  auto r = f.api("POST", "/groups", {{"name", name}});
  INFO(r.body.dump());
  REQUIRE(r.status == 201);
}

inline void create_resource(fake_node& f, const std::string& name, const std::string& group) {
  auto r = f.api("POST", "/resources", {{"name", name}, {"group", group}, {"type", "Dummy"}});
  INFO(r.body.dump());
  REQUIRE(r.status == 201);
}

inline void add_dependency(fake_node& f, const std::string& dependent,
                           const std::string& provider) {
  auto r = f.api("POST", "/resources/" + dependent + "/dependencies", {{"provider", provider}});
  INFO(r.body.dump());
  REQUIRE(r.status == 201);
}

inline void set_properties(fake_node& f, const std::string& resource,
                           const nlohmann::json& properties) {
  auto r = f.api("PUT", "/resources/" + resource + "/properties", {{"properties", properties}});
  INFO(r.body.dump());
  REQUIRE(r.status == 200);
}

// A started node with group G holding A <- B <- C (C depends on B, B on A), all open and
// offline.
inline void make_chain(fake_node& f) {
  f.start();
  create_group(f, "G");
  create_resource(f, "A", "G");
  create_resource(f, "B", "G");
  create_resource(f, "C", "G");
  add_dependency(f, "B", "A");
  add_dependency(f, "C", "B");
  REQUIRE(f.monitor_resource("default", "A") != nullptr);
  REQUIRE(f.monitor_resource("default", "B") != nullptr);
  REQUIRE(f.monitor_resource("default", "C") != nullptr);
}

// make_chain, then the group online.
inline void make_online_chain(fake_node& f) {
  make_chain(f);
  auto r = f.api("POST", "/groups/G/online");
  INFO(r.body.dump());
  REQUIRE(r.status == 202);
  REQUIRE(f.group_state("G") == g_online);
  REQUIRE(f.resource_state("A") == r_online);
  REQUIRE(f.resource_state("B") == r_online);
  REQUIRE(f.resource_state("C") == r_online);
}

inline std::string resource_id(fake_node& f, const std::string& name) {
  auto r = f.api("GET", "/resources/" + name);
  REQUIRE(r.status == 200);
  return r.body["id"].get<std::string>();
}

inline std::string group_id(fake_node& f, const std::string& name) {
  auto r = f.api("GET", "/groups/" + name);
  REQUIRE(r.status == 200);
  return r.body["id"].get<std::string>();
}

// Every event carries the next seq (1, 2, 3, ...) and each RESOURCE_STATE / GROUP_STATE
// event's "previous" is the state the one before it for that object announced.
inline void check_event_stream(const fake_node& f) {
  std::uint64_t last = 0;
  std::map<std::string, std::string> resource_states;
  std::map<std::string, std::string> group_states;
  for (const auto& e : f.events()) {
    INFO(e.dump());
    REQUIRE(e.contains("seq"));
    const auto seq = e["seq"].get<std::uint64_t>();
    if (last != 0)
      CHECK(seq == last + 1);
    last = seq;
    const auto kind = e.value("kind", "");
    if (kind != "RESOURCE_STATE" && kind != "GROUP_STATE")
      continue;
    auto& states = kind == "RESOURCE_STATE" ? resource_states : group_states;
    const auto id = e.value("id", "");
    const auto previous = e.value("previous", "");
    if (auto it = states.find(id); it != states.end())
      CHECK(previous == it->second);
    CHECK(previous != e.value("state", ""));
    states[id] = e.value("state", "");
  }
  if (last != 0)
    CHECK(last == f.core().event_seq());
}

}  // namespace wolfpack::cluster::testing
