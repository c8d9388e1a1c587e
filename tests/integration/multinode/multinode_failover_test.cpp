// Groups across nodes: failover after a crash, a freeze and a partition (with the shared call
// log proving that the old owner made no call into a resource after the new owner started it),
// a move, and placement by preferred owners.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "multinode_fixture.hpp"

using namespace wolfpack::itest;
using clock_type = std::chrono::steady_clock;

namespace {

const std::vector<std::string> chain = {"R1", "R2", "R3"};  // R3 on R2 on R1

double ms_between(std::int64_t from_ns, std::int64_t to_ns) {
  return static_cast<double>(to_ns - from_ns) / 1e6;
}

std::vector<std::string> others(const multinode_cluster& c, const std::string& name) {
  auto all = c.names();
  all.erase(std::remove(all.begin(), all.end(), name), all.end());
  return all;
}

// Creates G (R1 <- R2 <- R3, logging into `log`) on `owner` and brings it online there.
void online_group_on(multinode_cluster& c, const std::string& owner,
                     const std::filesystem::path& log) {
  create_dummy_group(c.node(owner), "G", chain, log);
  api_ok(c.node(owner), "POST", "/groups/G/online", json::object());
  REQUIRE(c.wait_group_online("G", c.names()) == owner);
  REQUIRE(c.wait_one_view(c.names()));
}

// A bystander: group B (resource B1, logging into `log`) online on `owner`, a node that
// stays up while another fails.
void online_bystander_on(multinode_cluster& c, const std::string& owner,
                         const std::filesystem::path& log) {
  create_dummy_group(c.node(owner), "B", {"B1"}, log);
  api_ok(c.node(owner), "POST", "/groups/B/online", json::object());
  REQUIRE(c.wait_group_online("B", c.names()) == owner);
  REQUIRE(c.wait_one_view(c.names()));
}

// A node that stayed in the majority kept its own group running: no Terminate or Offline of
// B1 since `since_ns`, and B still Online there.
void check_bystander(multinode_cluster& c, const std::string& owner,
                     const std::filesystem::path& log, std::int64_t since_ns,
                     const std::vector<std::string>& observers) {
  const auto calls = read_call_log(log);
  const auto terminate = first_call(calls, owner, "B1", "Terminate", since_ns);
  const auto offline = first_call(calls, owner, "B1", "Offline", since_ns);
  INFO("calls:\n" << dump_calls(calls, false));
  INFO(c.describe_group("B"));
  CHECK_FALSE(terminate);
  CHECK_FALSE(offline);
  CHECK(c.wait_group_online("B", observers, {}, 5s) == owner);
}

// After the new owner's first call into each resource (of any kind: its Open, if it opened the
// resource for the failover, counts), the old owner's node made no call into it but
// Terminate, Offline or Close. Returns the new owner's first Online into R1.
std::int64_t check_no_split_brain(const std::filesystem::path& log_path,
                                  const std::string& old_owner, const std::string& new_owner,
                                  std::int64_t since_ns) {
  const auto log = read_call_log(log_path);
  INFO("call log:\n" << dump_calls(log, false));
  std::int64_t r1_online = 0;
  for (const auto& r : chain) {
    INFO("resource " << r);
    const auto online = first_call(log, new_owner, r, "Online", since_ns);
    REQUIRE(online);
    if (r == "R1") {
      r1_online = online->at("mono_ns").get<std::int64_t>();
    }
    const auto first = first_call(log, new_owner, r, "", since_ns);
    REQUIRE(first);
    const auto bad = calls_after_loss(log, old_owner, r, first->at("mono_ns").get<std::int64_t>());
    INFO("calls from " << old_owner << " after " << new_owner << "'s first call ("
                       << first->value("entry", "") << "):\n"
                       << dump_calls(bad));
    CHECK(bad.empty());
  }
  return r1_online;
}

// What a freeze and thaw of G's owner did.
struct freeze_run {
  std::string new_owner;
  std::int64_t frozen_ns = 0;
  std::int64_t thawed_ns = 0;
  long long online_ms = 0;    // SIGSTOP to G Online on another node (both survivors agree)
  long long rejoined_ms = 0;  // SIGCONT to one view of 3 with the same database
};

// True once `node` made `count` LooksAlive calls into R1 after `after_ns`: enough time for a
// node that still believed it ran R1 to have polled it too (every resource polls each 100 ms).
bool wait_polls(const std::filesystem::path& log, const std::string& node, std::int64_t after_ns,
                int count = 5) {
  return wait_until(
      [&] {
        const auto calls = read_call_log(log);
        return std::count_if(calls.begin(), calls.end(), [&](const json& l) {
                 return l.value("node", "") == node && l.value("resource", "") == "R1" &&
                        l.value("entry", "") == "LooksAlive" &&
                        l.value("mono_ns", std::int64_t{0}) > after_ns;
               }) >= count;
      },
      10s);
}

// Freezes `owner` (SIGSTOP of its clussvc and monitors at once) until G is Online on another
// node, thaws it, and waits until the three nodes are one view again and the new owner has
// polled R1 a few times since the thaw.
freeze_run freeze_owner_until_failover(multinode_cluster& c, const std::string& owner,
                                       const std::filesystem::path& log) {
  freeze_run run;
  run.frozen_ns = mono_now_ns();
  const auto frozen = clock_type::now();
  c.freeze(owner);
  run.new_owner = c.wait_group_online("G", others(c, owner), {owner});
  run.online_ms = ms_since(frozen);
  REQUIRE_FALSE(run.new_owner.empty());

  run.thawed_ns = mono_now_ns();
  const auto thawed = clock_type::now();
  c.thaw(owner);
  const bool rejoined = c.wait_one_view(c.names());
  run.rejoined_ms = ms_since(thawed);
  INFO(c.describe_views());
  REQUIRE(rejoined);
  CHECK(wait_polls(log, run.new_owner, run.thawed_ns));
  return run;
}

// What a partition {node1,node2}|{node3} and its heal did.
struct partition_run {
  std::string new_owner;
  std::int64_t cut_ns = 0;
  long long online_ms = 0;            // cut to G Online on node1 or node2 (both agree)
  long long minority_stopped_ms = 0;  // cut to node3's Terminate/Offline of R1..R3
  long long healed_ms = 0;            // heal to one view of 3 with the same database
};

// With G on node3: cuts node3 off, waits until G is Online in the majority and node3 has
// stopped its resources, heals, and waits until the three nodes are one view again.
partition_run partition_owner_away_and_heal(multinode_cluster& c,
                                            const std::filesystem::path& log) {
  partition_run run;
  run.cut_ns = mono_now_ns();
  const auto cut = clock_type::now();
  c.set_faults("node1", {"node3"});
  c.set_faults("node2", {"node3"});
  c.set_faults("node3", {"node1", "node2"});

  run.new_owner = c.wait_group_online("G", {"node1", "node2"}, {"node3"});
  run.online_ms = ms_since(cut);
  REQUIRE_FALSE(run.new_owner.empty());
  CHECK(c.wait_one_view({"node1", "node2"}));
  // The minority stopped its resources: a Terminate or Offline of each on node3.
  CHECK(wait_until(
      [&] {
        const auto calls = read_call_log(log);
        return std::all_of(chain.begin(), chain.end(), [&](const std::string& r) {
          return first_call(calls, "node3", r, "Terminate", run.cut_ns) ||
                 first_call(calls, "node3", r, "Offline", run.cut_ns);
        });
      },
      10s));
  run.minority_stopped_ms = ms_since(cut);

  const auto healing = clock_type::now();
  for (const auto& n : c.names()) {
    c.set_faults(n, {});
  }
  const bool healed = c.wait_one_view(c.names());
  run.healed_ms = ms_since(healing);
  INFO(c.describe_views());
  REQUIRE(healed);
  CHECK(wait_polls(log, run.new_owner, mono_now_ns()));
  return run;
}

}  // namespace

// No commas or semicolons in test names: ctest runs each test by its name.
TEST_CASE("kill -9 of a group's owner brings the group online on a survivor", "[multinode]") {
  // Both cases: an ordinary member, and node1 (the regroup coordinator and GUM locker).
  const std::string owner = GENERATE(as<std::string>{}, "node2", "node1");
  INFO("owner " << owner);
  multinode_cluster c(3);
  const auto log = c.file("calls.log");
  online_group_on(c, owner, log);
  const auto survivors = others(c, owner);
  const auto bystander = survivors.back();
  online_bystander_on(c, bystander, log);

  const auto killed_ns = mono_now_ns();
  const auto killed = clock_type::now();
  c.kill(owner);
  const auto new_owner = c.wait_group_online("G", survivors, {owner});
  const auto online_ms = ms_since(killed);
  REQUIRE_FALSE(new_owner.empty());  // and both survivors name the same owner

  const auto r3 = first_call(read_call_log(log), new_owner, "R3", "Online", killed_ns);
  REQUIRE(r3);
  WARN("kill -9 of " << owner << ": G Online on " << new_owner << " after " << online_ms
                     << " ms (GET polled every 20 ms); Online call into R3 at +"
                     << ms_between(killed_ns, r3->at("mono_ns").get<std::int64_t>()) << " ms");

  CHECK(c.wait_one_view(survivors));
  // The killed node's monitors terminated their resources and ended by themselves.
  CHECK(c.wait_killed_monitors_gone());
  check_no_split_brain(log, owner, new_owner, killed_ns);
  check_bystander(c, bystander, log, killed_ns, survivors);

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}

TEST_CASE("a frozen owner loses its group and once thawed rejoins without touching its resources",
          "[multinode]") {
  // Both cases: an ordinary member, and node1 (the regroup coordinator and GUM locker).
  const std::string owner = GENERATE(as<std::string>{}, "node2", "node1");
  INFO("owner " << owner);
  multinode_cluster c(3);
  const auto log = c.file("calls.log");
  online_group_on(c, owner, log);

  const auto run = freeze_owner_until_failover(c, owner, log);
  const auto r1_online = check_no_split_brain(log, owner, run.new_owner, run.frozen_ns);
  const auto terminate = first_call(read_call_log(log), owner, "R1", "Terminate", run.thawed_ns);
  WARN("freeze of " << owner << ": G Online on " << run.new_owner << " " << run.online_ms
                    << " ms after the SIGSTOP (Online call into R1 at +"
                    << ms_between(run.frozen_ns, r1_online) << " ms); thawed " << owner
                    << " back in one view of 3 after " << run.rejoined_ms
                    << " ms; its Terminate of R1 "
                    << (terminate ? "at +" +
                                        std::to_string(ms_between(
                                            run.thawed_ns,
                                            terminate->at("mono_ns").get<std::int64_t>())) +
                                        " ms after the thaw"
                                  : std::string("not logged")));
  // Where the group is now shown is checked by the next test.

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}

TEST_CASE("a freeze of one node leaves the others' groups running and the thawed node up to date",
          "[multinode]") {
  multinode_cluster c(3);
  const auto log = c.file("calls.log");
  online_group_on(c, "node2", log);
  online_bystander_on(c, "node3", log);

  const auto run = freeze_owner_until_failover(c, "node2", log);
  check_no_split_brain(log, "node2", run.new_owner, run.frozen_ns);

  // node3 renews its lease on node1's word alone (a quorum with itself) while node2 is
  // frozen and through the regroup: B1, which nobody asked to stop, keeps running.
  check_bystander(c, "node3", log, run.frozen_ns, c.names());

  // The thawed node learns the states of the groups others own, and nobody takes the states
  // node2 publishes before it notices it was removed.
  const auto owner_after = c.wait_group_online("G", c.names(), {}, 10s);
  INFO(c.describe_group("G"));
  CHECK(owner_after == run.new_owner);

  // One epoch, one membership: the thawed node2 may coordinate a round of the same number
  // node1 already used, but never installs other members under its epoch.
  INFO(c.conflicting_epochs());
  CHECK(c.conflicting_epochs().empty());

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}

TEST_CASE(
    "a partition 2|1 stops the minority's group and runs it in the majority and a heal joins them",
    "[multinode]") {
  multinode_cluster c(3);
  const auto log = c.file("calls.log");
  online_group_on(c, "node3", log);

  const auto run = partition_owner_away_and_heal(c, log);
  const auto r1_online = check_no_split_brain(log, "node3", run.new_owner, run.cut_ns);
  WARN("partition {node1,node2}|{node3}: G Online on "
       << run.new_owner << " after " << run.online_ms << " ms (Online call into R1 at +"
       << ms_between(run.cut_ns, r1_online) << " ms), node3's resources terminated after "
       << run.minority_stopped_ms << " ms; heal: one view of 3 with the same database after "
       << run.healed_ms << " ms");
  // Where the group is shown after the heal is checked by the next test.

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}

TEST_CASE("a partition leaves the majority's own groups running and the healed node up to date",
          "[multinode]") {
  multinode_cluster c(3);
  const auto log = c.file("calls.log");
  online_group_on(c, "node3", log);
  online_bystander_on(c, "node2", log);

  const auto run = partition_owner_away_and_heal(c, log);
  check_no_split_brain(log, "node3", run.new_owner, run.cut_ns);

  // node2 renews its lease on node1's word while node3 is cut off: B1 keeps running.
  check_bystander(c, "node2", log, run.cut_ns, c.names());

  // The healed node3 shows G where the new owner runs it.
  const auto owner_after = c.wait_group_online("G", c.names(), {}, 10s);
  INFO(c.describe_group("G"));
  CHECK(owner_after == run.new_owner);

  INFO(c.conflicting_epochs());
  CHECK(c.conflicting_epochs().empty());

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}

TEST_CASE("a move asked of a node that is not the owner brings the group online on the target",
          "[multinode]") {
  multinode_cluster c(3);
  const auto log = c.file("calls.log");
  online_group_on(c, "node1", log);

  const auto moving_ns = mono_now_ns();
  const auto moving = clock_type::now();
  const auto r = c.node("node2").api("POST", "/groups/G/move", json{{"node", "node3"}});
  const auto answered_ms = ms_since(moving);
  INFO(r.body.dump());
  REQUIRE(r.status == 200);
  CHECK(r.body.value("owner", "") == "node3");
  CHECK(c.wait_group_online("G", c.names()) == "node3");
  WARN("move node1 -> node3 asked of node2: answered after "
       << answered_ms << " ms, Online on node3 everywhere after " << ms_since(moving) << " ms");

  // Offline on node1 first (dependents first), then Online on node3: never both.
  const auto calls = read_call_log(log);
  INFO(dump_calls(calls, false));
  for (const auto& res : chain) {
    INFO("resource " << res);
    const auto offline = first_call(calls, "node1", res, "Offline", moving_ns);
    const auto online = first_call(calls, "node3", res, "Online", moving_ns);
    REQUIRE(offline);
    REQUIRE(online);
    CHECK(offline->at("mono_ns").get<std::int64_t>() < online->at("mono_ns").get<std::int64_t>());
    CHECK(calls_after_loss(calls, "node1", res, online->at("mono_ns").get<std::int64_t>()).empty());
  }

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}

TEST_CASE("after its owner is killed a group goes to its first preferred owner that is up",
          "[multinode]") {
  const auto preferred = GENERATE(std::vector<std::string>{"node2", "node3"},
                                  std::vector<std::string>{"node3", "node2"});
  INFO("preferred owners " << preferred[0] << ", " << preferred[1]);
  multinode_cluster c(3);
  online_group_on(c, "node1", c.file("calls.log"));
  api_ok(c.node("node2"), "PUT", "/groups/G/owners", json{{"nodes", preferred}});
  REQUIRE(c.wait_one_view(c.names()));
  CHECK(api_ok(c.node("node3"), "GET", "/groups/G/owners").at("nodes") == json(preferred));

  const auto killed = clock_type::now();
  c.kill("node1");
  const auto new_owner = c.wait_group_online("G", {"node2", "node3"}, {"node1"});
  CHECK(new_owner == preferred[0]);
  WARN("kill -9 of node1 (the locker), preferred owners "
       << preferred[0] << ", " << preferred[1] << ": G Online on " << new_owner << " after "
       << ms_since(killed) << " ms");
  CHECK(c.wait_killed_monitors_gone());

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}

namespace {

// This process's local hour: the same clock the nodes' runtimes feed their cores.
int local_hour_now() {
  const std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  return local.tm_hour;
}

void set_failback_window(multinode_cluster& c, int start, int end) {
  api_ok(c.node("node3"), "PUT", "/groups/G/properties",
         json{{"properties", {{"FailbackWindowStart", start}, {"FailbackWindowEnd", end}}}});
}

}  // namespace

TEST_CASE("failback with real nodes: outside its window the group stays, inside it returns",
          "[multinode][failback]") {
  multinode_cluster c(3);
  online_group_on(c, "node1", c.file("calls.log"));
  api_ok(c.node("node2"), "PUT", "/groups/G/owners", json{{"nodes", {"node1", "node2"}}});
  api_ok(c.node("node2"), "PUT", "/groups/G/properties",
         json{{"properties", {{"AutoFailbackType", 1}}}});
  // Hours h+2 .. h+3: not now, nor in the next hour should the clock turn during the test.
  const int h = local_hour_now();
  set_failback_window(c, (h + 2) % 24, (h + 3) % 24);
  std::map<std::string, std::string> peer;
  for (const auto& n : c.names())
    peer[n] = c.node(n).peer_address();

  // node1 stops: G goes to its next preferred owner.
  REQUIRE(c.node("node1").stop().success());
  REQUIRE(c.wait_group_online("G", {"node2", "node3"}, {"node1"}) == "node2");

  // node1 is back, outside the window: G stays on node2 (checked for a while after the view
  // that could have moved it).
  c.start("node1", std::nullopt, peer["node1"]);
  REQUIRE(c.wait_one_view(c.names(), 60s));
  const auto back = clock_type::now();
  while (clock_type::now() - back < 3s) {
    const auto g = c.group("node3", "G");
    REQUIRE(g);
    INFO(c.describe_group("G"));
    REQUIRE(g->owner == "node2");
    std::this_thread::sleep_for(100ms);
  }

  // Hours h-1 .. h+1: now. The next membership change (node3 restarts) brings it back.
  set_failback_window(c, (h + 23) % 24, (h + 2) % 24);
  REQUIRE(c.node("node3").stop().success());
  REQUIRE(c.wait_one_view({"node1", "node2"}, 30s));
  CHECK(c.wait_group_online("G", {"node1", "node2"}, {"node2"}) == "node1");
  // The old owner says why it moved the group (logs are flushed on a timer).
  CHECK(wait_until(
      [&] {
        return read_file(c.node("node2").state_dir() / "clussvc.log")
                   .find("failback: the group returns to node node1") != std::string::npos;
      },
      10s));
  c.start("node3", std::nullopt, peer["node3"]);
  REQUIRE(c.wait_one_view(c.names(), 60s));

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}
