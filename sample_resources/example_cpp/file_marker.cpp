#include "file_marker.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <system_error>

#include <wolfpack/wide_string.hpp>

namespace wolfpack::example {

namespace fs = std::filesystem;

plugin::property_table<file_marker_params> file_marker::properties() {
  return plugin::property_table<file_marker_params>()
      .sz(L"Path", &file_marker_params::path)
      .required()
      .dword(L"Mode", &file_marker_params::mode, 0644, 0, 0777)
      .dword(L"DelayMs", &file_marker_params::delay_ms, 0, 0, max_delay_ms);
}

plugin::outcome file_marker::validate_parameters(const file_marker_params& merged) {
  if (!merged.path.empty() && !fs::path(merged.path).is_absolute())
    return plugin::outcome::refused(ERROR_INVALID_PARAMETER, "property Path: not an absolute path");
  return {};
}

plugin::result file_marker::online() {
  const std::string path = to_utf8(params().path);
  const DWORD mode = params().mode;
  if (params().delay_ms == 0) {
    create_marker(path, mode);
    log_info("created " + path);
    return plugin::result::success();
  }
  const auto delay = std::chrono::milliseconds(params().delay_ms);
  log_event(LOG_INFORMATION, L"Online of %1 pending for %2!u! ms.", name().c_str(),
            params().delay_ms);
  // The work runs on a ClusWorker; its result becomes Online (or Failed) through
  // SetResourceStatus, and sleep_for reports progress so PendingTimeout never runs out.
  return run_pending([this, path, mode, delay](plugin::pending_operation& op) -> plugin::result {
    if (!op.sleep_for(delay, std::chrono::milliseconds(100)))
      return plugin::result::failure(ERROR_OPERATION_ABORTED);
    create_marker(path, mode);
    log_info("created " + path + " after the delay");
    return plugin::result::success();
  });
}

plugin::result file_marker::offline() {
  if (!remove_marker())
    return plugin::result::failure(ERROR_ACCESS_DENIED);
  return plugin::result::success();
}

void file_marker::terminate() {
  remove_marker();
}

bool file_marker::looks_alive() {
  const std::string path = created_path();
  std::error_code ec;
  return !path.empty() && fs::exists(path, ec);
}

bool file_marker::is_alive() {
  const std::string path = created_path();
  std::error_code ec;
  if (path.empty() || !fs::is_regular_file(path, ec)) {
    log_error("the marker file " + path + " is gone");
    return false;
  }
  return true;
}

std::string file_marker::created_path() const {
  std::lock_guard lock(mutex_);
  return created_path_;
}

void file_marker::create_marker(const std::string& path, DWORD mode) {
  {
    std::ofstream out(path, std::ios::trunc);
    if (!out)
      throw plugin::error(ERROR_PATH_NOT_FOUND, "cannot create " + path);
    out << to_utf8(name()) << '\n';
    if (!out.flush())
      throw plugin::error(ERROR_GEN_FAILURE, "cannot write " + path);
  }
  std::error_code ec;
  fs::permissions(path, static_cast<fs::perms>(mode), fs::perm_options::replace, ec);
  if (ec)
    throw plugin::error(ERROR_ACCESS_DENIED,
                        "cannot set the mode of " + path + ": " + ec.message());
  std::lock_guard lock(mutex_);
  created_path_ = path;
}

bool file_marker::remove_marker() const {
  const std::string path = created_path();
  if (path.empty())
    return true;
  std::error_code ec;
  fs::remove(path, ec);  // a file already gone is fine: Offline and Terminate are idempotent
  if (ec) {
    log_error("cannot remove " + path + ": " + ec.message());
    return false;
  }
  return true;
}

}  // namespace wolfpack::example
