#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace wolfpack {

// One framing for every stream channel: a 4-byte big-endian body length, then the body, a
// UTF-8 JSON object with a string field "type".
//
// A channel may also accept binary frames (frame_decoder's accept_binary): a body that starts
// with the byte 0x00, which no JSON text does, carries bytes of its own format after it. The
// decoder hands one over as the object {"type": "binary", "data": <JSON binary value>}, in
// its place among the other messages. The cluster nodes' peer frames use it: their MAC and
// body travel as they are, instead of as JSON strings escaped and parsed twice.
inline constexpr std::size_t frame_header_bytes = 4;
inline constexpr char binary_frame_marker = '\0';
inline constexpr const char* binary_message_type = "binary";
inline constexpr std::size_t default_max_frame_bytes = 16 * 1024 * 1024;

// Serialises `message` and prefixes the length. Invalid UTF-8 inside strings is replaced
// by U+FFFD rather than failing, since such text usually comes from a plugin we do not
// control. A message that is not an object with a non-empty string "type" is a bug at the
// call site: throws std::invalid_argument.
std::string encode_frame(const nlohmann::json& message);
// The binary frame carrying `data` (length, marker, data). Throws std::invalid_argument when
// it does not fit a 32-bit length.
std::string encode_binary_frame(std::string_view data);

enum class frame_error_code {
  too_large,       // header announces a body over the limit (decided before buffering it)
  invalid_json,    // body does not parse as JSON (incl. invalid UTF-8)
  not_an_object,   // body is JSON but not an object
  missing_type,    // no "type", or "type" is not a non-empty string
  binary_refused,  // a binary frame where the channel takes JSON only
};

std::string_view to_string(frame_error_code code);

struct frame_error {
  frame_error_code code;
  std::string message;
};

// What one feed() produced: the messages completed by these bytes, in stream order, and the
// error that stopped decoding, if any. Messages before a bad frame are still delivered.
struct decode_result {
  std::vector<nlohmann::json> messages;
  std::optional<frame_error> error;
};

// Incremental decoder: bytes may arrive in any split (one at a time, several frames at
// once). After the first error the decoder stays failed: the stream has lost its framing,
// so every later feed() returns the same error and no messages.
class frame_decoder {
 public:
  explicit frame_decoder(std::size_t max_frame_bytes = default_max_frame_bytes,
                         bool accept_binary = false);

  decode_result feed(std::string_view bytes);

  bool failed() const { return error_.has_value(); }
  const std::optional<frame_error>& error() const { return error_; }
  std::size_t max_frame_bytes() const { return max_frame_bytes_; }
  // Bytes received but not yet part of a complete frame.
  std::size_t buffered_bytes() const { return buffer_.size(); }

 private:
  std::size_t max_frame_bytes_;
  bool accept_binary_;
  std::string buffer_;
  std::optional<frame_error> error_;
};

}  // namespace wolfpack
