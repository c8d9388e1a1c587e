#include "sha256.hpp"

#include <stdexcept>

#include <openssl/evp.h>

namespace wolfpack::cluster::detail {

// OpenSSL failing to hash in memory means it is broken or out of memory: not an expected
// failure, so these throw.
sha256::sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx_);
    throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
  }
}

sha256::~sha256() {
  EVP_MD_CTX_free(ctx_);
}

void sha256::update(std::string_view bytes) {
  // A tree hashes as many small fields; a call into OpenSSL for each costs more than the
  // hashing itself, so they are gathered first (the digest is the same).
  pending_.append(bytes);
  if (pending_.size() >= flush_size)
    flush();
}

void sha256::flush() {
  if (pending_.empty())
    return;
  if (EVP_DigestUpdate(ctx_, pending_.data(), pending_.size()) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 update failed");
  }
  pending_.clear();
}

void sha256::update_u8(std::uint8_t value) {
  const char c = static_cast<char>(value);
  update(std::string_view(&c, 1));
}

void sha256::update_u64(std::uint64_t value) {
  char bytes[8];
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  update(std::string_view(bytes, sizeof bytes));
}

void sha256::update_counted(std::string_view bytes) {
  update_u64(bytes.size());
  update(bytes);
}

std::string sha256::finish_hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  flush();
  if (EVP_DigestFinal_ex(ctx_, digest, &size) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 final failed");
  }
  constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(digits[digest[i] >> 4]);
    out.push_back(digits[digest[i] & 0xF]);
  }
  return out;
}

}  // namespace wolfpack::cluster::detail
