// The lock on Windows: LockFileEx on a handle of our own; see file_lock.hpp.

#include "wolfpack/common/platform/file_lock.hpp"

#include <windows.h>

#include <utility>

namespace wolfpack::platform {

namespace fs = std::filesystem;

namespace {

// LockFileEx locks a byte range, and other handles can neither read nor write a locked range.
// Readers without the lock (read_file) must still see the record, so the lock is on one byte
// far past any record's end: it excludes other lockers and nobody else.
constexpr DWORD lock_offset_high = 0x40000000;

HANDLE handle_of(std::intptr_t h) {
  return reinterpret_cast<HANDLE>(h);
}

std::string error_text() {
  return "Windows error " + std::to_string(::GetLastError());
}

result<HANDLE> open_lock_file(const fs::path& path) {
  HANDLE h = ::CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE)
    return fail("cannot open " + path.string() + ": " + error_text());
  return h;
}

}  // namespace

result<std::optional<file_lock>> file_lock::try_acquire(const fs::path& path) {
  const auto opened = open_lock_file(path);
  if (!opened)
    return fail(opened.error());
  HANDLE h = *opened;
  OVERLAPPED at{};
  at.OffsetHigh = lock_offset_high;
  if (!::LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &at)) {
    const DWORD err = ::GetLastError();
    ::CloseHandle(h);
    if (err == ERROR_LOCK_VIOLATION || err == ERROR_IO_PENDING)
      return std::optional<file_lock>();
    return fail("cannot lock " + path.string() + ": Windows error " + std::to_string(err));
  }
  return std::optional<file_lock>(file_lock(reinterpret_cast<std::intptr_t>(h)));
}

void file_lock::unlock() noexcept {
  if (handle_ != -1)
    ::CloseHandle(handle_of(handle_));  // closing the handle releases its locks
  handle_ = -1;
}

std::string file_lock::read_all() const {
  std::string text;
  char buf[4096];
  ULONGLONG offset = 0;
  for (;;) {
    OVERLAPPED at{};
    at.Offset = static_cast<DWORD>(offset & 0xFFFFFFFFull);
    at.OffsetHigh = static_cast<DWORD>(offset >> 32);
    DWORD n = 0;
    if (!::ReadFile(handle_of(handle_), buf, sizeof buf, &n, &at) || n == 0)
      break;
    text.append(buf, n);
    offset += n;
  }
  return text;
}

status file_lock::write_all(const std::string& text) const {
  const HANDLE h = handle_of(handle_);
  LARGE_INTEGER zero{};
  if (!::SetFilePointerEx(h, zero, nullptr, FILE_BEGIN) || !::SetEndOfFile(h))
    return fail("cannot truncate a locked file: " + error_text());
  std::size_t done = 0;
  while (done < text.size()) {
    OVERLAPPED at{};
    at.Offset = static_cast<DWORD>(done);
    DWORD n = 0;
    if (!::WriteFile(h, text.data() + done, static_cast<DWORD>(text.size() - done), &n, &at) ||
        n == 0)
      return fail("cannot write a locked file: " + error_text());
    done += n;
  }
  return {};
}

bool file_lock::still_at(const fs::path& path) const {
  if (handle_ == -1)
    return false;
  BY_HANDLE_FILE_INFORMATION held{};
  if (!::GetFileInformationByHandle(handle_of(handle_), &held))
    return false;
  // A file deleted while we hold it cannot be opened any more (its deletion is pending).
  HANDLE named = ::CreateFileW(path.c_str(), FILE_READ_ATTRIBUTES,
                               FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                               OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (named == INVALID_HANDLE_VALUE)
    return false;
  BY_HANDLE_FILE_INFORMATION info{};
  const BOOL ok = ::GetFileInformationByHandle(named, &info);
  ::CloseHandle(named);
  return ok && info.dwVolumeSerialNumber == held.dwVolumeSerialNumber &&
         info.nFileIndexHigh == held.nFileIndexHigh && info.nFileIndexLow == held.nFileIndexLow;
}

}  // namespace wolfpack::platform
