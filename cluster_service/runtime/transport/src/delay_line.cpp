#include "delay_line.hpp"

#include <utility>

namespace wolfpack::cluster_transport {

delay_line::delay_line(boost::asio::io_context& io) : timer_(io) {}

delay_line::~delay_line() = default;

void delay_line::push(std::chrono::milliseconds delay, std::function<void()> action) {
  if (delay.count() <= 0 && queue_.empty()) {
    action();
    return;
  }
  queue_.push_back({std::chrono::steady_clock::now() + delay, std::move(action)});
  arm();
}

void delay_line::arm() {
  if (armed_ || queue_.empty()) {
    return;
  }
  armed_ = true;
  timer_.expires_at(queue_.front().due);
  timer_.async_wait(
      [this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
        if (alive.expired() || ec) {
          return;
        }
        armed_ = false;
        run_due();
      });
}

void delay_line::run_due() {
  const std::weak_ptr<int> alive = alive_;
  while (!queue_.empty() && queue_.front().due <= std::chrono::steady_clock::now()) {
    auto action = std::move(queue_.front().action);
    queue_.pop_front();
    action();
    if (alive.expired()) {
      return;  // the action removed the peer this line belongs to
    }
  }
  arm();
}

}  // namespace wolfpack::cluster_transport
