#include "ip_address.hpp"

#include <bit>
#include <filesystem>
#include <variant>

#include <wolfpack/common/platform/interface_addresses.hpp>
#include <wolfpack/common/platform/net_interfaces.hpp>
#include <wolfpack/common/platform/shared_files.hpp>

#include <wolfpack/lab/claim_registry.hpp>
#include <wolfpack/lab/lab_names.hpp>
#include <wolfpack/lab/lab_paths.hpp>
#include <wolfpack/wide_string.hpp>
#include <wolfpack/win_error_code.hpp>

namespace wolfpack::lab_types {

namespace fs = std::filesystem;

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
  if (!p.if_name.empty()) {
    const std::string name = to_utf8(p.if_name);
    if (!platform::interface_addresses_supported())
      return "property Interface: adding an address to an interface is done on Linux only";
    // What the kernel takes as an interface name: at most 15 bytes, no '/', no blank.
    if (name.size() > 15 || name.find_first_of("/ \t\n:") != std::string::npos)
      return "property Interface: '" + name + "' is not an interface name";
  }
  return {};
}

// A removal after which the interface does not have the address: done, or gone already (the
// address or the whole interface).
bool address_gone(const std::error_code& e) {
  return !e || e == std::errc::address_not_available || e == std::errc::no_such_device;
}

unsigned prefix_of(const std::wstring& mask) {
  return static_cast<unsigned>(std::popcount(lab::parse_ipv4(to_utf8(mask)).value_or(0)));
}

// The Win32 code for a failure to add the address: an address the interface has already is
// one in use.
DWORD code_of(const std::error_code& e) {
  return e == std::errc::file_exists ? ERROR_CLUSTER_IPADDR_IN_USE : win32_code_of(e);
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
      .dword(L"OverrideAddressMatch", &ip_address_params::override_address_match, 0, 0, 1)
      .sz(L"Interface", &ip_address_params::if_name);
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
  if (!drop_claim())  // an Online after a failure starts from nothing
    return plugin::result::failure(ERROR_GEN_FAILURE);
  remove_leftover();
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
  // A Terminate that ran while the claim was taken found nothing to stop: give it up here.
  if (stop_requested()) {
    std::get<lab::claim>(taken).release();
    return plugin::result::failure(ERROR_OPERATION_ABORTED);
  }
  claim_.emplace(std::move(std::get<lab::claim>(taken)));
  log_info("claimed " + address + " on network '" + to_utf8(params().network) + "' for node " +
           me.node);
  if (const std::string if_name = to_utf8(params().if_name); !if_name.empty()) {
    DWORD status = ERROR_SUCCESS;
    if (!add_to_interface_locked(if_name, status)) {
      claim_->release();
      claim_.reset();
      return plugin::result::failure(status);
    }
  }
  return plugin::result::success();
}

fs::path ip_address::leftover_record(const std::string& address) const {
  return lab::lab_dir() / "interfaces" / lab::file_name_for(lab::node_name()) /
         lab::file_name_for(address);
}

void ip_address::remove_leftover() {
  // What a monitor that died while the address was on an interface left there (the address
  // outlives the process, its claim does not): removed before anything else, by the same
  // resource on the same node.
  const std::string address = to_utf8(params().address);
  const fs::path record = leftover_record(address);
  const std::string text = platform::read_shared_file(record);
  if (text.empty())
    return;
  if (lab::record_field(text, "resource") != to_utf8(name()))
    return;
  const std::string if_name = lab::record_field(text, "interface");
  unsigned prefix = 0;
  try {
    prefix = static_cast<unsigned>(std::stoul(lab::record_field(text, "prefix")));
  } catch (const std::exception&) {
    return;
  }
  const auto e = platform::remove_interface_address(if_name, address, prefix);
  if (!address_gone(e)) {
    log_error("property Interface: cannot remove " + address + " from " + if_name +
              ", left there by an earlier monitor: " + e.message());
    return;
  }
  if (!e)
    log_warning("removed " + address + " from interface " + if_name +
                ", left there by an earlier monitor of this resource");
  std::error_code ec;
  fs::remove(record, ec);
}

bool ip_address::add_to_interface_locked(const std::string& if_name, DWORD& status) {
  const std::string address = to_utf8(params().address);
  const unsigned prefix = prefix_of(params().subnet_mask);
  // Held already, by this interface or another one of this node: another owner (a process,
  // an administrator) would lose it when this resource went offline.
  if (const auto holder = platform::find_adapter(address)) {
    log_error("property Address: " + address + " is already on interface " + holder->adapter +
              " of this node");
    status = ERROR_CLUSTER_IPADDR_IN_USE;
    return false;
  }
  // Recorded first: a monitor that dies after the add leaves what the next one must remove.
  const fs::path record = leftover_record(address);
  try {
    lab::ensure_directory(record.parent_path());
  } catch (const lab::lab_error& e) {
    log_error(std::string("property Interface: ") + e.what());
    status = ERROR_GEN_FAILURE;
    return false;
  }
  const std::string text = "interface=" + if_name + "\nprefix=" + std::to_string(prefix) +
                           "\nresource=" + to_utf8(name()) + "\n";
  std::error_code ec;
  fs::remove(record, ec);
  if (!platform::write_new_file(record, text)) {
    log_error("property Interface: cannot write " + record.string());
    status = ERROR_GEN_FAILURE;
    return false;
  }
  if (const auto e = platform::add_interface_address(if_name, address, prefix)) {
    log_error((e == std::errc::file_exists ? "property Address: cannot add "
                                           : "property Interface: cannot add ") +
              address + "/" + std::to_string(prefix) + " to " + if_name + ": " + e.message() +
              (e == std::errc::operation_not_permitted
                   ? " (adding an address needs root or CAP_NET_ADMIN)"
                   : ""));
    fs::remove(record, ec);
    status = code_of(e);
    return false;
  }
  added_ = added_address{if_name, address, prefix};
  log_info("added " + address + "/" + std::to_string(prefix) + " to interface " + if_name);
  return true;
}

bool ip_address::interface_holds_locked() {
  if (!added_)
    return true;
  const auto holder = platform::find_adapter(added_->address);
  if (holder && holder->adapter == added_->if_name)
    return true;
  log_error("property Interface: " + added_->address + " is no longer on interface " +
            added_->if_name);
  return false;
}

plugin::result ip_address::offline() {
  // An address that could not be removed keeps its claim: no other node may add it.
  if (!drop_claim())
    return plugin::result::failure(ERROR_GEN_FAILURE);
  return plugin::result::success();
}

void ip_address::terminate() {
  drop_claim();
}

void ip_address::close() {
  drop_claim();
}

bool ip_address::looks_alive() {
  std::lock_guard lock(mutex_);
  return claim_.has_value() && interface_holds_locked();
}

bool ip_address::is_alive() {
  std::lock_guard lock(mutex_);
  if (!claim_ || !claim_->still_ours()) {
    log_error("the claim of " + to_utf8(params().address) + " in the lab registry is gone");
    return false;
  }
  return interface_holds_locked();
}

bool ip_address::drop_claim() {
  std::lock_guard lock(mutex_);
  if (added_) {
    // Removed before the claim goes: no other node may add it while it is still here.
    const auto e =
        platform::remove_interface_address(added_->if_name, added_->address, added_->prefix_length);
    if (!address_gone(e)) {
      log_error("property Interface: cannot remove " + added_->address + " from " +
                added_->if_name + ": " + e.message() + "; the claim is kept");
      return false;
    }
    log_info(e ? added_->address + " was no longer on interface " + added_->if_name
               : "removed " + added_->address + " from interface " + added_->if_name);
    std::error_code ec;
    fs::remove(leftover_record(added_->address), ec);
    added_.reset();
  }
  if (claim_) {
    claim_->release();
    claim_.reset();
  }
  return true;
}

}  // namespace wolfpack::lab_types
