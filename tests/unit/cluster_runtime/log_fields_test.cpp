// Log lines with fields known only at run time (the core's out_log).

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../common/temp_dir.hpp"
#include "wolfpack/cluster_runtime/log_fields.hpp"
#include "wolfpack/common/logging.hpp"

namespace {

std::vector<nlohmann::json> read_lines(const std::filesystem::path& p) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

}  // namespace

TEST_CASE("run-time fields become fields of the line, the excess goes to the message",
          "[log_fields]") {
  wolfpack::test::temp_dir dir;
  const auto file = dir / "clussvc.log";
  REQUIRE(
      wolfpack::init_logging({"clussvc", "node1", file.string(), wolfpack::log_level::info, true}));

  wolfpack::runtime::write_log_line(wolfpack::log_level::warn, "rm", "resource failed",
                                    {{"resource", "R1"}, {"node", "n"}});
  wolfpack::runtime::write_log_line(wolfpack::log_level::info, "rm", "no fields", {});
  wolfpack::runtime::write_log_line(wolfpack::log_level::debug, "rm", "filtered out", {});
  std::map<std::string, std::string> many;
  for (int i = 0; i < 20; ++i) {
    many[std::string("k") + static_cast<char>('a' + i)] = std::to_string(i);
  }
  wolfpack::runtime::write_log_line(wolfpack::log_level::error, "rm", "many", many);
  wolfpack::flush_logging();

  const auto lines = read_lines(file);
  // Back to stderr for the other tests in this process.
  REQUIRE(wolfpack::init_logging({"tests", "", "", wolfpack::log_level::info, true}));

  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["level"] == "warn");
  CHECK(lines[0]["component"] == "rm");
  CHECK(lines[0]["msg"] == "resource failed");
  CHECK(lines[0]["resource"] == "R1");
  CHECK(lines[0]["field_node"] == "n");  // "node" is a standard field
  CHECK(lines[0]["node"] == "node1");
  CHECK(lines[1]["msg"] == "no fields");
  CHECK(lines[2]["level"] == "error");
  CHECK(lines[2]["ka"] == "0");
  CHECK(lines[2]["kp"] == "15");
  CHECK_FALSE(lines[2].contains("kq"));
  CHECK(lines[2]["msg"] == "many kq=16 kr=17 ks=18 kt=19");
}
