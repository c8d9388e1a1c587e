#include "file_share_witness.hpp"

#include <system_error>
#include <thread>

#include <wolfpack/lab/lab_paths.hpp>
#include <wolfpack/lab/witness_record.hpp>
#include <wolfpack/wide_string.hpp>

namespace wolfpack::lab_types {

namespace fs = std::filesystem;

plugin::property_table<file_share_witness_params> file_share_witness::properties() {
  return plugin::property_table<file_share_witness_params>()
      .sz(L"SharePath", &file_share_witness_params::share_path)
      .required()
      .dword(L"ArbitrationDelay", &file_share_witness_params::arbitration_delay, 6, 0, 60);
}

plugin::outcome file_share_witness::validate_parameters(const file_share_witness_params& merged) {
  if (!merged.share_path.empty() && !fs::path(to_utf8(merged.share_path)).is_absolute()) {
    return plugin::outcome::refused(
        ERROR_INVALID_PARAMETER,
        "property SharePath: " + to_utf8(merged.share_path) + " is not an absolute path");
  }
  return {};
}

lab::lease_reservation file_share_witness::witness() const {
  const fs::path share = to_utf8(params().share_path);
  std::error_code ec;
  if (!share.is_absolute() || !fs::is_directory(share, ec))
    throw plugin::error(ERROR_BAD_NETPATH,
                        "property SharePath: " + share.string() + " is not a reachable folder");
  return lab::lease_reservation(share / "witness", share / "witness.lock", "witness",
                                share.string());
}

DWORD file_share_witness::acquire(const std::function<bool()>& keep_going) {
  lab::lease_reservation w = witness();
  const std::string me_node = lab::node_name();
  const lab::holder me{me_node, to_utf8(name()), 0};
  const lab::lease_record last = w.read();
  // The owner of the last epoch goes first; others let it (SPEC 5.6, ArbitrationDelay).
  if (last.owner.node != me_node && !last.owner.node.empty() && params().arbitration_delay > 0) {
    log_info("the witness was last owned by " + last.owner.node + "; waiting " +
             std::to_string(params().arbitration_delay) + " s before arbitrating");
    const auto end =
        std::chrono::steady_clock::now() + std::chrono::seconds(params().arbitration_delay);
    while (std::chrono::steady_clock::now() < end) {
      if (!keep_going())
        return ERROR_OPERATION_ABORTED;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  const auto interval_ms = static_cast<std::uint32_t>(renew_interval.count());
  const auto result =
      lab::acquire(w, me, interval_ms, std::chrono::milliseconds(0), keep_going,
                   [this](const lab::lease_record& holder) {
                     log_info("the witness is held by " + holder.owner.describe() + " (epoch " +
                              std::to_string(holder.epoch) + "); challenging");
                   });
  switch (result.result) {
    case lab::acquire_result::outcome::acquired:
      held_.defend(w, result.record, renew_interval, [this] {
        log_error("the witness was taken by another node");
        report_lost();
      });
      log_info("holding the witness, epoch " + std::to_string(result.record.epoch));
      return ERROR_SUCCESS;
    case lab::acquire_result::outcome::owner_alive:
      log_error("property SharePath: the witness is held by " + result.record.owner.describe() +
                ", which defended it (epoch " + std::to_string(result.record.epoch) + ")");
      return ERROR_QUORUM_OWNER_ALIVE;
    case lab::acquire_result::outcome::aborted:
      break;
  }
  return ERROR_OPERATION_ABORTED;
}

DWORD file_share_witness::arbitrate() {
  if (held_.defending() && held_.holds()) {
    arbitrated_ = true;
    return ERROR_SUCCESS;
  }
  const std::uint64_t start = aborts_.load();
  const DWORD status = acquire([this, start] { return aborts_.load() == start; });
  if (status == ERROR_SUCCESS)
    arbitrated_ = true;
  return status;
}

DWORD file_share_witness::release() {
  ++aborts_;
  arbitrated_ = false;
  held_.release();
  return ERROR_SUCCESS;
}

DWORD file_share_witness::resource_control(DWORD code, const void* in, DWORD in_size, void* out,
                                           DWORD out_size, DWORD* returned) {
  std::uint32_t status = ERROR_SUCCESS;
  std::uint32_t bytes = 0;  // DWORD is another type than std::uint32_t on Windows
  const auto record = [this] {
    return fs::path(to_utf8(params().share_path)) / "witness-record.json";
  };
  if (lab::witness_record_control(held_, record, code, in, in_size, out, out_size, &bytes,
                                  status)) {
    if (returned != nullptr)
      *returned = bytes;
    return status;
  }
  return plugin::resource<file_share_witness_params>::resource_control(code, in, in_size, out,
                                                                       out_size, returned);
}

plugin::result file_share_witness::online() {
  if (held_.defending() && held_.holds())
    return plugin::result::success();
  (void)witness();  // a bad SharePath fails Online at once, not in the pending work
  return run_pending([this](plugin::pending_operation& op) -> plugin::result {
    auto last_report = std::chrono::steady_clock::now();
    return acquire([&op, &last_report] {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_report >= std::chrono::milliseconds(500)) {
        last_report = now;
        return op.report_progress(500);
      }
      return !op.stop_requested();
    });
  });
}

plugin::result file_share_witness::offline() {
  arbitrated_ = false;
  held_.release();
  return plugin::result::success();
}

void file_share_witness::terminate() {
  ++aborts_;
  arbitrated_ = false;
  held_.release();
}

void file_share_witness::close() {
  ++aborts_;
  held_.release();
}

bool file_share_witness::looks_alive() {
  return held_.defending();
}

bool file_share_witness::is_alive() {
  if (!held_.holds()) {
    log_error("this node no longer holds the witness in " + to_utf8(params().share_path));
    report_lost();
    return false;
  }
  return true;
}

void file_share_witness::report_lost() {
  if (arbitrated_.exchange(false))
    quorum_lost();
}

}  // namespace wolfpack::lab_types
