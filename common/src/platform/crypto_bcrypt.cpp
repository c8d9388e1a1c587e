#include "wolfpack/common/platform/crypto.hpp"

#include <windows.h>

#include <bcrypt.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>

namespace wolfpack::platform {
namespace {

// BCrypt's lengths are ULONGs: longer input goes in slices.
constexpr std::size_t max_slice = std::numeric_limits<ULONG>::max();

void check(NTSTATUS status, const char* what) {
  // NT_SUCCESS: every NTSTATUS with the severity bit clear.
  if (status >= 0)
    return;
  char text[160];
  std::snprintf(text, sizeof text, "BCrypt: %s failed (NTSTATUS 0x%08lx)", what,
                static_cast<unsigned long>(status));
  throw std::runtime_error(text);
}

PUCHAR bytes_of(std::string_view text) {
  // BCrypt takes non-const pointers for input it only reads.
  return reinterpret_cast<PUCHAR>(const_cast<char*>(text.data()));
}

}  // namespace

// Not in the anonymous namespace: sha256::state, which has external linkage, holds one.
namespace bcrypt_detail {

// An algorithm provider (SHA-256, or HMAC-SHA256), opened once and closed with the object.
class bcrypt_provider {
 public:
  explicit bcrypt_provider(bool hmac) {
    check(BCryptOpenAlgorithmProvider(&algorithm_, BCRYPT_SHA256_ALGORITHM, nullptr,
                                      hmac ? BCRYPT_ALG_HANDLE_HMAC_FLAG : 0),
          "opening the SHA-256 provider");
  }
  ~bcrypt_provider() { BCryptCloseAlgorithmProvider(algorithm_, 0); }
  bcrypt_provider(const bcrypt_provider&) = delete;
  bcrypt_provider& operator=(const bcrypt_provider&) = delete;
  BCRYPT_ALG_HANDLE get() const { return algorithm_; }

 private:
  BCRYPT_ALG_HANDLE algorithm_ = nullptr;
};

// One hash object of a provider the caller keeps open: an HMAC under `key` on an HMAC
// provider, a plain hash when `key` is empty on a plain one.
class bcrypt_hash {
 public:
  bcrypt_hash(const bcrypt_provider& provider, std::string_view key) {
    if (key.size() > max_slice) {
      throw std::runtime_error("BCrypt: an HMAC key longer than 4 GiB");
    }
    // No buffer of ours for the hash object: BCrypt allocates it (Windows 7 and later).
    check(BCryptCreateHash(provider.get(), &hash_, nullptr, 0, bytes_of(key),
                           static_cast<ULONG>(key.size()), 0),
          "creating a SHA-256 hash");
  }
  ~bcrypt_hash() { BCryptDestroyHash(hash_); }
  bcrypt_hash(const bcrypt_hash&) = delete;
  bcrypt_hash& operator=(const bcrypt_hash&) = delete;

  void update(std::string_view data) {
    while (!data.empty()) {
      const std::size_t n = std::min(data.size(), max_slice);
      check(BCryptHashData(hash_, bytes_of(data.substr(0, n)), static_cast<ULONG>(n), 0),
            "hashing");
      data.remove_prefix(n);
    }
  }

  sha256_digest finish() {
    sha256_digest digest{};
    check(BCryptFinishHash(hash_, digest.data(), static_cast<ULONG>(digest.size()), 0),
          "finishing a SHA-256 hash");
    return digest;
  }

 private:
  BCRYPT_HASH_HANDLE hash_ = nullptr;
};

}  // namespace bcrypt_detail

using bcrypt_detail::bcrypt_hash;
using bcrypt_detail::bcrypt_provider;

struct sha256::state {
  bcrypt_provider provider{false};
  bcrypt_hash hash{provider, {}};
};

sha256_digest hmac_sha256(std::string_view key, std::string_view data) {
  return hmac_sha256_key(key).mac({data});
}

// BCrypt keeps the key schedule inside each hash object it creates: the HMAC provider is
// opened once and the key kept here, and every MAC is a new HMAC object of that provider.
// (BCRYPT_HASH_REUSABLE_FLAG would save the object per MAC where Windows 8 and later can be
// assumed.)
struct hmac_sha256_key::state {
  bcrypt_provider provider{true};
  std::string key;
};

hmac_sha256_key::hmac_sha256_key(std::string_view key) : state_(std::make_unique<state>()) {
  state_->key.assign(key);
}

hmac_sha256_key::~hmac_sha256_key() {
  SecureZeroMemory(state_->key.data(), state_->key.size());
}

sha256_digest hmac_sha256_key::mac(std::initializer_list<std::string_view> pieces) {
  bcrypt_hash hmac(state_->provider, state_->key);
  for (auto piece : pieces)
    hmac.update(piece);
  return hmac.finish();
}

void random_bytes(std::span<std::uint8_t> out) {
  for (std::size_t done = 0; done < out.size();) {
    const std::size_t n = std::min(out.size() - done, max_slice);
    check(BCryptGenRandom(nullptr, out.data() + done, static_cast<ULONG>(n),
                          BCRYPT_USE_SYSTEM_PREFERRED_RNG),
          "BCryptGenRandom");
    done += n;
  }
}

sha256::sha256() : state_(std::make_unique<state>()) {}

sha256::~sha256() = default;

void sha256::update(std::string_view bytes) {
  state_->hash.update(bytes);
}

sha256_digest sha256::finish() {
  return state_->hash.finish();
}

}  // namespace wolfpack::platform
