#include <fstream>
#include <string>

#ifdef _WIN32
#include <process.h>  // _getpid, to compare with what kernel32 says

#include <cstdlib>
#include <filesystem>
#endif

#include <catch2/catch.hpp>

#include "temp_dir.hpp"
#include "wolfpack/common/platform/shared_library.hpp"

using wolfpack::platform::plugin_suffix;
using wolfpack::platform::shared_library;
using wolfpack::test::temp_dir;

TEST_CASE("shared_library reports a missing file", "[shared_library]") {
  temp_dir dir;
  const auto path = dir / ("missing" + std::string(plugin_suffix()));
  auto lib = shared_library::open(path);
  REQUIRE_FALSE(lib.ok());
  CHECK_THAT(lib.error(), Catch::StartsWith("cannot load '" + path.string() + "': "));
#ifdef _WIN32
  CHECK_THAT(lib.error(), Catch::Contains("not", Catch::CaseSensitive::No));  // "... not found"
#else
  CHECK_THAT(lib.error(), Catch::Contains("No such file"));
#endif
}

TEST_CASE("shared_library reports a file that is not a library", "[shared_library]") {
  temp_dir dir;
  const auto path = dir / ("text" + std::string(plugin_suffix()));
  {
    std::ofstream out(path);
    out << "this is not a shared library, just some text that is long enough to have a header\n";
  }
  auto lib = shared_library::open(path);
  REQUIRE_FALSE(lib.ok());
  CHECK_THAT(lib.error(), Catch::StartsWith("cannot load '" + path.string() + "': "));
  // The OS text follows (e.g. "invalid ELF header").
  CHECK(lib.error().size() > ("cannot load '" + path.string() + "': ").size());
}

#ifdef __linux__
TEST_CASE("shared_library finds symbols and moves", "[shared_library]") {
  auto lib = shared_library::open("libc.so.6");
  REQUIRE(lib.ok());
  CHECK(lib->is_open());
  CHECK(lib->symbol("strlen") != nullptr);
  CHECK(lib->symbol("wolfpack_no_such_symbol") == nullptr);
  auto strlen_fn = lib->function<std::size_t (*)(const char*)>("strlen");
  REQUIRE(strlen_fn != nullptr);
  CHECK(strlen_fn("four") == 4);

  shared_library moved = std::move(lib).value();
  CHECK(moved.is_open());
  CHECK(moved.path() == "libc.so.6");
  moved.close();
  CHECK_FALSE(moved.is_open());
  CHECK(moved.symbol("strlen") == nullptr);
  CHECK(plugin_suffix() == ".so");
}
#endif

#ifdef _WIN32
TEST_CASE("shared_library finds symbols in a system DLL and moves", "[shared_library]") {
  // open() takes a plugin's path, made absolute: the system DLL by its full path.
  const char* root = std::getenv("SystemRoot");
  REQUIRE(root != nullptr);
  auto lib = shared_library::open(std::filesystem::path(root) / "System32" / "kernel32.dll");
  REQUIRE(lib.ok());
  CHECK(lib->symbol("GetCurrentProcessId") != nullptr);
  CHECK(lib->symbol("wolfpack_no_such_symbol") == nullptr);
  // x64 Windows has one calling convention, so a plain function pointer calls it.
  auto current_pid = lib->function<unsigned long (*)()>("GetCurrentProcessId");
  REQUIRE(current_pid != nullptr);
  CHECK(static_cast<int>(current_pid()) == _getpid());

  shared_library moved = std::move(lib).value();
  CHECK(moved.is_open());
  moved.close();
  CHECK_FALSE(moved.is_open());
  CHECK(plugin_suffix() == ".dll");
}
#endif
