#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "../common/temp_dir.hpp"
#include "wolfpack/tool/new_type.hpp"

using namespace wolfpack::tool;
using wolfpack::test::temp_dir;
namespace fs = std::filesystem;

namespace {

const generated_file* find_file(const std::vector<generated_file>& files, const std::string& rel) {
  for (const auto& f : files) {
    if (f.relative == rel)
      return &f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("derive_names turns a type name into identifiers") {
  auto n = derive_names("My Disk-2");
  REQUIRE(n);
  CHECK(n->type_name == "My Disk-2");
  CHECK(n->symbol == "MyDisk2");
  CHECK(n->macro == "MY_DISK_2");
  CHECK(n->target == "wp_my_disk_2");
  CHECK(n->directory == "my_disk_2");
}

TEST_CASE("derive_names refuses bad names") {
  CHECK(derive_names("").error().find("empty") != std::string::npos);
  CHECK(derive_names("a/b").error().find("path separator") != std::string::npos);
  CHECK(derive_names("a\\b").error().find("path separator") != std::string::npos);
  CHECK(derive_names("..").error().find("start with a letter") != std::string::npos);
  CHECK(derive_names("1Disk").error().find("start with a letter") != std::string::npos);
  CHECK(derive_names("Dis\"k").error().find("contains '\"'") != std::string::npos);
  CHECK_FALSE(derive_names(std::string("a\nb")));
  CHECK_FALSE(derive_names(std::string(65, 'a')));
}

TEST_CASE("parse_language takes c and cpp only") {
  CHECK(*parse_language("c") == plugin_language::c);
  CHECK(*parse_language("cpp") == plugin_language::cpp);
  CHECK_FALSE(parse_language("rust"));
  CHECK_FALSE(parse_language(""));
}

TEST_CASE("render_project writes CMake, source, README and test for each language") {
  const auto names = *derive_names("File Share");
  for (auto lang : {plugin_language::c, plugin_language::cpp}) {
    const bool c = lang == plugin_language::c;
    INFO((c ? "c" : "cpp"));
    auto files = render_project(names, lang);
    REQUIRE(files);
    CHECK(files->size() == 4);
    for (const auto& f : *files)
      CHECK(f.text.find("{{") == std::string::npos);

    const auto* cmake = find_file(*files, "CMakeLists.txt");
    REQUIRE(cmake);
    CHECK(cmake->text.find("find_package(Wolfpack") != std::string::npos);
    CHECK(cmake->text.find("wolfpack_add_plugin(wp_file_share src/file_share." +
                           std::string(c ? "c" : "cpp") + ")") != std::string::npos);
    const auto* test = find_file(*files, "tests/CMakeLists.txt");
    REQUIRE(test);
    CHECK(test->text.find("--standalone") != std::string::npos);
    CHECK(test->text.find("--type \"File Share\"") != std::string::npos);
    REQUIRE(find_file(*files, "README.md"));
    const auto* src = find_file(*files, c ? "src/file_share.c" : "src/file_share.cpp");
    REQUIRE(src);
    CHECK(src->text.find("L\"File Share\"") != std::string::npos);
    for (const char* entry : {"Startup", "Open", "Close", "Online", "Offline", "Terminate",
                              "LooksAlive", "IsAlive", "ResourceControl", "ResourceTypeControl"}) {
      INFO(entry);
      CHECK(src->text.find(entry) != std::string::npos);
    }
    CHECK(src->text.find("TODO") != std::string::npos);
    CHECK(src->text.find("ERROR_REVISION_MISMATCH") != std::string::npos);
  }
}

TEST_CASE("write_project writes into an absent or empty directory and refuses others") {
  temp_dir scratch;
  new_type_options o;
  o.name = "Disk";
  o.dir = (scratch.path() / "fresh").string();
  auto dir = write_project(o);
  REQUIRE(dir);
  CHECK(fs::exists(*dir / "CMakeLists.txt"));
  CHECK(fs::exists(*dir / "src/disk.c"));
  CHECK(fs::exists(*dir / "tests/CMakeLists.txt"));
  CHECK(fs::exists(*dir / "README.md"));

  // Non-empty now: refused, and nothing is overwritten.
  auto again = write_project(o);
  REQUIRE_FALSE(again);
  CHECK(again.error().find("not empty") != std::string::npos);

  // An empty directory is fine.
  fs::create_directories(scratch.path() / "empty");
  o.dir = (scratch.path() / "empty").string();
  o.lang = "cpp";
  REQUIRE(write_project(o));
  CHECK(fs::exists(scratch.path() / "empty/src/disk.cpp"));

  // A file is not a directory.
  std::ofstream(scratch.path() / "file") << "x";
  o.dir = (scratch.path() / "file").string();
  CHECK(write_project(o).error().find("not a directory") != std::string::npos);

  // Bad language: refused before anything is written.
  o.dir = (scratch.path() / "never").string();
  o.lang = "go";
  CHECK_FALSE(write_project(o));
  CHECK_FALSE(fs::exists(scratch.path() / "never"));
}
