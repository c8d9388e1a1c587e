// wolfpack new-type, then the generated project configured and built against this build tree
// (find_package(Wolfpack) through CMAKE_PREFIX_PATH) and its own test run. Slow: one project
// per language.

#include <filesystem>

#include <catch2/catch.hpp>

#include "tool_process.hpp"

using namespace wolfpack::testing;
namespace fs = std::filesystem;

namespace {

void generate_build_and_test(const std::string& lang, const fs::path& prefix = WP_BUILD_DIR) {
  scratch_dir scratch;
  const fs::path project = scratch.path() / ("proj_" + lang);
  auto gen = run_wolfpack({"new-type", "Lab Share", "--dir", project.string(), "--lang", lang});
  INFO(gen.out << gen.err);
  REQUIRE(gen.exit_code == 0);

  const fs::path build = project / "build";
  auto configure = run_process(WP_CMAKE_COMMAND,
                               {"-S", project.string(), "-B", build.string(), "-G",
                                WP_CMAKE_GENERATOR, "-DCMAKE_PREFIX_PATH=" + prefix.string()},
                               std::chrono::seconds(300));
  INFO(configure.out << configure.err);
  REQUIRE(configure.exit_code == 0);

  auto compile =
      run_process(WP_CMAKE_COMMAND, {"--build", build.string(), "-j1"}, std::chrono::seconds(600));
  INFO(compile.out << compile.err);
  REQUIRE(compile.exit_code == 0);
  CHECK(fs::exists(build / "wp_lab_share.so"));

  auto test = run_process(WP_CTEST_COMMAND, {"--test-dir", build.string(), "--output-on-failure"},
                          std::chrono::seconds(120));
  INFO(test.out << test.err);
  CHECK(test.exit_code == 0);
  CHECK(test.out.find("100% tests passed") != std::string::npos);

  // And the generated plugin passes the checker out of the box.
  auto check =
      run_wolfpack({"check-plugin", (build / "wp_lab_share.so").string(), "--type", "Lab Share"});
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
}

}  // namespace

TEST_CASE("new-type --lang c builds against the build tree and its test passes") {
  generate_build_and_test("c");
}

TEST_CASE("new-type --lang cpp builds against the build tree and its test passes") {
  generate_build_and_test("cpp");
}

TEST_CASE("new-type builds against an installed prefix (cmake --install)") {
  scratch_dir scratch;
  const fs::path prefix = scratch.path() / "prefix";
  auto install =
      run_process(WP_CMAKE_COMMAND, {"--install", WP_BUILD_DIR, "--prefix", prefix.string()},
                  std::chrono::seconds(300));
  INFO(install.out << install.err);
  REQUIRE(install.exit_code == 0);
  REQUIRE(fs::exists(prefix / "lib" / "cmake" / "Wolfpack" / "WolfpackConfig.cmake"));
  generate_build_and_test("c", prefix);
}
