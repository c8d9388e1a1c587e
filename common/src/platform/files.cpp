#include "wolfpack/common/platform/files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#ifdef _WIN32
#include <windows.h>

#include <sddl.h>
#else
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#endif

namespace wolfpack::platform {
namespace {

std::string quoted(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

result<std::filesystem::path> temp_base() {
  std::error_code ec;
  auto base = std::filesystem::temp_directory_path(ec);
  if (ec)
    return fail("no temporary directory: " + ec.message());
  return base;
}

#ifdef _WIN32
std::string last_error_text() {
  const DWORD code = ::GetLastError();
  char* text = nullptr;
  const DWORD size = ::FormatMessageA(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<char*>(&text), 0, nullptr);
  std::string message = size > 0 ? std::string(text, size) : "error " + std::to_string(code);
  ::LocalFree(text);
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r' ||
                              message.back() == ' ' || message.back() == '.'))
    message.pop_back();
  return message;
}
#endif

}  // namespace

#ifdef _WIN32

// Security attributes that grant the owner of a new file or directory full access and nobody
// else anything: P inherits nothing from the parent, OW is the owner, whoever creates it.
class owner_only {
 public:
  owner_only() {
    if (!::ConvertStringSecurityDescriptorToSecurityDescriptorW(L"D:P(A;;FA;;;OW)", SDDL_REVISION_1,
                                                                &descriptor_, nullptr))
      error_ = "no security descriptor: " + last_error_text();
    attributes_ = {static_cast<DWORD>(sizeof(SECURITY_ATTRIBUTES)), descriptor_, FALSE};
  }
  ~owner_only() { ::LocalFree(descriptor_); }
  owner_only(const owner_only&) = delete;
  owner_only& operator=(const owner_only&) = delete;

  const std::string& error() const { return error_; }
  SECURITY_ATTRIBUTES* attributes() { return &attributes_; }

 private:
  PSECURITY_DESCRIPTOR descriptor_ = nullptr;
  SECURITY_ATTRIBUTES attributes_{};
  std::string error_;
};

std::string random_suffix() {
  static constexpr char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  LARGE_INTEGER now{};
  ::QueryPerformanceCounter(&now);
  auto seed = static_cast<unsigned long long>(now.QuadPart) ^ ::GetCurrentProcessId();
  std::string text;
  for (int i = 0; i < 8; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    text.push_back(digits[(seed >> 33) % 36]);
  }
  return text;
}

status create_private_file(const std::filesystem::path& file, std::string_view contents) {
  owner_only security;
  if (!security.error().empty())
    return fail("cannot create " + quoted(file) + ": " + security.error());
  const HANDLE handle =
      ::CreateFileW(file.wstring().c_str(), GENERIC_WRITE, 0, security.attributes(), CREATE_NEW,
                    FILE_ATTRIBUTE_NORMAL, nullptr);
  if (handle == INVALID_HANDLE_VALUE)
    return fail("cannot create " + quoted(file) + ": " + last_error_text());
  while (!contents.empty()) {
    DWORD written = 0;
    const auto chunk = static_cast<DWORD>(std::min<std::size_t>(contents.size(), 1u << 30));
    if (!::WriteFile(handle, contents.data(), chunk, &written, nullptr) || written == 0) {
      const std::string why = last_error_text();
      ::CloseHandle(handle);
      return fail("cannot write " + quoted(file) + ": " + why);
    }
    contents.remove_prefix(written);
  }
  ::CloseHandle(handle);
  return {};
}

result<std::filesystem::path> make_private_temp_dir(std::string_view prefix) {
  auto base = temp_base();
  if (!base)
    return fail(base.error());
  owner_only security;
  if (!security.error().empty())
    return fail("cannot create a temporary directory: " + security.error());
  // The name is only unpredictable enough to avoid collisions; the DACL keeps others out, and
  // CreateDirectoryW never reuses an existing directory.
  for (int attempt = 0; attempt < 100; ++attempt) {
    const auto dir = *base / (std::string(prefix) + random_suffix());
    if (::CreateDirectoryW(dir.wstring().c_str(), security.attributes()))
      return dir;
    if (::GetLastError() != ERROR_ALREADY_EXISTS)
      return fail("cannot create " + quoted(dir) + ": " + last_error_text());
  }
  return fail("cannot create a temporary directory in " + quoted(*base) + ": every name taken");
}

status sync_directory(const std::filesystem::path&) {
  return {};
}

#else

status create_private_file(const std::filesystem::path& file, std::string_view contents) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail("cannot create " + quoted(file) + ": " + std::strerror(errno));
  while (!contents.empty()) {
    const ssize_t n = ::write(fd, contents.data(), contents.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      const int saved = errno;
      ::close(fd);
      return fail("cannot write " + quoted(file) + ": " + std::strerror(saved));
    }
    contents.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::close(fd) != 0)
    return fail("cannot write " + quoted(file) + ": " + std::strerror(errno));
  return {};
}

result<std::filesystem::path> make_private_temp_dir(std::string_view prefix) {
  auto base = temp_base();
  if (!base)
    return fail(base.error());
  std::string pattern = (*base / (std::string(prefix) + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    return fail("cannot create a temporary directory in " + quoted(*base) + ": " +
                std::strerror(errno));
  return std::filesystem::path(pattern);
}

status sync_directory(const std::filesystem::path& dir) {
  const std::filesystem::path target = dir.empty() ? "." : dir;
  const int fd = ::open(target.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return fail("cannot open directory " + quoted(target) + " to sync it: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0)
    return fail("cannot sync directory " + quoted(target) + ": " + std::strerror(saved));
  return {};
}

#endif

bool is_executable(const std::filesystem::path& file) {
#ifdef _WIN32
  std::error_code ec;
  return std::filesystem::is_regular_file(file, ec);
#else
  return ::access(file.c_str(), X_OK) == 0;
#endif
}

}  // namespace wolfpack::platform
