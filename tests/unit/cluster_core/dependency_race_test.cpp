// A dependency added while its dependent is on its way online, through a node that does not
// own the group: the owner checks it against what it has sent its monitor, and holds the
// dependent back while the dependency it accepted is on its way (api_resources.cpp,
// add_dependency; core_state::owner_bound); a move asked meanwhile follows it. On fake_cluster
// (multinode_support.hpp).
#include <string>

#include <catch2/catch.hpp>

#include "multinode_support.hpp"
#include "wolfpack/sim/fake_cluster.hpp"

using namespace wolfpack::cluster;
using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

// G online on node2 (R1 <- R2), with R3 and P, both Dummy, offline in it.
void set_up_g_with_r3_and_p(fake_cluster& c) {
  form(c);
  make_group_online_on(c, 2);
  for (const char* name : {"R3", "P"})
    require_api(c, 1, "POST", "/resources", {{"name", name}, {"group", "G"}, {"type", "Dummy"}},
                {201});
  require_state(c, c.run_until([&] { return c.core(2).resource_state("P") == 3; }, 2000),
                "P open and Offline on node2");
}

// Every online of R3 that reached a plugin from `since` (when the dependency was asked) found
// P online on its node, if R3 depends on P at the end: stricter than the simulator's
// invariant (which reads the database of the moment), since an online started after the
// owner accepted the dependency must keep to it.
void require_dependency_order(fake_cluster& c, time_ms since) {
  for (const auto& call : c.monitor_log()) {
    if (call.resource != "R3" || call.type != "online" || !call.ran || call.at < since)
      continue;
    // P's last call on that node before R3's online was an online that ran.
    const auto p_online = [&] {
      bool online = false;
      for (const auto& earlier : c.monitor_log()) {
        if (earlier.resource == "P" && earlier.node == call.node && earlier.at <= call.at &&
            earlier.ran)
          online = earlier.type == "online";
      }
      return online;
    };
    INFO(trace_of(c, "R3") << trace_of(c, "P"));
    const auto deps = c.api(call.node, "GET", "/resources/R3/dependencies").body;
    if (deps.value("dependencies", nlohmann::json::array()).size() > 0)
      CHECK(p_online());
  }
}

}  // namespace

TEST_CASE("a dependency accepted just before a restart holds for the restart",
          "[multinode][dependency]") {
  // R3 failed and waits out its RestartDelay on node2; the dependency comes through node3 a
  // few milliseconds before the restart, at each lead in turn: the restart never runs R3
  // ahead of P once the dependency is accepted.
  for (time_ms lead : {0, 1, 2, 3, 4, 5}) {
    CAPTURE(lead);
    fake_cluster c;
    set_up_g_with_r3_and_p(c);
    require_api(c, 2, "PUT", "/resources/R3/properties",
                {{"properties", {{"RestartDelay", 1000}, {"RestartAction", 1}}}}, {200});
    require_api(c, 2, "POST", "/resources/R3/online", nullptr, {200, 202});
    require_state(c, c.run_until([&] { return c.core(2).resource_state("R3") == 2; }, 2000),
                  "R3 Online on node2");
    require_api(c, 2, "POST", "/resources/R3/fail", nullptr, {200, 202});
    require_state(c, c.run_until([&] { return c.core(2).resource_state("R3") == 4; }, 2000),
                  "R3 Failed on node2");
    c.advance(1000 - lead);
    const auto asked = c.now();
    const auto dep = c.api_async(3, "POST", "/resources/R3/dependencies", {{"provider", "P"}});
    require_state(c,
                  c.run_until(
                      [&] {
                        return c.find_response(3, dep) != nullptr &&
                               c.core(2).resource_state("R3") == 2;
                      },
                      3000),
                  "the dependency answered and R3 restarted");
    const auto answer = *c.response(3, dep);
    INFO(answer.body.dump());
    CHECK((answer.status == 201 || answer.status == 409));
    require_dependency_order(c, asked);
    check_safety(c);
  }
}

TEST_CASE("a dependency, an online and a move asked together keep the dependency order",
          "[multinode][dependency]") {
  fake_cluster c;
  set_up_g_with_r3_and_p(c);
  // node2 (the owner) accepts the dependency and holds R3, but its request to the locker is
  // lost; R3 is asked online and G is moved to node3 through node2 before the request comes
  // again. The three apply in the order node2 made them: on node3 R3 comes online after P, and
  // the move does not undo the online.
  bool dropped = false;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    if (dropped || from != 2 || to != 1 || frame.value("type", std::string()) != "gum_req" ||
        frame.dump().find("DependsOn") == std::string::npos)
      return false;
    dropped = true;
    return true;
  });
  const auto asked = c.now();
  const auto dep = c.api_async(3, "POST", "/resources/R3/dependencies", {{"provider", "P"}});
  c.advance(3);
  const auto online = c.api_async(2, "POST", "/resources/R3/online");
  c.advance(20);
  const auto move = c.api_async(2, "POST", "/groups/G/move", {{"node", "node3"}});
  require_state(c,
                c.run_until(
                    [&] {
                      return c.find_response(3, dep) != nullptr &&
                             c.find_response(2, move) != nullptr &&
                             c.find_response(2, online) != nullptr;
                    },
                    5000),
                "the dependency, the online and the move answered");
  CHECK(dropped);
  const auto answer = *c.response(3, dep);
  INFO("dependency: " << answer.status << " " << answer.body.dump() << "; online: "
                      << c.response(2, online)->status << " " << c.response(2, online)->body.dump()
                      << "; move: " << c.response(2, move)->status << " "
                      << c.response(2, move)->body.dump());
  // R3 was asked online: it ends Online on node3, with P when it depends on it.
  require_state(c, c.run_until([&] { return c.core(3).resource_state("R3") == 2; }, 3000),
                "R3 Online on node3");
  const auto deps = c.api(3, "GET", "/resources/R3/dependencies").body["dependencies"];
  CHECK(deps.size() == (answer.status == 201 ? 1u : 0u));
  require_dependency_order(c, asked);
  check_safety(c);
}
