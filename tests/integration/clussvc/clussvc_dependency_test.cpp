// A chain of Dummy resources (C depends on B depends on A): online bottom-up, offline
// top-down, through the CLI, the event stream and the Dummy's call log; and the same order
// when the node is told to stop (SIGTERM), which leaves PersistentState as it was.

#include <catch2/catch.hpp>

#include <functional>
#include <limits>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "clussvc_fixture.hpp"

using namespace wolfpack::itest;

namespace {

const std::vector<std::string> chain = {"A", "B", "C"};

// The CLI's status row of one object: "NAME   node1   Status" (any spacing).
bool has_row(const std::string& out, const std::string& name, const std::string& status) {
  const std::regex row("(^|\n)" + name + " +(\\S+ +)*node1 +" + status + "(\n|$)");
  return std::regex_search(out, row);
}

// The seq of the first event matching, or a huge number when there is none (so that a
// missing event fails the order checks instead of passing them).
std::uint64_t seq_of(const std::vector<json>& events,
                     const std::function<bool(const json&)>& pred) {
  auto i = find_event(events, pred);
  return i ? events[*i].at("seq").get<std::uint64_t>() : std::numeric_limits<std::uint64_t>::max();
}

// The monotonic time of the first call log line for this resource and entry at or after
// line `from`.
std::optional<std::int64_t> call_time(const std::vector<json>& lines, const std::string& resource,
                                      const std::string& entry, std::size_t from = 0) {
  for (std::size_t i = from; i < lines.size(); ++i) {
    if (lines[i].value("resource", "") == resource && lines[i].value("entry", "") == entry) {
      return lines[i].at("mono_ns").get<std::int64_t>();
    }
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("a dependency chain comes online bottom-up and goes offline top-down",
          "[clussvc][dependencies]") {
  clussvc_fixture f;
  auto& n = f.node();
  const auto calls = f.file("calls.jsonl");
  // Pending operations that take a while, so that an overlap would show.
  create_dummy_chain(
      n, "G", chain,
      {"CallLog=" + calls.string(), "Pending=1", "OnlineDelayMs=150", "OfflineDelayMs=150"});

  const auto deps = f.cli_ok({"res", "C", "/listdep"});
  CHECK(deps.out.find("B") != std::string::npos);
  CHECK(n.get("/resources/B/dependencies").at("dependencies") == json::array({"A"}));
  CHECK(n.get("/resources/B/dependencies").at("dependents") == json::array({"C"}));

  auto ev = n.events();
  const auto on = f.cli({"group", "G", "/online", "/wait:20"});
  INFO("online: " << on.describe());
  REQUIRE(on.exit_code == 0);
  CHECK(on.out.find("Bringing resource group 'G' online...") != std::string::npos);
  CHECK(has_row(on.out, "G", "Online"));
  for (const auto& r : chain) {
    CHECK(n.resource_state(r) == "Online");
  }
  REQUIRE(ev.wait_for(group_state_is("G", "Online"), 10s));
  {
    const auto& e = ev.events();
    INFO("events:\n" << ev.dump());
    // Providers reach Online before their dependents (that a dependent's Online is not even
    // called before is checked on the call log below).
    CHECK(seq_of(e, resource_state_is("A", "OnlinePending")) <
          seq_of(e, resource_state_is("A", "Online")));
    CHECK(seq_of(e, resource_state_is("A", "Online")) <
          seq_of(e, resource_state_is("B", "Online")));
    CHECK(seq_of(e, resource_state_is("B", "Online")) <
          seq_of(e, resource_state_is("C", "Online")));
    CHECK(seq_of(e, resource_state_is("C", "Online")) < seq_of(e, group_state_is("G", "Online")));
  }
  // Asked again: already there.
  CHECK(n.api("POST", "/groups/G/online").status == 200);
  CHECK(n.api("POST", "/resources/C/online").status == 200);
  auto lines = read_call_log(calls);
  CHECK(calls_of(lines, "Online") == chain);
  // Each Online is called only after its provider's (150 ms) Online finished.
  CHECK(*call_time(lines, "B", "Online") - *call_time(lines, "A", "Online") >= 150'000'000);
  CHECK(*call_time(lines, "C", "Online") - *call_time(lines, "B", "Online") >= 150'000'000);

  const auto status = f.cli_ok({"res"});
  for (const auto& r : chain) {
    CHECK(has_row(status.out, r, "Online"));
  }

  const auto off = f.cli({"group", "G", "/offline", "/wait:20"});
  INFO("offline: " << off.describe());
  REQUIRE(off.exit_code == 0);
  CHECK(off.out.find("Bringing resource group 'G' offline...") != std::string::npos);
  CHECK(has_row(off.out, "G", "Offline"));
  REQUIRE(ev.wait_for(group_state_is("G", "Offline"), 10s));
  {
    const auto& e = ev.events();
    INFO("events:\n" << ev.dump());
    // Dependents reach Offline before their providers.
    CHECK(seq_of(e, resource_state_is("C", "Offline")) <
          seq_of(e, resource_state_is("B", "Offline")));
    CHECK(seq_of(e, resource_state_is("B", "Offline")) <
          seq_of(e, resource_state_is("A", "Offline")));
    CHECK(seq_of(e, resource_state_is("A", "Offline")) < seq_of(e, group_state_is("G", "Offline")));
  }
  lines = read_call_log(calls);
  CHECK(calls_of(lines, "Offline") == std::vector<std::string>{"C", "B", "A"});
  CHECK(*call_time(lines, "B", "Offline") - *call_time(lines, "C", "Offline") >= 150'000'000);
  CHECK(*call_time(lines, "A", "Offline") - *call_time(lines, "B", "Offline") >= 150'000'000);
  for (const auto& r : chain) {
    CHECK(n.resource_state(r) == "Offline");
  }
}

TEST_CASE("a resource brought online brings its providers and offline takes its dependents",
          "[clussvc][dependencies]") {
  clussvc_fixture f;
  auto& n = f.node();
  const auto calls = f.file("calls.jsonl");
  create_dummy_chain(n, "G", chain, {"CallLog=" + calls.string()});

  // The CLI waits until C settles; C must not look settled (Offline) while it waits for its
  // providers.
  const auto on = f.cli({"res", "C", "/online", "/wait:20"});
  {
    INFO("online: " << on.describe());
    CHECK(on.exit_code == 0);
    CHECK(on.out.find("Bringing resource 'C' online...") != std::string::npos);
    CHECK(has_row(on.out, "C", "Online"));
  }
  CHECK(n.wait_resource_state("C", "Online", 10s));
  CHECK(n.resource_state("A") == "Online");
  CHECK(n.resource_state("B") == "Online");
  CHECK(calls_of(read_call_log(calls), "Online") == chain);

  const auto off = f.cli({"res", "A", "/offline", "/wait:20"});
  {
    INFO("offline: " << off.describe());
    CHECK(off.exit_code == 0);
    CHECK(off.out.find("Taking resource 'A' offline...") != std::string::npos);
    CHECK(has_row(off.out, "A", "Offline"));
  }
  CHECK(n.wait_resource_state("A", "Offline", 10s));
  CHECK(n.resource_state("B") == "Offline");
  CHECK(n.resource_state("C") == "Offline");
  CHECK(calls_of(read_call_log(calls), "Offline") == std::vector<std::string>{"C", "B", "A"});
}

TEST_CASE("SIGTERM takes the groups offline top-down, exits 0 and keeps PersistentState",
          "[clussvc][dependencies][shutdown]") {
  clussvc_fixture f;
  auto& n = f.node();
  const auto calls = f.file("calls.jsonl");
  create_dummy_chain(n, "G", chain,
                     {"CallLog=" + calls.string(), "Pending=1", "OfflineDelayMs=150"});
  f.cli_ok({"group", "G", "/online", "/wait:20"});
  REQUIRE(n.group_state("G") == "Online");
  CHECK(n.get("/groups/G/properties").at("properties").at("PersistentState").at("value") == 1);
  const auto before = read_call_log(calls).size();
  const auto monitors = n.monitor_pids();
  CHECK(monitors.size() == 1);

  const auto st = n.stop();
  INFO("clussvc " << st.to_string());
  CHECK(st.success());
  CHECK(n.leftover_monitors().empty());

  const auto lines = read_call_log(calls);
  const std::vector<json> shutdown(lines.begin() + static_cast<std::ptrdiff_t>(before),
                                   lines.end());
  CHECK(calls_of(shutdown, "Offline") == std::vector<std::string>{"C", "B", "A"});
  const auto c = call_time(shutdown, "C", "Offline");
  const auto b = call_time(shutdown, "B", "Offline");
  const auto a = call_time(shutdown, "A", "Offline");
  REQUIRE(c);
  REQUIRE(b);
  REQUIRE(a);
  CHECK(*b - *c >= 150'000'000);
  CHECK(*a - *b >= 150'000'000);
  // The node's log recorded the offline states, dependents first, and the group's Offline.
  const auto logged = logged_events(n.state_dir() / "clussvc.log");
  {
    INFO("logged events:\n" << dump_events(logged));
    const auto from = find_event(logged, group_state_is("G", "Online"));
    REQUIRE(from);
    auto after = [&](const std::function<bool(const json&)>& pred) {
      auto i = find_event(logged, pred, *from);
      return i ? *i : logged.size();
    };
    CHECK(after(resource_state_is("C", "Offline")) < after(resource_state_is("B", "Offline")));
    CHECK(after(resource_state_is("B", "Offline")) < after(resource_state_is("A", "Offline")));
    CHECK(after(resource_state_is("A", "Offline")) < logged.size());
    CHECK(after(group_state_is("G", "Offline")) < logged.size());
  }

  // Restarted on the same state directory, the node brings the group back.
  n.start();
  for (const auto& r : chain) {
    CHECK(n.wait_resource_state(r, "Online", 15s));
  }
  CHECK(n.wait_group_state("G", "Online", 5s));
  CHECK(n.get("/groups/G/properties").at("properties").at("PersistentState").at("value") == 1);
  for (const auto& r : chain) {
    CHECK(n.get("/resources/" + r + "/properties")
              .at("properties")
              .at("PersistentState")
              .at("value") == 1);
  }
  const auto after = read_call_log(calls);
  const std::vector<json> restart(after.begin() + static_cast<std::ptrdiff_t>(lines.size()),
                                  after.end());
  CHECK(calls_of(restart, "Online") == chain);
}
