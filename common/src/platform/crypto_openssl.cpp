#include "wolfpack/common/platform/crypto.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace wolfpack::platform {

struct sha256::state {
  EVP_MD_CTX* ctx = nullptr;
};

sha256_digest hmac_sha256(std::string_view key, std::string_view data) {
  sha256_digest digest{};
  unsigned int size = 0;
  if (key.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(),
           &size) == nullptr ||
      size != digest.size()) {
    throw std::runtime_error("OpenSSL's HMAC-SHA256 failed");
  }
  return digest;
}

void random_bytes(std::span<std::uint8_t> out) {
  // RAND_bytes takes an int: fill large buffers a slice at a time.
  constexpr std::size_t slice = 1 << 20;
  for (std::size_t done = 0; done < out.size(); done += slice) {
    const std::size_t n = std::min(slice, out.size() - done);
    if (RAND_bytes(out.data() + done, static_cast<int>(n)) != 1) {
      throw std::runtime_error("OpenSSL's random generator failed");
    }
  }
}

sha256::sha256() : state_(std::make_unique<state>()) {
  state_->ctx = EVP_MD_CTX_new();
  if (state_->ctx == nullptr || EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(state_->ctx);
    throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
  }
}

sha256::~sha256() {
  EVP_MD_CTX_free(state_->ctx);
}

void sha256::update(std::string_view bytes) {
  if (!bytes.empty() && EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size()) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 update failed");
  }
}

sha256_digest sha256::finish() {
  sha256_digest digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(state_->ctx, digest.data(), &size) != 1 || size != digest.size()) {
    throw std::runtime_error("OpenSSL: SHA-256 final failed");
  }
  return digest;
}

}  // namespace wolfpack::platform
