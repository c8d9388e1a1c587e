#include "wolfpack/common/platform/paths.hpp"

#include <cerrno>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#else
#include <sys/un.h>
#include <unistd.h>
#endif
#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

namespace wolfpack::platform {

std::filesystem::path executable_path() {
#if defined(_WIN32)
  std::vector<wchar_t> buffer(MAX_PATH);
  for (;;) {
    const DWORD n = ::GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    if (n == 0) {
      throw std::system_error(static_cast<int>(::GetLastError()), std::system_category(),
                              "GetModuleFileNameW");
    }
    if (n < buffer.size()) {
      return std::filesystem::path(std::wstring(buffer.data(), n));
    }
    // Truncated: the path is longer than the buffer.
    buffer.resize(buffer.size() * 2);
  }
#elif defined(__APPLE__)
  std::uint32_t size = 0;
  ::_NSGetExecutablePath(nullptr, &size);
  std::vector<char> buffer(size + 1);
  if (::_NSGetExecutablePath(buffer.data(), &size) != 0) {
    throw std::system_error(ENAMETOOLONG, std::generic_category(), "_NSGetExecutablePath");
  }
  return std::filesystem::weakly_canonical(std::filesystem::path(buffer.data()));
#else
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) {
    throw std::system_error(ec, "read_symlink(/proc/self/exe)");
  }
  return path;
#endif
}

std::filesystem::path executable_dir() {
  return executable_path().parent_path();
}

std::string executable_file_name(std::string_view name) {
  std::string file(name);
#ifdef _WIN32
  if (std::filesystem::path(file).extension().empty()) {
    file += ".exe";
  }
#endif
  return file;
}

namespace {

bool is_executable_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return false;
  }
#ifdef _WIN32
  return true;
#else
  return ::access(path.c_str(), X_OK) == 0;
#endif
}

}  // namespace

std::optional<std::filesystem::path> find_sibling_binary(std::string_view name) {
  const auto dir = executable_dir();
  const auto file = executable_file_name(name);
  for (const auto& candidate : {dir / file, dir.parent_path() / "bin" / file}) {
    if (is_executable_file(candidate)) {
      return candidate.lexically_normal();
    }
  }
  return std::nullopt;
}

std::size_t max_unix_socket_path_bytes() {
#ifdef _WIN32
  // afunix.h: UNIX_PATH_MAX is 108, like Linux.
  return 107;
#else
  return sizeof(sockaddr_un{}.sun_path) - 1;
#endif
}

const char* home_variable() {
#ifdef _WIN32
  return "USERPROFILE";
#else
  return "HOME";
#endif
}

}  // namespace wolfpack::platform
