#pragma once

#include <array>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "wolfpack/common/endpoint_io.hpp"
#include "wolfpack/common/frame.hpp"

namespace wolfpack {

struct channel_options {
  // Largest frame body accepted from the peer and allowed to be sent.
  std::size_t max_frame_bytes = default_max_frame_bytes;
  // Outgoing bytes queued behind a slow peer before we give up on it.
  std::size_t max_send_queue_bytes = 64 * 1024 * 1024;
  // Binary frames (frame.hpp) are delivered; without this they close the connection.
  bool binary_frames = false;
};

// One framed, message-oriented connection over a stream socket (Unix or TCP), Asio style:
// owned through shared_ptr, each pending operation holds a reference, and everything runs
// on the socket's io_context from a single thread. Only post_send() and post_close() may be
// called from other threads.
//
// on_closed runs exactly once, after the last on_message, with the reason: "closed by
// peer", "closed locally", a socket error, or the frame error ("frame of N bytes exceeds
// the limit of M bytes"). A bad frame closes this connection only.
class framed_channel : public std::enable_shared_from_this<framed_channel> {
 public:
  using message_handler = std::function<void(nlohmann::json message)>;
  using closed_handler = std::function<void(const std::string& reason)>;

  // `name` appears in log lines about this channel (e.g. "resrcmon 4242").
  static std::shared_ptr<framed_channel> create(stream_socket socket, std::string name = {},
                                                channel_options options = {});

  framed_channel(const framed_channel&) = delete;
  framed_channel& operator=(const framed_channel&) = delete;

  // Starts reading. Messages arrive in order, each a JSON object with a string "type".
  void start(message_handler on_message, closed_handler on_closed);

  // Queues one message (io thread only). Dropped if the channel is closed. A message over
  // max_frame_bytes, or a send queue over its limit, closes the channel with that reason.
  // Throws std::invalid_argument, like encode_frame, for a message without a string "type".
  void send(const nlohmann::json& message);
  // The same from any thread: encodes here, queues on the io thread.
  void post_send(const nlohmann::json& message);
  // Queues one binary frame (io thread only), like send().
  void send_binary(std::string_view data);

  // Closes now, dropping unsent messages (io thread only). on_closed("closed locally")
  // follows from the event loop, never from inside close().
  void close();
  // The same from any thread.
  void post_close();

  bool is_open() const { return !closed_; }
  // Why it closed; empty while open.
  const std::string& close_reason() const { return close_reason_; }
  const std::string& name() const { return name_; }
  std::size_t queued_bytes() const { return queued_bytes_; }

 private:
  framed_channel(stream_socket socket, std::string name, channel_options options);

  void do_read();
  void do_write();
  void send_encoded(std::string frame);
  void close_with(const std::string& reason);
  void notify_closed();

  stream_socket socket_;
  const std::string name_;
  const channel_options options_;
  frame_decoder decoder_;
  std::array<char, 64 * 1024> read_buffer_{};
  std::deque<std::string> write_queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool started_ = false;
  bool closed_ = false;
  std::string close_reason_;
  message_handler on_message_;
  closed_handler on_closed_;
};

}  // namespace wolfpack
