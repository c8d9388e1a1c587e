// The shared storage of the simulated quorum witness (SPEC 5.6; docs/internals/simulator.md,
// "The witness"): one reservation that at most one process holds, renewed by its holder's
// defense, and the witness record (wolfpack/witness_record.h) stored beside it. It is what the
// lab's lease_reservation keeps in a file, on the cluster's virtual clock.
//
// A process is (node, incarnation). Every operation names the process doing it and fails
// while the storage is unreachable from that node (the storage fault).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wolfpack/cluster_core/core_io.hpp"

namespace wolfpack::cluster::sim {

class fake_witness {
 public:
  using process = std::pair<std::size_t, std::size_t>;  // node, incarnation

  struct reservation {
    std::optional<process> holder;  // nullopt: free
    std::uint64_t token = 0;        // 0 when free
    std::uint64_t epoch = 0;        // grows with every new holder (kept when released)
    std::uint64_t seq = 0;          // renewals since taken
    time_ms renewed = 0;
    bool operator==(const reservation&) const = default;
  };

  // One write of the record.
  struct record_write {
    time_ms at = 0;
    process by;
    std::string bytes;
  };

  // `interval_ms`: the holder's renewal interval (File Share Witness 1 s, Physical Disk's
  // DiskArbInterval 3 s).
  explicit fake_witness(std::uint32_t interval_ms) : interval_ms_(interval_ms) {}

  std::uint32_t interval_ms() const { return interval_ms_; }
  // How long a challenger watches a held reservation before taking it over: more than two
  // renewals of a live holder (lab::challenge_wait_for).
  time_ms challenge_ms() const { return 2ull * interval_ms_ + interval_ms_ / 2 + 100; }

  // ---- the storage fault
  // Unreachable from node `node` until `until`.
  void cut_off(std::size_t node, time_ms until) { unreachable_[node] = until; }
  void restore(std::size_t node) { unreachable_.erase(node); }
  void restore_all() { unreachable_.clear(); }
  bool reachable(std::size_t node, time_ms now) const;
  std::optional<time_ms> unreachable_until(std::size_t node) const;

  // ---- the reservation (each call false / nullopt when unreachable from `who`'s node)
  const reservation& current() const { return reservation_; }
  // Takes it when free: the new token.
  std::optional<std::uint64_t> try_take(const process& who, time_ms now);
  // Takes it over only if it is still exactly `observed` (the holder did not renew).
  std::optional<std::uint64_t> take_over(const process& who, time_ms now,
                                         const reservation& observed);
  // Renews the reservation held with `token`: false when it is not (or unreachable).
  bool renew(std::size_t node, std::uint64_t token, time_ms now);
  void release(std::size_t node, std::uint64_t token, time_ms now);
  bool holds(const process& who, std::uint64_t token) const;
  // Whether `who` holds the reservation now, whatever its token.
  bool held_by(const process& who) const { return reservation_.holder == who; }

  // ---- the record
  const std::vector<record_write>& records() const { return records_; }
  const std::string& record() const { return record_; }
  void write_record(const process& who, std::string bytes, time_ms now);

 private:
  std::uint64_t take(const process& who, time_ms now);

  std::uint32_t interval_ms_;
  reservation reservation_;
  std::uint64_t next_token_ = 1;
  std::string record_;
  std::vector<record_write> records_;
  std::map<std::size_t, time_ms> unreachable_;
};

}  // namespace wolfpack::cluster::sim
