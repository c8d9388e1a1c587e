#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "wolfpack/cluster_db/db_tree.hpp"

namespace wolfpack::test {

// A fresh directory under the system temp dir, removed with everything in it.
class db_temp_dir {
 public:
  // A random name that create_directory makes only if nobody has it: mkdtemp's guarantee, on
  // every platform (the Windows tree builds these tests too).
  db_temp_dir() {
    std::random_device random;
    for (int attempt = 0; attempt < 100; ++attempt) {
      const auto candidate = std::filesystem::temp_directory_path() /
                             ("wpdb-" + std::to_string(random()) + std::to_string(random()));
      std::error_code ec;
      if (std::filesystem::create_directory(candidate, ec)) {
        path_ = candidate;
        return;
      }
    }
    throw std::runtime_error("cannot create a temporary directory");
  }
  ~db_temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  db_temp_dir(const db_temp_dir&) = delete;
  db_temp_dir& operator=(const db_temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out)
    throw std::runtime_error("cannot write " + path.string());
}

// Fails the calling test (by throwing) when a tree operation that must succeed does not.
template <typename Status>
void must(const Status& s) {
  if (!s.ok())
    throw std::runtime_error("unexpected failure: " + s.error());
}

}  // namespace wolfpack::test
