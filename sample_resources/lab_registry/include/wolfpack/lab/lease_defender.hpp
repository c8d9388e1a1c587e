#pragma once

// The defense of a reservation: a thread that renews it every interval for as long as the
// object lives. When a renewal finds the reservation taken (a challenger broke it while we
// were frozen or cut off), the defender stops and calls `on_lost` once, on its thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "wolfpack/lab/lease_reservation.hpp"

namespace wolfpack::lab {

class lease_defender {
 public:
  lease_defender(lease_reservation reservation, std::string token,
                 std::chrono::milliseconds interval, std::function<void()> on_lost);
  ~lease_defender();  // stops renewing (does not release)
  lease_defender(const lease_defender&) = delete;
  lease_defender& operator=(const lease_defender&) = delete;

  bool lost() const noexcept { return lost_.load(); }
  const std::string& token() const noexcept { return token_; }

 private:
  void run();

  // Constant after construction.
  lease_reservation reservation_;
  std::string token_;
  std::chrono::milliseconds interval_;
  std::function<void()> on_lost_;

  std::atomic<bool> lost_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace wolfpack::lab
