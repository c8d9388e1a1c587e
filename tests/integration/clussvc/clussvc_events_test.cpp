// The event stream (GET /events) against the state changes it reports: seq increasing by
// one, every resource's RESOURCE_STATE events forming a chain of legal transitions whose
// `previous` is the state before, GROUP_STATE events consistent with the resource states at
// that point, the last states equal to what GET answers, the replay (?since=) and the node's
// log equal to the live stream.

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "clussvc_fixture.hpp"

using namespace wolfpack::itest;

namespace {

// Resource state transitions a node may report (docs/semantics.md): an online goes through
// OnlinePending, an offline through OfflinePending; failures from anywhere a resource runs;
// a failed resource is restarted (OnlinePending) or taken offline; an offline while
// OnlinePending terminates the resource (Offline).
const std::set<std::pair<std::string, std::string>> legal = {
    {"Offline", "OnlinePending"}, {"OnlinePending", "Online"},
    {"OnlinePending", "Failed"},  {"OnlinePending", "OfflinePending"},
    {"OnlinePending", "Offline"}, {"Online", "OfflinePending"},
    {"Online", "Failed"},         {"OfflinePending", "Offline"},
    {"OfflinePending", "Failed"}, {"Failed", "OnlinePending"},
    {"Failed", "Offline"},        {"Failed", "OfflinePending"},
};

struct stream_check {
  std::vector<std::string> problems;
  void add(const json& e, const std::string& what) { problems.push_back(what + ": " + e.dump()); }
};

// Checks the live stream: `initial` maps each resource and group to its state before the
// first event; `members` maps each group to its resources.
stream_check check_stream(const std::vector<json>& events,
                          std::map<std::string, std::string> resources,
                          std::map<std::string, std::string> groups,
                          const std::map<std::string, std::vector<std::string>>& members) {
  stream_check c;
  std::uint64_t last_seq = 0;
  for (const auto& e : events) {
    const auto seq = e.value("seq", std::uint64_t{0});
    if (last_seq != 0 && seq != last_seq + 1) {
      c.add(e, "seq " + std::to_string(seq) + " after " + std::to_string(last_seq));
    }
    last_seq = seq;
    for (const char* field : {"seq", "kind", "filter", "object", "name", "id", "node", "time"}) {
      if (!e.contains(field)) {
        c.add(e, std::string("no '") + field + "'");
      }
    }
    const std::string kind = e.value("kind", "");
    const std::string name = e.value("name", "");
    if (kind == "RESOURCE_STATE") {
      if (e.value("filter", 0) != 0x100) {
        c.add(e, "RESOURCE_STATE filter");
      }
      auto it = resources.find(name);
      if (it == resources.end()) {
        c.add(e, "an unknown resource");
        continue;
      }
      const std::string prev = e.value("previous", "");
      const std::string state = e.value("state", "");
      if (prev != it->second) {
        c.add(e, "previous is not the last state " + it->second);
      }
      if (!legal.count({it->second, state})) {
        c.add(e, "transition " + it->second + " -> " + state);
      }
      it->second = state;
    } else if (kind == "GROUP_STATE") {
      if (e.value("filter", 0) != 0x1000) {
        c.add(e, "GROUP_STATE filter");
      }
      auto it = groups.find(name);
      if (it == groups.end()) {
        c.add(e, "an unknown group");
        continue;
      }
      const std::string prev = e.value("previous", "");
      const std::string state = e.value("state", "");
      if (prev != it->second) {
        c.add(e, "previous is not the last group state " + it->second);
      }
      if (state == prev) {
        c.add(e, "no change");
      }
      it->second = state;
      // What the group's resources say at this point.
      std::size_t online = 0, offline = 0, failed = 0, pending = 0;
      for (const auto& r : members.at(name)) {
        const std::string& s = resources.at(r);
        online += s == "Online";
        offline += s == "Offline";
        failed += s == "Failed";
        pending += s == "OnlinePending" || s == "OfflinePending";
      }
      const std::size_t n = members.at(name).size();
      if (state == "Online" && online != n) {
        c.add(e, "group Online while not every resource is Online");
      } else if (state == "Offline" && offline != n) {
        c.add(e, "group Offline while not every resource is Offline");
      } else if (state == "Failed" && (failed == 0 || pending != 0)) {
        c.add(e, "group Failed without a Failed resource, or with a pending one");
      } else if (state == "PartialOnline" && (online == 0 || online == n || pending != 0)) {
        c.add(e, "group PartialOnline without a mix of online and not online resources");
      }
    }
  }
  return c;
}

}  // namespace

TEST_CASE("the event stream reports every state change in order", "[clussvc][events]") {
  clussvc_fixture f;
  auto& n = f.node();
  const std::vector<std::string> chain = {"A", "B", "C"};
  create_dummy_chain(n, "G", chain, {"Pending=1", "OnlineDelayMs=50", "OfflineDelayMs=50"});
  create_dummy_chain(n, "H", {"X"});
  // X fails quickly once its fail file exists and is not restarted (RestartAction 0).
  const auto fail_file = f.file("x.fail");
  n.set_private("X", {"FailFile=" + fail_file.string()});
  f.cli_ok({"res", "X", "/prop", "LooksAlivePollInterval=100", "IsAlivePollInterval=100",
            "RestartAction=0"});

  const auto start = n.get("/cluster");
  auto ev = n.events();
  // Online, a failure of the middle resource (restarted by the policy, C with it), offline,
  // and a resource that fails for good.
  f.cli_ok({"group", "G", "/online", "/wait:20"});
  f.cli_ok({"group", "H", "/online", "/wait:20"});
  f.cli_ok({"res", "B", "/fail"});
  REQUIRE(ev.wait_for(resource_state_is("B", "Failed")));
  REQUIRE(ev.wait_for(resource_state_is("B", "Online")));
  CHECK(n.wait_resource_state("C", "Online", 10s));
  CHECK(n.wait_group_state("G", "Online", 10s));
  { std::ofstream touch(fail_file); }
  REQUIRE(ev.wait_for(resource_state_is("X", "Failed")));
  CHECK(n.wait_group_state("H", "Failed", 10s));
  f.cli_ok({"group", "G", "/offline", "/wait:20"});
  REQUIRE(ev.wait_for(group_state_is("G", "Offline")));
  // Nothing else is under way; take what is still in flight.
  const auto end = n.get("/cluster");
  REQUIRE(wait_until(
      [&] {
        ev.drain(100ms);
        return !ev.events().empty() &&
               ev.events().back().value("seq", std::uint64_t{0}) >= end.at("event_seq");
      },
      5s));

  const auto& events = ev.events();
  INFO("events:\n" << ev.dump());
  REQUIRE(!events.empty());
  CHECK(events.front().at("seq") == start.at("event_seq").get<std::uint64_t>() + 1);
  CHECK(events.back().at("seq") == end.at("event_seq"));

  const auto c =
      check_stream(events, {{"A", "Offline"}, {"B", "Offline"}, {"C", "Offline"}, {"X", "Offline"}},
                   {{"G", "Offline"}, {"H", "Offline"}}, {{"G", chain}, {"H", {"X"}}});
  for (const auto& p : c.problems) {
    FAIL_CHECK(p);
  }

  // The failure: B Failed (with a reason), C taken offline (not failed), both back.
  const auto b_failed = find_event(events, resource_state_is("B", "Failed"));
  REQUIRE(b_failed);
  CHECK(!events[*b_failed].value("reason", "").empty());
  CHECK(count_events(events, resource_state_is("C", "Failed")) == 0);
  const auto c_off = find_event(events, resource_state_is("C", "Offline"), *b_failed);
  const auto b_back = find_event(events, resource_state_is("B", "Online"), *b_failed);
  const auto c_back = find_event(events, resource_state_is("C", "Online"), *b_failed);
  REQUIRE(c_off);
  REQUIRE(b_back);
  REQUIRE(c_back);
  CHECK(*c_off < *b_back);
  CHECK(*b_back < *c_back);
  const auto x_failed = find_event(events, resource_state_is("X", "Failed"));
  REQUIRE(x_failed);
  CHECK(!events[*x_failed].value("reason", "").empty());
  CHECK(events[*x_failed].value("group", "") == "H");
  CHECK(count_events(events, resource_state_is("X", "OnlinePending"), *x_failed) == 0);

  // The last reported states are what GET answers.
  for (const std::string r : {"A", "B", "C", "X"}) {
    std::string last;
    for (const auto& e : events) {
      if (e.value("kind", "") == "RESOURCE_STATE" && e.value("name", "") == r) {
        last = e.value("state", "");
      }
    }
    CHECK(n.resource_state(r) == last);
  }
  for (const std::string g : {"G", "H"}) {
    std::string last;
    for (const auto& e : events) {
      if (e.value("kind", "") == "GROUP_STATE" && e.value("name", "") == g) {
        last = e.value("state", "");
      }
    }
    CHECK(n.group_state(g) == last);
    CHECK(n.get("/groups/" + g).at("code") == (last == "Offline"  ? 1
                                               : last == "Failed" ? 2
                                               : last == "Online" ? 0
                                                                  : -1));
  }

  // A late subscriber gets the same events from the retained ones.
  auto replay = n.events(start.at("event_seq").get<std::uint64_t>());
  REQUIRE(wait_until(
      [&] {
        replay.drain(100ms);
        return replay.events().size() >= events.size();
      },
      5s));
  INFO("replay:\n" << replay.dump());
  REQUIRE(replay.events().size() >= events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto live = events[i];
    auto again = replay.events()[i];
    CHECK(again == live);
  }

  // The node's log holds the same events, in the same order (it is flushed within 200 ms).
  const auto last_seq = events.back().at("seq").get<std::uint64_t>();
  std::vector<json> logged;
  CHECK(wait_until([&] {
    logged = logged_events(n.state_dir() / "clussvc.log");
    return find_event(logged,
                      [&](const json& e) { return e.value("seq", std::uint64_t{0}) == last_seq; })
        .has_value();
  }));
  const auto first = find_event(logged, [&](const json& e) {
    return e.value("seq", std::uint64_t{0}) == events.front().at("seq").get<std::uint64_t>();
  });
  REQUIRE(first);
  REQUIRE(logged.size() >= *first + events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(logged[*first + i] == events[i]);
  }
}

TEST_CASE("changes other than states are events too", "[clussvc][events]") {
  clussvc_fixture f;
  auto& n = f.node();
  auto ev = n.events();
  f.cli_ok({"group", "G", "/create"});
  f.cli_ok({"res", "A", "/create", "/group:G", "/type:Dummy"});
  f.cli_ok({"res", "B", "/create", "/group:G", "/type:Dummy"});
  f.cli_ok({"res", "B", "/adddep:A"});
  f.cli_ok({"res", "A", "/prop", "RestartThreshold=3"});
  n.set_private("A", {"OnlineDelayMs=10"});
  f.cli_ok({"res", "B", "/removedep:A"});
  f.cli_ok({"res", "B", "/rename:B2"});
  f.cli_ok({"res", "B2", "/delete"});

  auto kind_is = [](const std::string& kind, const std::string& name) {
    return [kind, name](const json& e) {
      return e.value("kind", "") == kind && e.value("name", "") == name;
    };
  };
  const auto g = ev.wait_for(kind_is("GROUP_ADDED", "G"));
  REQUIRE(g);
  CHECK(g->value("filter", 0) == 0x4000);
  const auto a = ev.wait_for(kind_is("RESOURCE_ADDED", "A"));
  REQUIRE(a);
  CHECK(a->value("filter", 0) == 0x400);
  CHECK(a->value("group", "") == "G");
  REQUIRE(ev.wait_for(kind_is("RESOURCE_ADDED", "B")));
  const auto dep = ev.wait_for([](const json& e) { return e.contains("dependency_added"); });
  REQUIRE(dep);
  CHECK(dep->value("name", "") == "B");
  CHECK(dep->value("dependency_added", "") == "A");
  const auto prop = ev.wait_for(kind_is("RESOURCE_PROPERTY", "A"));
  REQUIRE(prop);
  CHECK(prop->value("filter", 0) == 0x800);
  const auto priv = ev.wait_for(kind_is("RESOURCE_PROPERTY", "A"));
  REQUIRE(priv);
  CHECK(priv->value("private", false));
  const auto removed = ev.wait_for([](const json& e) { return e.contains("dependency_removed"); });
  REQUIRE(removed);
  CHECK(removed->value("dependency_removed", "") == "A");
  const auto renamed = ev.wait_for([](const json& e) { return e.contains("previous_name"); });
  REQUIRE(renamed);
  CHECK(renamed->value("name", "") == "B2");
  CHECK(renamed->value("previous_name", "") == "B");
  const auto deleted = ev.wait_for(kind_is("RESOURCE_DELETED", "B2"));
  REQUIRE(deleted);
  CHECK(deleted->value("filter", 0) == 0x200);
  INFO("events:\n" << ev.dump());
  const auto& all = ev.events();
  for (std::size_t i = 1; i < all.size(); ++i) {
    CHECK(all[i].at("seq").get<std::uint64_t>() == all[i - 1].at("seq").get<std::uint64_t>() + 1);
  }
}
