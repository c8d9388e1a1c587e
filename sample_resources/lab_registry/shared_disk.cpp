#include "wolfpack/lab/shared_disk.hpp"

#include <cstdio>
#include <fstream>
#include <system_error>

#include "wolfpack/lab/lab_paths.hpp"

namespace wolfpack::lab {

namespace fs = std::filesystem;

namespace {

const char* const volume_dir = "volume";

void write_file(const fs::path& file, std::string_view data, write_result& out) {
  std::ofstream f(file, std::ios::binary | std::ios::trunc);
  if (!f || !f.write(data.data(), static_cast<std::streamsize>(data.size())) || !f.flush()) {
    out.result = write_result::outcome::failed;
    out.message = "cannot write " + file.string();
    return;
  }
  out.result = write_result::outcome::written;
}

}  // namespace

fs::path shared_disk::storage_dir() {
  return lab_dir() / "storage";
}

std::string shared_disk::id_for_signature(std::uint32_t signature) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "DISK-%08X", static_cast<unsigned>(signature));
  return buf;
}

std::optional<shared_disk> shared_disk::of_path(const fs::path& path) {
  std::error_code ec;
  const fs::path storage = fs::weakly_canonical(storage_dir(), ec);
  const fs::path target = fs::weakly_canonical(fs::absolute(path), ec);
  if (ec)
    return std::nullopt;
  // target = storage / <id> / volume / ...
  auto t = target.begin();
  for (auto s = storage.begin(); s != storage.end(); ++s, ++t) {
    if (t == target.end() || *s != *t)
      return std::nullopt;
  }
  if (t == target.end())
    return std::nullopt;
  const std::string id = t->string();
  ++t;
  if (t == target.end() || t->string() != volume_dir)
    return std::nullopt;
  return shared_disk(id);
}

shared_disk::shared_disk(std::string id) : id_(std::move(id)) {}

lease_reservation shared_disk::reservation() const {
  return lease_reservation(root() / "reservation", root() / ".lock", "disks", id_);
}

void shared_disk::provision() const {
  ensure_directory(volume());
}

write_result write_guarded(const fs::path& file, std::string_view data) {
  write_result out;
  const auto disk = shared_disk::of_path(file);
  if (!disk) {
    write_file(file, data, out);
    return out;
  }
  const std::string me = node_name();
  try {
    disk->reservation().with_record([&](const lease_record& r) {
      if (!r.held() || r.owner.node != me) {
        out.result = write_result::outcome::refused;
        out.message = "disk " + disk->id() + " is reserved by " +
                      (r.held() ? r.owner.describe() : std::string("nobody")) + ", not " + me;
        return;
      }
      write_file(file, data, out);
    });
  } catch (const std::exception& e) {
    out.result = write_result::outcome::failed;
    out.message = e.what();
  }
  return out;
}

}  // namespace wolfpack::lab
