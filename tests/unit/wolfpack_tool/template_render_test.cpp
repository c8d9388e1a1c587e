#include <catch2/catch.hpp>

#include "wolfpack/tool/templates.hpp"

using namespace wolfpack::tool;

TEST_CASE("render_template replaces every variable") {
  auto r = render_template("a {{X}} b {{Y}}{{X}}\n", {{"X", "1"}, {"Y", "two"}});
  REQUIRE(r);
  CHECK(*r == "a 1 b two1\n");
  CHECK(*render_template("no variables", {}) == "no variables");
}

TEST_CASE("render_template refuses unknown variables and unclosed braces, naming the line") {
  auto unknown = render_template("ok\n{{NOPE}}", {{"X", "1"}});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error() == "line 2: unknown template variable 'NOPE'");
  auto unclosed = render_template("{{X", {{"X", "1"}});
  REQUIRE_FALSE(unclosed);
  CHECK(unclosed.error().find("without '}}'") != std::string::npos);
}

TEST_CASE("the templates are embedded at build time") {
  for (const char* path : {"common/CMakeLists.txt.in", "common/tests_CMakeLists.txt.in",
                           "common/README.md.in", "c/resource.c.in", "cpp/resource.cpp.in"}) {
    INFO(path);
    auto t = find_template(path);
    REQUIRE(t);
    CHECK(t->size() > 100);
  }
  CHECK_FALSE(find_template("nope.in"));
}
