#pragma once

// File Share Witness, simulated: the witness is <SharePath>/witness, a reservation record
// (lab::lease_reservation, its lock <SharePath>/witness.lock) whose epoch counts the changes
// of owner. The owner renews it every second. Arbitrate gives the node that owned the
// witness last the first chance: it takes the witness at once, every other node waits
// ArbitrationDelay seconds first, then challenges it as a disk is challenged (SPEC 5.6).

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include <wolfpack/lab/held_reservation.hpp>
#include <wolfpack/plugin.hpp>

namespace wolfpack::lab_types {

struct file_share_witness_params {
  std::wstring share_path;      // SharePath (SZ, required): the shared folder
  DWORD arbitration_delay = 6;  // ArbitrationDelay (DWORD seconds, 0-60)
};

class file_share_witness : public plugin::resource<file_share_witness_params> {
 public:
  static constexpr std::chrono::milliseconds renew_interval{1000};

  static plugin::property_table<file_share_witness_params> properties();
  static plugin::outcome validate_parameters(const file_share_witness_params& merged);
  static DWORD characteristics() { return CLUS_CHAR_QUORUM; }
  static constexpr bool quorum_capable = true;

  plugin::result online() override;
  plugin::result offline() override;
  bool looks_alive() override;
  bool is_alive() override;
  void terminate() override;
  void close() override;
  DWORD arbitrate() override;
  DWORD release() override;
  // The witness record (wolfpack/witness_record.h), kept in <SharePath>/witness-record.json.
  DWORD resource_control(DWORD code, const void* in, DWORD in_size, void* out, DWORD out_size,
                         DWORD* returned) override;

 private:
  lab::lease_reservation witness() const;
  // Waits the delay when another node owned the witness last, then acquires it; starts the
  // defense. `keep_going` false aborts.
  DWORD acquire(const std::function<bool()>& keep_going);
  // Whoever notices the loss first (the defender or IsAlive) reports it, exactly once: IsAlive
  // failing makes the monitor Terminate, which stops the defender before it could report.
  void report_lost();

  lab::held_reservation held_;
  std::atomic<bool> arbitrated_{false};
  std::atomic<std::uint64_t> aborts_{0};
};

}  // namespace wolfpack::lab_types
