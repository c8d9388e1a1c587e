#include "wolfpack/cluster_cli/wait_clock.hpp"

#include <thread>

namespace wolfpack::cluster_cli {

wait_clock::time_point steady_wait_clock::now() {
  return std::chrono::steady_clock::now();
}

void steady_wait_clock::sleep_for(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);
}

}  // namespace wolfpack::cluster_cli
