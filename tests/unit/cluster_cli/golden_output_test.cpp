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
