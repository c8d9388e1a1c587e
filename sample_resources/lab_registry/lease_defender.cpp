#include "wolfpack/lab/lease_defender.hpp"

#include <utility>

namespace wolfpack::lab {

lease_defender::lease_defender(lease_reservation reservation, std::string token,
                               std::chrono::milliseconds interval, std::function<void()> on_lost)
    : reservation_(std::move(reservation)),
      token_(std::move(token)),
      interval_(interval),
      on_lost_(std::move(on_lost)) {
  thread_ = std::thread([this] { run(); });
}

lease_defender::~lease_defender() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void lease_defender::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, interval_, [this] { return stop_; }))
        return;
    }
    bool ours = false;
    try {
      ours = reservation_.renew(token_);
    } catch (...) {
      // A reservation we cannot even read (the shared storage is gone) cannot be defended
      // either: the next renewal tries again, and a challenger takes it meanwhile.
      continue;
    }
    if (!ours) {
      lost_ = true;
      if (on_lost_)
        on_lost_();
      return;
    }
  }
}

}  // namespace wolfpack::lab
