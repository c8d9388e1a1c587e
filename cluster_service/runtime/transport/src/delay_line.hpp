#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace wolfpack::cluster_transport {

// The lab's delay fault for one peer: actions run `delay` after they were pushed, strictly
// in push order (an action pushed after the delay was shortened waits for the ones before
// it, so frames to one peer never overtake each other). Destroying the line drops whatever
// has not run.
class delay_line {
 public:
  explicit delay_line(boost::asio::io_context& io);
  ~delay_line();
  delay_line(const delay_line&) = delete;
  delay_line& operator=(const delay_line&) = delete;

  // With no delay and nothing waiting, runs `action` before returning.
  void push(std::chrono::milliseconds delay, std::function<void()> action);

 private:
  struct entry {
    std::chrono::steady_clock::time_point due;
    std::function<void()> action;
  };

  void arm();
  void run_due();

  boost::asio::steady_timer timer_;
  std::deque<entry> queue_;
  bool armed_ = false;
  // Timer handlers that may run after destruction hold a weak_ptr to this.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace wolfpack::cluster_transport
