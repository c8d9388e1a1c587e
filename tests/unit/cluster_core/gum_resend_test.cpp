// Global updates whose frames are lost while the view stays (a link that drops them for less
// than the heartbeat window, a reset nobody noticed): the origin sends its request again, and
// the locker answers a copy only once the first is on every member's disk (gum.hpp; SPEC 5.3).
// On fake_cluster (multinode_support.hpp): node1 is the locker.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include "multinode_support.hpp"
#include "wolfpack/sim/fake_cluster.hpp"

using namespace wolfpack::cluster;
using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

std::string description_on(fake_cluster& c, std::size_t n) {
  // "" too when the node cannot answer (it is taking a database, say).
  const auto body = c.api(n, "GET", "/groups/G/properties").body;
  const auto value =
      body.is_object() ? body.value("/properties/Description/value"_json_pointer, nlohmann::json())
                       : nlohmann::json();
  return value.is_string() ? value.get<std::string>() : std::string();
}

bool frame_is(const nlohmann::json& frame, const char* type) {
  return frame.value("type", std::string()) == type;
}

// Loses the first frame of `type` from node `from` to node `to`; the flag says it happened.
std::shared_ptr<bool> lose_first(fake_cluster& c, std::size_t from, std::size_t to,
                                 const char* type) {
  auto dropped = std::make_shared<bool>(false);
  c.set_frame_filter([=](std::size_t f, std::size_t t, const nlohmann::json& frame) {
    if (*dropped || f != from || t != to || !frame_is(frame, type))
      return false;
    *dropped = true;
    return true;
  });
  return dropped;
}

// The first frame of `type` from node `from` to node `to` is lost.
struct lost_frame {
  std::size_t from;
  std::size_t to;
  const char* type;
};

// node2 writes `first`, then `second` 5 ms later, with `lost` lost: both are answered 200,
// and every node ends with `second`, also after the first is sent again a window later.
void require_second_write_wins(fake_cluster& c, lost_frame lost, const std::string& first,
                               const std::string& second) {
  const auto dropped = lose_first(c, lost.from, lost.to, lost.type);
  const auto a =
      c.api_async(2, "PUT", "/groups/G/properties", {{"properties", {{"Description", first}}}});
  c.advance(5);
  const auto b =
      c.api_async(2, "PUT", "/groups/G/properties", {{"properties", {{"Description", second}}}});
  const bool answered = c.run_until(
      [&] { return c.find_response(2, a) != nullptr && c.find_response(2, b) != nullptr; },
      3 * window_ms);
  require_state(c, answered && *dropped, "both answered, the lost frame sent again");
  CHECK(c.response(2, a)->status == 200);
  CHECK(c.response(2, b)->status == 200);
  c.advance(2 * window_ms);
  require_settled(c, {1, 2, 3}, 2000, "one database");
  for (std::size_t n = 1; n <= 3; ++n)
    CHECK(description_on(c, n) == second);
}

// A write through node `via` that the locker (node1) applies alone: its updates and its
// database never reach the others while the returned flag is set. Then node3 freezes, and
// node2, in the new view with node1, is told to take node1's database. Returns the flag and
// the write's request id.
std::pair<std::shared_ptr<bool>, std::uint64_t> write_on_locker_alone(fake_cluster& c,
                                                                      std::size_t via,
                                                                      const std::string& value) {
  auto cut = std::make_shared<bool>(true);
  c.set_frame_filter([cut](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    return *cut && from == 1 && to != 1 &&
           (frame_is(frame, "gum_apply") || frame_is(frame, "db_snapshot"));
  });
  const auto id =
      c.api_async(via, "PUT", "/groups/G/properties", {{"properties", {{"Description", value}}}});
  c.advance(20);
  c.freeze(3);
  require_view(c, {1, 2}, 3000, "node1 and node2 without node3");
  return {cut, id};
}

}  // namespace

TEST_CASE("a request lost on a link that comes back within the window is sent again",
          "[multinode][gum]") {
  fake_cluster c;
  form(c);
  make_group(c, 1);
  const auto epoch = c.core(2).view_epoch();
  // node2 is cut off from the locker for 200 ms (no regroup: that needs 500 ms of silence),
  // long enough for its request to vanish.
  c.partition({{1, 3}, {2}});
  const auto id = c.api_async(2, "PUT", "/groups/G/properties",
                              {{"properties", {{"Description", "after the cut"}}}});
  c.advance(200);
  c.heal();
  const bool answered =
      c.run_until([&] { return c.find_response(2, id) != nullptr; }, 3 * window_ms);
  require_state(c, answered, "node2's write answered after the link came back");
  CHECK(c.response(2, id)->status == 200);
  CHECK(c.core(2).view_epoch() == epoch);  // the view stayed: the resend did it, not a regroup
  for (std::size_t n = 1; n <= 3; ++n)
    CHECK(description_on(c, n) == "after the cut");
  require_settled(c, {1, 2, 3}, 2000, "one database");
  check_safety(c);
}

TEST_CASE("a lost answer is given again when the request comes again", "[multinode][gum]") {
  fake_cluster c;
  form(c);
  make_group(c, 1);
  const auto dropped = lose_first(c, 1, 2, "gum_done");
  const auto id = c.api_async(2, "PUT", "/groups/G/properties",
                              {{"properties", {{"Description", "answered twice"}}}});
  const bool answered =
      c.run_until([&] { return c.find_response(2, id) != nullptr; }, 3 * window_ms);
  require_state(c, *dropped && answered, "node2's write answered after its first answer was lost");
  CHECK(c.response(2, id)->status == 200);
  for (std::size_t n = 1; n <= 3; ++n)
    CHECK(description_on(c, n) == "answered twice");
  require_settled(c, {1, 2, 3}, 2000, "one database, the update applied once");
  check_safety(c);
}

TEST_CASE("a request sent again is not answered before every member has the first on disk",
          "[multinode][gum]") {
  fake_cluster c;
  form(c);
  make_group(c, 1);
  // node3 hears the locker's updates but its acknowledgements are lost: its heartbeats still
  // come, so no regroup takes it out of the view.
  bool lose_acks = true;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    return lose_acks && from == 3 && to == 1 && frame_is(frame, "gum_ack");
  });
  const auto epoch = c.core(2).view_epoch();
  const auto id = c.api_async(2, "PUT", "/groups/G/properties",
                              {{"properties", {{"Description", "durable everywhere"}}}});
  // node2 sends its request again after a window; the locker still waits for node3's answer
  // and must not take the copy for one already done.
  c.advance(3 * window_ms);
  require_state(c, c.core(2).view_epoch() == epoch, "the view stayed");
  require_state(c, c.find_response(2, id) == nullptr,
                "no answer while node3's acknowledgement is missing");
  lose_acks = false;
  const bool answered =
      c.run_until([&] { return c.find_response(2, id) != nullptr; }, 3 * window_ms);
  require_state(c, answered, "answered once node3 acknowledged");
  CHECK(c.response(2, id)->status == 200);
  CHECK(description_on(c, 3) == "durable everywhere");
  check_safety(c);
}

TEST_CASE("one node's updates apply in the order it sent them when the first is sent again",
          "[multinode][gum]") {
  fake_cluster c;
  form(c);
  make_group(c, 1);
  // node2's first request is lost, its second is not: the locker must not apply the second
  // first and the first a window later (the group would end with the older Description).
  require_second_write_wins(c, {2, 1, "gum_req"}, "first", "second");
}

TEST_CASE("a request answered without a change gets the same answer when it comes again",
          "[multinode][gum]") {
  fake_cluster c;
  form(c);
  make_group(c, 1);
  require_api(c, 2, "PUT", "/groups/G/properties", {{"properties", {{"Description", "A"}}}}, {200});
  // node2 writes "A" again (nothing to do: answered at once) and that answer is lost; then it
  // writes "B". Its first request comes again a window later: evaluated afresh it would write
  // "A" over "B".
  require_second_write_wins(c, {1, 2, "gum_done"}, "A", "B");
}

TEST_CASE("a node taking the database from a member that left stops waiting for it",
          "[multinode][gum]") {
  fake_cluster c;
  form(c);
  make_group(c, 1);
  // node1 (the locker) applies an update the others never get, and node2, told to take
  // node1's newer database when node3 froze, never gets it either. Then node1 crashes: node2
  // and node3, alike, form a view and must go on ordering updates.
  const auto [cut, id] = write_on_locker_alone(c, 1, "only on 1");
  (void)id;
  c.advance(100);
  c.crash(1);
  c.thaw(3);
  *cut = false;
  require_view(c, {2, 3}, 5000, "node2 and node3");
  const auto r = c.api_wait(2, "PUT", "/groups/G/properties",
                            {{"properties", {{"Description", "after"}}}}, 3000);
  INFO(r.body.dump());
  CHECK(r.status == 200);
  CHECK(description_on(c, 3) == "after");
}

TEST_CASE("after a view change an applied request is answered once every member has it",
          "[multinode][gum]") {
  fake_cluster c;
  form(c);
  make_group(c, 1);
  // node2's write is applied by the locker alone (its updates to node2 and node3 are lost);
  // node3 freezes, and node2, in the new view with node1, must take node1's database, whose
  // copies are lost too. node2 sends its request again; node1 finds it applied, but may not
  // say so while node2 lacks it: a crash of node1 then would lose it.
  const auto [cut, id] = write_on_locker_alone(c, 2, "on node1 only");
  c.advance(3 * window_ms);
  require_state(c, c.find_response(2, id) == nullptr,
                "no answer while node2 lacks node1's database");
  CHECK(description_on(c, 2) != "on node1 only");
  *cut = false;
  const bool answered =
      c.run_until([&] { return c.find_response(2, id) != nullptr; }, 3 * window_ms);
  require_state(c, answered, "answered once node2 has the database");
  CHECK(c.response(2, id)->status == 200);
  CHECK(description_on(c, 2) == "on node1 only");
  c.thaw(3);
}

TEST_CASE("a refused request sent again to the next locker gets the refusal", "[multinode][gum]") {
  // node2 becomes the locker after node1: as the origin it orders its own copy, as node3's
  // locker it answers the copy node3 sends it.
  for (const std::size_t origin : {std::size_t{2}, std::size_t{3}}) {
    CAPTURE(origin);
    fake_cluster c;
    form(c);
    make_group(c, origin);  // G's owner: the dependencies are proposed by `origin`
    for (const char* name : {"R3", "P"})
      require_api(c, origin, "POST", "/resources",
                  {{"name", name}, {"group", "G"}, {"type", "Dummy"}}, {201});
    // Every refusal node1 sends `origin` is lost, copies included.
    c.set_frame_filter([origin](std::size_t from, std::size_t to, const nlohmann::json& frame) {
      return from == 1 && to == origin && frame_is(frame, "gum_done") && !frame.value("ok", true);
    });
    // P -> R3 and R3 -> P, asked together, both pass the origin's check; the locker orders
    // P -> R3 first and refuses R3 -> P (a cycle). Then P -> R3 is removed: evaluated after
    // that, R3 -> P would be applied after a request its origin made later.
    const auto kept =
        c.api_async(origin, "POST", "/resources/P/dependencies", {{"provider", "R3"}});
    const auto refused =
        c.api_async(origin, "POST", "/resources/R3/dependencies", {{"provider", "P"}});
    require_state(c, c.run_until([&] { return c.find_response(origin, kept) != nullptr; }, 2000),
                  "P -> R3 answered");
    REQUIRE(c.response(origin, kept)->status == 201);
    require_api(c, origin, "DELETE", "/resources/P/dependencies/R3", nullptr, {204});
    REQUIRE(c.find_response(origin, refused) == nullptr);
    // node1 crashes: the refusal must come from node2 now.
    c.crash(1);
    require_state(c,
                  c.run_until([&] { return c.find_response(origin, refused) != nullptr; },
                              4 * window_ms + 2000),
                  "R3 -> P answered by node2");
    const auto answer = *c.response(origin, refused);
    INFO(answer.body.dump());
    CHECK(answer.status != 201);
    CHECK(answer.body.dump().find("would make a cycle") != std::string::npos);
    require_settled(c, {2, 3}, 3000, "node2 and node3, one database");
    for (std::size_t n = 2; n <= 3; ++n) {
      const auto deps = c.api(n, "GET", "/resources/R3/dependencies").body;
      CHECK(deps.value("dependencies", nlohmann::json::array()).empty());
    }
    check_safety(c);
  }
}

TEST_CASE("a request answered without a change gets that answer from the next locker",
          "[multinode][gum]") {
  fake_cluster c;
  form(c);
  make_group(c, 1);
  require_api(c, 3, "PUT", "/groups/G/properties", {{"properties", {{"Description", "A"}}}}, {200});
  // node3 writes "A" again (nothing to do: node1 answers at once, alone in its gum_done) and
  // every copy of that answer is lost; then it writes "B". node1 crashes before node3 hears of
  // "A": evaluated again by node2, it would write "A" over "B".
  c.set_frame_filter([](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    return from == 1 && to == 3 && frame_is(frame, "gum_done") && frame.contains("rid");
  });
  const auto again =
      c.api_async(3, "PUT", "/groups/G/properties", {{"properties", {{"Description", "A"}}}});
  c.advance(5);
  require_api(c, 3, "PUT", "/groups/G/properties", {{"properties", {{"Description", "B"}}}}, {200});
  REQUIRE(c.find_response(3, again) == nullptr);
  c.crash(1);
  require_state(
      c, c.run_until([&] { return c.find_response(3, again) != nullptr; }, 4 * window_ms + 2000),
      "the first write answered by node2");
  CHECK(c.response(3, again)->status == 200);
  require_settled(c, {2, 3}, 3000, "node2 and node3, one database");
  for (std::size_t n = 2; n <= 3; ++n)
    CHECK(description_on(c, n) == "B");
  check_safety(c);
}

TEST_CASE("a request sent again to a locker that restarted since is not applied twice",
          "[multinode][gum]") {
  fake_cluster c;
  form(c);
  // node3's creation applies everywhere but its answer is lost, and node3's copies sent to
  // node2 (the locker while node1 is away) are lost too: the copy that arrives goes to node1
  // restarted, which remembers nothing of it but its database.
  bool cut = true;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    return cut && ((from == 1 && to == 3 && frame_is(frame, "gum_done")) ||
                   (from == 3 && to == 2 && frame_is(frame, "gum_req")));
  });
  const auto create = c.api_async(3, "POST", "/groups", {{"name", "Twice"}});
  require_state(c,
                c.run_until(
                    [&] {
                      for (std::size_t n = 1; n <= 3; ++n) {
                        if (c.api(n, "GET", "/groups/Twice").status != 200)
                          return false;
                      }
                      return true;
                    },
                    2000),
                "the creation applies everywhere");
  REQUIRE(c.find_response(3, create) == nullptr);
  // Deleted afterwards (acknowledged), then the locker restarts on its disk.
  require_api(c, 2, "DELETE", "/groups/Twice", nullptr, {204});
  c.crash(1);
  c.restart(1);
  require_settled(c, {1, 2, 3}, 5000, "node1 back, the locker again");
  cut = false;
  require_state(c, c.run_until([&] { return c.find_response(3, create) != nullptr; }, 5000),
                "the creation is answered");
  CHECK(c.find_response(3, create)->status == 201);
  c.advance(500);
  for (std::size_t n = 1; n <= 3; ++n) {
    INFO("node" << n);
    CHECK(c.api(n, "GET", "/groups/Twice").status == 404);
  }
  // What GUM records of its answers is not a client's to write.
  for (const auto* name : {"GumApplied.3.1", "gumrefused.3.1"}) {
    const auto put =
        c.api_wait(2, "PUT", "/registry/values",
                   {{"key", ""}, {"name", name}, {"value", {{"type", "QWORD"}, {"value", 1}}}});
    CHECK(put.body["error"]["code"] == 5);  // ERROR_ACCESS_DENIED
  }
  check_safety(c);
}

TEST_CASE("a refused request sent again to a locker that restarted since gets the refusal",
          "[multinode][gum]") {
  fake_cluster c;
  form(c);
  make_group(c, 3);
  for (const char* name : {"R3", "P"})
    require_api(c, 3, "POST", "/resources", {{"name", name}, {"group", "G"}, {"type", "Dummy"}},
                {201});
  // node1's refusals to node3 are lost, and node3's copies to node2 (the locker while node1 is
  // away): the copy that arrives goes to node1 restarted, which has only its database.
  bool cut = true;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    return cut &&
           ((from == 1 && to == 3 && frame_is(frame, "gum_done") && !frame.value("ok", true)) ||
            (from == 3 && to == 2 && frame_is(frame, "gum_req")));
  });
  const auto kept = c.api_async(3, "POST", "/resources/P/dependencies", {{"provider", "R3"}});
  const auto refused = c.api_async(3, "POST", "/resources/R3/dependencies", {{"provider", "P"}});
  require_state(c, c.run_until([&] { return c.find_response(3, kept) != nullptr; }, 2000),
                "P -> R3 answered");
  REQUIRE(c.response(3, kept)->status == 201);
  require_api(c, 3, "DELETE", "/resources/P/dependencies/R3", nullptr, {204});
  REQUIRE(c.find_response(3, refused) == nullptr);
  c.crash(1);
  c.restart(1);
  require_settled(c, {1, 2, 3}, 5000, "node1 back, the locker again");
  cut = false;
  require_state(c, c.run_until([&] { return c.find_response(3, refused) != nullptr; }, 5000),
                "R3 -> P answered");
  const auto answer = *c.response(3, refused);
  INFO(answer.body.dump());
  CHECK(answer.status != 201);
  CHECK(answer.body.dump().find("would make a cycle") != std::string::npos);
  for (std::size_t n = 1; n <= 3; ++n) {
    const auto deps = c.api(n, "GET", "/resources/R3/dependencies").body;
    CHECK(deps.value("dependencies", nlohmann::json::array()).empty());
  }
  check_safety(c);
}

TEST_CASE("an own request taken with a database runs its effect only while the database holds it",
          "[multinode][gum]") {
  // Seed 400769 (3 nodes, witness): the owner's offline reached it in a database it took, with
  // a later online from another node applied after; the offline's answer came last, and its
  // effect took the group offline against PersistentState = 1.
  fake_cluster c;
  form(c);
  make_group_online_on(c, 2);
  const auto gid = c.api(1, "GET", "/groups/G").body["id"].get<std::string>();
  std::vector<std::string> rids;
  for (const auto* name : {"R1", "R2"})
    rids.push_back(
        c.api(1, "GET", std::string("/resources/") + name).body["id"].get<std::string>());
  // node2 never gets the locker's order of its offline: it takes it with a database. And
  // node3's next request is caught on its way to the locker.
  bool order_lost = false;
  nlohmann::json from_node3;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    if (!order_lost && from == 1 && to == 2 && frame_is(frame, "gum_apply"))
      return order_lost = true;
    if (from_node3.is_null() && from == 3 && to == 1 && frame_is(frame, "gum_req")) {
      from_node3 = frame;
      return true;
    }
    return false;
  });
  const auto offline = c.api_async(2, "POST", "/groups/G/offline");
  require_state(c, c.run_until([&] { return order_lost; }, 1000), "the offline's order is lost");
  // Then another node's online of G, ordered after the offline (as a node that did not see
  // node2 in its view sends it: the update, not a forwarded request): node3's request, its
  // ops made the online's. Its order makes node2 see the gap and take node1's database.
  const auto write = c.api_async(3, "PUT", "/groups/G/properties",
                                 {{"properties", {{"Description", "soon online"}}}});
  require_state(c, c.run_until([&] { return !from_node3.is_null(); }, 1000),
                "node3's request is caught");
  nlohmann::json ops = nlohmann::json::array();
  auto persistent = [](const std::string& path) {
    return nlohmann::json{{"op", "set_value"},
                          {"path", path},
                          {"name", "PersistentState"},
                          {"value", {{"type", "DWORD"}, {"value", 1}}}};
  };
  ops.push_back(persistent("Groups\\" + gid));
  for (const auto& r : rids)
    ops.push_back(persistent("Resources\\" + r));
  from_node3["ops"] = ops;
  c.node(1).deliver(in_peer_frame{3, std::make_shared<const nlohmann::json>(from_node3)});
  require_state(c, c.run_until([&] { return c.find_response(2, offline) != nullptr; }, 3000),
                "the offline is answered");
  CHECK(c.node(2).logged("took the database of node 1"));
  require_state(c, c.run_until([&] { return c.find_response(3, write) != nullptr; }, 3000),
                "node3's request is answered");
  require_settled(c, {1, 2, 3}, 2000, "one database");
  for (std::size_t n = 1; n <= 3; ++n)
    CHECK(c.core(n).database().get_dword("Groups\\" + gid, "PersistentState", 7) == 1);
  // The online is the last word: G stays online on node2.
  c.advance(1000);
  CHECK(c.api(2, "GET", "/groups/G").body["state"] == "Online");
  CHECK(c.node(2).logged("its effect here is left to the later one"));
  // node3's own records name its process, not another one's.
  CHECK(c.response(3, write)->status == 200);
  check_safety(c);
}

TEST_CASE("an owner that takes a database follows the PersistentState written in it",
          "[multinode][gum]") {
  // Another node's offline of R2 (as a node that did not see node2 in its view writes it: the
  // update, not a forwarded request) reaches node2 only inside a database it takes. Applied
  // one by one, the update would have taken R2 offline (core_state::applied); taken whole, the
  // change of PersistentState must do the same (the review's case: two own requests taken
  // with a database, the first's effect left out, the second's run, R2 left online).
  fake_cluster c;
  form(c);
  make_group_online_on(c, 2);
  const auto r2 = c.api(1, "GET", "/resources/R2").body["id"].get<std::string>();
  bool order_lost = false;
  nlohmann::json from_node3;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    if (from_node3.is_null() && from == 3 && to == 1 && frame_is(frame, "gum_req")) {
      from_node3 = frame;
      return true;
    }
    if (!from_node3.is_null() && !order_lost && from == 1 && to == 2 &&
        frame_is(frame, "gum_apply"))
      return order_lost = true;
    return false;
  });
  const auto first = c.api_async(3, "PUT", "/groups/G/properties",
                                 {{"properties", {{"Description", "soon R2 offline"}}}});
  require_state(c, c.run_until([&] { return !from_node3.is_null(); }, 1000),
                "node3's request is caught");
  from_node3["ops"] = nlohmann::json::array({{{"op", "set_value"},
                                              {"path", "Resources\\" + r2},
                                              {"name", "PersistentState"},
                                              {"value", {{"type", "DWORD"}, {"value", 0}}}}});
  c.node(1).deliver(in_peer_frame{3, std::make_shared<const nlohmann::json>(from_node3)});
  require_state(c, c.run_until([&] { return order_lost; }, 1000), "its order to node2 is lost");
  // The next update's order shows node2 the gap: it takes node1's database.
  require_api(c, 3, "PUT", "/groups/G/properties", {{"properties", {{"Description", "x"}}}}, {200});
  require_state(c, c.run_until([&] { return c.find_response(3, first) != nullptr; }, 3000),
                "the first is answered");
  CHECK(c.node(2).logged("took the database of node 1"));
  require_settled(c, {1, 2, 3}, 2000, "one database");
  c.advance(1000);
  CHECK(c.api(2, "GET", "/resources/R1").body["state"] == "Online");
  CHECK(c.api(2, "GET", "/resources/R2").body["state"] == "Offline");
  check_safety(c);
}
