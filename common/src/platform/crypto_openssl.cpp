#include "wolfpack/common/platform/crypto.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace wolfpack::platform {

struct sha256::state {
  EVP_MD_CTX* ctx = nullptr;
};

// RFC 2104 over EVP digests: the inner and outer hashes are started once with the key's
// padded blocks, and each MAC continues from copies of them. (OpenSSL's one-shot HMAC() sets
// up a whole MAC context, key schedule included, per call.) The one-shot hmac_sha256() is
// this with a key used once, so each platform has one HMAC.
struct hmac_sha256_key::state {
  EVP_MD_CTX* inner = nullptr;
  EVP_MD_CTX* outer = nullptr;
  EVP_MD_CTX* scratch = nullptr;
  ~state() {
    EVP_MD_CTX_free(inner);
    EVP_MD_CTX_free(outer);
    EVP_MD_CTX_free(scratch);
  }
};

namespace {

constexpr std::size_t sha256_block_bytes = 64;

void digest_update(EVP_MD_CTX* ctx, const void* data, std::size_t size) {
  if (size != 0 && EVP_DigestUpdate(ctx, data, size) != 1)
    throw std::runtime_error("OpenSSL: SHA-256 update failed");
}

sha256_digest digest_final(EVP_MD_CTX* ctx) {
  sha256_digest digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx, digest.data(), &size) != 1 || size != digest.size())
    throw std::runtime_error("OpenSSL: SHA-256 final failed");
  return digest;
}

}  // namespace

hmac_sha256_key::hmac_sha256_key(std::string_view key) : state_(std::make_unique<state>()) {
  std::array<std::uint8_t, sha256_block_bytes> block{};
  if (key.size() > block.size()) {
    sha256 long_key;
    long_key.update(key);
    const auto d = long_key.finish();
    std::copy(d.begin(), d.end(), block.begin());
  } else {
    std::copy(key.begin(), key.end(), block.begin());
  }
  state_->inner = EVP_MD_CTX_new();
  state_->outer = EVP_MD_CTX_new();
  state_->scratch = EVP_MD_CTX_new();
  if (state_->inner == nullptr || state_->outer == nullptr || state_->scratch == nullptr ||
      EVP_DigestInit_ex(state_->inner, EVP_sha256(), nullptr) != 1 ||
      EVP_DigestInit_ex(state_->outer, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL: cannot initialise HMAC-SHA256");
  }
  std::array<std::uint8_t, sha256_block_bytes> pad{};
  for (std::size_t i = 0; i < pad.size(); ++i)
    pad[i] = static_cast<std::uint8_t>(block[i] ^ 0x36);
  digest_update(state_->inner, pad.data(), pad.size());
  for (std::size_t i = 0; i < pad.size(); ++i)
    pad[i] = static_cast<std::uint8_t>(block[i] ^ 0x5c);
  digest_update(state_->outer, pad.data(), pad.size());
  OPENSSL_cleanse(block.data(), block.size());
  OPENSSL_cleanse(pad.data(), pad.size());
}

hmac_sha256_key::~hmac_sha256_key() = default;

sha256_digest hmac_sha256_key::mac(std::initializer_list<std::string_view> pieces) {
  if (EVP_MD_CTX_copy_ex(state_->scratch, state_->inner) != 1)
    throw std::runtime_error("OpenSSL: cannot copy an HMAC state");
  for (auto piece : pieces)
    digest_update(state_->scratch, piece.data(), piece.size());
  const auto inner = digest_final(state_->scratch);
  if (EVP_MD_CTX_copy_ex(state_->scratch, state_->outer) != 1)
    throw std::runtime_error("OpenSSL: cannot copy an HMAC state");
  digest_update(state_->scratch, inner.data(), inner.size());
  return digest_final(state_->scratch);
}

sha256_digest hmac_sha256(std::string_view key, std::string_view data) {
  return hmac_sha256_key(key).mac({data});
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
