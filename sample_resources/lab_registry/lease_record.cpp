#include "wolfpack/lab/lease_record.hpp"

#include <random>

namespace wolfpack::lab {
namespace {

std::uint64_t number(const std::string& text, const std::string& name) {
  try {
    const std::string value = record_field(text, name);
    return value.empty() ? 0 : std::stoull(value);
  } catch (...) {
    return 0;
  }
}

}  // namespace

std::string lease_record::to_text() const {
  return holder_text(owner) + "token=" + token + "\nepoch=" + std::to_string(epoch) +
         "\nseq=" + std::to_string(seq) + "\ninterval_ms=" + std::to_string(interval_ms) + "\n";
}

lease_record lease_record::parse(const std::string& text) {
  lease_record r;
  r.owner = parse_holder(text);
  r.token = record_field(text, "token");
  r.epoch = number(text, "epoch");
  r.seq = number(text, "seq");
  r.interval_ms = static_cast<std::uint32_t>(number(text, "interval_ms"));
  return r;
}

std::string new_token() {
  static constexpr char hex[] = "0123456789abcdef";
  std::random_device rd;
  std::string token;
  for (int i = 0; i < 4; ++i) {
    std::uint32_t v = rd();
    for (int j = 0; j < 8; ++j, v >>= 4)
      token.push_back(hex[v & 0xF]);
  }
  return token;
}

}  // namespace wolfpack::lab
