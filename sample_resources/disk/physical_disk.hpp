#pragma once

// Physical Disk, simulated: the disk with signature S is the folder <lab dir>/storage/
// DISK-<S in hex>/ (lab::shared_disk), and exactly one node holds its reservation. The holder
// renews the reservation every DiskArbInterval seconds (defense); Online and Arbitrate take a
// free reservation at once and challenge a held one (SPEC 5.6): they watch it for more than
// two intervals and take it over only if nobody renewed it. A holder that finds its
// reservation taken fails IsAlive (and calls QuorumResourceLost if it had arbitrated), and
// writes through its node are refused from then on. In maintenance mode (the storage class's
// CLUSCTL_RESOURCE_SET/QUERY_MAINTENANCE_MODE) the health checks are not acted on.

#include <atomic>
#include <string>

#include <wolfpack/lab/held_reservation.hpp>
#include <wolfpack/lab/shared_disk.hpp>
#include <wolfpack/plugin.hpp>

namespace wolfpack::lab_types {

struct physical_disk_params {
  DWORD signature = 0;          // Signature (DWORD, required, non-zero): which disk
  DWORD disk_arb_interval = 3;  // DiskArbInterval (DWORD seconds, 1-60): renewal period
};

class physical_disk : public plugin::resource<physical_disk_params> {
 public:
  // A user control code: writes a probe file on the disk through this node, as any write
  // would go (lab::write_guarded). ERROR_SUCCESS when written, ERROR_SHARING_VIOLATION when
  // this node does not hold the reservation. For tests and for people trying the lab.
  static constexpr DWORD control_write_probe = CLUSCTL_USER_CODE(1, CLUS_OBJECT_RESOURCE);

  static plugin::property_table<physical_disk_params> properties();
  static DWORD resource_class() { return CLUS_RESCLASS_STORAGE; }
  static DWORD characteristics() { return CLUS_CHAR_QUORUM; }
  static constexpr bool quorum_capable = true;

  DWORD open() override;
  void close() override;
  plugin::result online() override;
  plugin::result offline() override;
  bool looks_alive() override;
  bool is_alive() override;
  void terminate() override;
  DWORD arbitrate() override;
  DWORD release() override;
  DWORD resource_control(DWORD code, const void* in, DWORD in_size, void* out, DWORD out_size,
                         DWORD* returned) override;

 private:
  // The disk named by the current parameters (provisioned).
  lab::shared_disk disk() const;
  std::chrono::milliseconds interval() const;
  // Acquires the reservation (challenging when needed) and starts defending it.
  DWORD acquire(const std::function<bool()>& keep_going, DWORD conflict_code);
  void start_defense(const lab::lease_reservation& r, const lab::lease_record& record);
  // Whoever notices the loss first (the defender or IsAlive) reports it, exactly once: IsAlive
  // failing makes the monitor Terminate, which stops the defender before it could report.
  void report_lost();
  // While in maintenance: true, after one log line saying which check was ignored.
  bool ignored_in_maintenance(const char* check);
  // ERROR_CLUSTER_INVALID_REQUEST for the quorum disk, ERROR_INVALID_STATE when this node
  // does not hold the disk online; ERROR_SUCCESS otherwise.
  DWORD maintenance_refused() const;
  DWORD set_maintenance(const void* in, DWORD in_size);
  DWORD query_maintenance(void* out, DWORD out_size, DWORD* returned) const;

  lab::held_reservation held_;
  std::atomic<bool> arbitrated_{false};  // QuorumResourceLost is owed on a loss
  // Maintenance mode (CLUSCTL_RESOURCE_SET_MAINTENANCE_MODE): LooksAlive and IsAlive report
  // the disk healthy whatever they find, as MS-CMRP has the server do for a storage resource
  // an administrator is working on; cleared when the disk goes offline, is terminated or is
  // closed.
  std::atomic<bool> maintenance_{false};
  std::atomic<bool> reserved_{false};           // taken by Online or Arbitrate, not given up since
  std::atomic<bool> maintenance_noted_{false};  // the log line said so once this time
  std::atomic<std::uint64_t> aborts_{0};        // Terminate/Release/Close stop an Arbitrate
};

}  // namespace wolfpack::lab_types
