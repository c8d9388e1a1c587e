#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "wolfpack/common/result.hpp"

namespace wolfpack::platform {

// Creates `file`, which must not exist yet, readable and writable by this user only from the
// start (never readable by others, not even between writing and a change of permissions), and
// writes `contents` to it. POSIX: open(O_CREAT | O_EXCL) with mode 0600; Windows: CreateFileW
// with CREATE_NEW and a protected DACL that grants the file's owner alone full access. For
// secrets and API keys.
status create_private_file(const std::filesystem::path& file, std::string_view contents);

// Creates a new directory in the system's temporary directory, named `prefix` and random
// characters, that only this user can enter (POSIX mkdtemp, mode 0700; Windows the same
// owner-only DACL as create_private_file). The caller removes it.
result<std::filesystem::path> make_private_temp_dir(std::string_view prefix);

// Flushes `dir`'s entries to disk, so that a rename into it survives a crash: the directory
// entry is data too (POSIX: fsync of the directory). Windows journals the rename itself (NTFS):
// nothing to do there.
status sync_directory(const std::filesystem::path& dir);

// Whether this user may run `file` as a program: POSIX access(X_OK). Windows has no execute
// permission (it runs a file by its extension): whether it is a regular file.
bool is_executable(const std::filesystem::path& file);

}  // namespace wolfpack::platform
