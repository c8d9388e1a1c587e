#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "temp_dir.hpp"
#include "wolfpack/common/endpoint_io.hpp"
#include "wolfpack/common/framed_channel.hpp"

namespace wolfpack::test {

// A framed_channel server on its own io thread that answers every message with
// {"type":"echo","payload":<message>} and records why each connection closed.
class echo_server {
 public:
  explicit echo_server(const endpoint& where, channel_options options = {}) : options_(options) {
    auto acceptor = listen_on(io_, where);
    if (!acceptor) {
      throw std::runtime_error(acceptor.error());
    }
    acceptor_ = std::make_unique<stream_acceptor>(std::move(acceptor).value());
    auto bound = local_endpoint_of(*acceptor_);
    if (!bound) {
      throw std::runtime_error(bound.error());
    }
    endpoint_ = *bound;
    do_accept();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~echo_server() {
    boost::asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_->close(ignored);
      for (auto& c : channels_)
        c->close();
    });
    thread_.join();
  }

  const endpoint& where() const { return endpoint_; }

  // Blocks until `count` connections have closed or the timeout passes.
  std::vector<std::string> wait_for_closes(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return close_reasons_.size() >= count; });
    return close_reasons_;
  }

 private:
  void do_accept() {
    acceptor_->async_accept([this](const boost::system::error_code& ec, stream_socket socket) {
      if (ec) {
        return;
      }
      auto channel = framed_channel::create(std::move(socket), "echo-server", options_);
      channels_.push_back(channel);
      std::weak_ptr<framed_channel> weak = channel;
      channel->start(
          [weak](nlohmann::json message) {
            if (auto c = weak.lock()) {
              c->send({{"type", "echo"}, {"payload", std::move(message)}});
            }
          },
          [this](const std::string& reason) {
            std::lock_guard lock(mutex_);
            close_reasons_.push_back(reason);
            cv_.notify_all();
          });
      do_accept();
    });
  }

  channel_options options_;
  boost::asio::io_context io_;
  std::unique_ptr<stream_acceptor> acceptor_;
  endpoint endpoint_;
  std::vector<std::shared_ptr<framed_channel>> channels_;  // io thread only
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> close_reasons_;  // guarded by mutex_
};

}  // namespace wolfpack::test
