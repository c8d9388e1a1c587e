#include "crypto.hpp"

#include <array>

#include "wolfpack/common/hex.hpp"
#include "wolfpack/common/platform/crypto.hpp"

namespace wolfpack::cluster_transport {

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  return hex::encode(platform::hmac_sha256(key, data));
}

bool mac_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  // Every byte is compared, whatever came before; volatile keeps the compiler from stopping
  // the loop at the first difference.
  volatile unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference = difference | static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  platform::random_bytes(
      std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(raw.data()), raw.size()));
  return hex::encode(raw);
}

std::uint64_t random_u64() {
  std::array<std::uint8_t, 8> raw{};
  platform::random_bytes(raw);
  std::uint64_t value = 0;
  for (std::uint8_t byte : raw) {
    value = (value << 8) | byte;
  }
  return value;
}

}  // namespace wolfpack::cluster_transport
