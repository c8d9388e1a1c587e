#pragma once

// Where the lab's shared registries live and who this node is. Every node of a lab (every
// clussvc and resrcmon it starts) must see the same directory: `wolfpack up` sets
// WOLFPACK_LAB_DIR to <lab dir>/shared for its nodes; resrcmon --node sets WOLFPACK_NODE.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wolfpack::lab {

// A registry operation that could not be done (I/O error, unusable directory).
class lab_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// $WOLFPACK_LAB_DIR when set and not empty, else <temp dir>/wolfpack-lab-<uid>: one shared
// directory for every lab node on this machine.
std::filesystem::path lab_dir();

// $WOLFPACK_NODE (resrcmon --node) when set, else the host name.
std::string node_name();

// Creates `dir` and its parents; throws lab_error when it cannot.
void ensure_directory(const std::filesystem::path& dir);

// A file name standing for `key`: letters, digits, '.', '-' and '_' are kept, every other
// byte becomes %XX. Case is kept: callers fold it where names are case-insensitive.
std::string file_name_for(std::string_view key);

// ASCII upper case (NetBIOS names and share names compare case-insensitively).
std::string upper_ascii(std::string_view text);

}  // namespace wolfpack::lab
