#pragma once

// For the tests of the lab resource types (sample_resources/lab_registry): pointing the lab
// at a test's own directory, and reading back the lab journal (<lab>/journal.jsonl) to check,
// independently of the plugins, that no two holders ever held one key at once.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wolfpack::testing {

// Sets WOLFPACK_LAB_DIR for this process, and so for every monitor and node it starts, while
// the object lives; the previous value comes back afterwards.
class lab_dir_scope {
 public:
  explicit lab_dir_scope(const std::filesystem::path& dir);
  ~lab_dir_scope();
  lab_dir_scope(const lab_dir_scope&) = delete;
  lab_dir_scope& operator=(const lab_dir_scope&) = delete;

 private:
  std::optional<std::string> previous_;
};

// Every complete line of <lab>/journal.jsonl.
std::vector<nlohmann::json> read_lab_journal(const std::filesystem::path& lab);

// Replays the journal per registry and key: a claim or reservation while another holder
// holds the key (not released, not taken over from a holder that stopped defending or died)
// is a double holder. "" when there is none, else one line per violation.
std::string double_holders(const std::vector<nlohmann::json>& journal);

// The journal lines of `registry` (and `key` when not empty), one "event node" per line, for
// failure messages.
std::string describe_journal(const std::vector<nlohmann::json>& journal);

// The value of `name` in a registry record file ("name=value" lines); "" when absent.
std::string record_value(const std::filesystem::path& file, const std::string& name);

}  // namespace wolfpack::testing
