// The platform layer's private files and directories, on POSIX (the Windows side is used by
// the smoke tests' lab through wolfpack.exe).

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "temp_dir.hpp"
#include "wolfpack/common/platform/files.hpp"

using namespace wolfpack::platform;
namespace fs = std::filesystem;

namespace {

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("create_private_file writes a new file only its owner can read", "[files]") {
  wolfpack::test::temp_dir dir;
  const auto file = dir / "secret";
  REQUIRE(create_private_file(file, "0123abcd\n"));
  CHECK(read_all(file) == "0123abcd\n");
  CHECK(mode_of(file) == 0600);

  // Never over an existing file: the old contents stay.
  const auto again = create_private_file(file, "other");
  REQUIRE_FALSE(again);
  CHECK(again.error().find("cannot create '" + file.string() + "'") != std::string::npos);
  CHECK(read_all(file) == "0123abcd\n");

  const auto nowhere = create_private_file(dir / "missing" / "secret", "x");
  REQUIRE_FALSE(nowhere);
  CHECK(nowhere.error().find("No such file or directory") != std::string::npos);
}

TEST_CASE("make_private_temp_dir makes a fresh directory for this user only", "[files]") {
  auto first = make_private_temp_dir("wpc-files-");
  auto second = make_private_temp_dir("wpc-files-");
  REQUIRE(first);
  REQUIRE(second);
  CHECK(*first != *second);
  CHECK(first->filename().string().starts_with("wpc-files-"));
  CHECK(fs::is_directory(*first));
  CHECK(mode_of(*first) == 0700);
  fs::remove_all(*first);
  fs::remove_all(*second);
}

TEST_CASE("sync_directory syncs a directory and names one that is missing", "[files]") {
  wolfpack::test::temp_dir dir;
  CHECK(sync_directory(dir.path()));
  const auto missing = sync_directory(dir / "missing");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().find("missing") != std::string::npos);
}
