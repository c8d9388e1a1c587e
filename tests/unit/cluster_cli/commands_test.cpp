// What the commands send, how they wait, and what they exit with.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "fake_api.hpp"
#include "wolfpack/cluster_cli/cli_error.hpp"
#include "wolfpack/cluster_cli/command_line.hpp"

using namespace wolfpack::cluster_cli;
using namespace wolfpack::cluster_cli::test;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

const std::string at = "/cluster:127.0.0.1:7001";

json resource(const std::string& state) {
  return json{{"name", "Disk Q"}, {"group", "File Server"}, {"owner", "node2"}, {"state", state}};
}

json group(const std::string& state, const std::string& owner = "node2") {
  return json{{"name", "File Server"}, {"owner", owner}, {"state", state}};
}

json resource_event(const std::string& name, const std::string& state) {
  return json{{"seq", 1},      {"kind", "RESOURCE_STATE"},
              {"filter", 256}, {"object", "resource"},
              {"name", name},  {"state", state}};
}

}  // namespace

TEST_CASE("setting properties sends typed values, reading current types when needed",
          "[cluster_cli][properties]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on_json("GET", "/resources/Disk%20Q/properties", 200, R"({"properties":{
      "RestartThreshold":{"type":"DWORD","value":1},
      "Description":{"type":"SZ","value":""},
      "Owners":{"type":"MULTI_SZ","value":[]}}})");
  api.on("PUT", "/resources/Disk%20Q/properties", 200, json::object());

  const auto r = run(
      api, clock,
      split_command_line(at +
                         R"( res "Disk Q" /prop RestartThreshold=5 Description="a, b" )"
                         R"(PendingTimeout=0x10:dword Owners=node1,node2 FailbackWindowStart=-1 )"
                         R"(NewOne=hello)"));
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.empty());  // cluster.exe prints nothing when a property list is set
  CHECK(api.lines() == std::vector<std::string>{"GET /resources/Disk%20Q/properties",
                                                "PUT /resources/Disk%20Q/properties"});
  CHECK(api.body_of("PUT", "/resources/Disk%20Q/properties") == json::parse(R"({"properties":{
      "RestartThreshold":{"type":"DWORD","value":5},
      "Description":{"type":"SZ","value":"a, b"},
      "PendingTimeout":{"type":"DWORD","value":16},
      "Owners":{"type":"MULTI_SZ","value":["node1","node2"]},
      "FailbackWindowStart":{"type":"DWORD","value":4294967295},
      "NewOne":{"type":"SZ","value":"hello"}}})"));
}

TEST_CASE("private properties with every format need no read first", "[cluster_cli][properties]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("PUT", "/resources/Disk%20Q/private", 200, nullptr);
  const auto r = run(api, clock,
                     {at, "res", "Disk Q", "/priv", "Count=42:dword", "Big=0x100000000:ularge",
                      "Label=Data, volume:string", "Path=%HOME%/q:expandstr",
                      "Mounts=/mnt/a,/mnt/b:multistr", "Sig=12,0xab,255:binary"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"PUT /resources/Disk%20Q/private"});
  CHECK(api.body_of("PUT", "/resources/Disk%20Q/private") == json::parse(R"({"properties":{
      "Count":{"type":"DWORD","value":42},
      "Big":{"type":"QWORD","value":4294967296},
      "Label":{"type":"SZ","value":"Data, volume"},
      "Path":{"type":"EXPAND_SZ","value":"%HOME%/q"},
      "Mounts":{"type":"MULTI_SZ","value":["/mnt/a","/mnt/b"]},
      "Sig":{"type":"BINARY","value":"0cabff"}}})"));
}

TEST_CASE("/usedefault resets the named properties", "[cluster_cli][properties]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("PUT", "/groups/File%20Server/properties", 200, nullptr);
  const auto r =
      run(api, clock,
          {at, "group", "File Server", "/prop:FailoverThreshold,FailoverPeriod", "/usedefault"});
  CHECK(r.code == 0);
  CHECK(api.body_of("PUT", "/groups/File%20Server/properties") ==
        json::parse(R"({"properties":{"FailoverThreshold":null,"FailoverPeriod":null}})"));
}

TEST_CASE("cluster and resource type properties use their own paths", "[cluster_cli][properties]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("PUT", "/cluster/properties", 200, nullptr);
  api.on_json(
      "GET", "/resourcetypes/Generic%20Script", 404,
      R"({"error":{"code":5078,"name":"ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND","message":"no type"}})");
  api.on_json("GET", "/resourcetypes", 200,
              R"([{"name":"GenScript","dll":"x.so","display_name":"Generic Script"}])");
  api.on("PUT", "/resourcetypes/GenScript/properties", 200, nullptr);

  auto r = run(api, clock, {at, "/prop", "SameSubnetDelay=2000:dword"});
  CHECK(r.code == 0);
  CHECK(api.body_of("PUT", "/cluster/properties") ==
        json::parse(R"({"properties":{"SameSubnetDelay":{"type":"DWORD","value":2000}}})"));

  // cluster.exe names types by display name; the API by type name.
  r = run(api, clock, {at, "restype", "Generic Script", "/prop", "DebugPrefix=gdb:string"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.body_of("PUT", "/resourcetypes/GenScript/properties") ==
        json::parse(R"({"properties":{"DebugPrefix":{"type":"SZ","value":"gdb"}}})"));
}

TEST_CASE("a bad property value is a usage error and nothing is sent",
          "[cluster_cli][properties]") {
  fake_clock clock;
  fake_api api(&clock);
  const auto r = run(api, clock, {at, "res", "Disk Q", "/prop", "RestartThreshold=lots:dword"});
  CHECK(r.code == 87);
  CHECK(r.exit == 87);
  CHECK(api.requests.empty());
  CHECK(r.err ==
        "System error 87 has occurred (0x00000057).\n"
        "The parameter is incorrect.\n"
        "Property 'RestartThreshold': 'lots' is not a DWORD (0 to 4294967295, or 0x hex).\n");
}

TEST_CASE("create, delete, rename and the rest send the API's bodies", "[cluster_cli][requests]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("POST", "/resources", 201, resource("Offline"));
  api.on("POST", "/groups", 201, group("Offline"));
  api.on("POST", "/resourcetypes", 201, json{{"name", "MyType"}});
  api.on("DELETE", "/resources/Disk%20Q", 204);
  api.on("DELETE", "/resourcetypes/MyType", 204);
  api.on("POST", "/groups/File%20Server/rename", 200, group("Online"));
  api.on("POST", "/resources/Disk%20Q/dependencies", 201);
  api.on("DELETE", "/resources/Disk%20Q/dependencies/Cluster%20Name", 204);
  api.on("POST", "/resources/Disk%20Q/owners", 200);
  api.on("DELETE", "/resources/Disk%20Q/owners/node3", 204);
  api.on("PUT", "/groups/File%20Server/owners", 200, json{{"nodes", {"node2", "node1"}}});
  api.on("POST", "/resources/Disk%20Q/move", 200, resource("Online"));
  api.on("POST", "/resources/Disk%20Q/fail", 202, resource("Failed"));

  struct example {
    std::vector<std::string> args;
    std::string request;
    json body;
  };
  for (
      const auto& [args, request, body] : {
          example{
              {"res", "Disk Q", "/create", "/group:File Server", "/type:Physical Disk",
               "/separate"},
              "POST /resources",
              json::parse(
                  R"({"name":"Disk Q","group":"File Server","type":"Physical Disk","separate_monitor":true})")},
          example{
              {"group", "File Server", "/create"}, "POST /groups", json{{"name", "File Server"}}},
          example{
              {"restype", "My Type", "/create", "/dll:libmy.so", "/type:MyType", "/looksalive:5000",
               "/isalive:60000"},
              "POST /resourcetypes",
              json::parse(
                  R"({"name":"MyType","dll":"libmy.so","display_name":"My Type","looks_alive_ms":5000,"is_alive_ms":60000})")},
          example{{"res", "Disk Q", "/delete"}, "DELETE /resources/Disk%20Q", nullptr},
          example{
              {"restype", "MyType", "/delete", "/type"}, "DELETE /resourcetypes/MyType", nullptr},
          example{{"group", "File Server", "/ren:Files"},
                  "POST /groups/File%20Server/rename",
                  json{{"name", "Files"}}},
          example{{"res", "Disk Q", "/adddep:Cluster Name"},
                  "POST /resources/Disk%20Q/dependencies",
                  json{{"provider", "Cluster Name"}}},
          example{{"res", "Disk Q", "/removedep:Cluster Name"},
                  "DELETE /resources/Disk%20Q/dependencies/Cluster%20Name",
                  nullptr},
          example{{"res", "Disk Q", "/addowner:node3"},
                  "POST /resources/Disk%20Q/owners",
                  json{{"node", "node3"}}},
          example{{"res", "Disk Q", "/removeowner:node3"},
                  "DELETE /resources/Disk%20Q/owners/node3",
                  nullptr},
          example{{"group", "File Server", "/setowners:node2,node1"},
                  "PUT /groups/File%20Server/owners",
                  json{{"nodes", {"node2", "node1"}}}},
          example{{"res", "Disk Q", "/moveto:Cluster Group"},
                  "POST /resources/Disk%20Q/move",
                  json{{"group", "Cluster Group"}}},
          example{{"res", "Disk Q", "/fail"}, "POST /resources/Disk%20Q/fail", nullptr},
      }) {
    api.requests.clear();
    std::vector<std::string> full{at};
    full.insert(full.end(), args.begin(), args.end());
    const auto r = run(api, clock, full);
    INFO(request << "\n" << r.err);
    CHECK(r.code == 0);
    REQUIRE(api.requests.size() == 1);
    CHECK(api.requests[0].line() == request);
    CHECK(api.requests[0].body.value_or(nullptr) == body);
  }
}

TEST_CASE("progress lines match cluster.exe's", "[cluster_cli][requests]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("POST", "/resources", 201, resource("Offline"));
  api.on("DELETE", "/groups/File%20Server", 204);
  api.on("POST", "/resourcetypes", 201, json{{"name", "MyType"}});

  auto r = run(api, clock,
               {at, "res", "Disk Q", "/create", "/group:File Server", "/type:Physical Disk"});
  CHECK(r.out ==
        "Creating resource 'Disk Q'...\n"
        "\n"
        "Resource             Group                Node            Status\n"
        "-------------------- -------------------- --------------- ------\n"
        "Disk Q               File Server          node2           Offline\n");
  r = run(api, clock, {at, "group", "File Server", "/delete"});
  CHECK(r.out == "Deleting resource group 'File Server'\n");
  r = run(api, clock, {at, "restype", "My Type", "/create", "/dll:libmy.so"});
  CHECK(r.out == "Resource type 'My Type' created\n");
}

TEST_CASE("node commands without a name act on the node that answers", "[cluster_cli][requests]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on_json("GET", "/cluster", 200, R"({"name":"lab","node":"node2","nodes":["node1","node2"]})");
  api.on_json("POST", "/nodes/node2/pause", 200,
              R"({"name":"node2","id":2,"state":"Paused","code":2})");
  const auto r = run(api, clock, {at, "node", "/pause"});
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /cluster", "POST /nodes/node2/pause"});
  CHECK(r.out ==
        "Pausing node 'node2'...\n"
        "\n"
        "Node           Node ID Status\n"
        "-------------- ------- ---------------------\n"
        "node2                2 Paused\n");
}

TEST_CASE("/online polls until the state settles when there is no event stream",
          "[cluster_cli][wait]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("POST", "/resources/Disk%20Q/online", 202, resource("OnlinePending"));
  api.on("GET", "/resources/Disk%20Q", 200, resource("OnlinePending"));
  api.on("GET", "/resources/Disk%20Q", 200, resource("OnlinePending"));
  api.on("GET", "/resources/Disk%20Q", 200, resource("Online"));

  const auto r = run(api, clock, {at, "res", "Disk Q", "/online"});
  CHECK(r.code == 0);
  CHECK_FALSE(api.subscribed);
  CHECK(api.body_of("POST", "/resources/Disk%20Q/online").is_null());
  CHECK(api.lines() ==
        std::vector<std::string>{"POST /resources/Disk%20Q/online", "GET /resources/Disk%20Q",
                                 "GET /resources/Disk%20Q", "GET /resources/Disk%20Q"});
  CHECK(clock.slept() == milliseconds(500));  // two polls of 250 ms
  CHECK(r.out.find("Disk Q               File Server          node2           Online\n") !=
        std::string::npos);
}

TEST_CASE("/online follows the event stream when there is one", "[cluster_cli][wait]") {
  fake_clock clock;
  fake_api api(&clock);
  api.with_events()
      .event(resource_event("Other", "Online"))  // someone else's resource
      .event(json{
          {"kind", "GROUP_STATE"}, {"object", "group"}, {"name", "Disk Q"}, {"state", "Online"}})
      .event(resource_event("disk q", "OnlinePending"))  // ours (names ignore case), not yet
      .event(resource_event("Disk Q", "Online"));
  api.on("POST", "/resources/Disk%20Q/online", 202, resource("OnlinePending"));
  api.on("GET", "/resources/Disk%20Q", 200, resource("OnlinePending"));
  api.on("GET", "/resources/Disk%20Q", 200, resource("Online"));

  const auto r = run(api, clock, {at, "res", "Disk Q", "/on"});
  CHECK(r.code == 0);
  CHECK(api.subscribed);
  // Subscribed before the POST; one look after it, one read for the final row.
  CHECK(api.lines() == std::vector<std::string>{"POST /resources/Disk%20Q/online",
                                                "GET /resources/Disk%20Q",
                                                "GET /resources/Disk%20Q"});
  CHECK(clock.slept() == milliseconds(0));
  CHECK(r.out.find("node2           Online\n") != std::string::npos);
}

TEST_CASE("a quiet event stream falls back to reading the state", "[cluster_cli][wait]") {
  fake_clock clock;
  fake_api api(&clock);
  api.with_events();  // no events ever come
  api.on("POST", "/resources/Disk%20Q/offline", 202, resource("OfflinePending"));
  api.on("GET", "/resources/Disk%20Q", 200, resource("OfflinePending"));
  api.on("GET", "/resources/Disk%20Q", 200, resource("Offline"));

  const auto r = run(api, clock, {at, "res", "Disk Q", "/off"});
  CHECK(r.code == 0);
  CHECK(clock.elapsed() == seconds(1));  // one quiet second, then a look
  CHECK(r.out.rfind("Taking resource 'Disk Q' offline...\n\n", 0) == 0);
}

TEST_CASE("/wait:N times out with the pending state and ERROR_TIMEOUT", "[cluster_cli][wait]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("POST", "/resources/Disk%20Q/online", 202, resource("OnlinePending"));
  api.on("GET", "/resources/Disk%20Q", 200, resource("OnlinePending"));

  const auto r = run(api, clock, {at, "res", "Disk Q", "/online", "/wait:2"});
  CHECK(r.code == 1460);
  CHECK(r.exit == 255);
  CHECK(clock.elapsed() == seconds(2));
  CHECK(r.out ==
        "Bringing resource 'Disk Q' online...\n"
        "\n"
        "Resource             Group                Node            Status\n"
        "-------------------- -------------------- --------------- ------\n"
        "Disk Q               File Server          node2           Online Pending\n");
  CHECK(r.err ==
        "System error 1460 has occurred (0x000005b4).\n"
        "This operation returned because the timeout period expired.\n"
        "'Disk Q' is still Online Pending after 2 s.\n");
}

TEST_CASE("/wait:0 does not wait", "[cluster_cli][wait]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("POST", "/resources/Disk%20Q/online", 202, resource("OnlinePending"));
  const auto r = run(api, clock, {at, "res", "Disk Q", "/online", "/wait:0"});
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"POST /resources/Disk%20Q/online"});
  CHECK(r.out.find("Online Pending") != std::string::npos);
}

TEST_CASE("an object already in the state answers 200 and is not waited for",
          "[cluster_cli][wait]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("POST", "/resources/Disk%20Q/online", 200, resource("Online"));
  const auto r = run(api, clock, {at, "res", "Disk Q", "/online"});
  CHECK(r.code == 0);
  CHECK(api.lines().size() == 1);
}

TEST_CASE("an online that ends Failed exits with ERROR_RESOURCE_FAILED", "[cluster_cli][wait]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("POST", "/resources/Disk%20Q/online", 202, resource("OnlinePending"));
  api.on("GET", "/resources/Disk%20Q", 200, resource("Failed"));
  const auto r = run(api, clock, {at, "res", "Disk Q", "/online"});
  CHECK(r.code == 5038);
  CHECK(r.out.find("node2           Failed\n") != std::string::npos);
  CHECK(r.err ==
        "System error 5038 has occurred (0x000013ae).\n"
        "A cluster resource failed.\n"
        "'Disk Q' is Failed, not Online.\n");
}

TEST_CASE("group /online to a node sends the node and waits for the group", "[cluster_cli][wait]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("POST", "/groups/File%20Server/online", 202, group("Pending", "node1"));
  api.on("GET", "/groups/File%20Server", 200, group("Pending", "node1"));
  api.on("GET", "/groups/File%20Server", 200, group("PartialOnline", "node1"));
  const auto r = run(api, clock, {at, "group", "File Server", "/online:node1"});
  CHECK(api.body_of("POST", "/groups/File%20Server/online") == json{{"node", "node1"}});
  CHECK(r.code == 5014);  // settled, but not Online
  CHECK(r.out.find("File Server          node1           Partially Online\n") != std::string::npos);
}

TEST_CASE("group /move waits past the passing Offline, 20 s by default", "[cluster_cli][wait]") {
  SECTION("settles") {
    fake_clock clock;
    fake_api api(&clock);
    api.on("GET", "/groups/File%20Server", 200, group("Online", "node2"));  // before the move
    api.on("GET", "/groups/File%20Server", 200, group("Offline", "node1"));
    api.on("GET", "/groups/File%20Server", 200, group("Pending", "node1"));
    api.on("GET", "/groups/File%20Server", 200, group("Online", "node1"));
    api.on("POST", "/groups/File%20Server/move", 200, group("Offline", "node1"));
    const auto r = run(api, clock, {at, "group", "File Server", "/moveto:node1"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(api.body_of("POST", "/groups/File%20Server/move") == json{{"node", "node1"}});
    CHECK(r.out ==
          "Moving resource group 'File Server'...\n"
          "\n"
          "Group                Node            Status\n"
          "-------------------- --------------- ------\n"
          "File Server          node1           Online\n");
  }
  SECTION("times out") {
    fake_clock clock;
    fake_api api(&clock);
    api.on("GET", "/groups/File%20Server", 200, group("Online", "node2"));
    api.on("GET", "/groups/File%20Server", 200, group("Pending", "node1"));
    api.on("POST", "/groups/File%20Server/move", 200, group("Pending", "node1"));
    const auto r = run(api, clock, {at, "group", "File Server", "/move"});
    CHECK(api.body_of("POST", "/groups/File%20Server/move") == json::object());
    CHECK(r.code == 1460);
    CHECK(clock.elapsed() == seconds(20));
    CHECK(r.err.find(
              "'File Server' is still Pending after 20 s (give /wait:SECONDS to wait longer).") !=
          std::string::npos);
  }
  SECTION("an offline group has nothing to restore") {
    fake_clock clock;
    fake_api api(&clock);
    api.on("GET", "/groups/File%20Server", 200, group("Offline", "node2"));
    api.on("POST", "/groups/File%20Server/move", 200, group("Offline", "node1"));
    const auto r = run(api, clock, {at, "group", "File Server", "/move"});
    CHECK(r.code == 0);
    CHECK(api.lines().size() == 2);
    CHECK(clock.elapsed() == seconds(0));
  }
}

TEST_CASE("/json prints the API's JSON", "[cluster_cli][json]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("GET", "/resources/Disk%20Q", 200, resource("Online"));
  api.on_error("GET", "/groups/Nope", 404, 5013, "ERROR_GROUP_NOT_FOUND",
               "group 'Nope' does not exist");

  auto r = run(api, clock, {at, "res", "Disk Q", "/json"});
  CHECK(r.code == 0);
  CHECK(json::parse(r.out) == resource("Online"));

  r = run(api, clock, {at, "group", "Nope", "-json"});
  CHECK(r.code == 5013);
  CHECK(r.out.empty());
  CHECK(json::parse(r.err)["error"]["name"] == "ERROR_GROUP_NOT_FOUND");

  r = run(api, clock, {"res", "/bogus", "/json"});
  CHECK(r.code == 87);
  CHECK(json::parse(r.err)["error"]["code"] == 87);
  CHECK(json::parse(r.err)["error"]["name"] == "ERROR_INVALID_PARAMETER");
}

TEST_CASE("exit codes are the Win32 codes, at most 255", "[cluster_cli][exit]") {
  CHECK(exit_status(0) == 0);
  CHECK(exit_status(87) == 87);
  CHECK(exit_status(255) == 255);
  CHECK(exit_status(1460) == 255);
  CHECK(exit_status(5013) == 255);
  CHECK(exit_status(5376) == 255);  // a multiple of 256 never reads as success

  fake_clock clock;
  fake_api api(&clock);
  api.unreachable("connection refused");
  const auto r = run(api, clock, {at, "node"});
  CHECK(r.code == 1225);
  CHECK(r.exit == 255);
  CHECK(r.err ==
        "System error 1225 has occurred (0x000004c9).\n"
        "The remote computer refused the network connection.\n"
        "No answer from 127.0.0.1:7001: connection refused\n");
}

TEST_CASE("an API error without a body takes its code from the HTTP status",
          "[cluster_cli][exit]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("GET", "/nodes/nodeX", 404, nullptr);
  const auto r = run(api, clock, {at, "node", "nodeX"});
  CHECK(r.code == 1168);
  CHECK(r.err ==
        "System error 1168 has occurred (0x00000490).\n"
        "Element not found.\n"
        "the node answered HTTP 404\n");
}

TEST_CASE("help needs no cluster", "[cluster_cli][exit]") {
  fake_clock clock;
  fake_api api(&clock);
  const auto r = run(api, clock, {"group", "/?"});
  CHECK(r.code == 0);
  CHECK(r.out.find("CLUSTER [[/CLUSTER:]cluster] GROUP <options>") != std::string::npos);
  CHECK(api.requests.empty());
}

TEST_CASE("properties of every object take one request each", "[cluster_cli][properties]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on_json("GET", "/groups", 200, R"({"groups":[{"name":"G1"},{"name":"G 2"}]})");
  api.on_json("GET", "/groups/G1/properties", 200,
              R"({"properties":{"FailoverPeriod":{"type":"DWORD","value":6}}})");
  api.on_json("GET", "/groups/G%202/properties", 200,
              R"({"FailoverPeriod":{"type":"DWORD","value":2},"GroupType":9999})");
  auto r = run(api, clock, {at, "group", "/prop"});
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /groups", "GET /groups/G1/properties",
                                                "GET /groups/G%202/properties"});
  CHECK(r.out ==
        "Listing properties for all resource groups:\n"
        "\n"
        "T  Resource Group       Name                           Value\n"
        "-- -------------------- ------------------------------ -----------------------\n"
        "D  G1                   FailoverPeriod                 6 (0x6)\n"
        "D  G 2                  FailoverPeriod                 2 (0x2)\n"
        "DR G 2                  GroupType                      9999 (0x270f)\n");

  r = run(api, clock, {at, "group", "/prop", "/json"});
  CHECK(r.code == 0);
  CHECK(json::parse(r.out) == json::parse(R"([
      {"name":"G1","properties":{"FailoverPeriod":{"type":"DWORD","value":6}}},
      {"name":"G 2","properties":{"FailoverPeriod":{"type":"DWORD","value":2},"GroupType":9999}}])"));
}

namespace {

json witness_view(const std::string& holder) {
  return json{{"type", "NodeAndWitnessMajority"},
              {"resource", "Witness"},
              {"resource_type", "File Share Witness"},
              {"holder", holder},
              {"votes", 3}};
}

// The column headings of the quorum listing.
const std::string quorum_head =
    "Quorum Resource Name Quorum Type                    Held By\n"
    "-------------------- ------------------------------ ---------------\n";

const json node_majority_view =
    json::parse(R"({"type":"NodeMajority","resource":null,"holder":null,"votes":2})");

}  // namespace

TEST_CASE("/quorum reads the quorum configuration", "[cluster_cli][quorum]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("GET", "/cluster/quorum", 200, witness_view("node1"));
  auto r = run(api, clock, {at, "/quorum"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /cluster/quorum"});
  CHECK(r.out == quorum_head + "Witness              Node and File Share Majority   node1\n");

  r = run(api, clock, {at, "/quorumresource", "/json"});
  CHECK(r.code == 0);
  CHECK(json::parse(r.out) == witness_view("node1"));
}

TEST_CASE("/quorum:NAME makes NAME the witness and shows the new configuration",
          "[cluster_cli][quorum]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("PUT", "/cluster/quorum", 200, witness_view("node2"));
  const auto r = run(api, clock, {at, "/quorum:Witness"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"PUT /cluster/quorum"});
  CHECK(api.body_of("PUT", "/cluster/quorum") == json{{"resource", "Witness"}});
  CHECK(r.out ==
        "Making resource 'Witness' the quorum witness...\n"
        "\n" +
            quorum_head + "Witness              Node and File Share Majority   node2\n");
}

TEST_CASE("/quorum /nodemajority removes the witness", "[cluster_cli][quorum]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("PUT", "/cluster/quorum", 200, node_majority_view);
  auto r = run(api, clock, {at, "/quorum", "/nodemajority"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.body_of("PUT", "/cluster/quorum") == json{{"resource", ""}});
  CHECK(r.out ==
        "Changing the quorum to node majority...\n"
        "\n" +
            quorum_head + "                     Node Majority\n");

  // /json: the API's answer to the PUT, and no progress line.
  api.requests.clear();
  r = run(api, clock, {at, "-quorum", "-nodemajority", "-json"});
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"PUT /cluster/quorum"});
  CHECK(json::parse(r.out) == node_majority_view);
}

TEST_CASE("a PUT answered without the configuration reads it", "[cluster_cli][quorum]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("PUT", "/cluster/quorum", 204);
  api.on("GET", "/cluster/quorum", 200, witness_view(""));
  const auto r = run(api, clock, {at, "/quorum:Witness"});
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"PUT /cluster/quorum", "GET /cluster/quorum"});
  CHECK(r.out.find("Witness              Node and File Share Majority\n") != std::string::npos);
}

TEST_CASE("the witness types show Windows' quorum model names", "[cluster_cli][quorum]") {
  fake_clock clock;
  struct example {
    const char* type;
    const char* model;
  };
  for (const auto& [type, model] : {example{"Physical Disk", "Node and Disk Majority"},
                                    example{"Dummy", "Node and Witness Majority"}}) {
    fake_api api(&clock);
    api.on("GET", "/cluster/quorum", 200,
           json{{"type", "NodeAndWitnessMajority"},
                {"resource", "W"},
                {"resource_type", type},
                {"holder", nullptr},
                {"votes", 3}});
    const auto r = run(api, clock, {at, "/quorum"});
    INFO(type);
    CHECK(r.code == 0);
    // No holder (nobody has arbitrated yet): the row ends with the model.
    CHECK(r.out.find("\nW                    " + std::string(model) + "\n") != std::string::npos);
  }
}

TEST_CASE("a refused witness is reported with the API's code and message",
          "[cluster_cli][quorum]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on_error("PUT", "/cluster/quorum", 404, 5007, "ERROR_RESOURCE_NOT_FOUND",
               "resource 'Nope' does not exist");
  auto r = run(api, clock, {at, "/quorum:Nope"});
  CHECK(r.code == 5007);
  CHECK(r.exit == 255);
  CHECK(r.out == "Making resource 'Nope' the quorum witness...\n\n");
  CHECK(r.err ==
        "System error 5007 has occurred (0x0000138f).\n"
        "The cluster resource could not be found.\n"
        "resource 'Nope' does not exist\n");

  fake_api capable(&clock);
  capable.on_error("PUT", "/cluster/quorum", 409, 5021, "ERROR_NOT_QUORUM_CAPABLE",
                   "property QuorumResource: type 'IP Address' has no Arbitrate");
  r = run(capable, clock, {at, "/quorum:Address", "/json"});
  CHECK(r.code == 5021);
  CHECK(r.out.empty());
  CHECK(json::parse(r.err)["error"]["name"] == "ERROR_NOT_QUORUM_CAPABLE");

  fake_api dependent(&clock);
  dependent.on_error("PUT", "/cluster/quorum", 409, 5069, "ERROR_DEPENDENCY_NOT_ALLOWED",
                     "resource 'Disk Q' has dependencies");
  r = run(dependent, clock, {at, "/quorum:Disk Q"});
  CHECK(r.code == 5069);
  CHECK(r.err ==
        "System error 5069 has occurred (0x000013cd).\n"
        "The cluster quorum resource is not allowed to have any dependencies.\n"
        "resource 'Disk Q' has dependencies\n");

  // A usage error is found before anything is sent.
  fake_api untouched(&clock);
  r = run(untouched, clock, {at, "/quorum:"});
  CHECK(r.code == 87);
  CHECK(untouched.requests.empty());
}

TEST_CASE("/ver shows the cluster's name and version", "[cluster_cli][version]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("GET", "/cluster", 200,
         json::parse(R"({"name":"lab","node":"node1","version":{"major":1,"minor":0}})"));
  auto r = run(api, clock, {at, "/ver"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /cluster"});
  CHECK(r.out ==
        "Cluster Name:     lab\nCluster Version:  1.0\n"
        "Cluster Vendor:   Wolfpack (the Microsoft Cluster Server model)\n");
  r = run(api, clock, {at, "-Version", "/json"});
  CHECK(r.code == 0);
  CHECK(json::parse(r.out)["version"]["major"] == 1);
  // Only the cluster has a version.
  r = run(api, clock, {at, "node", "node1", "/ver"});
  CHECK(r.code == 87);
}
