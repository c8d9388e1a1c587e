#include <sstream>

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include "cli_test_support.hpp"
#include "run_tool.hpp"
#include "wolfpack/tool/check_plugin.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/new_type.hpp"

using namespace wolfpack::tool;
using namespace wolfpack::tool::testing;

TEST_CASE("wolfpack without a command is a usage error") {
  auto r = run_args({});
  CHECK(r.code == exit_usage);
  CHECK(r.err.find("wolfpack --help") != std::string::npos);
}

TEST_CASE("wolfpack --help lists the verbs and exits 0") {
  auto r = run_args({"--help"});
  CHECK(r.code == exit_ok);
  CHECK(r.out.find("new-type") != std::string::npos);
  CHECK(r.out.find("check-plugin") != std::string::npos);
}

TEST_CASE("an unknown verb or option is a usage error") {
  CHECK(run_args({"frobnicate"}).code == exit_usage);
  CHECK(run_args({"new-type", "X", "--colour", "red"}).code == exit_usage);
  CHECK(run_args({"check-plugin"}).code == exit_usage);  // PATH is required
}

TEST_CASE("new-type parses NAME, --dir and --lang") {
  auto o = parse_with<new_type_options>(
      add_new_type_command, {"new-type", "My Disk", "--dir", "/tmp/x", "--lang", "cpp"});
  CHECK(o.name == "My Disk");
  CHECK(o.dir == "/tmp/x");
  CHECK(o.lang == "cpp");
  auto d = parse_with<new_type_options>(add_new_type_command, {"new-type", "Disk"});
  CHECK(d.lang == "c");
  CHECK(d.dir.empty());
}

TEST_CASE("new-type refuses bad input with exit code 2 and a reason") {
  auto empty = run_args({"new-type", ""});
  CHECK(empty.code == exit_usage);
  CHECK(empty.err.find("empty") != std::string::npos);
  auto sep = run_args({"new-type", "a/b"});
  CHECK(sep.code == exit_usage);
  CHECK(sep.err.find("path separator") != std::string::npos);
  auto lang = run_args({"new-type", "Disk", "--lang", "rust", "--dir", "/nonexistent/x"});
  CHECK(lang.code == exit_usage);
  CHECK(lang.err.find("--lang") != std::string::npos);
}

TEST_CASE("check-plugin parses its options") {
  auto o = parse_with<check_options>(
      add_check_plugin_command,
      {"check-plugin", "p.so", "--type", "Dummy", "--param", "A=1", "--param", "B:sz=x",
       "--fail-param", "FailFile=/tmp/f", "--json", "--pending-timeout-ms", "5000"});
  CHECK(o.plugin == "p.so");
  CHECK(o.type == "Dummy");
  CHECK(o.params == std::vector<std::string>{"A=1", "B:sz=x"});
  CHECK(o.fail_params == std::vector<std::string>{"FailFile=/tmp/f"});
  CHECK(o.json);
  CHECK(o.pending_timeout_ms == 5000);
}

TEST_CASE("check-plugin refuses a missing file and a malformed --param with exit code 2") {
  auto missing = run_args({"check-plugin", "/nonexistent/plugin.so"});
  CHECK(missing.code == exit_usage);
  CHECK(missing.err.find("not a file") != std::string::npos);
  auto bad = run_args({"check-plugin", WP_BUILD_DIR "/bin/resrcmon", "--param", "novalue"});
  CHECK(bad.code == exit_usage);
  CHECK(bad.err.find("NAME=VALUE") != std::string::npos);
}

TEST_CASE("check-plugin's default type comes from the file name") {
  CHECK(default_type_for("build/plugins/wp_dummy.so") == "Dummy");
  CHECK(default_type_for("/x/libfoo.so") == "Foo");
  CHECK(default_type_for("Bar.so") == "Bar");
}

TEST_CASE("a report passes when nothing failed, skips do not fail it") {
  check_report r;
  CHECK_FALSE(r.passed());
  r.results.push_back({"a", check_verdict::pass, "", std::nullopt});
  r.results.push_back({"b", check_verdict::skip, "why", std::nullopt});
  CHECK(r.passed());
  r.results.push_back({"c", check_verdict::fail, "broken", 1.5});
  CHECK_FALSE(r.passed());
  const auto j = to_json(r);
  CHECK(j["passed"] == false);
  CHECK(j["checks"][2]["name"] == "c");
  CHECK(j["checks"][2]["result"] == "fail");
  CHECK(j["checks"][2]["elapsed_ms"] == 1.5);
  std::ostringstream text;
  print_text(r, text);
  CHECK(text.str().find("FAIL  c") != std::string::npos);
  CHECK(text.str().find("1 passed, 1 failed, 1 skipped") != std::string::npos);
}

TEST_CASE("the battery names every check the issue asks for") {
  const auto& n = check_names();
  for (const char* want :
       {"startup-versions", "function-table", "open-close", "online", "looks-alive-fast",
        "is-alive-detects-failure", "offline-idempotent", "terminate-any-state",
        "concurrent-resources", "parallel-calls", "property-validation", "no-leaks"}) {
    CHECK(std::find(n.begin(), n.end(), want) != n.end());
  }
}

TEST_CASE("wolfpack VERB --help shows that verb's options") {
  auto r = run_args({"new-type", "--help"});
  CHECK(r.code == exit_ok);
  CHECK(r.out.find("--lang") != std::string::npos);
  auto c = run_args({"check-plugin", "--help"});
  CHECK(c.code == exit_ok);
  CHECK(c.out.find("--fail-param") != std::string::npos);
}
