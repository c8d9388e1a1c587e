// Generic Script (sample_resources/genscript): each entry point runs the script with its
// verb, exit codes become results, a script that hangs is killed at the deadline (with what
// it started), property validation.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>

#include <wolfpack/clusapi.h>
#include <wolfpack/winerror.h>

#include "process_test_support.hpp"
#include "property_list_codec.hpp"

using namespace wolfpack::testing;
using namespace wolfpack::testing::procs;
using nlohmann::json;

namespace {

const char* const genscript_type = "Generic Script";

std::vector<std::string> genscript_args(const std::string& name, std::vector<std::string> more) {
  return harness_args(plugin_path("wp_genscript"), genscript_type, name, std::move(more));
}

// A script that records each verb in `verbs` and exits with `exit_for_health` for
// looksalive and isalive (0 otherwise).
void write_verb_script(const std::filesystem::path& script, const std::filesystem::path& verbs,
                       int exit_for_health = 0, const std::string& online_extra = "") {
  write_script(script, "echo \"$1\" >> " + verbs.string() +
                           "\n"
                           "case \"$1\" in\n"
                           "  online) " +
                           (online_extra.empty() ? ":" : online_extra) +
                           " ;;\n"
                           "  looksalive|isalive) exit " +
                           std::to_string(exit_for_health) +
                           " ;;\n"
                           "esac\n"
                           "exit 0\n");
}

bool in_order(const std::vector<std::string>& lines, const std::vector<std::string>& wanted) {
  auto it = lines.begin();
  for (const auto& w : wanted) {
    it = std::find(it, lines.end(), w);
    if (it == lines.end())
      return false;
  }
  return true;
}

}  // namespace

TEST_CASE("genscript: every entry point runs the script with its verb", "[genscript][harness]") {
  temp_dir dir;
  const auto script = dir.path() / "res.sh";
  const auto verbs = dir.path() / "verbs";
  write_verb_script(script, verbs);
  // MSCS's own spelling of the name, ScriptFilePath; names ignore case.
  auto run = run_harness(
      genscript_args("gs1", {"--param", "ScriptFilePath=" + script.string(), "--param",
                             "LogFile=" + (dir.path() / "log").string(), "--hold", "0.6",
                             "--looks-alive-ms", "100", "--is-alive-ms", "150"}));
  INFO(describe(run));
  const auto lines = read_lines(verbs);
  INFO("verbs: " << read_text(verbs));
  CHECK(run.status.code == 0);
  CHECK(call_result(run, "Online") == 0u);  // a quick verb is answered at once
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("Offline"));
  CHECK_FALSE(run.has_state("Failed"));
  CHECK(in_order(lines, {"open", "online", "looksalive", "offline", "close"}));
  CHECK(std::count(lines.begin(), lines.end(), "isalive") >= 1);
  CHECK(std::count(lines.begin(), lines.end(), "terminate") == 0);
}

TEST_CASE("genscript: a slow online goes pending and reports progress", "[genscript][harness]") {
  temp_dir dir;
  const auto script = dir.path() / "res.sh";
  const auto verbs = dir.path() / "verbs";
  write_verb_script(script, verbs, 0, "sleep 1.2");
  auto run =
      run_harness(genscript_args("gs11", {"--param", "ScriptFilePath=" + script.string(), "--param",
                                          "LogFile=" + (dir.path() / "log").string(), "--hold",
                                          "0.2", "--pending-timeout-ms", "900"}));
  INFO(describe(run));
  CHECK(run.status.code == 0);
  CHECK(call_result(run, "Online") == static_cast<std::uint32_t>(ERROR_IO_PENDING));
  // The verb took longer than PendingTimeout: the progress reports (a rising CheckPoint
  // every 500 ms) kept the resource from failing.
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("Offline"));
  CHECK_FALSE(run.has_state("Failed"));
}

TEST_CASE("genscript: the SPEC spelling ScriptFilepath names the same property",
          "[genscript][harness]") {
  temp_dir dir;
  const auto script = dir.path() / "res.sh";
  const auto verbs = dir.path() / "verbs";
  write_verb_script(script, verbs);
  auto run = run_harness(
      genscript_args("gs2", {"--param", "ScriptFilepath=" + script.string(), "--param",
                             "LogFile=" + (dir.path() / "log").string(), "--hold", "0.2"}));
  INFO(describe(run));
  CHECK(run.status.code == 0);
  CHECK(in_order(read_lines(verbs), {"open", "online", "offline", "close"}));
}

TEST_CASE("genscript: a failing health check fails the resource and runs terminate",
          "[genscript][harness]") {
  temp_dir dir;
  const auto script = dir.path() / "res.sh";
  const auto verbs = dir.path() / "verbs";
  write_verb_script(script, verbs, 3);
  auto run =
      run_harness(genscript_args("gs3", {"--param", "ScriptFilePath=" + script.string(), "--param",
                                         "LogFile=" + (dir.path() / "log").string(), "--hold", "10",
                                         "--looks-alive-ms", "100", "--is-alive-ms", "5000"}));
  INFO(describe(run));
  const auto lines = read_lines(verbs);
  INFO("verbs: " << read_text(verbs));
  CHECK(run.status.code == 1);
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("Failed"));
  CHECK(has_log(run.lines, "script isalive: exit code 3 (error 1627)"));
  CHECK(in_order(lines, {"open", "online", "looksalive", "isalive", "terminate", "close"}));
}

TEST_CASE("genscript: a nonzero online fails Online", "[genscript][harness]") {
  temp_dir dir;
  const auto script = dir.path() / "res.sh";
  const auto verbs = dir.path() / "verbs";
  write_verb_script(script, verbs, 0, "exit 2");
  auto run = run_harness(
      genscript_args("gs4", {"--param", "ScriptFilePath=" + script.string(), "--param",
                             "LogFile=" + (dir.path() / "log").string(), "--hold", "0.2"}));
  INFO(describe(run));
  CHECK(run.status.code == 1);
  CHECK(run.has_state("Failed"));
  CHECK_FALSE(run.has_state("Online"));
  CHECK(has_log(run.lines, "script online: exit code 2 (error 1627)"));
}

TEST_CASE("genscript: a script that hangs is killed at the deadline with its children",
          "[genscript][harness]") {
  temp_dir dir;
  const auto script = dir.path() / "res.sh";
  const auto verbs = dir.path() / "verbs";
  const auto sleeper = dir.path() / "sleeper.pid";
  write_verb_script(script, verbs, 0, "sleep 60 & echo $! > " + sleeper.string() + "; wait");
  const auto started = std::chrono::steady_clock::now();
  auto run = run_harness(genscript_args(
      "gs5", {"--param", "ScriptFilePath=" + script.string(), "--param", "ScriptTimeoutMs=500",
              "--param", "LogFile=" + (dir.path() / "log").string(), "--hold", "0.2"}));
  INFO(describe(run));
  CHECK(run.status.code == 1);
  CHECK(run.has_state("Failed"));
  CHECK_FALSE(run.has_state("Online"));
  CHECK(has_log(run.lines, "script online: no answer within 500 ms (killed) (error 1460)"));
  CHECK(ms_since(started) < 10000);
  const auto pid = wait_pid_file(sleeper, std::chrono::seconds(1));
  REQUIRE(pid);
  CHECK(wait_until([&] { return !process_running(*pid); }, std::chrono::seconds(5)));
}

TEST_CASE("genscript: a hung looksalive answers FALSE within HealthCheckTimeoutMs",
          "[genscript][harness]") {
  temp_dir dir;
  const auto script = dir.path() / "res.sh";
  write_script(script, "case \"$1\" in looksalive|isalive) sleep 60 ;; esac\nexit 0\n");
  const auto started = std::chrono::steady_clock::now();
  auto run = run_harness(genscript_args(
      "gs6", {"--param", "ScriptFilePath=" + script.string(), "--param", "HealthCheckTimeoutMs=300",
              "--param", "LogFile=" + (dir.path() / "log").string(), "--hold", "20",
              "--looks-alive-ms", "100", "--is-alive-ms", "60000"}));
  INFO(describe(run));
  CHECK(run.status.code == 1);
  CHECK(run.has_state("Failed"));
  CHECK(has_log(run.lines, "script isalive: no answer within 300 ms (killed) (error 1460)"));
  CHECK(ms_since(started) < 10000);
}

TEST_CASE("genscript: a missing or relative ScriptFilePath is refused and named",
          "[genscript][harness][monitor][control]") {
  SECTION("Online without it") {
    auto run = run_harness(genscript_args("gs7", {"--hold", "0.2"}));
    INFO(describe(run));
    CHECK(run.status.code == 1);
    CHECK(call_result(run, "Online") == static_cast<std::uint32_t>(ERROR_FILE_NOT_FOUND));
    CHECK(has_log(run.lines, "property ScriptFilePath: required, not set"));
  }
  SECTION("a file that is not there") {
    auto run = run_harness(genscript_args(
        "gs8", {"--param", "ScriptFilePath=/nonexistent/script.sh", "--hold", "0.2"}));
    INFO(describe(run));
    CHECK(run.status.code == 1);
    CHECK(has_log(run.lines, "property ScriptFilePath: /nonexistent/script.sh is not a file"));
  }
  SECTION("VALIDATE and the formats") {
    monitor_fixture m;
    load_type(m, genscript_type, "wp_genscript");
    open_resource(m, "gs9", json::object(), timing(), genscript_type);
    auto validate = [&](const property_list_builder& b) {
      return validate_status(m, "gs9", b.bytes());
    };
    CHECK(validate(property_list_builder().sz("ScriptFilePath", "/abs/script.sh")) ==
          ERROR_SUCCESS);
    CHECK(validate(property_list_builder().sz("ScriptFilePath", "script.sh")) ==
          ERROR_INVALID_PARAMETER);
    CHECK_M(m, m.wait_for([](const json& e) {
      return e.value("type", "") == "log" &&
             e.value("message", "").find("property ScriptFilePath: not an absolute path") !=
                 std::string::npos;
    }));
    CHECK(validate(property_list_builder().dword("ScriptTimeoutMs", 10)) ==
          ERROR_INVALID_PARAMETER);
    auto list =
        parse_property_list(control_output(m, "gs9", CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTY_FMTS));
    REQUIRE(list);
    CHECK(find_property(*list, "ScriptFilePath")->values[0].as_word() == CLUSPROP_FORMAT_SZ);
    CHECK(find_property(*list, "ScriptTimeoutMs")->values[0].as_word() == CLUSPROP_FORMAT_DWORD);
    CHECK(find_property(*list, "HealthCheckTimeoutMs")->values[0].as_word() ==
          CLUSPROP_FORMAT_DWORD);
  }
}

TEST_CASE("genscript: a Close sent during Terminate waits for it", "[genscript][monitor]") {
  // A slow terminate verb keeps Terminate running; the monitor must not call Close (which
  // frees the instance) until it has returned.
  temp_dir dir;
  const auto script = dir.path() / "res.sh";
  const auto verbs = dir.path() / "verbs";
  write_script(script,
               "case \"$1\" in\n"
               "  terminate) echo terminate-start >> " +
                   verbs.string() + "; sleep 0.5; echo terminate-end >> " + verbs.string() +
                   " ;;\n"
                   "  *) echo \"$1\" >> " +
                   verbs.string() + " ;;\nesac\nexit 0\n");
  monitor_fixture m;
  load_type(m, genscript_type, "wp_genscript");
  open_resource(m, "gs10",
                {{"ScriptFilePath", script.string()}, {"LogFile", (dir.path() / "log").string()}},
                timing(), genscript_type);
  m.send({{"type", "terminate"}, {"resource", "gs10"}});
  REQUIRE(
      wait_until([&] { return read_text(verbs).find("terminate-start") != std::string::npos; }));
  auto close = m.request({{"type", "close"}, {"resource", "gs10"}});
  CHECK_M(m, close.value("ok", false));
  const auto lines = read_lines(verbs);
  INFO("verbs: " << read_text(verbs));
  CHECK(in_order(lines, {"open", "terminate-start", "terminate-end", "close"}));
  CHECK_M(m, m.process().is_running());
}
