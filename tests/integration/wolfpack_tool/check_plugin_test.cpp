// wolfpack check-plugin against the Dummy (everything passes) and a broken test plugin (the
// right checks fail, by name).

#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tool_process.hpp"

using namespace wolfpack::testing;
using nlohmann::json;

namespace {

json check_of(const json& report, const std::string& name) {
  for (const auto& c : report["checks"]) {
    if (c["name"] == name)
      return c;
  }
  FAIL("no check named " << name << " in " << report.dump(2));
  return {};
}

}  // namespace

TEST_CASE("check-plugin passes the Dummy, IsAlive failure included") {
  scratch_dir dir;
  const auto fail_file = dir.path() / "dummy.fail";
  std::ofstream(fail_file) << "x";
  auto run = run_wolfpack({"check-plugin", WP_BUILD_DIR "/plugins/wp_dummy.so", "--type", "Dummy",
                           "--fail-param", "FailFile=" + fail_file.string(), "--json"});
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  const json report = json::parse(run.out);
  CHECK(report["passed"] == true);
  CHECK(report["resource_type"] == "Dummy");
  CHECK(report["checks"].size() == 12);
  for (const auto& c : report["checks"]) {
    INFO(c.dump());
    CHECK(c["result"] == "pass");
  }
  CHECK(check_of(report, "looks-alive-fast").contains("elapsed_ms"));
  CHECK(check_of(report, "terminate-any-state")["reason"].get<std::string>().find("Failed") !=
        std::string::npos);
}

TEST_CASE("check-plugin does not take the Offline that Open reported for the end of an Offline") {
  // Every Offline of this Dummy stays pending far beyond the check's PendingTimeout, so the
  // monitor fails it: the offline check must say so, not pass on the state Open reported.
  auto run = run_wolfpack({"check-plugin", WP_BUILD_DIR "/plugins/wp_dummy.so", "--type", "Dummy",
                           "--param", "Pending=1", "--param", "OfflineDelayMs=60000",
                           "--pending-timeout-ms", "1000", "--json"});
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 1);
  const json report = json::parse(run.out);
  const json online = check_of(report, "online");
  CHECK(online["result"] == "fail");
  CHECK(online["reason"].get<std::string>().find("instead of reaching Offline") !=
        std::string::npos);
}

TEST_CASE("check-plugin without --fail-param skips the IsAlive check and says why") {
  auto run = run_wolfpack({"check-plugin", WP_BUILD_DIR "/plugins/wp_dummy.so"});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);  // the type comes from the file name: Dummy
  CHECK(run.out.find("SKIP  is-alive-detects-failure") != std::string::npos);
  CHECK(run.out.find("--fail-param") != std::string::npos);
}

TEST_CASE(
    "check-plugin fails a plugin that ignores versions and has a bad table, naming the checks") {
  auto run = run_wolfpack({"check-plugin", WP_BUILD_DIR "/tests/plugins/bad_version.so", "--type",
                           "Trivial", "--json"});
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 1);
  const json report = json::parse(run.out);
  CHECK(report["passed"] == false);
  const json versions = check_of(report, "startup-versions");
  CHECK(versions["result"] == "fail");
  CHECK(versions["reason"].get<std::string>().find("accepted the unsupported version range") !=
        std::string::npos);
  const json table = check_of(report, "function-table");
  CHECK(table["result"] == "fail");
  CHECK(table["reason"].get<std::string>().find("0x300") != std::string::npos);
  // Nothing else can run on a plugin that does not load: skipped, with the reason.
  CHECK(check_of(report, "online")["result"] == "skip");
}

TEST_CASE("resrcmon --probe-startup reports what Startup answers for a version range") {
  const std::string resrcmon = WP_BUILD_DIR "/bin/resrcmon";
  const std::string dummy = WP_BUILD_DIR "/plugins/wp_dummy.so";
  auto refused = run_process(
      resrcmon, {"--probe-startup", "0x200:0x200", "--plugin", dummy, "--type", "Dummy"});
  INFO(refused.out << refused.err);
  REQUIRE(refused.exit_code == 0);
  const json r = json::parse(refused.out);
  CHECK(r["type"] == "startup_probe");
  CHECK(r["loaded"] == true);
  CHECK(r["min_version"] == 0x200);
  CHECK(r["status"] == 1306);  // ERROR_REVISION_MISMATCH
  CHECK(r["table"] == false);

  auto accepted =
      run_process(resrcmon, {"--probe-startup", "256:256", "--plugin", dummy, "--type", "Dummy"});
  REQUIRE(accepted.exit_code == 0);
  const json a = json::parse(accepted.out);
  CHECK(a["status"] == 0);
  CHECK(a["table"] == true);
  CHECK(a["table_version"] == 0x100);

  auto missing = run_process(resrcmon, {"--probe-startup", "0x100:0x100", "--plugin",
                                        "/nonexistent.so", "--type", "Dummy"});
  CHECK(missing.exit_code == 1);
  CHECK(json::parse(missing.out)["loaded"] == false);

  CHECK(run_process(resrcmon, {"--probe-startup", "junk", "--plugin", dummy, "--type", "Dummy"})
            .exit_code == 2);
  CHECK(run_process(resrcmon, {"--probe-startup", "1:2", "--plugin", dummy}).exit_code == 2);
}

// Issue 7, section 5: the Windows-style plugin, built unmodified from its Windows-looking
// source, passes the checker too (both of its type names).
TEST_CASE("check-plugin passes the Windows-style plugin built from unmodified source") {
  for (const std::string type : {"Win Style", "Win Style Mirror"}) {
    auto run =
        run_wolfpack({"check-plugin", WP_BUILD_DIR "/tests/plugins/win_style_resource.so", "--type",
                      type, "--param", "Path=/srv/data", "--param", "StepMs=20", "--json"});
    INFO(type << "\n" << run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const json report = json::parse(run.out);
    CHECK(report["passed"] == true);
    CHECK(check_of(report, "online")["result"] == "pass");
    CHECK(check_of(report, "property-validation")["result"] == "pass");
    CHECK(check_of(report, "no-leaks")["result"] == "pass");
  }
}
