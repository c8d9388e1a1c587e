#include "file_share.hpp"

#include <system_error>
#include <variant>

#include <wolfpack/lab/lab_names.hpp>
#include <wolfpack/lab/lab_paths.hpp>
#include <wolfpack/lab/shared_disk.hpp>
#include <wolfpack/wide_string.hpp>

// NERR_DuplicateShare: "The share name is already in use on this server."
#ifndef NERR_DuplicateShare
#define NERR_DuplicateShare 2118
#endif

namespace wolfpack::lab_types {

namespace fs = std::filesystem;

namespace {

const char* const share_registry = "shares";

std::string share_problem(const file_share_params& p) {
  if (!p.share_name.empty()) {
    if (auto why = lab::check_share_name(to_utf8(p.share_name)); !why.empty())
      return "property ShareName: " + why;
  }
  if (!p.path.empty() && !fs::path(to_utf8(p.path)).is_absolute())
    return "property Path: " + to_utf8(p.path) + " is not an absolute path";
  return {};
}

// Whether this node may use `path`: on no lab disk, or on one whose reservation it holds.
std::string disk_problem(const fs::path& path) {
  const auto disk = lab::shared_disk::of_path(path);
  if (!disk)
    return {};
  const lab::lease_record r = disk->reservation().read();
  const std::string me = lab::node_name();
  if (r.held() && r.owner.node == me)
    return {};
  return "disk " + disk->id() + " is reserved by " +
         (r.held() ? r.owner.describe() : std::string("nobody")) + ", not " + me;
}

}  // namespace

plugin::property_table<file_share_params> file_share::properties() {
  return plugin::property_table<file_share_params>()
      .sz(L"ShareName", &file_share_params::share_name)
      .required()
      .sz(L"Path", &file_share_params::path)
      .required()
      .sz(L"Remark", &file_share_params::remark)
      .dword(L"MaxUsers", &file_share_params::max_users, 0xFFFFFFFFu, 1, 0xFFFFFFFFu);
}

plugin::outcome file_share::validate_parameters(const file_share_params& merged) {
  if (auto why = share_problem(merged); !why.empty())
    return plugin::outcome::refused(ERROR_INVALID_PARAMETER, why);
  return {};
}

plugin::result file_share::online() {
  if (auto why = share_problem(params()); !why.empty())
    throw plugin::error(ERROR_INVALID_PARAMETER, why);
  unshare();
  const fs::path path = to_utf8(params().path);
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    log_error("property Path: " + path.string() + " is not a directory");
    return plugin::result::failure(ERROR_PATH_NOT_FOUND);
  }
  const std::string share = to_utf8(params().share_name);
  const lab::holder me{lab::node_name(), to_utf8(name()), 0};
  auto taken = lab::claim::take(share_registry, lab::upper_ascii(share), me,
                                "share=" + share + "\npath=" + path.string() +
                                    "\nremark=" + to_utf8(params().remark) +
                                    "\nmax_users=" + std::to_string(params().max_users) + "\n");
  if (auto* other = std::get_if<lab::holder>(&taken)) {
    log_error("property ShareName: " + share + " is already shared by " + other->describe());
    return plugin::result::failure(NERR_DuplicateShare);
  }
  lab::claim claim = std::move(std::get<lab::claim>(taken));
  // Sharing writes to the disk (the marker); a node that does not hold it cannot.
  const fs::path marker = path / (".wolfpack-share-" + lab::file_name_for(share));
  const auto w = lab::write_guarded(marker, "share=" + share + "\nnode=" + me.node + "\n");
  if (w.result != lab::write_result::outcome::written) {
    log_error("property Path: cannot share " + path.string() + ": " + w.message);
    return plugin::result::failure(w.result == lab::write_result::outcome::refused
                                       ? ERROR_SHARING_VIOLATION
                                       : ERROR_GEN_FAILURE);
  }
  std::lock_guard lock(mutex_);
  claim_.emplace(std::move(claim));
  marker_ = marker;
  log_info("shared " + path.string() + " as \\\\" + me.node + "\\" + share);
  return plugin::result::success();
}

plugin::result file_share::offline() {
  unshare();
  return plugin::result::success();
}

void file_share::terminate() {
  unshare();
}

bool file_share::looks_alive() {
  std::lock_guard lock(mutex_);
  return claim_.has_value();
}

bool file_share::is_alive() {
  fs::path marker;
  {
    std::lock_guard lock(mutex_);
    if (!claim_ || !claim_->still_ours()) {
      log_error("the share record of " + to_utf8(params().share_name) + " is gone");
      return false;
    }
    marker = marker_;
  }
  const fs::path path = marker.parent_path();
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    log_error("property Path: " + path.string() + " is gone");
    return false;
  }
  if (auto why = disk_problem(path); !why.empty()) {
    log_error("property Path: " + why);
    return false;
  }
  return true;
}

void file_share::unshare() {
  std::lock_guard lock(mutex_);
  if (!marker_.empty()) {
    // Removing is a write too: a node fenced off the disk leaves the marker to the new owner.
    bool may_write = false;
    try {
      may_write = disk_problem(marker_.parent_path()).empty();
    } catch (...) {
      may_write = false;
    }
    std::error_code ec;
    if (may_write)
      fs::remove(marker_, ec);  // gone already is fine
    marker_.clear();
  }
  if (claim_) {
    claim_->release();
    claim_.reset();
  }
}

}  // namespace wolfpack::lab_types
