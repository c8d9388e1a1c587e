#pragma once

// A reservation this resource holds, with its defense: what Physical Disk and File Share
// Witness keep between acquiring a reservation and giving it up. Thread-safe: Terminate may
// release while a poll asks.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "wolfpack/lab/lease_defender.hpp"
#include "wolfpack/lab/lease_reservation.hpp"

namespace wolfpack::lab {

class held_reservation {
 public:
  // Starts defending `record`, just acquired on `reservation`, renewing every `interval`;
  // `on_lost` runs (on the defender's thread) if a renewal finds it taken. Replaces (and
  // releases) what was held before.
  void defend(const lease_reservation& reservation, const lease_record& record,
              std::chrono::milliseconds interval, std::function<void()> on_lost);
  // Defending and not lost: the cheap check.
  bool defending() const;
  // The reservation file still carries our token: the thorough check.
  bool holds() const;
  // Stops defending and gives the reservation up (if it is still ours); idempotent.
  void release();
  // Runs `fn` under the reservation's lock if the reservation is still ours then (a
  // take-over cannot slip in between); false, without running it, when it is not.
  bool while_held(const std::function<void()>& fn) const;
  // The epoch we hold, 0 when none.
  std::uint64_t epoch() const;

 private:
  mutable std::mutex mutex_;
  std::unique_ptr<lease_reservation> reservation_;  // guarded by mutex_
  std::unique_ptr<lease_defender> defender_;        // guarded by mutex_
  std::string token_;                               // guarded by mutex_
  std::uint64_t epoch_ = 0;                         // guarded by mutex_
};

}  // namespace wolfpack::lab
