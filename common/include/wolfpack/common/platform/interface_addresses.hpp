#pragma once

#include <string>
#include <system_error>

namespace wolfpack::platform {

// Adds the IPv4 address `address` (a dotted quad) with a prefix of `prefix_length` bits to the
// network interface `interface` ("eth0"), as `ip addr add` does: Linux netlink (RTM_NEWADDR).
// Needs CAP_NET_ADMIN in the interface's network namespace. The error: no_such_device for an
// unknown interface, file_exists when the interface has the address already,
// operation_not_permitted without the capability, not_supported where this is not Linux.
std::error_code add_interface_address(const std::string& if_name, const std::string& address,
                                      unsigned prefix_length);

// Removes it again (RTM_DELADDR); an address the interface does not have is
// address_not_available.
std::error_code remove_interface_address(const std::string& if_name, const std::string& address,
                                         unsigned prefix_length);

// Whether this system can add addresses to interfaces here (Linux).
bool interface_addresses_supported();

}  // namespace wolfpack::platform
