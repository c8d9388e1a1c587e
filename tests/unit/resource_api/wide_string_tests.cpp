#include "wolfpack/wide_string.hpp"

#include <catch2/catch.hpp>

#include <string>

using wolfpack::from_utf8;
using wolfpack::to_utf8;

namespace {
const std::wstring replacement(1, static_cast<wchar_t>(0xFFFD));

// U+1F600 as a WCHAR string in the platform's encoding.
std::wstring grinning_face() {
  if constexpr (sizeof(wchar_t) == 2) {
    return std::wstring{static_cast<wchar_t>(0xD83D), static_cast<wchar_t>(0xDE00)};
  } else {
    return std::wstring(1, static_cast<wchar_t>(0x1F600));
  }
}
}  // namespace

TEST_CASE("utf8 round trips ASCII, BMP and supplementary characters", "[wide_string]") {
  CHECK(to_utf8(L"") == "");
  CHECK(to_utf8(L"Cluster Name") == "Cluster Name");
  CHECK(to_utf8(L"caf\u00e9") == "caf\xc3\xa9");
  CHECK(to_utf8(L"\u20ac") == "\xe2\x82\xac");
  CHECK(to_utf8(grinning_face()) == "\xf0\x9f\x98\x80");
  CHECK(from_utf8("caf\xc3\xa9") == L"caf\u00e9");
  CHECK(from_utf8("\xe2\x82\xac") == L"\u20ac");
  CHECK(from_utf8("\xf0\x9f\x98\x80") == grinning_face());
  const std::wstring mixed = L"a\u00e9\u20ac" + grinning_face() + L"z";
  CHECK(from_utf8(to_utf8(mixed)) == mixed);
  // An embedded NUL survives both ways.
  CHECK(from_utf8(std::string("a\0b", 3)) == std::wstring(L"a\0b", 3));
}

TEST_CASE("invalid utf8 becomes U+FFFD and never throws", "[wide_string]") {
  CHECK(from_utf8("\x80") == replacement);                    // lone continuation byte
  CHECK(from_utf8("a\xc3") == L"a" + replacement);            // truncated sequence
  CHECK(from_utf8("\xe2\x82") == replacement);                // truncated, one maximal part
  CHECK(from_utf8("\xc0\x80") == replacement + replacement);  // overlong NUL
  CHECK(from_utf8("\xe0\x80\x80") == replacement + replacement + replacement);  // overlong
  CHECK(from_utf8("\xed\xa0\x80") == replacement + replacement + replacement);  // a surrogate
  CHECK(from_utf8("\xf4\x90\x80\x80").find(L'\xfffd') != std::wstring::npos);   // above U+10FFFF
  CHECK(from_utf8("\xff"
                  "ok") == replacement + L"ok");
  CHECK(from_utf8("\xe2\x82"
                  "x") == replacement + L"x");  // the next character is kept
}

TEST_CASE("invalid wide input becomes U+FFFD in utf8", "[wide_string]") {
  const std::wstring lone_high(1, static_cast<wchar_t>(0xD800));
  CHECK(to_utf8(lone_high) == "\xef\xbf\xbd");
  CHECK(to_utf8(L"a" + lone_high + L"b") ==
        "a\xef\xbf\xbd"
        "b");
  if constexpr (sizeof(wchar_t) == 4) {
    CHECK(to_utf8(std::wstring(1, static_cast<wchar_t>(0x110000))) == "\xef\xbf\xbd");
  }
}
