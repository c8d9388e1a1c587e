#pragma once

#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>

#include "wolfpack/common/endpoint.hpp"

namespace wolfpack::test {

using wolfpack::endpoint;

// A fresh directory under the system temp dir, removed with everything in it.
class temp_dir {
 public:
  // A random name that create_directory makes only if nobody has it: mkdtemp's guarantee, on
  // every platform (the Windows tree builds these tests too).
  temp_dir() {
    std::random_device random;
    for (int attempt = 0; attempt < 100; ++attempt) {
      const auto candidate = std::filesystem::temp_directory_path() /
                             ("wpc-" + std::to_string(random()) + std::to_string(random()));
      std::error_code ec;
      if (std::filesystem::create_directory(candidate, ec)) {
        path_ = candidate;
        return;
      }
    }
    throw std::runtime_error("cannot create a temporary directory");
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Where a test's server listens on this machine: a Unix socket in this directory, or on
  // Windows (where local channels are TCP loopback, platform/local_endpoint.hpp) 127.0.0.1 on
  // a free port. Connect to what the listener bound (local_endpoint_of), not to this.
  endpoint local_endpoint(const std::string& name) const {
#ifdef _WIN32
    (void)name;
    return endpoint::tcp("127.0.0.1", 0);
#else
    return endpoint::unix_socket((path_ / name).string());
#endif
  }
  std::filesystem::path operator/(const std::string& name) const {
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace wolfpack::test
