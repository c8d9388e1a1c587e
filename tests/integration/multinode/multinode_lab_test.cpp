// The lab resource types in a 3-node cluster: a "File Server" group (IP Address <- Network
// Name, Physical Disk, File Share on both) comes online in dependency order, its owner is
// killed, and it comes online on a survivor in the same order. The lab journal, which the
// plugins write under their registry locks, shows that no two nodes ever held the address,
// the name, the share or the disk reservation at once.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <wolfpack/http/percent_encoding.hpp>

#include "../lab_journal_check.hpp"
#include "multinode_fixture.hpp"

using namespace wolfpack::itest;
using wolfpack::testing::describe_journal;
using wolfpack::testing::double_holders;
using wolfpack::testing::lab_dir_scope;
using wolfpack::testing::read_lab_journal;
using wolfpack::testing::record_value;
namespace fs = std::filesystem;

namespace {

const std::string group = "File Server";
constexpr std::uint32_t signature = 0xF11E;

std::string resource_path(const std::string& name) {
  return "/resources/" + wolfpack::http::encode_segment(name);
}

void add_resource(clussvc_node& n, const std::string& name, const std::string& type,
                  const json& private_properties, const std::vector<std::string>& providers) {
  api_ok(n, "POST", "/resources", json{{"name", name}, {"group", group}, {"type", type}});
  for (const auto& p : providers)
    api_ok(n, "POST", resource_path(name) + "/dependencies", json{{"provider", p}});
  api_ok(n, "PUT", resource_path(name) + "/properties",
         json{{"properties", {{"LooksAlivePollInterval", 100}, {"IsAlivePollInterval", 300}}}});
  api_ok(n, "PUT", resource_path(name) + "/private", json{{"properties", private_properties}});
}

void create_file_server(clussvc_node& n, const fs::path& volume) {
  api_ok(n, "POST", "/groups", json{{"name", group}});
  add_resource(n, "FS IP", "IP Address",
               {{"Address", "10.9.8.7"}, {"SubnetMask", "255.255.255.0"}, {"Network", "public"}},
               {});
  add_resource(n, "FS Name", "Network Name", {{"Name", "FILESERVER"}}, {"FS IP"});
  add_resource(n, "FS Disk", "Physical Disk", {{"Signature", signature}, {"DiskArbInterval", 1}},
               {});
  add_resource(n, "FS Share", "File Share", {{"ShareName", "Files"}, {"Path", volume.string()}},
               {"FS Disk", "FS Name"});
}

// The index of the first journal line at or after `from` where `node` took `registry`'s key.
std::optional<std::size_t> taken_at(const std::vector<json>& journal, const std::string& node,
                                    const std::string& registry, std::size_t from) {
  for (std::size_t i = from; i < journal.size(); ++i) {
    const auto& e = journal[i];
    const std::string event = e.value("event", "");
    if (e.value("node", "") == node && e.value("registry", "") == registry &&
        (event == "claim" || event == "claim_stale" || event == "reserve" || event == "break")) {
      return i;
    }
  }
  return std::nullopt;
}

// Providers first: the address before the name, the disk and the name before the share.
void check_online_order(const std::vector<json>& journal, const std::string& node,
                        std::size_t from) {
  INFO("journal:\n" << describe_journal(journal));
  INFO("node " << node);
  const auto ip = taken_at(journal, node, "network", from);
  const auto name = taken_at(journal, node, "names", from);
  const auto disk = taken_at(journal, node, "disks", from);
  const auto share = taken_at(journal, node, "shares", from);
  REQUIRE(ip);
  REQUIRE(name);
  REQUIRE(disk);
  REQUIRE(share);
  CHECK(*ip < *name);
  CHECK(*disk < *share);
  CHECK(*name < *share);
}

}  // namespace

TEST_CASE("lab File Server group fails over after kill -9 with its order and no double holder",
          "[multinode][lab]") {
  // The lab directory must be in the environment before the nodes (and their monitors) start.
  temp_dir lab;
  lab_dir_scope scope(lab.path());
  const fs::path volume =
      lab.path() / "storage" / "DISK-0000F11E" / "volume";  // provisioned by the disk's Online

  multinode_cluster c(3);
  const std::string owner = "node2";
  create_file_server(c.node(owner), volume);
  // The cluster learns each type's required dependencies and class from a monitor when the
  // type is first loaded; until then an Online that needs them is refused, so retry briefly.
  REQUIRE(wait_until(
      [&] {
        return c.node(owner)
                       .api("POST", "/groups/" + wolfpack::http::encode_segment(group) + "/online",
                            json::object())
                       .status /
                   100 ==
               2;
      },
      15s));
  INFO(c.describe_group(group));
  REQUIRE(c.wait_group_online(group, c.names()) == owner);
  CHECK(record_value(lab.path() / "network" / "10.9.8.7", "node") == owner);
  CHECK(record_value(lab.path() / "storage" / "DISK-0000F11E" / "reservation", "node") == owner);
  CHECK(record_value(lab.path() / "shares" / "FILES", "path") == volume.string());
  check_online_order(read_lab_journal(lab.path()), owner, 0);

  const std::size_t before_kill = read_lab_journal(lab.path()).size();
  std::vector<std::string> survivors = c.names();
  survivors.erase(std::remove(survivors.begin(), survivors.end(), owner), survivors.end());
  c.kill(owner);
  const std::string new_owner = c.wait_group_online(group, survivors, {owner}, 60s);
  INFO(c.describe_group(group));
  REQUIRE_FALSE(new_owner.empty());
  CHECK(c.wait_killed_monitors_gone());

  const auto journal = read_lab_journal(lab.path());
  INFO("journal:\n" << describe_journal(journal));
  check_online_order(journal, new_owner, before_kill);
  CHECK(record_value(lab.path() / "network" / "10.9.8.7", "node") == new_owner);
  CHECK(record_value(lab.path() / "names" / "FILESERVER", "node") == new_owner);
  CHECK(record_value(lab.path() / "storage" / "DISK-0000F11E" / "reservation", "node") ==
        new_owner);
  CHECK(record_value(lab.path() / "shares" / "FILES", "node") == new_owner);
  CHECK(double_holders(journal).empty());

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}
