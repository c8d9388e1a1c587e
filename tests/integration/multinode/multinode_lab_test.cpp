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

// Creates the group on `owner` and brings it online there. The cluster learns each type's
// required dependencies and class from a monitor when the type is first loaded and refuses an
// Online that needs them until then: retry briefly.
void online_file_server(multinode_cluster& c, const std::string& owner, const fs::path& volume) {
  create_file_server(c.node(owner), volume);
  const std::string online = "/groups/" + wolfpack::http::encode_segment(group) + "/online";
  REQUIRE(wait_until(
      [&] { return c.node(owner).api("POST", online, json::object()).status / 100 == 2; }, 15s));
  INFO(c.describe_group(group));
  REQUIRE(c.wait_group_online(group, c.names()) == owner);
}

// The records name `node` as the holder of everything the group holds.
void check_records(const fs::path& lab, const std::string& node) {
  CHECK(record_value(lab / "network" / "10.9.8.7", "node") == node);
  CHECK(record_value(lab / "names" / "FILESERVER", "node") == node);
  CHECK(record_value(lab / "storage" / "DISK-0000F11E" / "reservation", "node") == node);
  CHECK(record_value(lab / "shares" / "FILES", "node") == node);
}

}  // namespace

TEST_CASE("lab File Server group fails over after kill -9 with its order and no double holder",
          "[multinode][lab]") {
  // The lab directory must be in the environment before the nodes (and their monitors) start.
  temp_dir lab;
  lab_dir_scope scope(lab.path());
  // Provisioned by the disk's first Online.
  const fs::path volume = lab.path() / "storage" / "DISK-0000F11E" / "volume";

  multinode_cluster c(3);
  const std::string owner = "node2";
  online_file_server(c, owner, volume);
  check_records(lab.path(), owner);
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
  check_records(lab.path(), new_owner);
  CHECK(double_holders(journal).empty());

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}

TEST_CASE("lab File Server group moves to the majority of a partition with no double holder",
          "[multinode][lab]") {
  temp_dir lab;
  lab_dir_scope scope(lab.path());
  const fs::path volume = lab.path() / "storage" / "DISK-0000F11E" / "volume";
  multinode_cluster c(3);
  online_file_server(c, "node3", volume);
  check_records(lab.path(), "node3");

  // node3 is cut off from the others but keeps running, and so do its monitors: only the
  // cluster's fencing stops it from keeping the address, the name, the share and the disk
  // while the majority brings the group online.
  const std::size_t before_cut = read_lab_journal(lab.path()).size();
  c.set_faults("node1", {"node3"});
  c.set_faults("node2", {"node3"});
  c.set_faults("node3", {"node1", "node2"});
  const std::string new_owner = c.wait_group_online(group, {"node1", "node2"}, {"node3"}, 60s);
  INFO(c.describe_group(group));
  REQUIRE_FALSE(new_owner.empty());

  const auto journal = read_lab_journal(lab.path());
  INFO("journal:\n" << describe_journal(journal));
  check_online_order(journal, new_owner, before_cut);
  check_records(lab.path(), new_owner);
  CHECK(double_holders(journal).empty());

  for (const auto& n : c.names())
    c.set_faults(n, {});
  CHECK(c.wait_one_view(c.names()));
  CHECK(c.wait_group_online(group, c.names(), {}, 20s) == new_owner);
  CHECK(double_holders(read_lab_journal(lab.path())).empty());

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}

// UseNetworkName = 1: the plugin asks its own node, through the cluster API (OpenCluster(NULL)
// with the address and key clussvc gives its monitors), for the Network Name the resource
// depends on, and the program sees it as MSCS passes it. Without a Network Name the Online
// fails and says why.
TEST_CASE("a Generic Application with UseNetworkName sees the Network Name it depends on",
          "[multinode][lab][genapp]") {
  temp_dir lab;
  lab_dir_scope scope(lab.path());
  multinode_cluster c(1);
  auto& n = c.node("node1");
  const fs::path seen = c.file("seen-name.txt");
  api_ok(n, "POST", "/groups", json{{"name", group}});
  add_resource(n, "FS IP", "IP Address",
               {{"Address", "10.9.8.7"}, {"SubnetMask", "255.255.255.0"}, {"Network", "public"}},
               {});
  add_resource(n, "FS Name", "Network Name", {{"Name", "FILESERVER"}}, {"FS IP"});
  const std::string command =
      "/bin/sh -c 'echo \"$_CLUSTER_NETWORK_NAME_ "
      "$_CLUSTER_NETWORK_HOSTNAME_ $_CLUSTER_NETWORK_FQDN_\" > " +
      seen.string() + "; exec sleep 600'";
  add_resource(n, "FS App", "Generic Application",
               {{"CommandLine", command}, {"CurrentDirectory", "."}, {"UseNetworkName", 1}},
               {"FS Name"});

  const std::string online = "/groups/" + wolfpack::http::encode_segment(group) + "/online";
  REQUIRE(wait_until([&] { return n.api("POST", online, json::object()).status / 100 == 2; }, 15s));
  INFO(c.describe_group(group));
  REQUIRE(n.wait_resource_state("FS App", "Online", 30s));
  REQUIRE(wait_until([&] { return read_file(seen).find('\n') != std::string::npos; }, 15s));
  CHECK(read_file(seen) == "FILESERVER FILESERVER FILESERVER\n");

  // Without a Network Name among its providers the program is not started.
  const std::string lonely = "Lonely";
  api_ok(n, "POST", "/groups", json{{"name", lonely}});
  api_ok(n, "POST", "/resources",
         json{{"name", "Lonely App"}, {"group", lonely}, {"type", "Generic Application"}});
  api_ok(n, "PUT", resource_path("Lonely App") + "/private",
         json{{"properties",
               {{"CommandLine", "/bin/sh -c 'exec sleep 600'"},
                {"CurrentDirectory", "."},
                {"UseNetworkName", 1}}}});
  n.api("POST", "/groups/" + lonely + "/online", json::object());
  CHECK(n.wait_resource_state("Lonely App", "Failed", 30s));
  // The monitor's log says which property and why (ERROR_DEPENDENCY_NOT_FOUND).
  const std::string logs = n.logs();
  CHECK(logs.find("property UseNetworkName: no Network Name to use") != std::string::npos);
  CHECK(logs.find("ERROR_DEPENDENCY_NOT_FOUND (5002)") != std::string::npos);

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}
