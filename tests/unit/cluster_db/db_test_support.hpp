#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "../common/temp_dir.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"

namespace wolfpack::test {

// A fresh directory under the system temp dir, removed with everything in it.
using db_temp_dir = temp_dir;

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
