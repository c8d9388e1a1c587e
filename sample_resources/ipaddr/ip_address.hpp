#pragma once

// IP Address, simulated: Online claims Address in the lab's network registry (<lab
// dir>/network/<address>), which every node of the lab shares; a second claim of the same
// address, by any resource on any node, fails with ERROR_CLUSTER_IPADDR_IN_USE. That is how
// split brain shows in the lab: two nodes that both think they own the group cannot both
// bring its address online.

#include <mutex>
#include <optional>
#include <string>

#include <wolfpack/lab/claim_registry.hpp>
#include <wolfpack/plugin.hpp>

namespace wolfpack::lab_types {

struct ip_address_params {
  std::wstring address;              // Address (SZ, required): dotted quad
  std::wstring subnet_mask;          // SubnetMask (SZ, required): a contiguous mask
  std::wstring network;              // Network (SZ, required): the cluster network's name
  DWORD enable_netbios = 1;          // EnableNetBIOS (0 no, 1 yes, 2 as the adapter)
  DWORD override_address_match = 0;  // OverrideAddressMatch (0 or 1)
};

class ip_address : public plugin::resource<ip_address_params> {
 public:
  static plugin::property_table<ip_address_params> properties();
  static plugin::outcome validate_parameters(const ip_address_params& merged);
  static DWORD resource_class() { return CLUS_RESCLASS_NETWORK; }

  plugin::result online() override;
  plugin::result offline() override;
  bool looks_alive() override;
  bool is_alive() override;
  void terminate() override;

 private:
  void drop_claim();

  // terminate() may run while online() or a poll runs on another thread.
  mutable std::mutex mutex_;
  std::optional<lab::claim> claim_;  // guarded by mutex_
};

}  // namespace wolfpack::lab_types
