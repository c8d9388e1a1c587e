#include "wolfpack/common/frame.hpp"

#include <stdexcept>

#include "wolfpack/common/json_kind.hpp"

namespace wolfpack {
namespace {

using detail::json_kind;

// Returns a description of what is wrong with the message's "type", or nothing if it is fine.
std::optional<std::string> type_problem(const nlohmann::json& message) {
  const auto it = message.find("type");
  if (it == message.end()) {
    return "message has no 'type' field";
  }
  if (!it->is_string()) {
    return "message field 'type' is " + std::string(json_kind(*it)) + ", not a string";
  }
  if (it->get_ref<const std::string&>().empty()) {
    return "message field 'type' is empty";
  }
  return std::nullopt;
}

std::uint32_t read_be32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) |
         std::uint32_t{u[3]};
}

void append_be32(std::string& out, std::uint32_t n) {
  out.push_back(static_cast<char>((n >> 24) & 0xFF));
  out.push_back(static_cast<char>((n >> 16) & 0xFF));
  out.push_back(static_cast<char>((n >> 8) & 0xFF));
  out.push_back(static_cast<char>(n & 0xFF));
}

}  // namespace

std::string encode_frame(const nlohmann::json& message) {
  if (!message.is_object()) {
    throw std::invalid_argument("encode_frame: message is " + std::string(json_kind(message)) +
                                ", not an object");
  }
  if (auto problem = type_problem(message)) {
    throw std::invalid_argument("encode_frame: " + *problem);
  }
  const std::string body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (body.size() > 0xFFFFFFFFu) {
    throw std::invalid_argument("encode_frame: message of " + std::to_string(body.size()) +
                                " bytes does not fit a 32-bit length");
  }
  std::string frame;
  frame.reserve(frame_header_bytes + body.size());
  append_be32(frame, static_cast<std::uint32_t>(body.size()));
  frame += body;
  return frame;
}

std::string encode_binary_frame(std::string_view data) {
  if (data.size() >= 0xFFFFFFFFu) {
    throw std::invalid_argument("encode_binary_frame: " + std::to_string(data.size()) +
                                " bytes do not fit a 32-bit length");
  }
  std::string frame;
  frame.reserve(frame_header_bytes + 1 + data.size());
  append_be32(frame, static_cast<std::uint32_t>(data.size() + 1));
  frame.push_back(binary_frame_marker);
  frame.append(data);
  return frame;
}

std::string_view to_string(frame_error_code code) {
  switch (code) {
    case frame_error_code::too_large:
      return "too_large";
    case frame_error_code::invalid_json:
      return "invalid_json";
    case frame_error_code::not_an_object:
      return "not_an_object";
    case frame_error_code::missing_type:
      return "missing_type";
    case frame_error_code::binary_refused:
      return "binary_refused";
  }
  return "unknown";
}

frame_decoder::frame_decoder(std::size_t max_frame_bytes, bool accept_binary)
    : max_frame_bytes_(max_frame_bytes), accept_binary_(accept_binary) {}

decode_result frame_decoder::feed(std::string_view bytes) {
  decode_result out;
  if (error_) {
    out.error = error_;
    return out;
  }
  buffer_.append(bytes);

  std::size_t pos = 0;
  auto fail_with = [&](frame_error_code code, std::string message) {
    error_ = frame_error{code, std::move(message)};
    // The rest of the stream is meaningless without framing; drop it.
    buffer_.clear();
    buffer_.shrink_to_fit();
    out.error = error_;
  };

  while (buffer_.size() - pos >= frame_header_bytes) {
    const std::size_t length = read_be32(buffer_.data() + pos);
    // Decided from the header alone so a hostile peer cannot make us buffer the body.
    if (length > max_frame_bytes_) {
      fail_with(frame_error_code::too_large, "frame of " + std::to_string(length) +
                                                 " bytes exceeds the limit of " +
                                                 std::to_string(max_frame_bytes_) + " bytes");
      return out;
    }
    if (buffer_.size() - pos - frame_header_bytes < length) {
      break;
    }
    const char* body = buffer_.data() + pos + frame_header_bytes;
    if (length > 0 && body[0] == binary_frame_marker) {
      if (!accept_binary_) {
        fail_with(frame_error_code::binary_refused,
                  "binary frame of " + std::to_string(length) +
                      " bytes on a connection that takes JSON messages only");
        return out;
      }
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(body + 1);
      nlohmann::json message{{"type", binary_message_type}};
      message["data"] =
          nlohmann::json::binary_t(std::vector<std::uint8_t>(bytes, bytes + length - 1));
      out.messages.push_back(std::move(message));
      pos += frame_header_bytes + length;
      continue;
    }
    nlohmann::json message;
    try {
      message = nlohmann::json::parse(body, body + length);
    } catch (const nlohmann::json::parse_error& e) {
      fail_with(frame_error_code::invalid_json,
                std::string("frame body is not valid JSON: ") + e.what());
      return out;
    }
    if (!message.is_object()) {
      fail_with(frame_error_code::not_an_object,
                "frame body is " + std::string(json_kind(message)) + ", not a JSON object");
      return out;
    }
    if (auto problem = type_problem(message)) {
      fail_with(frame_error_code::missing_type, std::move(*problem));
      return out;
    }
    out.messages.push_back(std::move(message));
    pos += frame_header_bytes + length;
  }
  buffer_.erase(0, pos);
  return out;
}

}  // namespace wolfpack
