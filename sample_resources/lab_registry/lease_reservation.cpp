#include "wolfpack/lab/lease_reservation.hpp"

#include <algorithm>
#include <thread>

#include "wolfpack/common/platform/shared_files.hpp"
#include "wolfpack/common/platform/system.hpp"
#include "wolfpack/lab/file_lock.hpp"
#include "wolfpack/lab/lab_journal.hpp"
#include "wolfpack/lab/lab_paths.hpp"

namespace wolfpack::lab {

namespace fs = std::filesystem;

namespace {

lease_record read_record(const fs::path& path) {
  return lease_record::parse(platform::read_shared_file(path));
}

// Replaces the record file atomically (write a temporary, rename over): a reader without
// the lock sees the old or the new record, never half of one.
void write_record(const fs::path& path, const lease_record& r) {
  const fs::path temp = path.string() + ".tmp." + std::to_string(platform::process_id());
  if (!platform::write_new_file(temp, r.to_text()))
    throw lab_error("cannot write " + temp.string());
  if (auto replaced = platform::replace_file(temp, path); !replaced)
    throw lab_error("cannot replace " + path.string() + ": " + replaced.error());
}

}  // namespace

lease_reservation::lease_reservation(fs::path record, fs::path lock, std::string registry,
                                     std::string key)
    : record_(std::move(record)),
      lock_(std::move(lock)),
      registry_(std::move(registry)),
      key_(std::move(key)) {}

lease_record lease_reservation::read() const {
  auto lock = file_lock::acquire(lock_);
  return read_record(record_);
}

void lease_reservation::with_record(const std::function<void(const lease_record&)>& fn) const {
  auto lock = file_lock::acquire(lock_);
  fn(read_record(record_));
}

std::optional<lease_record> lease_reservation::try_take(const holder& me, std::uint32_t interval_ms,
                                                        lease_record& found) {
  auto lock = file_lock::acquire(lock_);
  found = read_record(record_);
  if (found.held())
    return std::nullopt;
  lease_record mine;
  mine.owner = me;
  mine.owner.pid = platform::process_id();
  mine.token = new_token();
  mine.epoch = found.epoch + 1;
  mine.interval_ms = interval_ms;
  write_record(record_, mine);
  journal(registry_, key_, "reserve", mine.owner.node, mine.owner.resource, mine.epoch);
  return mine;
}

std::optional<lease_record> lease_reservation::take_over(const holder& me,
                                                         std::uint32_t interval_ms,
                                                         const lease_record& observed) {
  auto lock = file_lock::acquire(lock_);
  const lease_record now = read_record(record_);
  if (!now.same_as(observed))
    return std::nullopt;
  lease_record mine;
  mine.owner = me;
  mine.owner.pid = platform::process_id();
  mine.token = new_token();
  mine.epoch = now.epoch + 1;
  mine.interval_ms = interval_ms;
  write_record(record_, mine);
  journal(registry_, key_, now.held() ? "break" : "reserve", mine.owner.node, mine.owner.resource,
          mine.epoch);
  return mine;
}

bool lease_reservation::renew(const std::string& token) {
  auto lock = file_lock::acquire(lock_);
  lease_record r = read_record(record_);
  if (token.empty() || r.token != token)
    return false;
  ++r.seq;
  write_record(record_, r);
  return true;
}

void lease_reservation::release(const std::string& token) {
  auto lock = file_lock::acquire(lock_);
  lease_record r = read_record(record_);
  if (token.empty() || r.token != token)
    return;
  journal(registry_, key_, "release", r.owner.node, r.owner.resource, r.epoch);
  lease_record freed;
  freed.epoch = r.epoch;  // the next holder's epoch continues the count
  write_record(record_, freed);
}

bool lease_reservation::holds(const std::string& token) const {
  return !token.empty() && read().token == token;
}

std::chrono::milliseconds challenge_wait_for(const lease_record& holder_record,
                                             std::uint32_t own_interval_ms) {
  const std::uint32_t interval = std::max(holder_record.interval_ms, own_interval_ms);
  // Two full intervals plus half of one: a holder renewing on time renews at least twice.
  return std::chrono::milliseconds(2ULL * interval + interval / 2 + 100);
}

acquire_result acquire(lease_reservation& reservation, const holder& me, std::uint32_t interval_ms,
                       std::chrono::milliseconds challenge_wait,
                       const std::function<bool()>& keep_going,
                       const std::function<void(const lease_record&)>& before_challenge) {
  using clock = std::chrono::steady_clock;
  acquire_result out;
  lease_record found;
  if (auto mine = reservation.try_take(me, interval_ms, found)) {
    out.result = acquire_result::outcome::acquired;
    out.record = *mine;
    return out;
  }
  if (before_challenge)
    before_challenge(found);
  const lease_record observed = found;
  const auto wait = std::max(challenge_wait, challenge_wait_for(found, interval_ms));
  const auto end = clock::now() + wait;
  while (clock::now() < end) {
    if (!keep_going()) {
      out.result = acquire_result::outcome::aborted;
      return out;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const lease_record now = reservation.read();
    if (!now.held()) {
      // Released meanwhile (an orderly offline elsewhere): take it as a free one.
      if (auto mine = reservation.try_take(me, interval_ms, found)) {
        out.result = acquire_result::outcome::acquired;
        out.record = *mine;
        return out;
      }
      // Someone else took the free reservation first: a live holder, just started.
      out.result = acquire_result::outcome::owner_alive;
      out.record = found;
      return out;
    }
    if (!now.same_as(observed)) {
      // Renewed, or taken by another challenger: either way someone live defends it.
      out.result = acquire_result::outcome::owner_alive;
      out.record = now;
      return out;
    }
  }
  if (!keep_going()) {
    out.result = acquire_result::outcome::aborted;
    return out;
  }
  if (auto mine = reservation.take_over(me, interval_ms, observed)) {
    out.result = acquire_result::outcome::acquired;
    out.record = *mine;
    out.challenged = true;
    return out;
  }
  out.result = acquire_result::outcome::owner_alive;
  out.record = reservation.read();
  return out;
}

}  // namespace wolfpack::lab
