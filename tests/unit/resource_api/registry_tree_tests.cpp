// The host-side API of registry_tree (what the resource monitor uses).
#include "wolfpack/registry_tree.hpp"

#include <catch2/catch.hpp>

using namespace wolfpack;

TEST_CASE("host writes create keys and read back", "[registry_tree]") {
  registry_tree tree;
  CHECK_FALSE(tree.key_exists(L"Parameters"));
  CHECK_FALSE(tree.get_value(L"Parameters", L"Path").has_value());
  CHECK(tree.values(L"Parameters").empty());

  tree.set_value(L"Parameters", L"Path", make_sz(L"/srv"));
  tree.set_value(L"", L"Name", make_sz(L"Disk Q:"));
  tree.set_value(L"A\\B", L"Deep", make_dword(3));

  CHECK(tree.key_exists(L""));
  CHECK(tree.key_exists(L"Parameters"));
  CHECK(tree.key_exists(L"A"));
  CHECK(tree.key_exists(L"A\\B"));
  CHECK(tree.subkeys(L"") == std::vector<std::wstring>{L"Parameters", L"A"});
  CHECK(tree.subkeys(L"A") == std::vector<std::wstring>{L"B"});
  CHECK(as_sz(*tree.get_value(L"Parameters", L"Path")) == std::wstring(L"/srv"));
  CHECK(as_sz(*tree.get_value(L"", L"Name")) == std::wstring(L"Disk Q:"));
  CHECK(as_dword(*tree.get_value(L"A\\B", L"Deep")) == 3u);
}

TEST_CASE("names are case-insensitive and keep their first spelling", "[registry_tree]") {
  registry_tree tree;
  tree.set_value(L"Parameters", L"Path", make_sz(L"one"));
  tree.set_value(L"PARAMETERS", L"PATH", make_sz(L"two"));
  CHECK(tree.subkeys(L"") == std::vector<std::wstring>{L"Parameters"});
  const auto values = tree.values(L"parameters");
  REQUIRE(values.size() == 1);
  CHECK(values[0].first == L"Path");
  CHECK(as_sz(values[0].second) == std::wstring(L"two"));
  CHECK(tree.get_value(L"pArAmEtErS", L"pAtH").has_value());
}

TEST_CASE("values keep insertion order and replace_values replaces them all", "[registry_tree]") {
  registry_tree tree;
  tree.set_value(L"P", L"z", make_dword(1));
  tree.set_value(L"P", L"a", make_dword(2));
  tree.set_value(L"P", L"m", make_dword(3));
  tree.set_value(L"P", L"a", make_dword(4));  // replaced in place
  auto values = tree.values(L"P");
  REQUIRE(values.size() == 3);
  CHECK(values[0].first == L"z");
  CHECK(values[1].first == L"a");
  CHECK(as_dword(values[1].second) == 4u);
  CHECK(values[2].first == L"m");

  tree.replace_values(L"P", {{L"x", make_dword(1)}, {L"y", make_dword(2)}, {L"X", make_dword(3)}});
  values = tree.values(L"P");
  REQUIRE(values.size() == 2);
  CHECK(values[0].first == L"x");
  CHECK(as_dword(values[0].second) == 3u);  // the later duplicate wins, in place
  CHECK(values[1].first == L"y");

  tree.replace_values(L"New\\Key", {});
  CHECK(tree.key_exists(L"New\\Key"));
}

TEST_CASE("host delete_value", "[registry_tree]") {
  registry_tree tree;
  tree.set_value(L"P", L"a", make_dword(1));
  CHECK(tree.delete_value(L"P", L"A"));
  CHECK_FALSE(tree.delete_value(L"P", L"a"));
  CHECK_FALSE(tree.delete_value(L"Missing", L"a"));
  CHECK(tree.values(L"P").empty());
}
