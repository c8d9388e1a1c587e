#include "sha256.hpp"

#include "wolfpack/common/hex.hpp"

namespace wolfpack::cluster::detail {

void sha256::update(std::string_view bytes) {
  // A tree hashes as many small fields; a call into the platform's digest for each costs more
  // than the hashing itself, so they are gathered first (the digest is the same).
  pending_.append(bytes);
  if (pending_.size() >= flush_size)
    flush();
}

void sha256::flush() {
  if (pending_.empty())
    return;
  digest_.update(pending_);
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
  flush();
  return hex::encode(digest_.finish());
}

}  // namespace wolfpack::cluster::detail
