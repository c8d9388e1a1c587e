#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
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

// HMAC-SHA256 under one key for many messages, the way a connection signs every frame: the
// key's padded blocks are hashed once here, not once per message, which makes a short
// message's MAC several times cheaper than hmac_sha256(). A message may be given in pieces
// (they are hashed as if concatenated). One thread at a time: each MAC works in a scratch
// state the object keeps.
class hmac_sha256_key {
 public:
  explicit hmac_sha256_key(std::string_view key);
  ~hmac_sha256_key();
  hmac_sha256_key(const hmac_sha256_key&) = delete;
  hmac_sha256_key& operator=(const hmac_sha256_key&) = delete;

  sha256_digest mac(std::initializer_list<std::string_view> pieces);

  // Defined by each platform's .cpp.
  struct state;

 private:
  std::unique_ptr<state> state_;
};

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
