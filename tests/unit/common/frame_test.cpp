#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "wolfpack/common/frame.hpp"

using nlohmann::json;
using wolfpack::decode_result;
using wolfpack::encode_frame;
using wolfpack::frame_decoder;
using wolfpack::frame_error_code;

namespace {

std::string header(std::uint32_t n) {
  return {static_cast<char>(n >> 24), static_cast<char>((n >> 16) & 0xFF),
          static_cast<char>((n >> 8) & 0xFF), static_cast<char>(n & 0xFF)};
}

std::string raw_frame(const std::string& body) {
  return header(static_cast<std::uint32_t>(body.size())) + body;
}

}  // namespace

TEST_CASE("encode_frame writes a big-endian length then the JSON body", "[frame]") {
  const json message = {{"type", "ping"}, {"n", 1}};
  const std::string frame = encode_frame(message);
  const std::string body = message.dump();
  REQUIRE(frame.size() == 4 + body.size());
  CHECK(frame.substr(0, 4) == header(static_cast<std::uint32_t>(body.size())));
  CHECK(json::parse(frame.substr(4)) == message);
}

TEST_CASE("encode_frame rejects messages without a string type", "[frame]") {
  CHECK_THROWS_AS(encode_frame(json::array()), std::invalid_argument);
  CHECK_THROWS_AS(encode_frame(json{{"n", 1}}), std::invalid_argument);
  CHECK_THROWS_AS(encode_frame(json{{"type", 7}}), std::invalid_argument);
}

TEST_CASE("frame_decoder returns several frames fed at once, in order", "[frame]") {
  frame_decoder decoder;
  std::string bytes;
  for (int i = 0; i < 3; ++i)
    bytes += encode_frame({{"type", "m"}, {"i", i}});
  const decode_result r = decoder.feed(bytes);
  REQUIRE_FALSE(r.error);
  REQUIRE(r.messages.size() == 3);
  for (int i = 0; i < 3; ++i)
    CHECK(r.messages[i]["i"] == i);
  CHECK(decoder.buffered_bytes() == 0);
}

TEST_CASE("frame_decoder reassembles frames delivered byte by byte", "[frame]") {
  frame_decoder decoder;
  const json a = {{"type", "a"}, {"text", "h\u00e9llo \u2603"}};
  const json b = {{"type", "b"}, {"list", {1, 2, 3}}};
  const std::string bytes = encode_frame(a) + encode_frame(b);
  std::vector<json> got;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto r = decoder.feed(std::string_view(&bytes[i], 1));
    REQUIRE_FALSE(r.error);
    // A message completes exactly with its last byte.
    if (i + 1 == encode_frame(a).size() || i + 1 == bytes.size()) {
      REQUIRE(r.messages.size() == 1);
    } else {
      REQUIRE(r.messages.empty());
    }
    for (auto& m : r.messages)
      got.push_back(std::move(m));
  }
  REQUIRE(got.size() == 2);
  CHECK(got[0] == a);
  CHECK(got[1] == b);
}

TEST_CASE("frame_decoder rejects an oversized frame from its header alone", "[frame]") {
  frame_decoder decoder(1024);
  // Only the header: the body never arrives, the decision must not wait for it.
  auto r = decoder.feed(header(1025));
  REQUIRE(r.error);
  CHECK(r.error->code == frame_error_code::too_large);
  CHECK(r.error->message == "frame of 1025 bytes exceeds the limit of 1024 bytes");
  CHECK(decoder.failed());
  CHECK(decoder.buffered_bytes() == 0);

  // Exactly at the limit is fine.
  frame_decoder at_limit(1024);
  std::string body = R"({"type":"x","pad":")";
  body += std::string(1024 - body.size() - 2, 'p') + "\"}";
  REQUIRE(body.size() == 1024);
  auto ok = at_limit.feed(raw_frame(body));
  CHECK_FALSE(ok.error);
  CHECK(ok.messages.size() == 1);
}

TEST_CASE("frame_decoder default limit is 16 MiB", "[frame]") {
  frame_decoder decoder;
  CHECK(decoder.max_frame_bytes() == 16u * 1024 * 1024);
  auto r = decoder.feed(header(16u * 1024 * 1024 + 1));
  REQUIRE(r.error);
  CHECK(r.error->code == frame_error_code::too_large);
}

TEST_CASE("frame_decoder rejects a body that is not JSON", "[frame]") {
  frame_decoder decoder;
  auto r = decoder.feed(raw_frame("{\"type\": \"x\""));
  REQUIRE(r.error);
  CHECK(r.error->code == frame_error_code::invalid_json);
  CHECK_THAT(r.error->message, Catch::StartsWith("frame body is not valid JSON"));

  frame_decoder empty;
  auto e = empty.feed(raw_frame(""));
  REQUIRE(e.error);
  CHECK(e.error->code == frame_error_code::invalid_json);

  frame_decoder bad_utf8;
  auto u = bad_utf8.feed(raw_frame("{\"type\":\"\xff\xfe\"}"));
  REQUIRE(u.error);
  CHECK(u.error->code == frame_error_code::invalid_json);
}

TEST_CASE("frame_decoder rejects JSON that is not an object", "[frame]") {
  for (const std::string body : {"[1,2]", "\"type\"", "42", "null"}) {
    frame_decoder decoder;
    auto r = decoder.feed(raw_frame(body));
    REQUIRE(r.error);
    CHECK(r.error->code == frame_error_code::not_an_object);
  }
  frame_decoder decoder;
  auto r = decoder.feed(raw_frame("[1,2]"));
  CHECK(r.error->message == "frame body is an array, not a JSON object");
}

TEST_CASE("frame_decoder rejects a missing or non-string type", "[frame]") {
  struct example {
    std::string body;
    std::string message;
  };
  for (const auto& [body, message] : {
           example{R"({"kind":"x"})", "message has no 'type' field"},
           example{R"({"type":5})", "message field 'type' is a number, not a string"},
           example{R"({"type":null})", "message field 'type' is null, not a string"},
           example{R"({"type":""})", "message field 'type' is empty"},
       }) {
    frame_decoder decoder;
    auto r = decoder.feed(raw_frame(body));
    REQUIRE(r.error);
    CHECK(r.error->code == frame_error_code::missing_type);
    CHECK(r.error->message == message);
  }
}

TEST_CASE("frame_decoder delivers messages before a bad frame, then stays failed", "[frame]") {
  frame_decoder decoder;
  const std::string good = encode_frame({{"type", "good"}});
  auto r = decoder.feed(good + raw_frame("not json") + good);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0]["type"] == "good");
  REQUIRE(r.error);
  CHECK(r.error->code == frame_error_code::invalid_json);

  auto again = decoder.feed(good);
  CHECK(again.messages.empty());
  REQUIRE(again.error);
  CHECK(again.error->code == frame_error_code::invalid_json);
  CHECK(decoder.error()->code == frame_error_code::invalid_json);
}

TEST_CASE("frame_decoder delivers binary frames in their place among JSON ones", "[frame]") {
  frame_decoder decoder(wolfpack::default_max_frame_bytes, /*accept_binary=*/true);
  // Bytes JSON could not carry unescaped: NULs, quotes, invalid UTF-8.
  const std::string data("P\0\"\xff{", 5);
  const std::string bytes = encode_frame({{"type", "before"}}) +
                            wolfpack::encode_binary_frame(data) +
                            wolfpack::encode_binary_frame("") + encode_frame({{"type", "after"}});
  std::vector<json> got;
  // Cut anywhere: a binary frame is reassembled like any other.
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    auto r = decoder.feed(std::string_view(bytes).substr(i, 3));
    REQUIRE_FALSE(r.error);
    for (auto& m : r.messages)
      got.push_back(std::move(m));
  }
  REQUIRE(got.size() == 4);
  CHECK(got[0]["type"] == "before");
  CHECK(got[1]["type"] == wolfpack::binary_message_type);
  REQUIRE(got[1]["data"].is_binary());
  const auto& bin = got[1]["data"].get_binary();
  CHECK(std::string(bin.begin(), bin.end()) == data);
  CHECK(got[2]["data"].get_binary().empty());
  CHECK(got[3]["type"] == "after");
}

TEST_CASE("frame_decoder refuses binary frames unless told to accept them", "[frame]") {
  frame_decoder decoder;
  const auto r = decoder.feed(encode_frame({{"type", "ok"}}) + wolfpack::encode_binary_frame("xy"));
  REQUIRE(r.messages.size() == 1);
  REQUIRE(r.error);
  CHECK(r.error->code == frame_error_code::binary_refused);
  CHECK(r.error->message ==
        "binary frame of 3 bytes on a connection that takes JSON messages only");
  CHECK(decoder.failed());
}
