#pragma once

// Files that processes of several nodes write and read at once (the lab registry's records
// and journal, the Dummy's call log): reads never block or tear a replacement, and appends
// are never split, on either platform (shared_files_posix.cpp, shared_files_windows.cpp).

#include <filesystem>
#include <string>
#include <string_view>

#include "wolfpack/common/result.hpp"

namespace wolfpack::platform {

// Appends `text` in one write, which other processes' appends to the file never split
// (O_APPEND; Windows FILE_APPEND_DATA). false when the file cannot be opened or written.
bool append_text(const std::filesystem::path& path, std::string_view text);

// Writes `text` to a new file (truncating one that exists); false on failure.
bool write_new_file(const std::filesystem::path& path, std::string_view text);

// Renames `from` over `to`, replacing it even while other processes read it (Windows: retried
// for about a second while another process holds `to` open). On failure `from` is removed and
// the error says why.
status replace_file(const std::filesystem::path& from, const std::filesystem::path& to);

// The contents of `path` ("" when it does not exist), read without any lock.
std::string read_shared_file(const std::filesystem::path& path);

}  // namespace wolfpack::platform
