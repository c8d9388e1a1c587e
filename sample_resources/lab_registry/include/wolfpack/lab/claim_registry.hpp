#pragma once

// Claims on names in one of the lab's registries (<lab dir>/<registry>/<key>): an IP address
// in "network", a NetBIOS name in "names", a share name in "shares". A claim is the record
// file, locked (flock) by the claiming process for as long as it holds it and naming the
// node and resource. Another process, on any node, cannot lock it meanwhile: its claim is a
// conflict. A holder that dies loses its lock with it, so its stale record is taken over.

#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "wolfpack/lab/file_lock.hpp"

namespace wolfpack::lab {

// Who holds (or held) a claim or a reservation.
struct holder {
  std::string node;
  std::string resource;
  long pid = 0;

  std::string describe() const;  // "node1 (resource 'IP', pid 42)"
};

class claim {
 public:
  // Claims `key` in `registry` for `me`: the claim, or the current holder when another
  // process holds it (an unreadable holder has empty fields). `details` ("name=value" lines)
  // are added to the record for people to read. Throws lab_error on I/O errors.
  static std::variant<claim, holder> take(const std::string& registry, const std::string& key,
                                          const holder& me, const std::string& details = {});
  // The holder recorded for `key` now, if any (whether or not it is alive).
  static std::optional<holder> recorded(const std::string& registry, const std::string& key);
  static std::filesystem::path record_path(const std::string& registry, const std::string& key);

  claim(claim&&) noexcept = default;
  claim& operator=(claim&&) noexcept = default;
  claim(const claim&) = delete;
  claim& operator=(const claim&) = delete;
  ~claim() { release(); }

  // The record file is still there and still names us (nobody removed or rewrote it).
  bool still_ours() const;
  // Clears the record and drops the lock; idempotent.
  void release() noexcept;

  const std::string& key() const noexcept { return key_; }

 private:
  claim(std::string registry, std::string key, holder me, file_lock lock)
      : registry_(std::move(registry)),
        key_(std::move(key)),
        me_(std::move(me)),
        lock_(std::move(lock)) {}

  std::string registry_;
  std::string key_;
  holder me_;
  std::optional<file_lock> lock_;
};

// The record format shared by claims and reservations: "name=value" lines.
std::string holder_text(const holder& h);
holder parse_holder(const std::string& text);
// The value of `name` in "name=value" lines ("" when absent).
std::string record_field(const std::string& text, const std::string& name);

}  // namespace wolfpack::lab
