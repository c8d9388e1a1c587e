#include "wolfpack/log_format.hpp"

#include <catch2/catch.hpp>

#include <cstdarg>
#include <cstdint>
#include <string>

#include "wolfpack/win_types.h"

namespace {

// What the monitor's LogEvent does with its variadic arguments.
std::wstring fmt(const wchar_t* format, ...) {
  va_list args;
  va_start(args, format);
  std::wstring out = wolfpack::format_log_message(format, args);
  va_end(args);
  return out;
}

const wchar_t* const null_wide = nullptr;
const char* const null_narrow = nullptr;

}  // namespace

TEST_CASE("plain text passes through", "[log_format]") {
  CHECK(fmt(L"Online request.") == L"Online request.");
  CHECK(fmt(L"") == L"");
  CHECK(wolfpack::format_log_message(nullptr, nullptr) == L"");
}

TEST_CASE("FormatMessage inserts", "[log_format]") {
  CHECK(fmt(L"Resource %1 failed with %2!u!.", L"Disk Q:", 5u) ==
        L"Resource Disk Q: failed with 5.");
  CHECK(fmt(L"%2 before %1", L"one", L"two") == L"two before one");
  CHECK(fmt(L"%1 and %1 again", L"x") == L"x and x again");
  CHECK(fmt(L"%1!ws! %2!s! %3!hs! %4!S!", L"wide", L"also", "narrow", "ansi") ==
        L"wide also narrow ansi");
  CHECK(fmt(L"code %1!08X! (%1!d!)", 255) == L"code 000000FF (255)");
  CHECK(fmt(L"%1!d! %2!lu! %3!I64u! %4!s!", -3, 4000000000u, static_cast<std::uint64_t>(1) << 40,
            L"end") == L"-3 4000000000 1099511627776 end");
  CHECK(fmt(L"%1!-5s!|%2!5s!|", L"ab", L"cd") == L"ab   |   cd|");
  CHECK(fmt(L"%1 100%% sure%.%!", L"x") == L"x 100% sure.!");
  CHECK(fmt(L"line %1%nnext", L"one") == L"line one\nnext");
  CHECK(fmt(L"[%1]%t|%b|", L"x") == L"[x]\t| |");
  CHECK(fmt(L"cut %1%0 never shown", L"here") == L"cut here");
  CHECK(fmt(L"%1!c!%2!C!", L'W', 'n') == L"Wn");
  // A star takes the width from the insert's number, the value from the next.
  CHECK(fmt(L"[%1!*s!]", 5, L"ab") == L"[   ab]");
  CHECK(fmt(L"[%1!*.*s!]", 4, 2, L"abcdef") == L"[  ab]");
  // Ten or more inserts: %10 is insert ten.
  CHECK(fmt(L"%10 %1", L"1", L"2", L"3", L"4", L"5", L"6", L"7", L"8", L"9", L"ten") == L"ten 1");
}

TEST_CASE("printf conversions with Windows wide-printf meanings", "[log_format]") {
  CHECK(fmt(L"%s/%ls/%ws", L"a", L"b", L"c") == L"a/b/c");
  CHECK(fmt(L"%S/%hs", "narrow", "also") == L"narrow/also");
  CHECK(fmt(L"caf%S", "\xc3\xa9") == L"caf\u00e9");  // narrow strings are UTF-8
  CHECK(fmt(L"%d %i %u %x %X %o", -1, 42, 7u, 255u, 255u, 8u) == L"-1 42 7 ff FF 10");
  // l is Windows' 32-bit long: a DWORD argument with %lu.
  CHECK(fmt(L"%lu %ld %lx", static_cast<DWORD>(4000000000u), static_cast<LONG>(-5),
            static_cast<DWORD>(0xABCu)) == L"4000000000 -5 abc");
  CHECK(fmt(L"%I64d %lld %llu %I64x", static_cast<std::int64_t>(-1) << 40, -2LL,
            18446744073709551615ULL, static_cast<std::uint64_t>(0xFFFFFFFFFULL)) ==
        L"-1099511627776 -2 18446744073709551615 fffffffff");
  CHECK(fmt(L"%Iu %zu", static_cast<std::size_t>(1) << 33, static_cast<std::size_t>(9)) ==
        L"8589934592 9");
  CHECK(fmt(L"%hd %hu", 70000, 70000) == L"4464 4464");
  CHECK(fmt(L"%c%C%hc", L'a', 'b', 'c') == L"abc");
  CHECK(fmt(L"100%%") == L"100%");
  CHECK(fmt(L"%5d|%-5d|%05d|%+d|%.3d", 42, 42, 42, 42, 7) == L"   42|42   |00042|+42|007");
  CHECK(fmt(L"%10d", 42) == L"        42");  // a width, not insert 10
  CHECK(fmt(L"%.3s|%6.2s|%-4s|", L"abcdef", L"xyz", L"q") == L"abc|    xy|q   |");
  CHECK(fmt(L"%*d|%-*d|%.*s", 4, 1, 3, 2, 2, L"abc") == L"   1|2  |ab");
  CHECK(fmt(L"%.2f %e", 3.14159, 1000.0) == L"3.14 1.000000e+03");
  const std::wstring p = fmt(L"%p", reinterpret_cast<void*>(0x1234));
  CHECK(p.size() == 2 * sizeof(void*));
  CHECK(p.substr(p.size() - 4) == L"1234");
  CHECK(p.find_first_not_of(L'0') == p.size() - 4);
}

TEST_CASE("NULL string arguments print (null)", "[log_format]") {
  CHECK(fmt(L"[%s]", null_wide) == L"[(null)]");
  CHECK(fmt(L"[%S]", null_narrow) == L"[(null)]");
  CHECK(fmt(L"[%hs]", null_narrow) == L"[(null)]");
  CHECK(fmt(L"[%1]", null_wide) == L"[(null)]");
  CHECK(fmt(L"[%1!hs!]", null_narrow) == L"[(null)]");
}

TEST_CASE("odd format strings do not crash", "[log_format]") {
  CHECK(fmt(L"trailing %") == L"trailing %");
  CHECK(fmt(L"%y unknown") == L"%y unknown");
  CHECK(fmt(L"%1!bogus! text", L"v") == L"v!bogus! text");  // a bad spec falls back to !s!
  CHECK(fmt(L"%n") == L"");  // never printf's %n: a newline, then stripped as trailing
  const std::wstring huge = fmt(L"%999999999d", 1);
  CHECK(huge.size() == wolfpack::max_log_message_chars);
}

TEST_CASE("trailing newline stripped, output cut to 500 characters", "[log_format]") {
  CHECK(fmt(L"hello\n") == L"hello");
  CHECK(fmt(L"hello\r\n") == L"hello");
  CHECK(fmt(L"hello\n\n") == L"hello\n");  // only one
  CHECK(fmt(L"Online request.%n", 0) == L"Online request.");
  const std::wstring long_arg(600, L'x');
  const std::wstring cut = fmt(L"%s", long_arg.c_str());
  CHECK(cut.size() == 500);
  CHECK(cut == long_arg.substr(0, 500));
  CHECK(fmt(L"%1", long_arg.c_str()).size() == 500);
  const std::wstring exactly(500, L'y');
  CHECK(fmt((exactly + L"\n").c_str()) == exactly);
}
