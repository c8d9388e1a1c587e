#pragma once

// Where a process-running resource's output goes: the LogFile property when set, otherwise
// <dir>/<resource name>.log, where <dir> is $WOLFPACK_RESOURCE_LOG_DIR or, unset,
// <temp>/wolfpack-resources (the system temp directory). Characters other than letters,
// digits, '.', '-' and '_' in the name become '_'.

#include <string>

namespace wolfpack::samples {

// The file to append to, its directory created if needed (plugin::error when it cannot be).
std::string resource_log_file(const std::wstring& log_file_property,
                              const std::wstring& resource_name);

// The resource name as a file-name (and OCF instance) safe word.
std::string safe_file_word(const std::wstring& resource_name);

}  // namespace wolfpack::samples
