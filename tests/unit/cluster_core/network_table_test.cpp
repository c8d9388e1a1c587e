// network_table (white-box): how a node's interface facts are completed from its peer address,
// and the updates that record an interface, move it to another subnet and forget it.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "db_schema.hpp"
#include "network_table.hpp"

using namespace wolfpack;
using namespace wolfpack::cluster;

namespace {

void apply_ops(db_tree& tree, const std::vector<db_op>& ops) {
  for (const auto& op : ops) {
    const auto run = [&]() -> status {
      switch (op.op) {
        case db_op::kind::create_key:
          return tree.create_key(op.path);
        case db_op::kind::delete_key:
          return tree.delete_key(op.path);
        case db_op::kind::set_value:
          return tree.set_value(op.path, op.name, op.value);
        case db_op::kind::delete_value:
          break;
      }
      return tree.delete_value(op.path, op.name);
    };
    INFO(describe(op));
    REQUIRE(run());
  }
}

std::vector<std::string> kinds(const network_change& c) {
  std::vector<std::string> out;
  for (const auto& e : c.events)
    out.push_back(e["kind"].get<std::string>());
  return out;
}

peer_interface facts(const std::string& address, const std::string& adapter = "eth0") {
  return network_table::complete({"", "", "", adapter}, address);
}

}  // namespace

TEST_CASE("interface facts are completed from the peer address where the runtime left gaps",
          "[networks]") {
  const auto loop = network_table::complete({}, "127.0.0.5:7000");
  CHECK(loop.address == "127.0.0.5");
  CHECK(loop.network == "127.0.0.0");
  CHECK(loop.mask == "255.0.0.0");
  const auto lan = network_table::complete({}, "192.168.7.31:3343");
  CHECK(lan.network == "192.168.7.0");
  CHECK(lan.mask == "255.255.255.0");
  // A mask the runtime found is kept, and the subnet follows it.
  const auto wide = network_table::complete({"10.1.2.3", "", "255.255.0.0", "ens3"}, "x:1");
  CHECK(wide.network == "10.1.0.0");
  CHECK(wide.adapter == "ens3");
  // What the runtime found whole is not touched.
  const peer_interface found{"fe80::1", "fe80::", "64", "eth1"};
  const auto kept = network_table::complete(found, "[fe80::1]:3343");
  CHECK(kept.network == "fe80::");
  CHECK(kept.mask == "64");
  // IPv6 without an adapter, or a host name: a network of its own.
  const auto v6 = network_table::complete({}, "[::1]:3343");
  CHECK(v6.address == "::1");
  CHECK(v6.network == "::1");
  const auto named = network_table::complete({}, "n1");
  CHECK(named.address == "n1");
  CHECK(named.network == "n1");
  // Not an address at all: 300 is no octet, so the host is a name.
  CHECK(network_table::complete({}, "10.0.0.300:1").network == "10.0.0.300");
  CHECK(network_table::complete({}, "").address.empty());
}

TEST_CASE("recording interfaces: a network per subnet, an interface per node, moves and evictions",
          "[networks]") {
  db_tree tree;
  const node_entry n1{"1", "node1"}, n2{"2", "node2"};

  // The first node on a subnet creates its network.
  auto first = network_table(tree).record(n1, facts("10.0.0.1:3343"));
  CHECK(kinds(first) == std::vector<std::string>{"NETWORK_ADDED", "NETINTERFACE_ADDED"});
  apply_ops(tree, first.ops);
  auto nets = network_table(tree).networks();
  REQUIRE(nets.size() == 1);
  CHECK(nets[0].name == "Cluster Network 1");
  CHECK(nets[0].address == "10.0.0.0");
  CHECK(nets[0].mask == "255.255.255.0");
  CHECK(nets[0].role == 3);
  CHECK(nets[0].priority == 1);
  CHECK(nets[0].id == network_id_for("10.0.0.0", "255.255.255.0"));
  // Recording the same again changes nothing.
  CHECK(network_table(tree).record(n1, facts("10.0.0.1:3343")).ops.empty());

  // A second node on the subnet joins the network.
  auto second = network_table(tree).record(n2, facts("10.0.0.2:3343"));
  CHECK(kinds(second) == std::vector<std::string>{"NETINTERFACE_ADDED"});
  apply_ops(tree, second.ops);
  nets = network_table(tree).networks();
  REQUIRE(nets.size() == 1);
  CHECK(nets[0].interfaces.size() == 2);
  const auto i2 = network_table(tree).interface_by_name("NODE2 - ETH0");  // ignoring case
  REQUIRE(i2);
  CHECK(i2->node == "2");
  CHECK(i2->address == "10.0.0.2");

  // A new adapter name on the same subnet: the interface is updated in place.
  auto renamed = network_table(tree).record(n2, facts("10.0.0.2:3343", "eth9"));
  CHECK(kinds(renamed) == std::vector<std::string>{"NETINTERFACE_PROPERTY"});
  apply_ops(tree, renamed.ops);
  CHECK(network_table(tree).interface_by_name("node2 - eth9"));

  // node2 moves to another subnet: a second network; the first keeps node1.
  auto moved = network_table(tree).record(n2, facts("192.168.5.2:3343"));
  CHECK(kinds(moved) ==
        std::vector<std::string>{"NETINTERFACE_DELETED", "NETWORK_ADDED", "NETINTERFACE_ADDED"});
  apply_ops(tree, moved.ops);
  nets = network_table(tree).networks();
  REQUIRE(nets.size() == 2);
  CHECK(nets[1].name == "Cluster Network 2");
  CHECK(nets[1].priority == 2);
  CHECK(network_table(tree).internal_by_priority().front().name == "Cluster Network 1");

  // node1 follows: the network it leaves has no interface left and goes.
  auto followed = network_table(tree).record(n1, facts("192.168.5.1:3343"));
  CHECK(kinds(followed) ==
        std::vector<std::string>{"NETINTERFACE_DELETED", "NETWORK_DELETED", "NETINTERFACE_ADDED"});
  apply_ops(tree, followed.ops);
  nets = network_table(tree).networks();
  REQUIRE(nets.size() == 1);
  CHECK(nets[0].name == "Cluster Network 2");
  CHECK(nets[0].interfaces.size() == 2);

  // A new network takes the first free name.
  CHECK(network_table(tree).free_network_name() == "Cluster Network 1");

  // Evicting node2 removes its interface; node1 keeps the network.
  auto evicted = network_table(tree).forget("2");
  CHECK(kinds(evicted) == std::vector<std::string>{"NETINTERFACE_DELETED"});
  apply_ops(tree, evicted.ops);
  // Then node1: the network goes with its last interface.
  auto last = network_table(tree).forget("1");
  CHECK(kinds(last) == std::vector<std::string>{"NETINTERFACE_DELETED", "NETWORK_DELETED"});
  apply_ops(tree, last.ops);
  CHECK(network_table(tree).networks().empty());
  CHECK(network_table(tree).interfaces().empty());
}

TEST_CASE("a new network takes the cluster's DefaultNetworkRole", "[networks]") {
  db_tree tree;
  REQUIRE(tree.set_value("", "DefaultNetworkRole", typed_value::dword(1)));
  apply_ops(tree, network_table(tree).record({"1", "node1"}, facts("10.0.0.1:3343")).ops);
  const auto nets = network_table(tree).networks();
  REQUIRE(nets.size() == 1);
  CHECK(nets[0].role == 1);
}

TEST_CASE("housekeeping puts right what two records computed at once leave behind", "[networks]") {
  db_tree tree;
  const node_entry n1{"1", "node1"}, n2{"2", "node2"}, n3{"3", "node3"};
  apply_ops(tree, network_table(tree).record(n1, facts("10.0.0.1:3343")).ops);
  CHECK(network_table(tree).housekeeping().ops.empty());
  // node2 and node3 record new subnets from the same database: both pick "Cluster Network 2".
  const auto a = network_table(tree).record(n2, facts("10.1.0.2:3343"));
  const auto b = network_table(tree).record(n3, facts("10.2.0.3:3343"));
  apply_ops(tree, a.ops);
  apply_ops(tree, b.ops);
  auto names = [&] {
    std::vector<std::string> out;
    for (const auto& n : network_table(tree).networks())
      out.push_back(n.name);
    return out;
  };
  CHECK(names() ==
        std::vector<std::string>{"Cluster Network 1", "Cluster Network 2", "Cluster Network 2"});
  const auto fix = network_table(tree).housekeeping();
  CHECK(kinds(fix) == std::vector<std::string>{"NETWORK_PROPERTY"});
  apply_ops(tree, fix.ops);
  CHECK(names() ==
        std::vector<std::string>{"Cluster Network 1", "Cluster Network 2", "Cluster Network 3"});
  CHECK(network_table(tree).housekeeping().ops.empty());
  // node3 joins node2's subnet (its own network goes with its last interface); then node2
  // and node3 both move to node1's at once: each still sees the other on the subnet they
  // leave, so neither deletes its network, and housekeeping does.
  apply_ops(tree, network_table(tree).record(n3, facts("10.1.0.3:3343")).ops);
  CHECK(network_table(tree).networks().size() == 2);
  const auto c = network_table(tree).record(n2, facts("10.0.0.2:3343"));
  const auto d = network_table(tree).record(n3, facts("10.0.0.3:3343"));
  apply_ops(tree, c.ops);
  apply_ops(tree, d.ops);
  CHECK(network_table(tree).networks().size() == 2);
  const auto empty = network_table(tree).housekeeping();
  CHECK(kinds(empty) == std::vector<std::string>{"NETWORK_DELETED"});
  apply_ops(tree, empty.ops);
  CHECK(names() == std::vector<std::string>{"Cluster Network 1"});
}
