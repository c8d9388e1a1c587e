#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "wolfpack/common/platform/crypto.hpp"

namespace wolfpack::cluster::detail {

// Incremental SHA-256 (platform::sha256) with the field encodings the tree's hash uses. Pure
// computation: no I/O.
class sha256 {
 public:
  void update(std::string_view bytes);
  void update_u8(std::uint8_t value);
  // Fixed width, big-endian, so the serialisation is the same on every platform.
  void update_u64(std::uint64_t value);
  // A length prefix, then the bytes: no two sequences of fields serialise alike.
  void update_counted(std::string_view bytes);

  // Lowercase hex digest; the object is spent afterwards.
  std::string finish_hex();

 private:
  static constexpr std::size_t flush_size = 16384;
  void flush();

  platform::sha256 digest_;
  std::string pending_;
};

}  // namespace wolfpack::cluster::detail
