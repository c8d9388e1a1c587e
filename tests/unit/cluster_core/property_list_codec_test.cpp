// Typed values to CLUSPROP property lists and back (property_list_codec.hpp), as libclusapi's
// control codes and the private property writes use them.
#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "wolfpack/cluster_properties/property_list_codec.hpp"
#include "wolfpack/proplist.hpp"

using namespace wolfpack;
using namespace wolfpack::cluster;

TEST_CASE("every typed value survives a property list", "[property_list_codec]") {
  const property_map in = {{"Count", typed_value::dword(7)},
                           {"Big", typed_value::qword(5000000000ull)},
                           {"Text", typed_value::sz("h\xc3\xa9llo")},
                           {"Path", typed_value::expand_sz("%TEMP%\\x")},
                           {"List", typed_value::multi_sz({"a", "bc"})},
                           {"Blob", typed_value::binary({0, 1, 255})}};
  const auto bytes = to_property_list(in);
  const auto list = parse_property_list(bytes.data(), bytes.size());
  REQUIRE(list.ok);
  CHECK(list.properties.size() == in.size());
  CHECK(list.find(L"Count")->syntax() == CLUSPROP_SYNTAX_LIST_VALUE_DWORD);
  CHECK(list.find(L"Big")->format() == CLUSPROP_FORMAT_ULARGE_INTEGER);
  auto out = from_property_list(bytes.data(), bytes.size());
  REQUIRE(out);
  CHECK(*out == in);
}

TEST_CASE("LONG and WORD values become DWORDs, LARGE ones QWORDs", "[property_list_codec]") {
  property_list_builder b;
  b.add_long(L"L", 5).add_word(L"W", 3).add_large(L"Q", 9);
  auto out = from_property_list(b.bytes().data(), b.bytes().size());
  REQUIRE(out);
  CHECK(out->at("L") == typed_value::dword(5));
  CHECK(out->at("W") == typed_value::dword(3));
  CHECK(out->at("Q") == typed_value::qword(9));
}

TEST_CASE("a list that does not decode, or holds what no property can, is an error",
          "[property_list_codec]") {
  property_list_builder b;
  b.add_dword(L"A", 1);
  auto bytes = b.bytes();
  CHECK(!from_property_list(bytes.data(), 3));
  CHECK(!from_property_list(nullptr, 0));
  // A DWORD entry whose data is two bytes long.
  property_list_builder odd;
  odd.add_property(L"B", value_list_builder().add_value(CLUSPROP_SYNTAX_LIST_VALUE_DWORD, "ab", 2));
  auto bad = from_property_list(odd.bytes().data(), odd.bytes().size());
  REQUIRE(!bad);
  CHECK(bad.error().find("'B'") != std::string::npos);
}

TEST_CASE("a name list is a MULTI_SZ with its extra terminator", "[property_list_codec]") {
  const auto bytes = to_name_list({"Ab", "C"});
  std::wstring chars(bytes.size() / sizeof(wchar_t), L'\0');
  std::memcpy(chars.data(), bytes.data(), bytes.size());
  CHECK(chars == std::wstring(L"Ab\0C\0\0", 6));
  CHECK(to_name_list({}).size() == sizeof(wchar_t));
  CHECK(clusprop_format(value_type::multi_sz) == CLUSPROP_FORMAT_MULTI_SZ);
}
