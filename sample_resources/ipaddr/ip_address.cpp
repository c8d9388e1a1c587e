#include "ip_address.hpp"

#include <variant>

#include <wolfpack/lab/lab_names.hpp>
#include <wolfpack/lab/lab_paths.hpp>
#include <wolfpack/wide_string.hpp>

namespace wolfpack::lab_types {

namespace {

const char* const network_registry = "network";

// "property Address: ..." for the first bad value among the address properties; "" when
// they are fine (empty values are left to the required-property check).
std::string address_problem(const ip_address_params& p) {
  if (!p.address.empty()) {
    if (auto why = lab::check_ipv4_address(to_utf8(p.address)); !why.empty())
      return "property Address: " + why;
  }
  if (!p.subnet_mask.empty()) {
    if (auto why = lab::check_subnet_mask(to_utf8(p.subnet_mask)); !why.empty())
      return "property SubnetMask: " + why;
  }
  return {};
}

}  // namespace

plugin::property_table<ip_address_params> ip_address::properties() {
  return plugin::property_table<ip_address_params>()
      .sz(L"Address", &ip_address_params::address)
      .required()
      .sz(L"SubnetMask", &ip_address_params::subnet_mask)
      .required()
      .sz(L"Network", &ip_address_params::network)
      .required()
      .dword(L"EnableNetBIOS", &ip_address_params::enable_netbios, 1, 0, 2)
      .dword(L"OverrideAddressMatch", &ip_address_params::override_address_match, 0, 0, 1);
}

plugin::outcome ip_address::validate_parameters(const ip_address_params& merged) {
  if (auto why = address_problem(merged); !why.empty())
    return plugin::outcome::refused(ERROR_INVALID_PARAMETER, why);
  return {};
}

plugin::result ip_address::online() {
  // Values written to the registry behind the cluster's back were never validated.
  if (auto why = address_problem(params()); !why.empty())
    throw plugin::error(ERROR_INVALID_PARAMETER, why);
  const std::string address = to_utf8(params().address);
  drop_claim();  // an Online after a failure starts from nothing
  const lab::holder me{lab::node_name(), to_utf8(name()), 0};
  auto taken = lab::claim::take(network_registry, address, me,
                                "network=" + to_utf8(params().network) +
                                    "\nsubnet_mask=" + to_utf8(params().subnet_mask) + "\n");
  if (auto* other = std::get_if<lab::holder>(&taken)) {
    log_error("property Address: " + address + " is already in use by " + other->describe() +
              " (lab registry " + lab::claim::record_path(network_registry, address).string() +
              ")");
    return plugin::result::failure(ERROR_CLUSTER_IPADDR_IN_USE);
  }
  std::lock_guard lock(mutex_);
  claim_.emplace(std::move(std::get<lab::claim>(taken)));
  log_info("claimed " + address + " on network '" + to_utf8(params().network) + "' for node " +
           me.node);
  return plugin::result::success();
}

plugin::result ip_address::offline() {
  drop_claim();
  return plugin::result::success();
}

void ip_address::terminate() {
  drop_claim();
}

bool ip_address::looks_alive() {
  std::lock_guard lock(mutex_);
  return claim_.has_value();
}

bool ip_address::is_alive() {
  std::lock_guard lock(mutex_);
  if (!claim_ || !claim_->still_ours()) {
    log_error("the claim of " + to_utf8(params().address) + " in the lab registry is gone");
    return false;
  }
  return true;
}

void ip_address::drop_claim() {
  std::lock_guard lock(mutex_);
  if (claim_) {
    claim_->release();
    claim_.reset();
  }
}

}  // namespace wolfpack::lab_types
