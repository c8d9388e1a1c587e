// What the network, netinterface, node /listint and network priority commands send and show.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "fake_api.hpp"

using namespace wolfpack::cluster_cli;
using namespace wolfpack::cluster_cli::test;
using nlohmann::json;

namespace {

// Names unlike the other test files' helpers: the tests compile in unity batches.
const std::string lab_at = "/cluster:127.0.0.1:7001";

json network_object(const std::string& name, const std::string& state) {
  return json{{"name", name},
              {"id", "n2"},
              {"state", state},
              {"code", 3},
              {"role", 3},
              {"role_name", "InternalAndClient"},
              {"address", "192.168.1.0"},
              {"mask", "255.255.255.0"},
              {"priority", 2},
              {"interfaces", {"node1 - eth0"}}};
}

json interface_object(const std::string& node, const std::string& network,
                      const std::string& state) {
  return json{{"name", node + " - eth0"},
              {"id", "i1"},
              {"state", state},
              {"code", 3},
              {"node", node},
              {"network", network},
              {"adapter", "eth0"},
              {"address", "192.168.1.11"}};
}

json interface_list(const std::vector<json>& items) {
  json list = json::array();
  for (const auto& item : items)
    list.push_back(item);
  return json{{"netinterfaces", list}};
}

// The header of a network interface table.
const std::string interface_head =
    "Node            Network              Status\n"
    "--------------- -------------------- ------\n";

}  // namespace

TEST_CASE("network status reads one network or all", "[cluster_cli][network]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("GET", "/networks", 200, json{{"networks", {network_object("Public", "Up")}}});
  api.on("GET", "/networks/Client%20LAN", 200, network_object("Client LAN", "Partitioned"));

  auto r = run(api, clock, {lab_at, "net"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /networks"});
  CHECK(r.out ==
        "Listing status for all available networks:\n"
        "\n"
        "Network              Status\n"
        "-------------------- ------\n"
        "Public               Up\n");

  api.requests.clear();
  r = run(api, clock, {lab_at, "network", "Client LAN", "/status"});
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /networks/Client%20LAN"});
  CHECK(r.out ==
        "Listing status for network 'Client LAN':\n"
        "\n"
        "Network              Status\n"
        "-------------------- ------\n"
        "Client LAN           Partitioned\n");

  r = run(api, clock, {lab_at, "net", "Client LAN", "/json"});
  CHECK(r.code == 0);
  CHECK(json::parse(r.out) == network_object("Client LAN", "Partitioned"));
}

TEST_CASE("states without a name come from the code", "[cluster_cli][network]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on_json("GET", "/networks", 200,
              R"({"networks":[{"name":"A","code":0},{"name":"B","code":1},{"name":"C","code":2},
                             {"name":"D","code":3},{"name":"E","code":-1}]})");
  api.on_json("GET", "/netinterfaces", 200,
              R"({"netinterfaces":[{"node":"n1","network":"A","code":0},
                                   {"node":"n1","network":"B","code":1},
                                   {"node":"n1","network":"C","code":2},
                                   {"node":"n1","network":"D","code":3}]})");
  auto r = run(api, clock, {lab_at, "net"});
  CHECK(r.out.find("A                    Unavailable\nB                    Down\n"
                   "C                    Partitioned\nD                    Up\n"
                   "E                    Unknown\n") != std::string::npos);
  r = run(api, clock, {lab_at, "netint"});
  CHECK(r.out.find("n1              A                    Unavailable\n"
                   "n1              B                    Failed\n"
                   "n1              C                    Unreachable\n"
                   "n1              D                    Up\n") != std::string::npos);
}

TEST_CASE("an unknown network is reported with the API's code", "[cluster_cli][network]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on_error("GET", "/networks/Nope", 404, 5045, "ERROR_CLUSTER_NETWORK_NOT_FOUND",
               "network 'Nope' does not exist in cluster 'lab'");
  api.on_error("GET", "/networks/Nope/interfaces", 404, 5045, "ERROR_CLUSTER_NETWORK_NOT_FOUND",
               "network 'Nope' does not exist in cluster 'lab'");
  api.on_error("GET", "/networks/Nope/properties", 404, 5045, "ERROR_CLUSTER_NETWORK_NOT_FOUND",
               "network 'Nope' does not exist in cluster 'lab'");
  const std::string expected =
      "System error 5045 has occurred (0x000013b5).\n"
      "The cluster network was not found.\n"
      "network 'Nope' does not exist in cluster 'lab'\n";
  for (const auto& args : {std::vector<std::string>{lab_at, "net", "Nope"},
                           std::vector<std::string>{lab_at, "net", "Nope", "/listint"},
                           std::vector<std::string>{lab_at, "net", "Nope", "/prop"},
                           std::vector<std::string>{lab_at, "net", "Nope", "/priv"}}) {
    const auto r = run(api, clock, args);
    INFO(args.back());
    CHECK(r.code == 5045);
    CHECK(r.exit == 255);
    CHECK(r.out.empty());
    CHECK(r.err == expected);
  }
}

TEST_CASE("network /rename posts the new name and shows the renamed network",
          "[cluster_cli][network]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("POST", "/networks/Public/rename", 200, network_object("Clients", "Up"));
  auto r = run(api, clock, {lab_at, "net", "Public", "/ren:Clients"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"POST /networks/Public/rename"});
  CHECK(api.body_of("POST", "/networks/Public/rename") == json{{"name", "Clients"}});
  CHECK(r.out ==
        "Renaming network 'Public'...\n"
        "\n"
        "Network              Status\n"
        "-------------------- ------\n"
        "Clients              Up\n");

  fake_api taken(&clock);
  taken.on_error("POST", "/networks/Public/rename", 409, 5044, "ERROR_CLUSTER_NETWORK_EXISTS",
                 "network 'Private' already exists");
  r = run(taken, clock, {lab_at, "net", "Public", "/rename:Private"});
  CHECK(r.code == 5044);
  CHECK(r.err ==
        "System error 5044 has occurred (0x000013b4).\n"
        "The cluster network already exists.\n"
        "network 'Private' already exists\n");
}

TEST_CASE("network /prop lists and sets common properties like the other objects",
          "[cluster_cli][network][properties]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on_json("GET", "/networks/Public/properties", 200, R"({"properties":{
      "Role":{"type":"DWORD","value":3},
      "Description":{"type":"SZ","value":""},
      "Priority":{"type":"DWORD","value":2,"read_only":true}}})");
  api.on("PUT", "/networks/Public/properties", 200, json::object());

  auto r = run(api, clock, {lab_at, "net", "Public", "/prop", "Role=1", "Description=LAN"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(api.lines() == std::vector<std::string>{"GET /networks/Public/properties",
                                                "PUT /networks/Public/properties"});
  CHECK(api.body_of("PUT", "/networks/Public/properties") == json::parse(R"({"properties":{
      "Role":{"type":"DWORD","value":1},
      "Description":{"type":"SZ","value":"LAN"}}})"));

  api.requests.clear();
  r = run(api, clock, {lab_at, "net", "Public", "/prop:Role", "/usedefault"});
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"PUT /networks/Public/properties"});
  CHECK(api.body_of("PUT", "/networks/Public/properties") ==
        json::parse(R"({"properties":{"Role":null}})"));
}

TEST_CASE("network /prop of every network takes one request each",
          "[cluster_cli][network][properties]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on_json("GET", "/networks", 200, R"({"networks":[{"name":"Private"},{"name":"Public"}]})");
  api.on_json("GET", "/networks/Private/properties", 200,
              R"({"properties":{"Role":{"type":"DWORD","value":1}}})");
  api.on_json("GET", "/networks/Public/properties", 200,
              R"({"properties":{"Address":{"type":"SZ","value":"192.168.1.0"}}})");
  const auto r = run(api, clock, {lab_at, "net", "/prop"});
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /networks", "GET /networks/Private/properties",
                                                "GET /networks/Public/properties"});
  // Address is read-only even when the node does not say so.
  CHECK(r.out ==
        "Listing properties for all networks:\n"
        "\n"
        "T  Network              Name                           Value\n"
        "-- -------------------- ------------------------------ -----------------------\n"
        "D  Private              Role                           1 (0x1)\n"
        "SR Public               Address                        192.168.1.0\n");
}

TEST_CASE("a refused Role is reported with the API's code", "[cluster_cli][network][properties]") {
  fake_clock clock;
  struct example {
    unsigned code;
    const char* name;
    const char* standard;
  };
  for (const auto& [code, name, standard] :
       {example{5066, "ERROR_CLUSTER_LAST_INTERNAL_NETWORK",
                "The cluster network is the only one configured for internal cluster "
                "communication between two or more active cluster nodes. The internal "
                "communication capability cannot be removed from the network."},
        example{5067, "ERROR_CLUSTER_NETWORK_HAS_DEPENDENTS",
                "One or more cluster resources depend on the network to provide service to "
                "clients. The client access capability cannot be removed from the network."}}) {
    fake_api api(&clock);
    api.on_error("PUT", "/networks/Private/properties", 409, code, name, "refused Role");
    const auto r = run(api, clock, {lab_at, "net", "Private", "/prop", "Role=0:dword"});
    INFO(name);
    CHECK(r.code == code);
    CHECK(r.err.find(std::string(standard) + "\nrefused Role\n") != std::string::npos);
  }
}

TEST_CASE("network /priv lists no private properties without asking for any",
          "[cluster_cli][network][properties]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("GET", "/networks/Public", 200, network_object("Public", "Up"));
  api.on_json("GET", "/networks", 200, R"({"networks":[{"name":"Private"},{"name":"Public"}]})");

  auto r = run(api, clock, {lab_at, "net", "Public", "/priv"});
  INFO(r.err);
  CHECK(r.code == 0);
  // The network is read (so that an unknown one is an error); there is no /private path.
  CHECK(api.lines() == std::vector<std::string>{"GET /networks/Public"});
  CHECK(r.out ==
        "Listing private properties for 'Public':\n"
        "\n"
        "T  Network              Name                           Value\n"
        "-- -------------------- ------------------------------ -----------------------\n");

  r = run(api, clock, {lab_at, "net", "/priv", "/json"});
  CHECK(r.code == 0);
  CHECK(json::parse(r.out) == json::parse(R"([{"name":"Private","properties":{}},
                                              {"name":"Public","properties":{}}])"));
}

TEST_CASE("network /listint lists the network's interfaces", "[cluster_cli][network]") {
  fake_clock clock;
  fake_api api(&clock);
  const json list = interface_list({interface_object("node1", "Client LAN", "Up"),
                                    interface_object("node2", "Client LAN", "Unreachable")});
  api.on("GET", "/networks/Client%20LAN/interfaces", 200, list);
  auto r = run(api, clock, {lab_at, "net", "Client LAN", "/listint"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /networks/Client%20LAN/interfaces"});
  CHECK(r.out == "Listing network interfaces for network 'Client LAN':\n\n" + interface_head +
                     "node1           Client LAN           Up\n"
                     "node2           Client LAN           Unreachable\n");

  r = run(api, clock, {lab_at, "net", "Client LAN", "/listinterfaces", "/json"});
  CHECK(r.code == 0);
  CHECK(json::parse(r.out) == list["netinterfaces"]);
}

TEST_CASE("node /listint lists the node's interfaces", "[cluster_cli][network]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("GET", "/nodes/node2/interfaces", 200,
         interface_list({interface_object("node2", "Public", "Failed")}));
  api.on_json("GET", "/cluster", 200, R"({"name":"lab","node":"node2"})");

  auto r = run(api, clock, {lab_at, "node", "node2", "/listint"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /nodes/node2/interfaces"});
  const std::string expected = "Listing network interfaces for node 'node2':\n\n" + interface_head +
                               "node2           Public               Failed\n";
  CHECK(r.out == expected);

  // Without a name: the node that answers, as /pause does.
  api.requests.clear();
  r = run(api, clock, {lab_at, "node", "/listinterfaces"});
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /cluster", "GET /nodes/node2/interfaces"});
  CHECK(r.out == expected);

  fake_api unknown(&clock);
  unknown.on_error("GET", "/nodes/node9/interfaces", 404, 5042, "ERROR_CLUSTER_NODE_NOT_FOUND",
                   "node 'node9' is not a member of cluster 'lab'");
  r = run(unknown, clock, {lab_at, "node", "node9", "/listint"});
  CHECK(r.code == 5042);
  CHECK(r.out.empty());
  CHECK(r.err.find("node 'node9' is not a member of cluster 'lab'\n") != std::string::npos);
}

TEST_CASE("netint status lists all interfaces, or narrows by node and network",
          "[cluster_cli][netint]") {
  fake_clock clock;
  fake_api api(&clock);
  const json all = interface_list({interface_object("node1", "Public", "Up"),
                                   interface_object("node2", "Public", "Unreachable")});
  api.on("GET", "/netinterfaces", 200, all);
  api.on("GET", "/netinterfaces?node=node1", 200,
         interface_list({interface_object("node1", "Public", "Up")}));
  api.on("GET", "/netinterfaces?network=Client%20LAN", 200,
         interface_list({interface_object("node1", "Client LAN", "Up")}));
  api.on("GET", "/netinterfaces?node=node2&network=Public", 200,
         interface_list({interface_object("node2", "Public", "Unreachable")}));

  auto r = run(api, clock, {lab_at, "netint"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out == "Listing status for all available network interfaces:\n\n" + interface_head +
                     "node1           Public               Up\n"
                     "node2           Public               Unreachable\n");

  r = run(api, clock, {lab_at, "netint", "/node:node1"});
  CHECK(r.code == 0);
  CHECK(r.out == "Listing status of network interface for node 'node1':\n\n" + interface_head +
                     "node1           Public               Up\n");

  r = run(api, clock, {lab_at, "netint", "/network:Client LAN"});
  CHECK(r.code == 0);
  CHECK(r.out == "Listing status of network interface for network 'Client LAN':\n\n" +
                     interface_head + "node1           Client LAN           Up\n");

  r = run(api, clock, {lab_at, "netint", "/node:node2", "/net:Public", "/stat"});
  CHECK(r.code == 0);
  CHECK(r.out == "Listing status for network interface 'node2 - eth0':\n\n" + interface_head +
                     "node2           Public               Unreachable\n");

  r = run(api, clock, {lab_at, "netint", "/node:node2", "/net:Public", "/json"});
  CHECK(r.code == 0);
  CHECK(json::parse(r.out) == interface_object("node2", "Public", "Unreachable"));
  r = run(api, clock, {lab_at, "netint", "/json"});
  CHECK(json::parse(r.out) == all["netinterfaces"]);

  CHECK(api.lines() == std::vector<std::string>{
                           "GET /netinterfaces", "GET /netinterfaces?node=node1",
                           "GET /netinterfaces?network=Client%20LAN",
                           "GET /netinterfaces?node=node2&network=Public",
                           "GET /netinterfaces?node=node2&network=Public", "GET /netinterfaces"});
}

TEST_CASE("netint errors name the missing interface, node or network", "[cluster_cli][netint]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("GET", "/netinterfaces?node=node3&network=Public", 200, interface_list({}));
  api.on_error("GET", "/netinterfaces?network=Nope", 404, 5045, "ERROR_CLUSTER_NETWORK_NOT_FOUND",
               "network 'Nope' does not exist in cluster 'lab'");
  api.on_error("GET", "/netinterfaces?node=node9", 404, 5042, "ERROR_CLUSTER_NODE_NOT_FOUND",
               "node 'node9' is not a member of cluster 'lab'");

  for (const auto* option : {"/stat", "/prop", "/priv"}) {
    const auto r = run(api, clock, {lab_at, "netint", "/node:node3", "/net:Public", option});
    INFO(option);
    CHECK(r.code == 5047);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "System error 5047 has occurred (0x000013b7).\n"
          "The cluster network interface was not found.\n"
          "Node 'node3' has no network interface on network 'Public'.\n");
  }
  auto r = run(api, clock, {lab_at, "netint", "/node:node3", "/net:Public", "/prop", "A=1"});
  CHECK(r.code == 5047);

  r = run(api, clock, {lab_at, "netint", "/net:Nope"});
  CHECK(r.code == 5045);
  CHECK(r.err.find("network 'Nope' does not exist") != std::string::npos);
  r = run(api, clock, {lab_at, "netint", "/node:node9"});
  CHECK(r.code == 5042);

  // Usage errors are found before anything is sent.
  fake_api untouched(&clock);
  r = run(untouched, clock, {lab_at, "netint", "/node:node1", "/prop", "Description=x"});
  CHECK(r.code == 87);
  CHECK(r.err.find("needs both /node:NODE and /network:NETWORK") != std::string::npos);
  r = run(untouched, clock, {lab_at, "netint", "/prop", "Description=x"});
  CHECK(r.code == 87);
  CHECK(r.err.find("Setting properties of a network interface needs /node:NODE and "
                   "/network:NETWORK") != std::string::npos);
  r = run(untouched, clock, {lab_at, "netint", "/bogus"});
  CHECK(r.code == 87);
  CHECK(r.err.find("Invalid option '/bogus'.") != std::string::npos);
  CHECK(untouched.requests.empty());
}

TEST_CASE("netint /prop resolves the interface, then uses its name",
          "[cluster_cli][netint][properties]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("GET", "/netinterfaces?node=node1&network=Public", 200,
         interface_list({interface_object("node1", "Public", "Up")}));
  api.on_json("GET", "/netinterfaces/node1%20-%20eth0/properties", 200, R"({"properties":{
      "Description":{"type":"SZ","value":""},
      "Adapter":{"type":"SZ","value":"eth0"}}})");
  api.on("PUT", "/netinterfaces/node1%20-%20eth0/properties", 200, json::object());

  auto r = run(api, clock,
               {lab_at, "netint", "/node:node1", "/net:Public", "/prop", "Description=uplink"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(api.lines() == std::vector<std::string>{"GET /netinterfaces?node=node1&network=Public",
                                                "GET /netinterfaces/node1%20-%20eth0/properties",
                                                "PUT /netinterfaces/node1%20-%20eth0/properties"});
  CHECK(api.body_of("PUT", "/netinterfaces/node1%20-%20eth0/properties") ==
        json::parse(R"({"properties":{"Description":{"type":"SZ","value":"uplink"}}})"));

  r = run(api, clock, {lab_at, "netint", "/node:node1", "/network:Public", "/prop"});
  CHECK(r.code == 0);
  CHECK(r.out ==
        "Listing properties for 'node1 - eth0':\n"
        "\n"
        "T  Network Interface    Name                           Value\n"
        "-- -------------------- ------------------------------ -----------------------\n"
        "SR node1 - eth0         Adapter                        eth0\n"
        "S  node1 - eth0         Description\n");

  fake_api read_only(&clock);
  read_only.on("GET", "/netinterfaces?node=node1&network=Public", 200,
               interface_list({interface_object("node1", "Public", "Up")}));
  read_only.on_error("PUT", "/netinterfaces/node1%20-%20eth0/properties", 400, 5,
                     "ERROR_ACCESS_DENIED", "property 'Adapter' is read-only");
  r = run(read_only, clock,
          {lab_at, "netint", "/node:node1", "/net:Public", "/prop", "Adapter=eth9:string"});
  CHECK(r.code == 5);
  CHECK(r.err.find("property 'Adapter' is read-only") != std::string::npos);
}

TEST_CASE("netint /prop and /priv of every interface", "[cluster_cli][netint][properties]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on("GET", "/netinterfaces", 200,
         interface_list({interface_object("node1", "Public", "Up"),
                         interface_object("node2", "Public", "Up")}));
  api.on_json("GET", "/netinterfaces/node1%20-%20eth0/properties", 200,
              R"({"properties":{"Node":{"type":"SZ","value":"node1"}}})");
  api.on_json("GET", "/netinterfaces/node2%20-%20eth0/properties", 200,
              R"({"properties":{"Node":{"type":"SZ","value":"node2"}}})");
  auto r = run(api, clock, {lab_at, "netint", "/prop"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out ==
        "Listing properties for all network interfaces:\n"
        "\n"
        "T  Network Interface    Name                           Value\n"
        "-- -------------------- ------------------------------ -----------------------\n"
        "SR node1 - eth0         Node                           node1\n"
        "SR node2 - eth0         Node                           node2\n");

  api.requests.clear();
  r = run(api, clock, {lab_at, "netint", "/priv"});
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /netinterfaces"});
  CHECK(r.out ==
        "Listing private properties for all network interfaces:\n"
        "\n"
        "T  Network Interface    Name                           Value\n"
        "-- -------------------- ------------------------------ -----------------------\n");
}

TEST_CASE("/listnetpri lists the internal networks in priority order", "[cluster_cli][netpri]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on_json("GET", "/cluster/networkpriority", 200, R"({"networks":["Private","Client LAN"]})");
  auto r = run(api, clock, {lab_at, "/listnetpri"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"GET /cluster/networkpriority"});
  CHECK(r.out ==
        "Listing priority for internal networks:\n"
        "\n"
        "Network              Priority\n"
        "-------------------- --------\n"
        "Private                     1\n"
        "Client LAN                  2\n");
  r = run(api, clock, {lab_at, "/listnetpriority", "/json"});
  CHECK(json::parse(r.out) == json::parse(R"({"networks":["Private","Client LAN"]})"));
}

TEST_CASE("/setnetpri sends the order and shows the new one", "[cluster_cli][netpri]") {
  fake_clock clock;
  fake_api api(&clock);
  api.on_json("PUT", "/cluster/networkpriority", 200, R"({"networks":["Client LAN","Private"]})");
  auto r = run(api, clock, {lab_at, "/setnetpri:Client LAN,Private"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(api.lines() == std::vector<std::string>{"PUT /cluster/networkpriority"});
  CHECK(api.body_of("PUT", "/cluster/networkpriority") ==
        json::parse(R"({"networks":["Client LAN","Private"]})"));
  CHECK(r.out ==
        "Setting priority for internal networks...\n"
        "\n"
        "Network              Priority\n"
        "-------------------- --------\n"
        "Client LAN                  1\n"
        "Private                     2\n");

  // An answer without the order: read it.
  fake_api empty(&clock);
  empty.on("PUT", "/cluster/networkpriority", 204);
  empty.on_json("GET", "/cluster/networkpriority", 200, R"({"networks":["Private"]})");
  r = run(empty, clock, {lab_at, "-SetNetPriority:Private", "-json"});
  CHECK(r.code == 0);
  CHECK(empty.lines() ==
        std::vector<std::string>{"PUT /cluster/networkpriority", "GET /cluster/networkpriority"});
  CHECK(json::parse(r.out) == json::parse(R"({"networks":["Private"]})"));
}

TEST_CASE("/setnetpri errors carry the API's code", "[cluster_cli][netpri]") {
  fake_clock clock;
  struct example {
    int status;
    unsigned code;
    const char* name;
    const char* message;
    const char* standard;
  };
  for (const auto& [status, code, name, message, standard] : {
           example{409, 5060, "ERROR_CLUSTER_NETWORK_NOT_INTERNAL",
                   "network 'Backup' does not carry internal cluster traffic (Role 2)",
                   "The cluster network is not configured for internal cluster communication."},
           example{400, 87, "ERROR_INVALID_PARAMETER",
                   "field 'networks': internal network 'Public' is missing (list every internal "
                   "network)",
                   "The parameter is incorrect."},
           example{404, 5045, "ERROR_CLUSTER_NETWORK_NOT_FOUND",
                   "network 'Nope' does not exist in cluster 'lab'",
                   "The cluster network was not found."},
       }) {
    fake_api api(&clock);
    api.on_error("PUT", "/cluster/networkpriority", status, code, name, message);
    const auto r = run(api, clock, {lab_at, "/setnetpri:Private,Backup"});
    INFO(name);
    CHECK(r.code == code);
    CHECK(r.out == "Setting priority for internal networks...\n\n");
    CHECK(r.err.find(std::string(standard) + "\n" + message + "\n") != std::string::npos);
  }
}

TEST_CASE("help covers networks and interfaces", "[cluster_cli][network]") {
  fake_clock clock;
  fake_api api(&clock);
  auto r = run(api, clock, {"net", "/?"});
  CHECK(r.code == 0);
  CHECK(r.out.find("CLUSTER [[/CLUSTER:]cluster] NET[WORK] <options>") != std::string::npos);
  CHECK(r.out.find("network-name /LISTINT[ERFACES]") != std::string::npos);
  r = run(api, clock, {"netint", "/help"});
  CHECK(r.out.find("CLUSTER [[/CLUSTER:]cluster] NETINT[ERFACE] <options>") != std::string::npos);
  r = run(api, clock, {"node", "/?"});
  CHECK(r.out.find("[node-name] /LISTINT[ERFACES]") != std::string::npos);
  r = run(api, clock, {"/?"});
  CHECK(r.out.find("/LISTNETPRI[ORITY]") != std::string::npos);
  CHECK(r.out.find("/SETNETPRI[ORITY]:network-name[,network-name ...]") != std::string::npos);
  CHECK(api.requests.empty());
}
