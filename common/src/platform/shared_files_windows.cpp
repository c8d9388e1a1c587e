// Shared files on Windows: see shared_files.hpp.

#include "wolfpack/common/platform/shared_files.hpp"

#include <windows.h>

namespace wolfpack::platform {

namespace {

// Every handle of ours shares everything: a reader must never stop a writer from replacing or
// removing a record, as on POSIX.
constexpr DWORD share_all = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

bool write_to(const std::filesystem::path& path, DWORD access, DWORD disposition,
              std::string_view text) {
  HANDLE h = ::CreateFileW(path.c_str(), access, share_all, nullptr, disposition,
                           FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE)
    return false;
  DWORD written = 0;
  const BOOL ok = ::WriteFile(h, text.data(), static_cast<DWORD>(text.size()), &written, nullptr);
  ::CloseHandle(h);
  return ok && written == text.size();
}

}  // namespace

bool append_text(const std::filesystem::path& path, std::string_view text) {
  // FILE_APPEND_DATA without FILE_WRITE_DATA: every write goes to the end, whole.
  return write_to(path, FILE_APPEND_DATA, OPEN_ALWAYS, text);
}

bool write_new_file(const std::filesystem::path& path, std::string_view text) {
  return write_to(path, GENERIC_WRITE, CREATE_ALWAYS, text);
}

status replace_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  // Windows refuses to replace a file another process holds open (an antivirus, an indexer,
  // a backup reading the share), whatever it shares: such holds are short, so try again
  // for about a second before giving up.
  for (int attempt = 0;; ++attempt) {
    if (::MoveFileExW(from.c_str(), to.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
      return {};
    const DWORD error = ::GetLastError();
    if ((error != ERROR_ACCESS_DENIED && error != ERROR_SHARING_VIOLATION) || attempt == 20) {
      ::DeleteFileW(from.c_str());
      return fail("Windows error " + std::to_string(error));
    }
    ::Sleep(50);
  }
}

std::string read_shared_file(const std::filesystem::path& path) {
  HANDLE h = ::CreateFileW(path.c_str(), GENERIC_READ, share_all, nullptr, OPEN_EXISTING,
                           FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE)
    return {};
  std::string text;
  char buf[4096];
  for (;;) {
    DWORD n = 0;
    if (!::ReadFile(h, buf, sizeof buf, &n, nullptr) || n == 0)
      break;
    text.append(buf, n);
  }
  ::CloseHandle(h);
  return text;
}

}  // namespace wolfpack::platform
