// The text output, compared with expected files in golden/ (cluster.exe's layout). Run with
// WP_UPDATE_GOLDEN=1 to rewrite the files from the current output, then review the diff.
#include <cstdlib>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "fake_api.hpp"

using namespace wolfpack::cluster_cli;
using namespace wolfpack::cluster_cli::test;

namespace {

const std::string golden_dir = std::string(WP_SOURCE_DIR) + "/tests/unit/cluster_cli/golden/";

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = golden_dir + name;
  if (std::getenv("WP_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
  }
  INFO("golden file " << path);
  CHECK(actual == read_text(path));
}

// One small cluster, as the API describes it.
void script_cluster(fake_api& api) {
  api.on_json("GET", "/resources", 200, R"([
    {"name":"Cluster IP Address","type":"IP Address","group":"Cluster Group","owner":"node1","state":"Online","code":2},
    {"name":"Cluster Name","type":"Network Name","group":"Cluster Group","owner":"node1","state":"Online","code":2},
    {"name":"Disk Q","type":"Physical Disk","group":"File Server","owner":"node2","state":"OnlinePending","code":129},
    {"name":"FS Share","type":"File Share","group":"File Server","owner":"node2","state":"Failed","code":4},
    {"name":"Payroll Generic Application","type":"Generic Application","group":"Payroll","owner":"node3","state":"Offline","code":3},
    {"name":"Scratch","type":"Dummy","group":"Payroll","owner":"node3","state":"OfflinePending","code":130}
  ])");
  api.on_json(
      "GET", "/resources/Disk%20Q", 200,
      R"({"name":"Disk Q","type":"Physical Disk","group":"File Server","owner":"node2","state":"OnlinePending","code":129})");
  api.on_json("GET", "/groups", 200, R"([
    {"name":"Cluster Group","owner":"node1","state":"Online","code":0},
    {"name":"File Server","owner":"node2","state":"PartialOnline","code":3},
    {"name":"Payroll","owner":"node3","state":"Offline","code":1},
    {"name":"Batch","owner":"node1","state":"Pending","code":4},
    {"name":"Broken","owner":"node2","code":2}
  ])");
  api.on_json("GET", "/nodes", 200, R"([
    {"name":"node1","id":1,"state":"Up","code":0},
    {"name":"node2","id":2,"state":"Paused","code":2},
    {"name":"node3","id":3,"state":"Down","code":1},
    {"name":"node4","id":4,"code":3}
  ])");
  api.on_json("GET", "/resources/Disk%20Q/properties", 200, R"({"properties":{
    "Name":{"type":"SZ","value":"Disk Q"},
    "Type":{"type":"SZ","value":"Physical Disk"},
    "Description":{"type":"SZ","value":""},
    "IsAlivePollInterval":{"type":"DWORD","value":60000},
    "LooksAlivePollInterval":{"type":"DWORD","value":4294967295},
    "PendingTimeout":{"type":"DWORD","value":180000},
    "RestartAction":{"type":"DWORD","value":2},
    "RestartThreshold":{"type":"DWORD","value":1},
    "RestartPeriod":{"type":"DWORD","value":900000},
    "RetryPeriodOnFailure":{"type":"DWORD","value":3600000},
    "SeparateMonitor":{"type":"DWORD","value":0},
    "PersistentState":{"type":"DWORD","value":1},
    "DeadlockTimeout":{"type":"DWORD","value":300000},
    "MonitorProcessId":{"type":"DWORD","value":4242},
    "LastOperationStatusCode":{"type":"QWORD","value":0}
  }})");
  api.on_json("GET", "/resources/Disk%20Q/private", 200, R"({"properties":{
    "DiskSignature":{"type":"DWORD","value":305419896},
    "Label":{"type":"SZ","value":"Data volume"},
    "MountPoints":{"type":"MULTI_SZ","value":["/mnt/q","/mnt/q-backup"]},
    "Path":{"type":"EXPAND_SZ","value":"%WOLFPACK_HOME%/disks/q"},
    "Signature":{"type":"BINARY","value":"00ff10ab0102030405060708090a0b0c0d0e0f1011"},
    "Flags":{"type":"BINARY","value":"0a0b"},
    "Size":{"type":"QWORD","value":10737418240}
  }})");
  api.on_json("GET", "/resources/FS%20Share/dependencies", 200,
              R"({"dependencies":["Disk Q","Cluster Name"],"dependents":[]})");
  api.on_json("GET", "/groups/File%20Server/owners", 200, R"({"nodes":["node2","node1"]})");
  api.on_json("GET", "/resourcetypes", 200, R"([
    {"name":"Dummy","dll":"libwolfpack_dummy.so","display_name":"Dummy"},
    {"name":"Generic Application","dll":"libwolfpack_genapp.so","display_name":"Generic Application"},
    {"name":"Physical Disk","dll":"libwolfpack_disk.so","display_name":"Physical Disk"},
    {"name":"GenScript","dll":"libwolfpack_genscript.so","display_name":"Generic Script"}
  ])");
  api.on_error("GET", "/groups/Nope", 404, 5013, "ERROR_GROUP_NOT_FOUND",
               "group 'Nope' does not exist");
  // By display name: the API knows the type as GenScript, so `cluster` looks it up in the list.
  api.on_error("GET", "/resourcetypes/Generic%20Script", 404, 5078,
               "ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND",
               "resource type 'Generic Script' does not exist");
}

cli_run run_golden(const std::vector<std::string>& args) {
  fake_clock clock;
  fake_api api(&clock);
  script_cluster(api);
  auto r = run(api, clock, args);
  return r;
}

}  // namespace

TEST_CASE("resource status of all resources", "[cluster_cli][golden]") {
  const auto r = run_golden({"/cluster:127.0.0.1:7001", "res"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  check_golden("resource_status_all.txt", r.out);
}

TEST_CASE("resource status of one resource", "[cluster_cli][golden]") {
  const auto r = run_golden({"/cluster:127.0.0.1:7001", "resource", "Disk Q", "/stat"});
  CHECK(r.code == 0);
  check_golden("resource_status_one.txt", r.out);
}

TEST_CASE("resource status filtered by node", "[cluster_cli][golden]") {
  const auto r = run_golden({"/cluster:127.0.0.1:7001", "res", "/node:NODE2"});
  CHECK(r.code == 0);
  check_golden("resource_status_node.txt", r.out);
}

TEST_CASE("group status", "[cluster_cli][golden]") {
  const auto r = run_golden({"/cluster:127.0.0.1:7001", "group"});
  CHECK(r.code == 0);
  check_golden("group_status.txt", r.out);
}

TEST_CASE("node status", "[cluster_cli][golden]") {
  const auto r = run_golden({"/cluster:127.0.0.1:7001", "node", "/status"});
  CHECK(r.code == 0);
  check_golden("node_status.txt", r.out);
}

TEST_CASE("resource common properties", "[cluster_cli][golden]") {
  const auto r = run_golden({"/cluster:127.0.0.1:7001", "res", "Disk Q", "/prop"});
  CHECK(r.code == 0);
  check_golden("resource_prop.txt", r.out);
}

TEST_CASE("resource private properties", "[cluster_cli][golden]") {
  const auto r = run_golden({"/cluster:127.0.0.1:7001", "res", "Disk Q", "/priv"});
  CHECK(r.code == 0);
  check_golden("resource_priv.txt", r.out);
}

TEST_CASE("resource dependencies", "[cluster_cli][golden]") {
  const auto r = run_golden({"/cluster:127.0.0.1:7001", "res", "FS Share", "/listdep"});
  CHECK(r.code == 0);
  check_golden("resource_listdep.txt", r.out);
}

TEST_CASE("group preferred owners", "[cluster_cli][golden]") {
  const auto r = run_golden({"/cluster:127.0.0.1:7001", "group", "File Server", "/listowners"});
  CHECK(r.code == 0);
  check_golden("group_listowners.txt", r.out);
}

TEST_CASE("resource type possible owners: every node", "[cluster_cli][golden]") {
  const auto r =
      run_golden({"/cluster:127.0.0.1:7001", "restype", "Generic Script", "/listowners"});
  CHECK(r.code == 0);
  check_golden("restype_listowners.txt", r.out);
}

TEST_CASE("resource type list", "[cluster_cli][golden]") {
  const auto r = run_golden({"/cluster:127.0.0.1:7001", "restype"});
  CHECK(r.code == 0);
  check_golden("restype_list.txt", r.out);
}

TEST_CASE("an API error", "[cluster_cli][golden]") {
  const auto r = run_golden({"/cluster:127.0.0.1:7001", "group", "Nope"});
  CHECK(r.code == 5013);
  CHECK(r.out.empty());
  check_golden("error_group_not_found.txt", r.err);
}

TEST_CASE("a usage error", "[cluster_cli][golden]") {
  const auto r = run_golden({"res", "X", "/frobnicate"});
  CHECK(r.code == 87);
  CHECK(r.out.empty());
  check_golden("error_invalid_option.txt", r.err);
}

TEST_CASE("bringing a resource online shows the progress line and the final row",
          "[cluster_cli][golden]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on_json("POST", "/resources/Disk%20Q/online", 202,
              R"({"name":"Disk Q","group":"File Server","owner":"node2","state":"OnlinePending"})");
  api.on_json("GET", "/resources/Disk%20Q", 200,
              R"({"name":"Disk Q","group":"File Server","owner":"node2","state":"OnlinePending"})");
  api.on_json("GET", "/resources/Disk%20Q", 200,
              R"({"name":"Disk Q","group":"File Server","owner":"node2","state":"Online"})");
  const auto r = run(api, clock, {"/cluster:127.0.0.1:7001", "res", "Disk Q", "/on"});
  CHECK(r.code == 0);
  check_golden("resource_online.txt", r.out);
}

// `cluster /quorum` against a node whose GET /cluster/quorum answers `view`.
cli_run run_quorum(const std::string& view) {
  fake_clock clock;
  fake_api api(&clock);
  api.on_json("GET", "/cluster/quorum", 200, view);
  return run(api, clock, {"/cluster:127.0.0.1:7001", "/quorum"});
}

TEST_CASE("quorum configuration with a file share witness", "[cluster_cli][golden][quorum]") {
  const auto r = run_quorum(R"({"type":"NodeAndWitnessMajority","resource":"File Share Witness",)"
                            R"("resource_type":"File Share Witness","holder":"node2","votes":3})");
  CHECK(r.code == 0);
  check_golden("quorum_witness.txt", r.out);
}

TEST_CASE("quorum configuration without a witness", "[cluster_cli][golden][quorum]") {
  const auto r = run_quorum(R"({"type":"NodeMajority","resource":null,"holder":null,"votes":3})");
  CHECK(r.code == 0);
  check_golden("quorum_node_majority.txt", r.out);
}

namespace {

// Networks and interfaces of a three-node cluster, as the API describes them.
void script_networks(fake_api& api) {
  api.on_json("GET", "/networks", 200, R"({"networks":[
    {"name":"Private","id":"n1","state":"Up","code":3,"role":1,"role_name":"InternalUse",
     "address":"10.0.0.0","mask":"255.255.255.0","priority":1,
     "interfaces":["node1 - eth1","node2 - eth1"]},
    {"name":"Public","id":"n2","state":"Partitioned","code":2,"role":3,
     "role_name":"InternalAndClient","address":"192.168.1.0","mask":"255.255.255.0",
     "priority":2,"interfaces":["node1 - eth0","node2 - eth0"]},
    {"name":"Backup","id":"n3","state":"Down","code":1,"role":2,"role_name":"ClientAccess",
     "address":"172.16.0.0","mask":"255.255.0.0","priority":0,"interfaces":["node3 - eth2"]},
    {"name":"Storage","id":"n4","code":0,"role":0,"role_name":"None",
     "address":"10.9.0.0","mask":"255.255.0.0","priority":0,"interfaces":[]}
  ]})");
  api.on_json("GET", "/networks/Public", 200,
              R"({"name":"Public","id":"n2","state":"Partitioned","code":2,"role":3,
                  "role_name":"InternalAndClient","address":"192.168.1.0",
                  "mask":"255.255.255.0","priority":2,
                  "interfaces":["node1 - eth0","node2 - eth0"]})");
  api.on_json("GET", "/networks/Public/properties", 200, R"({"properties":{
    "Name":{"type":"SZ","value":"Public"},
    "Description":{"type":"SZ","value":"Client LAN"},
    "Role":{"type":"DWORD","value":3},
    "Address":{"type":"SZ","value":"192.168.1.0","read_only":true},
    "AddressMask":{"type":"SZ","value":"255.255.255.0","read_only":true},
    "Priority":{"type":"DWORD","value":2,"read_only":true}
  }})");
  const std::string all_interfaces = R"({"netinterfaces":[
    {"name":"node1 - eth0","id":"i1","state":"Up","code":3,"node":"node1","network":"Public",
     "adapter":"eth0","address":"192.168.1.11"},
    {"name":"node1 - eth1","id":"i2","state":"Up","code":3,"node":"node1","network":"Private",
     "adapter":"eth1","address":"10.0.0.11"},
    {"name":"node2 - eth0","id":"i3","state":"Unreachable","code":2,"node":"node2",
     "network":"Public","adapter":"eth0","address":"192.168.1.12"},
    {"name":"node2 - eth1","id":"i4","state":"Up","code":3,"node":"node2","network":"Private",
     "adapter":"eth1","address":"10.0.0.12"},
    {"name":"node3 - eth2","id":"i5","code":1,"node":"node3","network":"Backup",
     "adapter":"eth2","address":"172.16.0.13"}
  ]})";
  api.on_json("GET", "/netinterfaces", 200, all_interfaces);
  const std::string node1_interfaces = R"({"netinterfaces":[
    {"name":"node1 - eth0","id":"i1","state":"Up","code":3,"node":"node1","network":"Public",
     "adapter":"eth0","address":"192.168.1.11"},
    {"name":"node1 - eth1","id":"i2","state":"Up","code":3,"node":"node1","network":"Private",
     "adapter":"eth1","address":"10.0.0.11"}
  ]})";
  api.on_json("GET", "/netinterfaces?node=node1", 200, node1_interfaces);
  api.on_json("GET", "/nodes/node1/interfaces", 200, node1_interfaces);
  const std::string public_interfaces = R"({"netinterfaces":[
    {"name":"node1 - eth0","id":"i1","state":"Up","code":3,"node":"node1","network":"Public",
     "adapter":"eth0","address":"192.168.1.11"},
    {"name":"node2 - eth0","id":"i3","state":"Unreachable","code":2,"node":"node2",
     "network":"Public","adapter":"eth0","address":"192.168.1.12"}
  ]})";
  api.on_json("GET", "/netinterfaces?network=Public", 200, public_interfaces);
  api.on_json("GET", "/networks/Public/interfaces", 200, public_interfaces);
  api.on_json("GET", "/netinterfaces?node=node2&network=Public", 200, R"({"netinterfaces":[
    {"name":"node2 - eth0","id":"i3","state":"Unreachable","code":2,"node":"node2",
     "network":"Public","adapter":"eth0","address":"192.168.1.12"}]})");
  api.on_json("GET", "/netinterfaces/node2%20-%20eth0/properties", 200, R"({"properties":{
    "Name":{"type":"SZ","value":"node2 - eth0","read_only":true},
    "Description":{"type":"SZ","value":""},
    "Node":{"type":"SZ","value":"node2","read_only":true},
    "Network":{"type":"SZ","value":"Public","read_only":true},
    "Adapter":{"type":"SZ","value":"eth0","read_only":true},
    "Address":{"type":"SZ","value":"192.168.1.12","read_only":true}
  }})");
  api.on_json("GET", "/netinterfaces?node=node3&network=Public", 200, R"({"netinterfaces":[]})");
  api.on_json("GET", "/cluster/networkpriority", 200, R"({"networks":["Private","Public"]})");
  api.on_json("PUT", "/cluster/networkpriority", 200, R"({"networks":["Public","Private"]})");
  api.on_error("GET", "/networks/Nope", 404, 5045, "ERROR_CLUSTER_NETWORK_NOT_FOUND",
               "network 'Nope' does not exist in cluster 'lab'");
}

cli_run run_network_golden(const std::vector<std::string>& args) {
  fake_clock clock;
  fake_api api(&clock);
  script_networks(api);
  return run(api, clock, args);
}

}  // namespace

TEST_CASE("network golden outputs", "[cluster_cli][golden][network]") {
  struct example {
    std::vector<std::string> args;
    const char* file;
  };
  for (const auto& [args, file] : {
           example{{"net"}, "network_status_all.txt"},
           example{{"network", "Public", "/stat"}, "network_status_one.txt"},
           example{{"net", "Public", "/prop"}, "network_prop.txt"},
           example{{"net", "Public", "/priv"}, "network_priv.txt"},
           example{{"net", "Public", "/listint"}, "network_listint.txt"},
           example{{"netint"}, "netint_status_all.txt"},
           example{{"netint", "/node:node1"}, "netint_status_node.txt"},
           example{{"netint", "/net:Public", "/status"}, "netint_status_network.txt"},
           example{{"netinterface", "/node:node2", "/network:Public"}, "netint_status_one.txt"},
           example{{"netint", "/node:node2", "/net:Public", "/prop"}, "netint_prop.txt"},
           example{{"node", "node1", "/listint"}, "node_listint.txt"},
           example{{"/listnetpri"}, "listnetpri.txt"},
           example{{"/setnetpri:Public,Private"}, "setnetpri.txt"},
       }) {
    std::vector<std::string> full{"/cluster:127.0.0.1:7001"};
    full.insert(full.end(), args.begin(), args.end());
    const auto r = run_network_golden(full);
    INFO(file << "\n" << r.err);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    check_golden(file, r.out);
  }
}

TEST_CASE("network errors", "[cluster_cli][golden][network]") {
  auto r = run_network_golden({"/cluster:127.0.0.1:7001", "net", "Nope"});
  CHECK(r.code == 5045);
  CHECK(r.out.empty());
  check_golden("error_network_not_found.txt", r.err);

  r = run_network_golden({"/cluster:127.0.0.1:7001", "netint", "/node:node3", "/net:Public"});
  CHECK(r.code == 5047);
  CHECK(r.out.empty());
  check_golden("error_netint_not_found.txt", r.err);
}
