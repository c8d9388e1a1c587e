#pragma once

// IP Address, simulated: Online claims Address in the lab's network registry (<lab
// dir>/network/<address>), which every node of the lab shares; a second claim of the same
// address, by any resource on any node, fails with ERROR_CLUSTER_IPADDR_IN_USE. That is how
// split brain shows in the lab: two nodes that both think they own the group cannot both
// bring its address online.
//
// With Interface set (Linux, CAP_NET_ADMIN), the address is real too: Online adds it to that
// interface after claiming it, LooksAlive and IsAlive check it is still there, Offline and
// Terminate remove it (docs/resource-types.md).

#include <filesystem>
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
  std::wstring if_name;              // Interface (SZ, Wolfpack's): empty = the lab registry only
};

// An address this resource added to an interface.
struct added_address {
  std::string if_name;
  std::string address;
  unsigned prefix_length = 0;
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
  void close() override;

 private:
  // Removes the added address and releases the claim; false (logged, claim kept) when the
  // address could not be removed.
  bool drop_claim();
  // Removes what a monitor that died while online left on an interface (its record).
  void remove_leftover();
  std::filesystem::path leftover_record(const std::string& address) const;
  // Adds the address to the interface; false (logged, with the code in `status`) when it
  // cannot. mutex_ held.
  bool add_to_interface_locked(const std::string& if_name, DWORD& status);
  // The added address is still on its interface (or none was added). mutex_ held.
  bool interface_holds_locked();

  // terminate() may run while online() or a poll runs on another thread.
  mutable std::mutex mutex_;
  std::optional<lab::claim> claim_;     // guarded by mutex_
  std::optional<added_address> added_;  // guarded by mutex_
};

}  // namespace wolfpack::lab_types
