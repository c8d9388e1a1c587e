#include <string>

#include <catch2/catch.hpp>

#include "wolfpack/http/percent_encoding.hpp"

using wolfpack::http::encode_segment;

TEST_CASE("encode_segment escapes all but the unreserved characters", "[http]") {
  CHECK(encode_segment("") == "");
  CHECK(encode_segment("AZaz09-._~") == "AZaz09-._~");
  CHECK(encode_segment("File Server") == "File%20Server");
  CHECK(encode_segment("a/b") == "a%2Fb");
  CHECK(encode_segment("50%?#&=+") == "50%25%3F%23%26%3D%2B");
  CHECK(encode_segment("\xC3\xA9t\xC3\xA9") == "%C3%A9t%C3%A9");
  CHECK(encode_segment(std::string("a\0b", 3)) == "a%00b");
}
