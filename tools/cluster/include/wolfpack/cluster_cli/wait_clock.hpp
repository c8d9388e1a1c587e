// Time for /wait, behind a seam so tests run waits instantly and deterministically.
#pragma once

#include <chrono>

namespace wolfpack::cluster_cli {

class wait_clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~wait_clock() = default;
  virtual time_point now() = 0;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

// The real clock (std::chrono::steady_clock, std::this_thread::sleep_for).
class steady_wait_clock : public wait_clock {
 public:
  time_point now() override;
  void sleep_for(std::chrono::milliseconds duration) override;
};

}  // namespace wolfpack::cluster_cli
