#include "wolfpack/sim/fake_witness.hpp"

namespace wolfpack::cluster::sim {

bool fake_witness::reachable(std::size_t node, time_ms now) const {
  auto it = unreachable_.find(node);
  return it == unreachable_.end() || now >= it->second;
}

std::optional<time_ms> fake_witness::unreachable_until(std::size_t node) const {
  auto it = unreachable_.find(node);
  return it == unreachable_.end() ? std::nullopt : std::optional<time_ms>(it->second);
}

std::uint64_t fake_witness::take(const process& who, time_ms now) {
  reservation_.holder = who;
  reservation_.token = next_token_++;
  reservation_.epoch++;
  reservation_.seq = 0;
  reservation_.renewed = now;
  return reservation_.token;
}

std::optional<std::uint64_t> fake_witness::try_take(const process& who, time_ms now) {
  if (!reachable(who.first, now) || reservation_.holder)
    return std::nullopt;
  return take(who, now);
}

std::optional<std::uint64_t> fake_witness::take_over(const process& who, time_ms now,
                                                     const reservation& observed) {
  if (!reachable(who.first, now) || !(reservation_ == observed))
    return std::nullopt;
  return take(who, now);
}

bool fake_witness::renew(std::size_t node, std::uint64_t token, time_ms now) {
  if (!reachable(node, now) || token == 0 || reservation_.token != token)
    return false;
  reservation_.seq++;
  reservation_.renewed = now;
  return true;
}

void fake_witness::release(std::size_t node, std::uint64_t token, time_ms now) {
  if (!reachable(node, now) || token == 0 || reservation_.token != token)
    return;
  reservation_.holder.reset();
  reservation_.token = 0;
  reservation_.seq = 0;
}

bool fake_witness::holds(const process& who, std::uint64_t token) const {
  return token != 0 && reservation_.token == token && reservation_.holder == who;
}

void fake_witness::write_record(const process& who, std::string bytes, time_ms now) {
  record_ = bytes;
  records_.push_back(record_write{now, who, std::move(bytes)});
}

}  // namespace wolfpack::cluster::sim
