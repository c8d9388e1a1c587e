#include <filesystem>

#ifdef _WIN32
#include <process.h>  // _getpid: the test checks the platform layer against the C runtime
#define wp_test_getpid _getpid
#else
#include <unistd.h>
#define wp_test_getpid getpid
#endif

#include <catch2/catch.hpp>

#include "wolfpack/common/platform/paths.hpp"
#include "wolfpack/common/platform/system.hpp"

using namespace wolfpack::platform;

TEST_CASE("executable_path names this test binary", "[paths]") {
  const auto exe = executable_path();
  CHECK(exe.is_absolute());
  CHECK(std::filesystem::exists(exe));
  CHECK(exe.filename() == executable_file_name("common_tests"));
  CHECK(executable_dir() == exe.parent_path());
}

TEST_CASE("find_sibling_binary looks next to the executable", "[paths]") {
  const auto self = find_sibling_binary("common_tests");
  REQUIRE(self);
  CHECK(std::filesystem::equivalent(*self, executable_path()));
  CHECK_FALSE(find_sibling_binary("wolfpack-no-such-binary"));
}

TEST_CASE("monotonic_ns and process_id", "[paths]") {
  const auto a = monotonic_ns();
  const auto b = monotonic_ns();
  CHECK(b >= a);
  CHECK(a > 0);
  CHECK(process_id() == static_cast<int>(::wp_test_getpid()));
}
