#pragma once

// Network Name, simulated: Online registers Name (upper-cased, as NetBIOS compares names) in
// the lab's name registry (<lab dir>/names/<NAME>); a name registered by another resource or
// node fails the Online with ERROR_DUP_NAME. The type requires a dependency on an IP Address,
// as in MSCS (GET_REQUIRED_DEPENDENCIES).

#include <mutex>
#include <optional>
#include <string>

#include <wolfpack/lab/claim_registry.hpp>
#include <wolfpack/plugin.hpp>

namespace wolfpack::lab_types {

struct network_name_params {
  std::wstring name;  // Name (SZ, required): the NetBIOS computer name published
};

class network_name : public plugin::resource<network_name_params> {
 public:
  static plugin::property_table<network_name_params> properties();
  static plugin::outcome validate_parameters(const network_name_params& merged);
  static DWORD resource_class() { return CLUS_RESCLASS_NETWORK; }
  static void required_dependencies(value_list_builder& list) {
    list.add_sz(L"IP Address", CLUSPROP_SYNTAX_NAME);
  }

  plugin::result online() override;
  plugin::result offline() override;
  bool looks_alive() override;
  bool is_alive() override;
  void terminate() override;
  // GET_NETWORK_NAME: the Name private property as stored now (the resource need not be
  // online), as a terminated WCHAR string.
  DWORD resource_control(DWORD code, const void* in, DWORD in_size, void* out, DWORD out_size,
                         DWORD* returned) override;

 private:
  void drop_claim();

  mutable std::mutex mutex_;
  std::optional<lab::claim> claim_;  // guarded by mutex_
};

}  // namespace wolfpack::lab_types
