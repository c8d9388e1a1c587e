#pragma once

// Checks of the values the lab's resource types take: IPv4 addresses and masks, NetBIOS
// names, share names. Each returns "" when the value is good, else what is wrong with it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wolfpack::lab {

// A dotted quad ("10.0.0.5": four decimal numbers 0-255, no leading zeros) as a host-order
// number; nullopt when it is not one.
std::optional<std::uint32_t> parse_ipv4(std::string_view text);

// An address a resource may claim: not 0.0.0.0, not 255.255.255.255.
std::string check_ipv4_address(std::string_view text);
// A contiguous subnet mask (ones then zeros), not 0.0.0.0.
std::string check_subnet_mask(std::string_view text);
// A NetBIOS computer name: 1-15 characters, none of \ / : * ? " < > | . or space, not only
// digits.
std::string check_netbios_name(std::string_view text);
// An SMB share name: 1-80 characters, none of \ / : * ? " < > | or control characters.
std::string check_share_name(std::string_view text);

}  // namespace wolfpack::lab
