#include "wolfpack/lab/held_reservation.hpp"

namespace wolfpack::lab {

void held_reservation::defend(const lease_reservation& reservation, const lease_record& record,
                              std::chrono::milliseconds interval, std::function<void()> on_lost) {
  release();
  std::lock_guard lock(mutex_);
  reservation_ = std::make_unique<lease_reservation>(reservation);
  token_ = record.token;
  epoch_ = record.epoch;
  defender_ =
      std::make_unique<lease_defender>(reservation, record.token, interval, std::move(on_lost));
}

bool held_reservation::defending() const {
  std::lock_guard lock(mutex_);
  return defender_ != nullptr && !defender_->lost();
}

bool held_reservation::holds() const {
  std::unique_lock lock(mutex_);
  if (reservation_ == nullptr || defender_ == nullptr || defender_->lost())
    return false;
  const lease_reservation reservation = *reservation_;
  const std::string token = token_;
  lock.unlock();  // the file lock may take a moment; never hold our mutex across it
  try {
    return reservation.holds(token);
  } catch (...) {
    return false;
  }
}

bool held_reservation::while_held(const std::function<void()>& fn) const {
  std::unique_lock lock(mutex_);
  if (reservation_ == nullptr || defender_ == nullptr || defender_->lost())
    return false;
  const lease_reservation reservation = *reservation_;
  const std::string token = token_;
  lock.unlock();
  bool ours = false;
  reservation.with_record([&](const lease_record& current) {
    ours = current.token == token;
    if (ours)
      fn();
  });
  return ours;
}

void held_reservation::release() {
  std::unique_ptr<lease_defender> defender;
  std::unique_ptr<lease_reservation> reservation;
  std::string token;
  {
    std::lock_guard lock(mutex_);
    defender = std::move(defender_);
    reservation = std::move(reservation_);
    token = std::move(token_);
    token_.clear();
    epoch_ = 0;
  }
  // Stop renewing before giving it up, so that no renewal races the release.
  defender.reset();
  if (reservation != nullptr && !token.empty()) {
    try {
      reservation->release(token);
    } catch (...) {
      // Unreachable storage: the reservation lapses when nobody renews it.
    }
  }
}

std::uint64_t held_reservation::epoch() const {
  std::lock_guard lock(mutex_);
  return epoch_;
}

}  // namespace wolfpack::lab
