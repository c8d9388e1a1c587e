#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wolfpack::cluster_transport {

// HMAC-SHA256 of `data` under `key`, as 64 lowercase hex digits (text, so that it travels
// inside JSON unchanged).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Compares two MACs in a time that does not depend on where they first differ, so that a
// forger cannot find a valid MAC byte by byte by timing the refusals.
bool mac_equal(std::string_view a, std::string_view b);

// Unpredictable values from the system's generator (platform/crypto.hpp): nonces (hex) and
// incarnation numbers. A generator that fails is a broken host, not a peer problem: throws
// std::runtime_error.
std::string random_hex(std::size_t bytes);
std::uint64_t random_u64();

}  // namespace wolfpack::cluster_transport
