#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace wolfpack::cluster::detail {

// Incremental SHA-256 over OpenSSL's EVP interface, so a large tree is hashed without
// first serialising it into one buffer. Pure computation: no I/O.
class sha256 {
 public:
  sha256();
  ~sha256();
  sha256(const sha256&) = delete;
  sha256& operator=(const sha256&) = delete;

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

  evp_md_ctx_st* ctx_;
  std::string pending_;
};

}  // namespace wolfpack::cluster::detail
