#pragma once

// A simulated shared disk: the folder <lab dir>/storage/<disk id>/ holding
//   volume/       the disk's contents (what a File Share's Path points into)
//   reservation   the reservation record (lease_reservation)
//   .lock         the lock every reservation change and every guarded write takes
// Writes go through write_guarded(), which refuses them unless this node holds the
// reservation, as a disk fenced by a SCSI reservation refuses another initiator's I/O.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "wolfpack/lab/lease_reservation.hpp"

namespace wolfpack::lab {

class shared_disk {
 public:
  // <lab dir>/storage
  static std::filesystem::path storage_dir();
  // The disk with this Signature: "DISK-1234ABCD".
  static std::string id_for_signature(std::uint32_t signature);
  // The disk whose volume holds `path`, if `path` lies in one.
  static std::optional<shared_disk> of_path(const std::filesystem::path& path);

  explicit shared_disk(std::string id);

  const std::string& id() const noexcept { return id_; }
  std::filesystem::path root() const { return storage_dir() / id_; }
  std::filesystem::path volume() const { return root() / "volume"; }
  lease_reservation reservation() const;
  // Creates the disk's folders when they do not exist yet (the lab's "new LUN").
  void provision() const;

 private:
  std::string id_;
};

// What a guarded write did.
struct write_result {
  enum class outcome { written, refused, failed };
  outcome result = outcome::failed;
  std::string message;  // refused: who holds the disk; failed: why
};

// Writes `data` into `file` (replacing it) if `file` is on no lab disk, or on a disk whose
// reservation this node (node_name()) holds; the check and the write happen under the disk's
// lock, so a take-over cannot slip in between.
write_result write_guarded(const std::filesystem::path& file, std::string_view data);

}  // namespace wolfpack::lab
