#pragma once

// What the lab registry needs from the operating system beside std::filesystem: one file per
// platform (lab_os_posix.cpp, lab_os_windows.cpp). Records written here are read by the other
// nodes' processes while they are being replaced, so reads and replacements never block or
// tear each other on either platform.

#include <filesystem>
#include <string>
#include <string_view>

namespace wolfpack::lab {

long process_id();
// The host's name; "" when it cannot be read.
std::string host_name();
// Tells this user's default lab directory from another user's on the same machine.
std::string user_tag();
// Appends `text` in one write, which other processes' appends to the file never split.
// false when the file cannot be opened or written.
bool append_text(const std::filesystem::path& path, std::string_view text);
// Writes `text` to a new file (truncating one that exists); false on failure.
bool write_new_file(const std::filesystem::path& path, std::string_view text);
// Renames `from` over `to`, replacing it even while other processes read it (Windows: retried
// for about a second while another process holds `to` open); false on failure (with `why`,
// and `from` removed).
bool replace_file(const std::filesystem::path& from, const std::filesystem::path& to,
                  std::string& why);
// The contents of `path` ("" when it does not exist), read without any lock.
std::string read_file(const std::filesystem::path& path);

}  // namespace wolfpack::lab
