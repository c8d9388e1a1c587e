#include <windows.h>

#include <vector>

#include "wolfpack/lab/lab_os.hpp"

namespace wolfpack::lab {

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

long process_id() {
  return static_cast<long>(::GetCurrentProcessId());
}

std::string host_name() {
  char host[MAX_COMPUTERNAME_LENGTH + 1] = {};
  DWORD size = sizeof host;
  if (!::GetComputerNameA(host, &size))
    return {};
  return std::string(host, size);
}

std::string user_tag() {
  wchar_t name[256] = {};
  DWORD size = 256;
  if (!::GetUserNameW(name, &size) || size <= 1)
    return "user";
  // A file name part: ASCII letters and digits as they are, anything else in hex.
  std::string tag;
  for (DWORD i = 0; i + 1 < size; ++i) {
    const wchar_t c = name[i];
    if ((c >= L'a' && c <= L'z') || (c >= L'A' && c <= L'Z') || (c >= L'0' && c <= L'9'))
      tag.push_back(static_cast<char>(c));
    else
      tag += "_" + std::to_string(static_cast<unsigned>(c));
  }
  return tag;
}

bool append_text(const std::filesystem::path& path, std::string_view text) {
  // FILE_APPEND_DATA without FILE_WRITE_DATA: every write goes to the end, whole.
  return write_to(path, FILE_APPEND_DATA, OPEN_ALWAYS, text);
}

bool write_new_file(const std::filesystem::path& path, std::string_view text) {
  return write_to(path, GENERIC_WRITE, CREATE_ALWAYS, text);
}

bool replace_file(const std::filesystem::path& from, const std::filesystem::path& to,
                  std::string& why) {
  // Windows refuses to replace a file another process holds open (an antivirus, an indexer,
  // a backup reading the share), whatever it shares: such holds are short, so try again
  // for about a second before giving up.
  for (int attempt = 0;; ++attempt) {
    if (::MoveFileExW(from.c_str(), to.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
      return true;
    const DWORD error = ::GetLastError();
    if ((error != ERROR_ACCESS_DENIED && error != ERROR_SHARING_VIOLATION) || attempt == 20) {
      why = "Windows error " + std::to_string(error);
      ::DeleteFileW(from.c_str());
      return false;
    }
    ::Sleep(50);
  }
}

std::string read_file(const std::filesystem::path& path) {
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

}  // namespace wolfpack::lab
