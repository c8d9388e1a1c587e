#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster_transport {

// The key a client of the cluster API presents (Authorization: Bearer KEY), derived from the
// lab's shared secret: whoever holds the secret can compute it, and the key alone does not
// give the secret away, so a key that leaks (a shell history, a process list) cannot forge
// traffic between nodes. 64 lowercase hex digits.
std::string api_key_for(std::string_view secret);

// The lab's secret from its file: hex text (at least 32 digits, whitespace ignored) -> bytes.
// Errors begin with `label` and the path ("--secret-file '/x/secret': cannot be read").
[[nodiscard]] result<std::string> read_secret_file(const std::filesystem::path& path,
                                                   std::string_view label = "secret file");

}  // namespace wolfpack::cluster_transport
