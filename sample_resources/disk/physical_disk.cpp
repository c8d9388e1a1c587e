#include "physical_disk.hpp"

#include <algorithm>
#include <cstring>

#include <wolfpack/lab/lab_paths.hpp>
#include <wolfpack/lab/witness_record.hpp>
#include <wolfpack/wide_string.hpp>

namespace wolfpack::lab_types {

plugin::property_table<physical_disk_params> physical_disk::properties() {
  return plugin::property_table<physical_disk_params>()
      .dword(L"Signature", &physical_disk_params::signature, 0, 1, 0xFFFFFFFFu)
      .required()
      .dword(L"DiskArbInterval", &physical_disk_params::disk_arb_interval, 3, 1, 60);
}

DWORD physical_disk::open() {
  if (params().signature == 0)
    log_warning("property Signature is not set yet; Online will fail until it is");
  return ERROR_SUCCESS;
}

void physical_disk::close() {
  ++aborts_;
  maintenance_ = false;
  reserved_ = false;
  held_.release();
}

lab::shared_disk physical_disk::disk() const {
  lab::shared_disk d(lab::shared_disk::id_for_signature(params().signature));
  d.provision();
  return d;
}

std::chrono::milliseconds physical_disk::interval() const {
  return std::chrono::seconds(params().disk_arb_interval);
}

void physical_disk::start_defense(const lab::lease_reservation& r,
                                  const lab::lease_record& record) {
  reserved_ = true;
  held_.defend(r, record, interval(), [this, id = r.key()] {
    log_error("the reservation of disk " + id +
              " was taken by another node; writes through this node are refused from now on");
    report_lost();
  });
}

void physical_disk::report_lost() {
  if (arbitrated_.exchange(false))
    quorum_lost();
}

DWORD physical_disk::acquire(const std::function<bool()>& keep_going, DWORD conflict_code) {
  const lab::shared_disk d = disk();
  lab::lease_reservation r = d.reservation();
  const lab::holder me{lab::node_name(), to_utf8(name()), 0};
  const auto interval_ms = static_cast<std::uint32_t>(interval().count());
  const auto result =
      lab::acquire(r, me, interval_ms, std::chrono::milliseconds(0), keep_going,
                   [this, &d, interval_ms](const lab::lease_record& holder) {
                     log_info("disk " + d.id() + " is reserved by " + holder.owner.describe() +
                              "; challenging: waiting " +
                              std::to_string(lab::challenge_wait_for(holder, interval_ms).count()) +
                              " ms for it to defend");
                   });
  switch (result.result) {
    case lab::acquire_result::outcome::acquired:
      start_defense(r, result.record);
      log_info("reserved disk " + d.id() + " (epoch " + std::to_string(result.record.epoch) +
               (result.challenged ? ", taken over from a holder that did not defend it)" : ")"));
      return ERROR_SUCCESS;
    case lab::acquire_result::outcome::owner_alive:
      log_error("property Signature: disk " + d.id() + " is reserved by " +
                result.record.owner.describe() + ", which defended it");
      return conflict_code;
    case lab::acquire_result::outcome::aborted:
      break;
  }
  return ERROR_OPERATION_ABORTED;
}

plugin::result physical_disk::online() {
  if (held_.defending() && held_.holds())
    return plugin::result::success();  // arbitrated before, as the quorum disk is
  // A free reservation is taken at once; a held one needs a challenge of a few seconds,
  // which runs as a pending Online.
  lab::lease_reservation r = disk().reservation();
  const lab::holder me{lab::node_name(), to_utf8(name()), 0};
  lab::lease_record found;
  if (auto mine = r.try_take(me, static_cast<std::uint32_t>(interval().count()), found)) {
    start_defense(r, *mine);
    log_info("reserved disk " + r.key() + " (epoch " + std::to_string(mine->epoch) + ")");
    return plugin::result::success();
  }
  return run_pending([this](plugin::pending_operation& op) -> plugin::result {
    auto last_report = std::chrono::steady_clock::now();
    return acquire(
        [&op, &last_report] {
          const auto now = std::chrono::steady_clock::now();
          if (now - last_report >= std::chrono::milliseconds(500)) {
            last_report = now;
            return op.report_progress(500);
          }
          return !op.stop_requested();
        },
        ERROR_SHARING_VIOLATION);
  });
}

plugin::result physical_disk::offline() {
  arbitrated_ = false;
  maintenance_ = false;
  reserved_ = false;
  held_.release();
  return plugin::result::success();
}

void physical_disk::terminate() {
  ++aborts_;
  arbitrated_ = false;
  maintenance_ = false;
  reserved_ = false;
  held_.release();
}

bool physical_disk::ignored_in_maintenance(const char* check) {
  if (!maintenance_)
    return false;
  if (!maintenance_noted_.exchange(true))
    log_warning(std::string(check) + " not acted on: the disk is in maintenance mode");
  return true;
}

bool physical_disk::looks_alive() {
  if (!held_.defending() && ignored_in_maintenance("LooksAlive"))
    return true;
  return held_.defending();
}

bool physical_disk::is_alive() {
  if (!held_.holds() && ignored_in_maintenance("IsAlive"))
    return true;
  if (!held_.holds()) {
    log_error("disk " + lab::shared_disk::id_for_signature(params().signature) +
              ": this node no longer holds the reservation");
    report_lost();
    return false;
  }
  return true;
}

DWORD physical_disk::arbitrate() {
  if (params().signature == 0) {
    log_error("Arbitrate: property Signature is not set");
    return ERROR_INVALID_PARAMETER;
  }
  if (held_.defending() && held_.holds()) {
    arbitrated_ = true;
    return ERROR_SUCCESS;
  }
  const std::uint64_t start = aborts_.load();
  const DWORD status =
      acquire([this, start] { return aborts_.load() == start; }, ERROR_QUORUM_OWNER_ALIVE);
  if (status == ERROR_SUCCESS)
    arbitrated_ = true;
  return status;
}

DWORD physical_disk::release() {
  ++aborts_;
  arbitrated_ = false;
  reserved_ = false;
  held_.release();
  return ERROR_SUCCESS;
}

DWORD physical_disk::maintenance_refused() const {
  // Microsoft's disk: only an online disk of this node, and never the quorum disk.
  if (arbitrated_) {
    log_error("maintenance mode: the quorum disk cannot be put in maintenance mode");
    return ERROR_CLUSTER_INVALID_REQUEST;
  }
  // Online here: the reservation was taken and not given up since, lost or not (a lost one is
  // what an administrator may be working on).
  if (!reserved_) {
    log_error("maintenance mode: the disk is not online on this node");
    return ERROR_INVALID_STATE;
  }
  return ERROR_SUCCESS;
}

DWORD physical_disk::set_maintenance(const void* in, DWORD in_size) {
  if (in == nullptr || in_size < sizeof(CLUS_MAINTENANCE_MODE_INFO))
    return ERROR_INVALID_PARAMETER;
  if (const DWORD refused = maintenance_refused(); refused != ERROR_SUCCESS)
    return refused;
  // The simple structure may be followed by private data; exactly the size of the extended
  // one is read as that.
  CLUS_MAINTENANCE_MODE_INFOEX info{};
  const bool extended = in_size == sizeof info;
  std::memcpy(&info, in, extended ? sizeof info : sizeof(CLUS_MAINTENANCE_MODE_INFO));
  // The extended form's other types (taking the disk offline underneath, or out of the
  // cluster) are not simulated.
  if (extended && info.InMaintenance &&
      info.MaintainenceModeType != MaintenanceModeTypeDisableIsAliveCheck) {
    log_error("SET_MAINTENANCE_MODE: only MaintenanceModeTypeDisableIsAliveCheck is supported");
    return ERROR_NOT_SUPPORTED;
  }
  const bool on = info.InMaintenance != FALSE;
  if (maintenance_.exchange(on) != on) {
    maintenance_noted_ = false;
    log_info(std::string("maintenance mode ") +
             (on ? "on: health checks are not acted on" : "off: health checks count again"));
  }
  return ERROR_SUCCESS;
}

DWORD physical_disk::query_maintenance(void* out, DWORD out_size, DWORD* returned) const {
  if (const DWORD refused = maintenance_refused(); refused != ERROR_SUCCESS)
    return refused;
  CLUS_MAINTENANCE_MODE_INFOEX info{};
  const bool on = maintenance_;  // read once: another thread may change it meanwhile
  info.InMaintenance = on ? TRUE : FALSE;
  if (on)
    info.MaintainenceModeType = MaintenanceModeTypeDisableIsAliveCheck;
  info.InternalState = held_.holds() ? ClusterResourceOnline : ClusterResourceOffline;
  info.Signature = params().signature;
  // The extended answer when it fits, the simple one when only that fits (MS-CMRP); a buffer
  // too small for either is told the extended size.
  const DWORD size = out_size >= sizeof info || out_size < sizeof(CLUS_MAINTENANCE_MODE_INFO)
                         ? static_cast<DWORD>(sizeof info)
                         : static_cast<DWORD>(sizeof(CLUS_MAINTENANCE_MODE_INFO));
  if (returned != nullptr)
    *returned = size;
  if (out == nullptr || out_size < size)
    return ERROR_MORE_DATA;
  std::memcpy(out, &info, size);
  return ERROR_SUCCESS;
}

DWORD physical_disk::resource_control(DWORD code, const void* in, DWORD in_size, void* out,
                                      DWORD out_size, DWORD* returned) {
  std::uint32_t status = ERROR_SUCCESS;
  std::uint32_t bytes = 0;  // DWORD is another type than std::uint32_t on Windows
  // The witness record lives beside the reservation, outside the volume the data uses.
  const auto record = [this] { return disk().root() / "witness-record.json"; };
  if (lab::witness_record_control(held_, record, code, in, in_size, out, out_size, &bytes,
                                  status)) {
    if (returned != nullptr)
      *returned = bytes;
    return status;
  }
  if (code == CLUSCTL_RESOURCE_SET_MAINTENANCE_MODE)
    return set_maintenance(in, in_size);
  if (code == CLUSCTL_RESOURCE_QUERY_MAINTENANCE_MODE)
    return query_maintenance(out, out_size, returned);
  if (code != control_write_probe)
    return plugin::resource<physical_disk_params>::resource_control(code, in, in_size, out,
                                                                    out_size, returned);
  const lab::shared_disk d = disk();
  const auto file = d.volume() / (".probe-" + lab::file_name_for(lab::node_name()));
  const auto w = lab::write_guarded(file, "written by " + lab::node_name() + "\n");
  switch (w.result) {
    case lab::write_result::outcome::written:
      return ERROR_SUCCESS;
    case lab::write_result::outcome::refused:
      log_error("write refused: " + w.message);
      return ERROR_SHARING_VIOLATION;
    case lab::write_result::outcome::failed:
      break;
  }
  log_error("write failed: " + w.message);
  return ERROR_GEN_FAILURE;
}

}  // namespace wolfpack::lab_types
