#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace wolfpack::platform {

// The cryptography the cluster needs, from the system's own library: OpenSSL's libcrypto on
// POSIX (crypto_openssl.cpp), BCrypt on Windows (crypto_bcrypt.cpp), which Debian's mingw-w64
// can link where it has no OpenSSL. Both give the same bytes for the same input; the test
// vectors of RFC 4231 and FIPS 180-2 check it on each platform (tests/crypto). A library that
// fails to hash in memory or to produce random bytes means a broken host, not bad input: every
// function here throws std::runtime_error then.

using sha256_digest = std::array<std::uint8_t, 32>;

// HMAC-SHA256 (RFC 2104) of `data` under `key`.
sha256_digest hmac_sha256(std::string_view key, std::string_view data);

// Fills `out` from the system's cryptographic generator.
void random_bytes(std::span<std::uint8_t> out);

// SHA-256 over data given in pieces, so that a large structure is hashed without first being
// serialised into one buffer. Spent once finish() is called.
class sha256 {
 public:
  sha256();
  ~sha256();
  sha256(const sha256&) = delete;
  sha256& operator=(const sha256&) = delete;

  void update(std::string_view bytes);
  sha256_digest finish();

  // Defined by each platform's .cpp (an OpenSSL EVP context, a BCrypt hash handle).
  struct state;

 private:
  std::unique_ptr<state> state_;
};

}  // namespace wolfpack::platform
