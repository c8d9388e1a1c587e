// The resource types a new cluster registers: the plugins found in a directory, named as
// MSCS names them.

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "../common/temp_dir.hpp"
#include "wolfpack/cluster_runtime/default_types.hpp"
#include "wolfpack/common/platform/shared_library.hpp"

namespace {

namespace fs = std::filesystem;
using wolfpack::runtime::resource_type_name_for_plugin;
using wolfpack::runtime::scan_default_types;

void touch(const fs::path& p) {
  std::ofstream(p) << "not really a plugin";
}

std::string plugin(const std::string& stem) {
  return stem + std::string(wolfpack::platform::plugin_suffix());
}

}  // namespace

TEST_CASE("plugin stems map to the MSCS resource type names", "[default_types]") {
  CHECK(resource_type_name_for_plugin("wp_dummy") == "Dummy");
  CHECK(resource_type_name_for_plugin("wp_genapp") == "Generic Application");
  CHECK(resource_type_name_for_plugin("wp_genscript") == "Generic Script");
  CHECK(resource_type_name_for_plugin("wp_ipaddr") == "IP Address");
  CHECK(resource_type_name_for_plugin("wp_netname") == "Network Name");
  CHECK(resource_type_name_for_plugin("wp_disk") == "Physical Disk");
  CHECK(resource_type_name_for_plugin("wp_fileshare") == "File Share");
  CHECK(resource_type_name_for_plugin("wp_fsw") == "File Share Witness");
  CHECK(resource_type_name_for_plugin("wp_ocf") == "OCF Agent");
  // Not in the table: without the prefix, capitalised.
  CHECK(resource_type_name_for_plugin("wp_printer") == "Printer");
  CHECK(resource_type_name_for_plugin("wp_x") == "X");
}

TEST_CASE("the scan lists wp_ plugins with absolute paths, sorted by name", "[default_types]") {
  wolfpack::test::temp_dir dir;
  touch(dir / plugin("wp_genapp"));
  touch(dir / plugin("wp_dummy"));
  touch(dir / plugin("wp_ipaddr"));
  touch(dir / plugin("wp_zeta"));
  touch(dir / plugin("other"));                     // not wp_
  touch(dir / "wp_notes.txt");                      // not a plugin suffix
  touch(dir / ("wp_dummy" + plugin("") + ".bak"));  // suffix not last
  fs::create_directory(dir / plugin("wp_dir"));     // not a file
  touch(dir / plugin("wp_"));                       // no stem after the prefix

  const auto types = scan_default_types(dir.path());
  REQUIRE(types.size() == 4);
  CHECK(types[0].name == "Dummy");
  CHECK(types[1].name == "Generic Application");
  CHECK(types[2].name == "IP Address");
  CHECK(types[3].name == "Zeta");
  for (const auto& t : types) {
    CHECK(fs::path(t.dll).is_absolute());
    CHECK(fs::exists(t.dll));
    CHECK(t.display_name == t.name);
  }
  CHECK(fs::path(types[0].dll).filename() == plugin("wp_dummy"));
}

TEST_CASE("a relative plugin directory still gives normal absolute dll paths", "[default_types]") {
  wolfpack::test::temp_dir dir;
  fs::create_directory(dir / "bin");
  fs::create_directory(dir / "plugins");
  touch(dir / "plugins" / plugin("wp_dummy"));
  const auto cwd = fs::current_path();
  fs::current_path(dir.path());
  const auto types = scan_default_types("bin/../plugins");
  fs::current_path(cwd);
  REQUIRE(types.size() == 1);
  CHECK(fs::path(types[0].dll) == dir.path() / "plugins" / plugin("wp_dummy"));
}

TEST_CASE("two plugins giving the same type name keep the first by file name", "[default_types]") {
  wolfpack::test::temp_dir dir;
  touch(dir / plugin("wp_dummy"));
  touch(dir / plugin("wp_Dummy"));  // "Dummy" again
  const auto types = scan_default_types(dir.path());
  REQUIRE(types.size() == 1);
  // "wp_Dummy" sorts before "wp_dummy" (byte order).
  CHECK(fs::path(types[0].dll).filename() == plugin("wp_Dummy"));
}

TEST_CASE("a missing plugin directory gives no types", "[default_types]") {
  wolfpack::test::temp_dir dir;
  CHECK(scan_default_types(dir / "absent").empty());
}
