#pragma once

// Runs a program (the wolfpack binary, cmake, ctest) to the end and collects its output.

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace wolfpack::testing {

struct process_run {
  int exit_code = -1;  // -1: did not exit normally or in time
  std::string out;
  std::string err;
};

// Environment variables added to (or replacing) the test's own.
using env_list = std::vector<std::pair<std::string, std::string>>;

process_run run_process(const std::filesystem::path& program, const std::vector<std::string>& args,
                        std::chrono::seconds timeout = std::chrono::seconds(120),
                        const env_list& env = {});

// build/bin/wolfpack with `args`.
process_run run_wolfpack(const std::vector<std::string>& args,
                         std::chrono::seconds timeout = std::chrono::seconds(120),
                         const env_list& env = {});

// A fresh directory, removed when it goes away.
class scratch_dir {
 public:
  scratch_dir();
  ~scratch_dir();
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace wolfpack::testing
