// A type's required dependencies (SPEC 4.1): asked of the type when a monitor loads it,
// enforced when a resource is asked to come online.
#include <string>

#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/proplist.hpp"
#include "wolfpack/sim/fake_node.hpp"

using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

std::string hex(const std::vector<std::uint8_t>& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
  return out;
}

}  // namespace

TEST_CASE("a type's required dependency is enforced when a resource comes online",
          "[node_core][dependencies]") {
  fake_node f;
  // "Net" resources need an "Addr" resource as a provider, named by type; "Disk" is class
  // storage, and "App" needs a storage-class provider.
  f.set_type_control_out(
      "Net", CLUSCTL_RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES,
      hex(wolfpack::value_list_builder().add_resource_type_name(L"Addr").add_endmark().bytes()));
  f.set_type_control_out("App", CLUSCTL_RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES,
                         hex(wolfpack::value_list_builder()
                                 .add_resclass(CLUS_RESCLASS_STORAGE)
                                 .add_endmark()
                                 .bytes()));
  f.set_type_control_out("Disk", CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO, "0100000000000000");
  f.start();
  for (const char* t : {"Net", "Addr", "App", "Disk"}) {
    REQUIRE(
        f.api("POST", "/resourcetypes", {{"name", t}, {"dll", std::string("/fake/") + t}}).status ==
        201);
  }
  create_group(f, "G");
  for (auto [name, type] : {std::pair{"N", "Net"}, {"IP", "Addr"}, {"A", "App"}, {"D", "Disk"}}) {
    REQUIRE(f.api("POST", "/resources", {{"name", name}, {"group", "G"}, {"type", type}}).status ==
            201);
  }
  const auto seq = f.core().database_seq();

  auto refused = f.api("POST", "/resources/N/online");
  CHECK(refused.status == 404);
  CHECK(refused.body["error"]["code"] == 5002);
  CHECK(refused.body["error"]["message"].get<std::string>().find("type 'Addr'") !=
        std::string::npos);
  auto by_class = f.api("POST", "/groups/G/online");
  CHECK(by_class.body["error"]["code"] == 5002);
  CHECK(f.core().database_seq() == seq);
  CHECK(f.commands_of("online").empty());

  REQUIRE(f.api("POST", "/resources/N/dependencies", {{"provider", "IP"}}).status == 201);
  REQUIRE(f.api("POST", "/resources/A/dependencies", {{"provider", "D"}}).status == 201);
  CHECK(f.api("POST", "/resources/N/online").status == 202);
  CHECK(f.resource_state("N") == r_online);
  CHECK(f.resource_state("IP") == r_online);
  CHECK(f.api("POST", "/groups/G/online").status == 202);
  CHECK(f.group_state("G") == g_online);
}
