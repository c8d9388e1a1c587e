#pragma once

// A reservation that exactly one holder has at a time and must keep renewing: the simulated
// SCSI reservation of a Physical Disk and the lock of a File Share Witness (SPEC 5.6).
//
// The record lives in a file; every read-modify-write of it happens under a flock of a
// separate lock file, held only for the few file operations. Unlike a claim, nothing here
// depends on the holder's process being alive: a holder that is frozen (SIGSTOP, a hung
// node) keeps its reservation exactly as long as nobody challenges it. A challenger that
// finds the reservation held watches it for longer than two of the holder's renewal
// intervals; a live holder renews (defends) meanwhile and the challenge fails, a dead or
// frozen one does not and the challenger takes the reservation over (a new epoch). The old
// holder learns it lost the reservation at its next renewal.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "wolfpack/lab/lease_record.hpp"

namespace wolfpack::lab {

class lease_reservation {
 public:
  // `record`: the reservation file; `lock`: its lock file. `registry` and `key` name it in
  // the journal ("disks", "DISK-1234ABCD").
  lease_reservation(std::filesystem::path record, std::filesystem::path lock, std::string registry,
                    std::string key);

  lease_record read() const;
  // Takes the reservation for `me` when nobody holds it: the new record. Otherwise nullopt
  // and `found` is the current one.
  std::optional<lease_record> try_take(const holder& me, std::uint32_t interval_ms,
                                       lease_record& found);
  // Takes it over from `observed`, only if the record is still exactly `observed`.
  std::optional<lease_record> take_over(const holder& me, std::uint32_t interval_ms,
                                        const lease_record& observed);
  // Renews the reservation held with `token` (seq + 1); false when it is no longer ours.
  bool renew(const std::string& token);
  // Gives up the reservation held with `token`, if it still is; the epoch is kept.
  void release(const std::string& token);
  // Whether the reservation is held with `token` now.
  bool holds(const std::string& token) const;

  // Runs `fn` on the current record while the lock is held (so that the record cannot
  // change meanwhile); used to check a write against the reservation.
  void with_record(const std::function<void(const lease_record&)>& fn) const;

  const std::string& registry() const noexcept { return registry_; }
  const std::string& key() const noexcept { return key_; }
  const std::filesystem::path& record_path() const noexcept { return record_; }

 private:
  std::filesystem::path record_;
  std::filesystem::path lock_;
  std::string registry_;
  std::string key_;
};

// What acquire() did.
struct acquire_result {
  enum class outcome { acquired, owner_alive, aborted };
  outcome result = outcome::aborted;
  lease_record record;      // acquired: ours; owner_alive: the holder that defended
  bool challenged = false;  // acquired by taking it over from a holder that did not defend
};

// Takes the reservation: at once when it is free; otherwise the challenge of SPEC 5.6,
// watching the holder for `challenge_wait` (which must exceed two of its renewal intervals)
// and taking it over if it did not renew. `keep_going` is asked every poll (false aborts,
// e.g. Terminate); `before_challenge` runs once when a challenge starts (for logging).
acquire_result acquire(lease_reservation& reservation, const holder& me, std::uint32_t interval_ms,
                       std::chrono::milliseconds challenge_wait,
                       const std::function<bool()>& keep_going,
                       const std::function<void(const lease_record&)>& before_challenge = {});

// The wait acquire() should use against `holder_record`: more than two renewal intervals of
// the holder (and of ours, when the holder wrote none).
std::chrono::milliseconds challenge_wait_for(const lease_record& holder_record,
                                             std::uint32_t own_interval_ms);

}  // namespace wolfpack::lab
