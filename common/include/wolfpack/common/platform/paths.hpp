#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>

namespace wolfpack::platform {

// Absolute path of the running executable (/proc/self/exe, GetModuleFileNameW,
// _NSGetExecutablePath). Throws std::system_error if the OS cannot tell, which only
// happens in a broken environment (e.g. no /proc).
std::filesystem::path executable_path();

// Directory holding the running executable.
std::filesystem::path executable_dir();

// File name of an executable on this platform: "resrcmon" → "resrcmon.exe" on Windows.
std::string executable_file_name(std::string_view name);

// Finds another Wolfpack binary (e.g. "resrcmon") installed next to this one. Looks in
// executable_dir(), then in executable_dir()/../bin, which is where binaries live when
// the caller is a test in build/tests. Returns the first regular, executable file found.
std::optional<std::filesystem::path> find_sibling_binary(std::string_view name);

// The environment variable naming the user's home directory: HOME (Windows: USERPROFILE).
const char* home_variable();

// Longest Unix domain socket path (bytes, excluding the terminating NUL) this platform
// accepts: sizeof(sockaddr_un::sun_path) - 1.
std::size_t max_unix_socket_path_bytes();

}  // namespace wolfpack::platform
