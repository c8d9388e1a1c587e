#include "wolfpack/reg_value.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

using namespace wolfpack;

namespace {
// The bytes of a WCHAR string as Win32 stores it.
std::vector<std::uint8_t> wide_bytes(const wchar_t* chars, std::size_t count) {
  std::vector<std::uint8_t> bytes(count * sizeof(WCHAR));
  std::memcpy(bytes.data(), chars, bytes.size());
  return bytes;
}
}  // namespace

TEST_CASE("reg_value makers store Win32 bytes", "[reg_value]") {
  const auto d = make_dword(0x01020304);
  CHECK(d.type == REG_DWORD);
  CHECK(d.data == std::vector<std::uint8_t>{4, 3, 2, 1});

  const auto q = make_qword(0x0102030405060708ULL);
  CHECK(q.type == REG_QWORD);
  CHECK(q.data == std::vector<std::uint8_t>{8, 7, 6, 5, 4, 3, 2, 1});

  const auto sz = make_sz(L"ab");
  CHECK(sz.type == REG_SZ);
  CHECK(sz.data == wide_bytes(L"ab", 3));  // terminator included

  CHECK(make_expand_sz(L"%PATH%").type == REG_EXPAND_SZ);
  CHECK(make_sz(L"").data == wide_bytes(L"", 1));

  const auto multi = make_multi_sz({L"a", L"bc"});
  CHECK(multi.type == REG_MULTI_SZ);
  CHECK(multi.data == wide_bytes(L"a\0bc\0", 6));  // each terminated, plus the final terminator
  CHECK(make_multi_sz({}).data == wide_bytes(L"", 1));
  CHECK(make_multi_sz({L"", L"x"}).data == wide_bytes(L"x\0", 3));  // empty strings are left out

  const std::vector<std::uint8_t> raw{0, 1, 2};
  const auto bin = make_binary(raw);
  CHECK(bin.type == REG_BINARY);
  CHECK(bin.data == raw);
}

TEST_CASE("reg_value decoders check type and size", "[reg_value]") {
  CHECK(as_dword(make_dword(7)) == 7u);
  CHECK_FALSE(as_dword(make_qword(7)).has_value());
  CHECK_FALSE(as_dword(reg_value{REG_DWORD, {1, 2, 3}}).has_value());
  CHECK(as_qword(make_qword(1ULL << 40)) == (1ULL << 40));
  CHECK_FALSE(as_qword(make_dword(1)).has_value());

  CHECK(as_sz(make_sz(L"hello")) == std::wstring(L"hello"));
  CHECK(as_sz(make_expand_sz(L"%TEMP%")) == std::wstring(L"%TEMP%"));
  CHECK_FALSE(as_sz(make_dword(1)).has_value());
  CHECK_FALSE(as_sz(reg_value{REG_SZ, {1}}).has_value());  // not a whole WCHAR
  // A missing terminator is tolerated.
  CHECK(as_sz(reg_value{REG_SZ, wide_bytes(L"ab", 2)}) == std::wstring(L"ab"));

  CHECK(as_multi_sz(make_multi_sz({L"a", L"bc"})) == std::vector<std::wstring>{L"a", L"bc"});
  CHECK(as_multi_sz(make_multi_sz({})) == std::vector<std::wstring>{});
  CHECK(as_multi_sz(reg_value{REG_MULTI_SZ, {}}) == std::vector<std::wstring>{});
  CHECK_FALSE(as_multi_sz(make_sz(L"a")).has_value());

  CHECK(as_binary(make_binary(std::vector<std::uint8_t>{9})) == std::vector<std::uint8_t>{9});
  CHECK_FALSE(as_binary(make_dword(1)).has_value());
}
