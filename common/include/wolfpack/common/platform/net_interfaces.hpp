#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wolfpack::platform {

// One address of one of the host's network adapters, with its subnet.
struct adapter_address {
  std::string adapter;  // the adapter's name: "lo", "eth0", "Ethernet 2"
  std::string address;  // "192.168.1.5", "fe80::1"
  std::string network;  // the subnet's address: "192.168.1.0"
  std::string mask;     // "255.255.255.0"; for IPv6 the prefix length: "64"
};

// The adapter that holds the IP address `ip` (a literal), with its subnet: getifaddrs on
// POSIX, GetAdaptersAddresses on Windows. nullopt when no adapter holds it (a wildcard address
// such as 0.0.0.0, a host name) or the host's list cannot be read.
std::optional<adapter_address> find_adapter(std::string_view ip);

}  // namespace wolfpack::platform
