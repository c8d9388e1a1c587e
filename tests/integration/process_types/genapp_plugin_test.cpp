// Generic Application (sample_resources/genapp): the program's life through the harness and
// a monitor: output in its log file, Offline's SIGTERM and SIGKILL, a program killed from
// outside fails the resource, Terminate, no zombies, property validation.

#include <catch2/catch.hpp>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <string>

#include <wolfpack/clusapi.h>
#include <wolfpack/winerror.h>
#include <wolfpack/proplist.hpp>

#include "process_test_support.hpp"
#include "property_list_codec.hpp"

using namespace wolfpack::testing;
using namespace wolfpack::testing::procs;
using nlohmann::json;

namespace {

const char* const genapp_type = "Generic Application";

// CurrentDirectory is required (as in MSCS): "." (the monitor's) unless the test gives one.
std::vector<std::string> genapp_args(const std::string& name, std::vector<std::string> more) {
  const bool given = std::any_of(more.begin(), more.end(), [](const std::string& a) {
    return a.rfind("CurrentDirectory=", 0) == 0;
  });
  if (!given) {
    more.insert(more.begin(), "CurrentDirectory=.");
    more.insert(more.begin(), "--param");
  }
  return harness_args(plugin_path("wp_genapp"), genapp_type, name, std::move(more));
}

}  // namespace

TEST_CASE("genapp: online runs the program with its settings and its output goes to the log file",
          "[genapp][harness]") {
  temp_dir dir;
  const auto log = dir.path() / "app.log";
  const auto script = dir.path() / "app.sh";
  write_script(script,
               "echo \"to-stdout $GREETING in $(pwd)\"\n"
               "echo to-stderr >&2\n"
               "trap 'echo got-term; exit 0' TERM\n"
               "while :; do sleep 0.05; done\n");
  auto run = run_harness(genapp_args(
      "app1", {"--param", "CommandLine=" + script.string(), "--param",
               "CurrentDirectory=" + dir.path().string(), "--param",
               "Environment:multi_sz=GREETING=hello,OTHER=x", "--param", "LogFile=" + log.string(),
               "--hold", "0.5", "--looks-alive-ms", "100", "--is-alive-ms", "150"}));
  INFO(describe(run));
  INFO("log file:\n" << read_text(log));
  CHECK(run.status.code == 0);
  CHECK(call_result(run, "Online") == 0u);
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("Offline"));
  CHECK_FALSE(run.has_state("Failed"));
  CHECK(has_log(run.lines, "output to " + log.string()));
  const std::string text = read_text(log);
  CHECK(text.find("to-stdout hello in " + dir.path().string()) != std::string::npos);
  CHECK(text.find("to-stderr") != std::string::npos);
  CHECK(text.find("got-term") != std::string::npos);  // Offline asked with SIGTERM first
}

TEST_CASE("genapp: the default log file is <WOLFPACK_RESOURCE_LOG_DIR>/<name>.log",
          "[genapp][harness]") {
  temp_dir dir;
  ::setenv("WOLFPACK_RESOURCE_LOG_DIR", (dir.path() / "logs").c_str(), 1);
  auto run = run_harness(genapp_args(
      "my app/1", {"--param", "CommandLine=/bin/sh -c 'echo hi; sleep 30'", "--hold", "0.3"}));
  ::unsetenv("WOLFPACK_RESOURCE_LOG_DIR");
  INFO(describe(run));
  CHECK(run.status.code == 0);
  CHECK(read_text(dir.path() / "logs" / "my_app_1.log") == "hi\n");
}

TEST_CASE("genapp: a missing CommandLine or program fails Online and says why",
          "[genapp][harness]") {
  SECTION("no CommandLine") {
    auto run = run_harness(genapp_args("app3", {"--hold", "0.2"}));
    INFO(describe(run));
    CHECK(run.status.code == 1);
    CHECK(call_result(run, "Online") == static_cast<std::uint32_t>(ERROR_FILE_NOT_FOUND));
    CHECK(has_log(run.lines, "property CommandLine: required, not set"));
  }
  SECTION("no CurrentDirectory (required, as in MSCS)") {
    auto run = run_harness(
        harness_args(plugin_path("wp_genapp"), genapp_type, "app3b",
                     {"--param", "CommandLine=/bin/sh -c 'sleep 30'", "--hold", "0.2"}));
    INFO(describe(run));
    CHECK(run.status.code == 1);
    CHECK(has_log(run.lines, "property CurrentDirectory: required, not set"));
  }
  SECTION("no such program") {
    temp_dir dir;
    auto run = run_harness(
        genapp_args("app4", {"--param", "CommandLine=/nonexistent/program arg", "--param",
                             "LogFile=" + (dir.path() / "log").string(), "--hold", "0.2"}));
    INFO(describe(run));
    CHECK(run.status.code == 1);
    CHECK(call_result(run, "Online") == static_cast<std::uint32_t>(ERROR_FILE_NOT_FOUND));
    CHECK(has_log(run.lines, "cannot start /nonexistent/program"));
  }
}

TEST_CASE("genapp: a program that ends by itself fails the resource, exit code 0 too",
          "[genapp][harness]") {
  // Online needs the program to run: one that finished, even successfully, is a failure
  // (MSCS: health is that the process still exists).
  auto run =
      run_harness(genapp_args("app9", {"--param", "CommandLine=/bin/sh -c 'sleep 0.2'", "--hold",
                                       "3", "--looks-alive-ms", "100", "--is-alive-ms", "150"}));
  INFO(describe(run));
  CHECK(call_result(run, "Online") == 0u);
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("Failed"));
  CHECK(has_log(run.lines, "exited: exit code 0"));
}

TEST_CASE("genapp: a program killed from outside fails the resource and Terminate cleans up",
          "[genapp][monitor]") {
  temp_dir dir;
  const auto app_pid = dir.path() / "app.pid";
  const auto child_pid = dir.path() / "child.pid";
  monitor_fixture m;
  load_type(m, genapp_type, "wp_genapp");
  const std::string command = "/bin/sh -c 'sleep 300 & echo $! > " + child_pid.string() +
                              "; echo $$ > " + app_pid.string() + "; wait'";
  open_resource(m, "app5",
                {{"CommandLine", command},
                 {"CurrentDirectory", "."},
                 {"LogFile", (dir.path() / "log").string()}},
                timing(100, 200), genapp_type);
  m.send({{"type", "online"}, {"resource", "app5"}});
  REQUIRE_M(m, m.wait_state("app5", "Online"));
  const auto app = wait_pid_file(app_pid);
  const auto child = wait_pid_file(child_pid);
  REQUIRE(app);
  REQUIRE(child);
  CHECK(process_running(*app));
  CHECK(process_running(*child));

  ::kill(*app, SIGKILL);
  REQUIRE_M(m, m.wait_state("app5", "Failed"));
  CHECK_M(m, m.wait_for([](const json& e) {
    return e.value("type", "") == "log" &&
           e.value("message", "").find("exited: signal 9") != std::string::npos;
  }));
  // The poll that saw it gone reaped it: no zombie waits for Terminate.
  CHECK(wait_until([&] { return process_gone(*app); }));

  const auto started = std::chrono::steady_clock::now();
  auto term = m.request({{"type", "terminate"}, {"resource", "app5"}});
  CHECK_M(m, term.value("ok", false));
  CHECK(ms_since(started) < 2000);
  // Terminate killed what the program had started (its process group).
  CHECK(wait_until([&] { return !process_running(*child); }));
}

TEST_CASE("genapp: Offline sends SIGTERM and then SIGKILL after StopTimeoutMs",
          "[genapp][monitor]") {
  temp_dir dir;
  const auto app_pid = dir.path() / "app.pid";
  const auto script = dir.path() / "stubborn.sh";
  write_script(script,
               "trap '' TERM\necho $$ > " + app_pid.string() + "\nwhile :; do sleep 0.05; done\n");
  monitor_fixture m;
  load_type(m, genapp_type, "wp_genapp");
  open_resource(m, "app6",
                {{"CommandLine", script.string()},
                 {"CurrentDirectory", dir.path().string()},
                 {"StopTimeoutMs", 400},
                 {"LogFile", (dir.path() / "log").string()}},
                timing(), genapp_type);
  m.send({{"type", "online"}, {"resource", "app6"}});
  REQUIRE_M(m, m.wait_state("app6", "Online"));
  const auto app = wait_pid_file(app_pid);
  REQUIRE(app);

  const auto started = std::chrono::steady_clock::now();
  m.send({{"type", "offline"}, {"resource", "app6"}});
  REQUIRE_M(m, m.wait_state("app6", "OfflinePending"));
  REQUIRE_M(m, m.wait_state("app6", "Offline"));
  CHECK(ms_since(started) >= 400);
  CHECK_M(m, m.wait_for([](const json& e) {
    return e.value("type", "") == "log" &&
           e.value("message", "").find("did not stop within 400 ms; killed") != std::string::npos;
  }));
  CHECK(process_gone(*app));  // killed and reaped
}

TEST_CASE("genapp: Terminate kills the program at once and reaps it", "[genapp][monitor]") {
  temp_dir dir;
  const auto app_pid = dir.path() / "app.pid";
  const auto script = dir.path() / "stubborn.sh";
  write_script(script,
               "trap '' TERM\necho $$ > " + app_pid.string() + "\nwhile :; do sleep 0.05; done\n");
  monitor_fixture m;
  load_type(m, genapp_type, "wp_genapp");
  open_resource(m, "app7",
                {{"CommandLine", script.string()},
                 {"CurrentDirectory", "."},
                 {"LogFile", (dir.path() / "log").string()}},
                timing(), genapp_type);
  m.send({{"type", "online"}, {"resource", "app7"}});
  REQUIRE_M(m, m.wait_state("app7", "Online"));
  const auto app = wait_pid_file(app_pid);
  REQUIRE(app);
  const auto started = std::chrono::steady_clock::now();
  auto term = m.request({{"type", "terminate"}, {"resource", "app7"}});
  CHECK_M(m, term.value("ok", false));
  CHECK(ms_since(started) < 2000);  // no StopTimeoutMs wait: SIGKILL at once
  CHECK(process_gone(*app));
}

TEST_CASE("genapp: VALIDATE names the bad property and the formats describe them",
          "[genapp][monitor][control]") {
  temp_dir dir;
  monitor_fixture m;
  load_type(m, genapp_type, "wp_genapp");
  open_resource(m, "app8", {{"CommandLine", "/bin/true"}, {"CurrentDirectory", "."}}, timing(),
                genapp_type);
  auto validate_bytes = [&](const std::vector<std::uint8_t>& bytes) {
    return validate_status(m, "app8", bytes);
  };
  auto validate = [&](const property_list_builder& b) { return validate_bytes(b.bytes()); };
  auto logged = [&](const std::string& text) {
    return m.wait_for([&](const json& e) {
      return e.value("type", "") == "log" && e.value("message", "").find(text) != std::string::npos;
    });
  };
  CHECK(validate(property_list_builder()
                     .sz("CommandLine", "/bin/sleep 10")
                     .sz("CurrentDirectory", dir.path().string())) == ERROR_SUCCESS);
  CHECK(validate(property_list_builder().sz("CurrentDirectory", ".")) == ERROR_SUCCESS);
  CHECK(validate(property_list_builder().sz("CurrentDirectory", "relative/dir")) ==
        ERROR_INVALID_PARAMETER);
  CHECK_M(m, logged("property CurrentDirectory: not an absolute path"));
  CHECK(validate(property_list_builder().sz("CommandLine", "/bin/echo \"unterminated")) ==
        ERROR_INVALID_PARAMETER);
  CHECK_M(m, logged("property CommandLine: unterminated double quote"));
  wolfpack::property_list_builder environment;  // the test codec has no MULTI_SZ
  environment.add_multi_sz(L"Environment", {L"GOOD=1", L"NOEQUALS"});
  CHECK(validate_bytes(environment.bytes()) == ERROR_INVALID_PARAMETER);
  CHECK_M(m, logged("property Environment: 'NOEQUALS' is not NAME=VALUE"));
  CHECK(validate(property_list_builder().dword("UseNetworkName", 2)) == ERROR_INVALID_PARAMETER);
  CHECK(validate(property_list_builder().sz("StopTimeoutMs", "5")) ==
        ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH);

  auto list =
      parse_property_list(control_output(m, "app8", CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTY_FMTS));
  REQUIRE(list);
  CHECK(find_property(*list, "CommandLine")->values[0].as_word() == CLUSPROP_FORMAT_SZ);
  CHECK(find_property(*list, "Environment")->values[0].as_word() == CLUSPROP_FORMAT_MULTI_SZ);
  CHECK(find_property(*list, "UseNetworkName")->values[0].as_word() == CLUSPROP_FORMAT_DWORD);
  CHECK(find_property(*list, "StopTimeoutMs")->values[0].as_word() == CLUSPROP_FORMAT_DWORD);
  CHECK(find_property(*list, "CurrentDirectory") != nullptr);
  CHECK(find_property(*list, "LogFile") != nullptr);
}
