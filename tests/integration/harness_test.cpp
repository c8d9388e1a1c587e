// `resrcmon --standalone`, the plugin author's harness: exit codes, and one JSON line on
// stdout for everything that happened.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration_support.hpp"
#include "monitor_fixture.hpp"

using namespace wolfpack::testing;
using nlohmann::json;

namespace {

std::vector<std::string> dummy_args(const std::string& name, std::vector<std::string> more = {}) {
  std::vector<std::string> args = {
      "--plugin", plugin_path("wp_dummy").string(), "--type", "Dummy", "--name", name};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

bool has_call(const harness_run& run, const std::string& entry) {
  for (const auto& l : run.lines) {
    if (l.value("type", "") == "call" && l.value("entry", "") == entry)
      return true;
  }
  return false;
}

}  // namespace

TEST_CASE("harness: a clean Dummy run exits 0 and reports every call", "[harness]") {
  auto run = run_harness(dummy_args("h1", {"--hold", "1", "--looks-alive-ms", "100"}));
  INFO(describe(run));
  CHECK(run.status.exited());
  CHECK(run.status.code == 0);
  for (const char* entry : {"Startup", "Open", "Online", "LooksAlive", "Offline", "Close"}) {
    INFO("call " << entry);
    CHECK(has_call(run, entry));
  }
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("Offline"));
  CHECK_FALSE(run.has_state("Failed"));
  // A second of holding at 100 ms per poll: several LooksAlive calls, all TRUE.
  std::size_t polls = 0;
  for (const auto& l : run.lines) {
    if (l.value("type", "") == "call" && l.value("entry", "") == "LooksAlive") {
      ++polls;
      CHECK(l.value("result", false) == true);
    }
  }
  CHECK(polls >= 3);
  // Every line parsed as JSON (run_harness throws otherwise) and has a type.
  for (const auto& l : run.lines)
    CHECK(l.contains("type"));
}

TEST_CASE("harness: a pending Dummy run exits 0", "[harness]") {
  auto run =
      run_harness(dummy_args("h2", {"--hold", "0.3", "--looks-alive-ms", "100", "--param",
                                    "Pending=1", "--param", "OnlineDelayMs=200", "--param",
                                    "PendingProgressMs=50", "--param", "OfflineDelayMs=100"}));
  INFO(describe(run));
  CHECK(run.status.exited());
  CHECK(run.status.code == 0);
  CHECK(run.has_state("OnlinePending"));
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("OfflinePending"));
  CHECK(run.has_state("Offline"));
  bool pending_online = false;
  for (const auto& l : run.lines) {
    if (l.value("type", "") == "call" && l.value("entry", "") == "Online")
      pending_online = l.value("result", 0) == 997;
  }
  CHECK(pending_online);
}

TEST_CASE("harness: a failing resource exits 1 with a Failed state line", "[harness]") {
  temp_dir dir;
  const auto calls = dir.path() / "calls.jsonl";
  const auto t0 = std::chrono::steady_clock::now();
  auto run = run_harness(
      dummy_args("h3", {"--hold", "5", "--looks-alive-ms", "100", "--is-alive-ms", "200", "--param",
                        "FailAfterMs=300", "--param", "CallLog=" + calls.string()}));
  INFO(describe(run));
  CHECK(run.status.exited());
  CHECK(run.status.code == 1);
  CHECK(run.has_state("Failed"));
  CHECK(has_call(run, "Close"));
  // It stopped at the failure rather than holding for 5 s.
  CHECK(ms_since(t0) < 4500);
  // A failed resource is terminated, and Terminate never overlaps Close (SPEC 2.7): the
  // plugin saw Terminate begin and end before Close began.
  CHECK(has_call(run, "Terminate"));
  const auto lines = read_call_log(calls);
  INFO(describe_call_log(lines));
  const auto term = find_line(lines, call_of("h3", "Terminate"));
  const auto close = find_line(lines, call_of("h3", "Close"));
  REQUIRE(close);
  REQUIRE(term);
  CHECK(*term < *close);
}

TEST_CASE("harness: usage errors exit 2 with a message", "[harness]") {
  SECTION("--plugin missing") {
    auto run = run_harness({"--type", "Dummy", "--name", "u1"});
    INFO(describe(run));
    CHECK(run.status.exited());
    CHECK(run.status.code == 2);
    CHECK_THAT(run.stderr_text, Catch::Contains("--plugin"));
  }
  SECTION("--param without '='") {
    auto run = run_harness(dummy_args("u2", {"--param", "OnlineDelayMs"}));
    INFO(describe(run));
    CHECK(run.status.exited());
    CHECK(run.status.code == 2);
    CHECK_THAT(run.stderr_text, Catch::Contains("OnlineDelayMs"));
    CHECK_THAT(run.stderr_text, Catch::Contains("="));
  }
}

TEST_CASE("harness: a plugin that cannot be loaded exits 2 naming the file", "[harness]") {
  temp_dir dir;
  const auto fake = dir.path() / "fake.so";
  std::ofstream(fake) << "not a library\n";
  const std::vector<std::filesystem::path> plugins = {
      test_plugin_path("bad_no_startup"),
      test_plugin_path("bad_version"),
      test_plugin_path("bad_startup_fails"),
      test_plugin_path("bad_null_entry"),
      fake,
  };
  for (const auto& plugin : plugins) {
    auto run = run_harness({"--plugin", plugin.string(), "--type", "Broken", "--name", "b1"});
    INFO(plugin.string() << "\n" << describe(run));
    CHECK(run.status.exited());
    CHECK(run.status.code == 2);
    CHECK_THAT(run.stderr_text, Catch::Contains(plugin.filename().string()));
  }
}

TEST_CASE("harness: a crash in the plugin exits 1 with a crash line", "[harness][crash]") {
  auto run = run_harness(dummy_args("h4", {"--hold", "1", "--param", "CrashIn=Online"}));
  INFO(describe(run));
  CHECK(run.status.exited());
  CHECK(run.status.code == 1);
  bool crash_line = false;
  for (const auto& l : run.lines) {
    if (l.value("type", "") == "crash") {
      crash_line = true;
      CHECK(l.value("entry", "") == "Online");
      CHECK(l.value("resource", "") == "h4");
      CHECK(l.value("exec", "") == "crashed");
    }
  }
  CHECK(crash_line);
  CHECK_THAT(run.stderr_text, Catch::Contains("Online"));
}

TEST_CASE("harness: the C plugin runs clean", "[harness][c]") {
  auto run = run_harness({"--plugin", test_plugin_path("c_minimal").string(), "--type", "CMinimal",
                          "--name", "c1", "--hold", "0.5", "--looks-alive-ms", "100",
                          "--is-alive-ms", "200"});
  INFO(describe(run));
  CHECK(run.status.exited());
  CHECK(run.status.code == 0);
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("Offline"));
  CHECK(has_call(run, "LooksAlive"));
  CHECK(has_call(run, "IsAlive"));
  CHECK(has_call(run, "Close"));
}
