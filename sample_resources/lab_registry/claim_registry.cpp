#include "wolfpack/lab/claim_registry.hpp"

#include <sstream>

#include "wolfpack/common/platform/shared_files.hpp"
#include "wolfpack/common/platform/system.hpp"
#include "wolfpack/lab/lab_journal.hpp"
#include "wolfpack/lab/lab_paths.hpp"

namespace wolfpack::lab {

namespace fs = std::filesystem;

std::string holder::describe() const {
  if (node.empty())
    return "another process (its record is being written)";
  return node + " (resource '" + resource + "', pid " + std::to_string(pid) + ")";
}

std::string holder_text(const holder& h) {
  return "node=" + h.node + "\nresource=" + h.resource + "\npid=" + std::to_string(h.pid) + "\n";
}

std::string record_field(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  const std::string prefix = name + "=";
  while (std::getline(in, line)) {
    if (line.compare(0, prefix.size(), prefix) == 0)
      return line.substr(prefix.size());
  }
  return {};
}

holder parse_holder(const std::string& text) {
  holder h;
  h.node = record_field(text, "node");
  h.resource = record_field(text, "resource");
  try {
    const std::string pid = record_field(text, "pid");
    h.pid = pid.empty() ? 0 : std::stol(pid);
  } catch (...) {
    h.pid = 0;
  }
  return h;
}

fs::path claim::record_path(const std::string& registry, const std::string& key) {
  return lab_dir() / registry / file_name_for(key);
}

std::optional<holder> claim::recorded(const std::string& registry, const std::string& key) {
  const std::string text = platform::read_shared_file(record_path(registry, key));
  if (text.empty())
    return std::nullopt;
  return parse_holder(text);
}

std::variant<claim, holder> claim::take(const std::string& registry, const std::string& key,
                                        const holder& me, const std::string& details) {
  ensure_directory(lab_dir() / registry);
  const fs::path path = record_path(registry, key);
  // Records are never removed by their holders (a release empties them), so the file we lock
  // is the one the path names; the check covers someone removing it by hand meanwhile.
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto lock = file_lock::try_acquire(path);
    if (!lock)
      return parse_holder(platform::read_shared_file(path));
    if (!lock->still_at(path))
      continue;
    const std::string previous = lock->read_all();
    holder mine = me;
    mine.pid = platform::process_id();
    lock->write_all(holder_text(mine) + details);
    // A record nobody locks is what a holder that died left behind.
    journal(registry, key, previous.empty() ? "claim" : "claim_stale", mine.node, mine.resource);
    return claim(registry, key, std::move(mine), std::move(*lock));
  }
  throw lab_error("the record " + path.string() + " keeps being replaced");
}

bool claim::still_ours() const {
  if (!lock_)
    return false;
  const fs::path path = record_path(registry_, key_);
  if (!lock_->still_at(path))
    return false;
  const holder h = parse_holder(lock_->read_all());
  return h.node == me_.node && h.resource == me_.resource && h.pid == me_.pid;
}

void claim::release() noexcept {
  if (!lock_)
    return;
  try {
    if (lock_->still_at(record_path(registry_, key_))) {
      journal(registry_, key_, "release", me_.node, me_.resource);
      lock_->write_all("");
    }
  } catch (...) {
    // Dropping the lock below is what frees the claim; an emptied record is a courtesy.
  }
  lock_.reset();
}

}  // namespace wolfpack::lab
