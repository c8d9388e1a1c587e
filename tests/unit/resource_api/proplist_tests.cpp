#include "wolfpack/proplist.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace wolfpack;

namespace {

std::vector<std::uint8_t> dword_bytes(DWORD v) {
  std::vector<std::uint8_t> b(4);
  std::memcpy(b.data(), &v, 4);
  return b;
}

void append(std::vector<std::uint8_t>& out, const std::vector<std::uint8_t>& more) {
  out.insert(out.end(), more.begin(), more.end());
}

// A name or string entry's data: the WCHARs with the terminator, then zero padding.
std::vector<std::uint8_t> padded_string(const wchar_t* s) {
  const std::size_t n = (std::wcslen(s) + 1) * sizeof(WCHAR);
  std::vector<std::uint8_t> b(align_clusprop(n), 0);
  std::memcpy(b.data(), s, n);
  return b;
}

DWORD string_length(const wchar_t* s) {
  return static_cast<DWORD>((std::wcslen(s) + 1) * sizeof(WCHAR));
}

void poke_dword(std::vector<std::uint8_t>& b, std::size_t offset, DWORD v) {
  std::memcpy(b.data() + offset, &v, 4);
}

}  // namespace

TEST_CASE("property list layout is Microsoft's", "[proplist]") {
  property_list_builder builder;
  builder.add_dword(L"RestartAction", 2).add_sz(L"Path", L"C:\\x");
  CHECK(builder.count() == 2);

  std::vector<std::uint8_t> expected = dword_bytes(2);
  append(expected, dword_bytes(CLUSPROP_SYNTAX_NAME));
  append(expected, dword_bytes(string_length(L"RestartAction")));  // cbLength counts the terminator
  append(expected, padded_string(L"RestartAction"));
  append(expected, dword_bytes(CLUSPROP_SYNTAX_LIST_VALUE_DWORD));
  append(expected, dword_bytes(4));
  append(expected, dword_bytes(2));
  append(expected, dword_bytes(CLUSPROP_SYNTAX_ENDMARK));
  append(expected, dword_bytes(CLUSPROP_SYNTAX_NAME));
  append(expected, dword_bytes(string_length(L"Path")));
  append(expected, padded_string(L"Path"));
  append(expected, dword_bytes(CLUSPROP_SYNTAX_LIST_VALUE_SZ));
  append(expected, dword_bytes(string_length(L"C:\\x")));
  append(expected, padded_string(L"C:\\x"));
  append(expected, dword_bytes(CLUSPROP_SYNTAX_ENDMARK));
  CHECK(builder.bytes() == expected);
  CHECK(builder.bytes().size() % 4 == 0);
}

TEST_CASE("binary values are padded with zeros to a DWORD", "[proplist]") {
  const std::vector<std::uint8_t> three{0xAA, 0xBB, 0xCC};
  value_list_builder values;
  values.add_binary(three);
  std::vector<std::uint8_t> expected = dword_bytes(CLUSPROP_SYNTAX_LIST_VALUE_BINARY);
  append(expected, dword_bytes(3));
  append(expected, {0xAA, 0xBB, 0xCC, 0x00});
  CHECK(values.bytes() == expected);
}

TEST_CASE("property list round trip through the parser", "[proplist]") {
  FILETIME ft;
  ft.dwLowDateTime = 0x11223344;
  ft.dwHighDateTime = 0x01D00000;
  const std::vector<std::uint8_t> blob{1, 2, 3, 4, 5};
  property_list_builder builder;
  builder.add_dword(L"PendingTimeout", 180000)
      .add_long(L"Offset", -12)
      .add_word(L"Small", 0xBEEF)
      .add_sz(L"Name", L"Disk Q:")
      .add_expand_sz(L"Command", L"%SystemRoot%\\app.exe", L"C:\\Windows\\app.exe")
      .add_multi_sz(L"Owners", {L"NODE1", L"NODE2"})
      .add_binary(L"Blob", blob)
      .add_ularge(L"Big", 0x0102030405060708ULL)
      .add_large(L"Signed", -(1LL << 40))
      .add_filetime(L"When", ft);

  const auto list = parse_property_list(builder.bytes().data(), builder.bytes().size());
  REQUIRE(list.ok);
  CHECK(list.error.empty());
  REQUIRE(list.properties.size() == 10);

  CHECK(list.properties[0].name == L"PendingTimeout");
  CHECK(list.properties[0].syntax() == CLUSPROP_SYNTAX_LIST_VALUE_DWORD);
  CHECK(list.properties[0].format() == CLUSPROP_FORMAT_DWORD);
  CHECK(list.properties[0].value().as_dword() == 180000u);
  CHECK(list.properties[0].data() == dword_bytes(180000));
  CHECK_FALSE(list.properties[0].value().as_long().has_value());  // the format decides

  CHECK(list.find(L"offset")->value().as_long() == -12);
  CHECK(list.find(L"SMALL")->value().as_word() == 0xBEEF);
  CHECK(list.find(L"Name")->value().as_sz() == std::wstring(L"Disk Q:"));
  const auto* command = list.find(L"Command");
  REQUIRE(command != nullptr);
  REQUIRE(command->values.size() == 2);
  CHECK(command->values[0].syntax == CLUSPROP_SYNTAX_LIST_VALUE_EXPAND_SZ);
  CHECK(command->values[0].as_sz() == std::wstring(L"%SystemRoot%\\app.exe"));
  CHECK(command->values[1].syntax == CLUSPROP_SYNTAX_LIST_VALUE_EXPANDED_SZ);
  CHECK(command->values[1].as_sz() == std::wstring(L"C:\\Windows\\app.exe"));
  CHECK(list.find(L"Owners")->value().as_multi_sz() ==
        std::vector<std::wstring>{L"NODE1", L"NODE2"});
  CHECK(list.find(L"Blob")->value().as_binary() == blob);
  CHECK(list.find(L"Blob")->value().data.size() == 5);  // cbLength, not the padded size
  CHECK(list.find(L"Big")->value().as_ularge() == 0x0102030405060708ULL);
  CHECK(list.find(L"Signed")->value().as_large() == -(1LL << 40));
  const auto when = list.find(L"When")->value().as_filetime();
  REQUIRE(when.has_value());
  CHECK(when->dwLowDateTime == ft.dwLowDateTime);
  CHECK(when->dwHighDateTime == ft.dwHighDateTime);
  CHECK(list.find(L"Absent") == nullptr);

  // An empty list is a count of zero.
  property_list_builder empty;
  CHECK(empty.bytes() == dword_bytes(0));
  const auto none = parse_property_list(empty.bytes().data(), empty.bytes().size());
  CHECK(none.ok);
  CHECK(none.properties.empty());
}

TEST_CASE("required dependencies value list", "[proplist]") {
  value_list_builder deps;
  deps.add_resclass(CLUS_RESCLASS_STORAGE).add_resource_type_name(L"IP Address").add_endmark();

  std::vector<std::uint8_t> expected = dword_bytes(CLUSPROP_SYNTAX_RESCLASS);
  append(expected, dword_bytes(4));
  append(expected, dword_bytes(CLUS_RESCLASS_STORAGE));
  append(expected, dword_bytes(CLUSPROP_SYNTAX_NAME));
  append(expected, dword_bytes(string_length(L"IP Address")));
  append(expected, padded_string(L"IP Address"));
  append(expected, dword_bytes(CLUSPROP_SYNTAX_ENDMARK));
  CHECK(deps.bytes() == expected);

  const auto parsed = parse_value_list(deps.bytes().data(), deps.bytes().size());
  REQUIRE(parsed.ok);
  CHECK(parsed.consumed == deps.bytes().size());
  REQUIRE(parsed.values.size() == 2);
  CHECK(parsed.values[0].syntax == CLUSPROP_SYNTAX_RESCLASS);
  CHECK(parsed.values[0].as_dword() == static_cast<DWORD>(CLUS_RESCLASS_STORAGE));
  CHECK(parsed.values[1].syntax == CLUSPROP_SYNTAX_NAME);
  CHECK(parsed.values[1].as_sz() == std::wstring(L"IP Address"));

  // Read through the C structures, as a Windows DLL would.
  CLUSPROP_BUFFER_HELPER helper;
  helper.pb = const_cast<BYTE*>(deps.bytes().data());
  CHECK(helper.pRequiredDependencyValue->ResClass.rc == CLUS_RESCLASS_STORAGE);
  helper.pb += sizeof(CLUSPROP_VALUE) + ALIGN_CLUSPROP(helper.pValue->cbLength);
  CHECK(helper.pSyntax->dw == CLUSPROP_SYNTAX_NAME);
  CHECK(std::wstring(helper.pRequiredDependencyValue->ResTypeName.sz) == L"IP Address");

  const auto truncated = parse_value_list(deps.bytes().data(), deps.bytes().size() - 4);
  CHECK_FALSE(truncated.ok);
  CHECK_FALSE(truncated.error.empty());
}

TEST_CASE("property format list for *_PROPERTY_FMTS", "[proplist]") {
  property_format_list_builder formats;
  formats.add(L"Path", CLUSPROP_FORMAT_SZ).add(L"Retries", CLUSPROP_FORMAT_DWORD);
  CHECK(formats.count() == 2);

  std::vector<std::uint8_t> expected = dword_bytes(2);
  append(expected, dword_bytes(CLUSPROP_SYNTAX_NAME));
  append(expected, dword_bytes(string_length(L"Path")));
  append(expected, padded_string(L"Path"));
  append(expected, dword_bytes(CLUSPROP_SYNTAX_LIST_VALUE_WORD));  // 0x0001000B
  append(expected, dword_bytes(2));                                // a WORD...
  append(expected, {CLUSPROP_FORMAT_SZ, 0, 0, 0});                 // ...and two bytes of padding
  append(expected, dword_bytes(CLUSPROP_SYNTAX_ENDMARK));
  REQUIRE(formats.bytes().size() > expected.size());
  CHECK(std::vector<std::uint8_t>(formats.bytes().begin(),
                                  formats.bytes().begin() + expected.size()) == expected);

  const auto list = parse_property_list(formats.bytes().data(), formats.bytes().size());
  REQUIRE(list.ok);
  CHECK(list.find(L"Retries")->value().as_word() == CLUSPROP_FORMAT_DWORD);
  CHECK(list.find(L"Path")->value().as_word() == CLUSPROP_FORMAT_SZ);
}

TEST_CASE("format details: default, range and flags after the format", "[proplist]") {
  property_format_list_builder formats;
  formats.add(
      L"Retries", CLUSPROP_FORMAT_DWORD,
      value_list_builder()
          .add_dword(5, CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_DEFAULT, CLUSPROP_FORMAT_DWORD))
          .add_dword(1, CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_MINIMUM, CLUSPROP_FORMAT_DWORD))
          .add_dword(9, CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_MAXIMUM, CLUSPROP_FORMAT_DWORD))
          .add_dword(WP_CLUSPROP_FLAG_REQUIRED,
                     CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_FLAGS, CLUSPROP_FORMAT_DWORD)));
  formats.add(L"Path", CLUSPROP_FORMAT_SZ,
              value_list_builder().add_sz(
                  L"/srv", CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_DEFAULT, CLUSPROP_FORMAT_SZ)));
  formats.add(L"Plain", CLUSPROP_FORMAT_MULTI_SZ);

  // A client that knows only the Windows layout still finds each format first.
  const auto plain = parse_property_list(formats.bytes().data(), formats.bytes().size());
  REQUIRE(plain.ok);
  CHECK(plain.find(L"Retries")->value().as_word() == CLUSPROP_FORMAT_DWORD);
  CHECK(plain.find(L"Retries")->values.size() == 5);
  CHECK((plain.find(L"Retries")->values[1].syntax >> 16) == CLUSPROP_TYPE_USER + 1);

  const auto parsed = parse_property_formats(formats.bytes().data(), formats.bytes().size());
  REQUIRE(parsed.ok);
  REQUIRE(parsed.formats.size() == 3);
  const auto& retries = parsed.formats[0];
  CHECK(retries.name == L"Retries");
  CHECK(retries.format == CLUSPROP_FORMAT_DWORD);
  CHECK(retries.default_value->as_dword() == 5u);
  CHECK(retries.minimum->as_dword() == 1u);
  CHECK(retries.maximum->as_dword() == 9u);
  CHECK(retries.flags == WP_CLUSPROP_FLAG_REQUIRED);
  CHECK(parsed.formats[1].default_value->as_sz() == L"/srv");
  CHECK_FALSE(parsed.formats[1].minimum.has_value());
  CHECK(parsed.formats[1].flags == 0);
  CHECK(parsed.formats[2].format == CLUSPROP_FORMAT_MULTI_SZ);
  CHECK_FALSE(parsed.formats[2].default_value.has_value());

  SECTION("a list whose first value is not a format is refused, naming the property") {
    property_list_builder values;
    values.add_dword(L"Count", 3);
    const auto bad = parse_property_formats(values.bytes().data(), values.bytes().size());
    CHECK_FALSE(bad.ok);
    CHECK(bad.error == "property Count: the first value is not a LIST_VALUE_WORD format");
    CHECK(bad.formats.empty());
  }
  SECTION("a list that does not decode is refused with the decoder's error") {
    const auto bad = parse_property_formats(formats.bytes().data(), 6);
    CHECK_FALSE(bad.ok);
    CHECK_FALSE(bad.error.empty());
  }
}

TEST_CASE("every truncation of a valid list is rejected", "[proplist]") {
  property_list_builder builder;
  builder.add_dword(L"A", 1).add_sz(L"Bee", L"value").add_multi_sz(L"C", {L"x", L"yy"});
  const auto& bytes = builder.bytes();
  REQUIRE(parse_property_list(bytes.data(), bytes.size()).ok);
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    // A copy of exactly `size` bytes, so a read past the end is an ASan error.
    const std::vector<std::uint8_t> prefix(bytes.begin(),
                                           bytes.begin() + static_cast<std::ptrdiff_t>(size));
    const auto result =
        parse_property_list(prefix.empty() ? nullptr : prefix.data(), prefix.size());
    INFO("size " << size);
    CHECK_FALSE(result.ok);
    CHECK_FALSE(result.error.empty());
    CHECK(result.properties.empty());
  }
}

TEST_CASE("malformed lists are rejected with the offset", "[proplist]") {
  property_list_builder builder;
  builder.add_dword(L"A", 1);
  const std::vector<std::uint8_t> good = builder.bytes();
  // Layout: count(0) name-syntax(4) name-length(8) "A\0" padded(12) value-syntax value-length value
  // endmark.
  const std::size_t value_syntax_at = 12 + align_clusprop(2 * sizeof(WCHAR));
  REQUIRE(parse_property_list(good.data(), good.size()).ok);

  auto bad = good;
  poke_dword(bad, 4, CLUSPROP_SYNTAX_LIST_VALUE_SZ);  // no name
  auto r = parse_property_list(bad.data(), bad.size());
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("offset 4") != std::string::npos);

  bad = good;
  poke_dword(bad, 8, 3);  // name length not a whole number of WCHARs
  CHECK_FALSE(parse_property_list(bad.data(), bad.size()).ok);

  bad = good;
  poke_dword(bad, 8, 0xFFFFFFF0u);  // name length past the end
  r = parse_property_list(bad.data(), bad.size());
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("exceeds") != std::string::npos);

  bad = good;
  std::memset(bad.data() + 12, 'A', sizeof(WCHAR) * 2);  // name without terminator
  CHECK_FALSE(parse_property_list(bad.data(), bad.size()).ok);

  bad = good;
  poke_dword(bad, value_syntax_at + 4, 0x7FFFFFFF);  // value length past the end
  r = parse_property_list(bad.data(), bad.size());
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("offset " + std::to_string(value_syntax_at)) != std::string::npos);

  bad = good;
  poke_dword(bad, value_syntax_at, CLUSPROP_SYNTAX_ENDMARK);  // a property without a value
  CHECK_FALSE(parse_property_list(bad.data(), bad.size()).ok);

  bad = good;
  poke_dword(bad, 0, 2);  // one property announced too many
  CHECK_FALSE(parse_property_list(bad.data(), bad.size()).ok);

  bad = good;
  poke_dword(bad, 0, 0xFFFFFFFFu);  // absurd count
  r = parse_property_list(bad.data(), bad.size());
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("cannot fit") != std::string::npos);

  bad = good;
  append(bad, {1, 0, 0, 0});  // garbage after the last property
  CHECK_FALSE(parse_property_list(bad.data(), bad.size()).ok);

  auto padded = good;
  append(padded, dword_bytes(CLUSPROP_SYNTAX_ENDMARK));  // a stray end mark is tolerated
  CHECK(parse_property_list(padded.data(), padded.size()).ok);

  CHECK_FALSE(parse_property_list(nullptr, 0).ok);
}

TEST_CASE("random bytes never crash the parsers", "[proplist]") {
  std::mt19937 rng(20240607);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 96);
  property_list_builder builder;
  builder.add_dword(L"A", 1)
      .add_sz(L"B", L"text")
      .add_binary(L"C", std::vector<std::uint8_t>{1, 2, 3});
  const auto& valid = builder.bytes();
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::uint8_t> data;
    if (round % 2 == 0) {
      data.resize(static_cast<std::size_t>(length(rng)));
      for (auto& b : data)
        b = static_cast<std::uint8_t>(byte(rng));
      if (data.size() >= 4)
        poke_dword(data, 0, static_cast<DWORD>(byte(rng) % 4));  // plausible counts
    } else {
      data = valid;  // a valid list with a few bytes flipped
      for (int flips = 0; flips < 3; ++flips) {
        data[static_cast<std::size_t>(byte(rng)) % data.size()] =
            static_cast<std::uint8_t>(byte(rng));
      }
    }
    const auto list = parse_property_list(data.empty() ? nullptr : data.data(), data.size());
    if (!list.ok)
      CHECK_FALSE(list.error.empty());
    const auto values = parse_value_list(data.empty() ? nullptr : data.data(), data.size());
    if (values.ok)
      CHECK(values.consumed <= data.size());
  }
}

TEST_CASE("copy_out follows ERROR_MORE_DATA and BytesReturned", "[proplist]") {
  const std::vector<std::uint8_t> data{1, 2, 3, 4, 5, 6, 7, 8};
  DWORD returned = 0;
  CHECK(copy_out(data, nullptr, 0, &returned) == ERROR_MORE_DATA);
  CHECK(returned == 8);
  std::vector<std::uint8_t> small(4, 0xEE);
  returned = 0;
  CHECK(copy_out(data, small.data(), 4, &returned) == ERROR_MORE_DATA);
  CHECK(returned == 8);
  CHECK(small == std::vector<std::uint8_t>(4, 0xEE));  // untouched
  std::vector<std::uint8_t> out(16, 0);
  CHECK(copy_out(data, out.data(), 16, &returned) == ERROR_SUCCESS);
  CHECK(returned == 8);
  CHECK(std::vector<std::uint8_t>(out.begin(), out.begin() + 8) == data);
  CHECK(copy_out({}, nullptr, 0, &returned) == ERROR_SUCCESS);
  CHECK(returned == 0);
  CHECK(copy_out(data, out.data(), 16, nullptr) == ERROR_SUCCESS);
}
