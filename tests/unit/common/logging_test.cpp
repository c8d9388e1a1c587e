#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#ifdef _WIN32
#include <process.h>  // _getpid: the test checks the platform layer against the C runtime
#define wp_test_getpid _getpid
#else
#include <unistd.h>
#define wp_test_getpid getpid
#endif

#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "temp_dir.hpp"
#include "wolfpack/common/logging.hpp"

using nlohmann::json;
using wolfpack::test::temp_dir;

namespace {

std::vector<json> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<json> lines;
  std::string line;
  while (std::getline(in, line)) {
    INFO(line);
    // Every line must be one complete JSON object.
    json parsed;
    REQUIRE_NOTHROW(parsed = json::parse(line));
    REQUIRE(parsed.is_object());
    lines.push_back(std::move(parsed));
  }
  return lines;
}

// Puts logging back on stderr so later tests do not write into a removed directory.
struct restore_logging {
  ~restore_logging() { wolfpack::init_logging({.process = "common_tests"}); }
};

}  // namespace

TEST_CASE("log lines are JSON objects with the standard fields", "[logging]") {
  temp_dir dir;
  restore_logging restore;
  const auto path = dir / "logs" / "resrcmon.log";  // the directory is created
  REQUIRE(wolfpack::init_logging({.process = "resrcmon",
                                  .node = "node1",
                                  .file_path = path.string(),
                                  .level = wolfpack::log_level::info})
              .ok());

  wolfpack::log::info("monitor", {{"resource", "R1"}, {"type", "Dummy"}}, "online in {} ms", 12);
  wolfpack::log::debug("monitor", "filtered out at info level {}", 1);
  wolfpack::log::warn("channel",
                      "text with \"quotes\", a \\ backslash,\nnewline and \u00e9 \u2603");
  wolfpack::log::error("monitor", {{"msg", "collides"}, {"group", "G1"}}, "bad {}", "thing");
  wolfpack::log::write_line(wolfpack::log_level::critical, "runtime", {{"node_object", "n2"}},
                            "raw {} not formatted");
  spdlog::info("straight through spdlog {}", 7);
  wolfpack::log::info("bytes", "invalid utf-8: {}", std::string("\xff\xfe"));
  wolfpack::flush_logging();

  const auto lines = read_lines(path);
  REQUIRE(lines.size() == 6);
  const std::regex iso(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)");
  for (const auto& line : lines) {
    INFO(line.dump());
    CHECK(std::regex_match(line["ts"].get<std::string>(), iso));
    CHECK(line["process"] == "resrcmon");
    CHECK(line["node"] == "node1");
    CHECK(line["pid"] == static_cast<int>(::wp_test_getpid()));
    CHECK(line.contains("component"));
    CHECK(line.contains("msg"));
  }

  CHECK(lines[0]["level"] == "info");
  CHECK(lines[0]["component"] == "monitor");
  CHECK(lines[0]["msg"] == "online in 12 ms");
  CHECK(lines[0]["resource"] == "R1");
  CHECK(lines[0]["type"] == "Dummy");

  CHECK(lines[1]["level"] == "warn");
  CHECK(lines[1]["component"] == "channel");
  CHECK(lines[1]["msg"] == "text with \"quotes\", a \\ backslash,\nnewline and \u00e9 \u2603");

  CHECK(lines[2]["level"] == "error");
  CHECK(lines[2]["msg"] == "bad thing");
  CHECK(lines[2]["field_msg"] == "collides");
  CHECK(lines[2]["group"] == "G1");

  CHECK(lines[3]["level"] == "critical");
  CHECK(lines[3]["component"] == "runtime");
  CHECK(lines[3]["msg"] == "raw {} not formatted");
  CHECK(lines[3]["node_object"] == "n2");

  CHECK(lines[4]["level"] == "info");
  CHECK(lines[4]["component"] == "resrcmon");
  CHECK(lines[4]["msg"] == "straight through spdlog 7");

  CHECK(lines[5]["msg"] == "invalid utf-8: \xef\xbf\xbd\xef\xbf\xbd");
}

TEST_CASE("logging from many threads keeps every line whole", "[logging]") {
  temp_dir dir;
  restore_logging restore;
  const auto path = dir / "threads.log";
  REQUIRE(wolfpack::init_logging({.process = "clussvc", .file_path = path.string()}).ok());
  static constexpr int threads = 4;
  static constexpr int per_thread = 200;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([t] {
      const auto id = std::to_string(t);
      for (int i = 0; i < per_thread; ++i) {
        wolfpack::log::info("worker", {{"thread", id}}, "line {} of {}", i, per_thread);
      }
    });
  }
  for (auto& w : workers)
    w.join();
  wolfpack::flush_logging();
  const auto lines = read_lines(path);
  CHECK(lines.size() == threads * per_thread);
  CHECK(lines.front()["node"] == "");
}

TEST_CASE("log levels filter and parse", "[logging]") {
  temp_dir dir;
  restore_logging restore;
  const auto path = dir / "levels.log";
  REQUIRE(wolfpack::init_logging(
              {.process = "p", .file_path = path.string(), .level = wolfpack::log_level::trace})
              .ok());
  wolfpack::log::trace("c", "one");
  wolfpack::set_log_level(wolfpack::log_level::error);
  CHECK(wolfpack::current_log_level() == wolfpack::log_level::error);
  wolfpack::log::warn("c", "dropped");
  wolfpack::log::error("c", "two");
  wolfpack::set_log_level(wolfpack::log_level::off);
  wolfpack::log::critical("c", "dropped");
  wolfpack::flush_logging();
  const auto lines = read_lines(path);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["level"] == "trace");
  CHECK(lines[1]["level"] == "error");

  CHECK(wolfpack::parse_log_level("debug") == wolfpack::log_level::debug);
  CHECK(wolfpack::parse_log_level("warning") == wolfpack::log_level::warn);
  CHECK_FALSE(wolfpack::parse_log_level("loud"));
}

TEST_CASE("init_logging reports a file it cannot open", "[logging]") {
  temp_dir dir;
  restore_logging restore;
  { std::ofstream(dir / "file") << "x"; }
  // A path under a regular file can never be created.
  auto status = wolfpack::init_logging(
      {.process = "p", .file_path = (dir / "file" / "sub" / "x.log").string()});
  REQUIRE_FALSE(status.ok());
  CHECK_THAT(status.error(), Catch::StartsWith("cannot open log file"));
}

TEST_CASE("without flush_every_line, warnings reach the file at once and the rest on a flush",
          "[logging]") {
  temp_dir dir;
  restore_logging restore;
  const auto path = dir / "clussvc.log";
  REQUIRE(wolfpack::init_logging({.process = "clussvc",
                                  .file_path = path.string(),
                                  .level = wolfpack::log_level::info,
                                  .flush_every_line = false})
              .ok());
  wolfpack::log::info("event", "held back until a flush");
  CHECK(read_lines(path).empty());
  wolfpack::log::warn("membership", "flushed with what came before it");
  auto lines = read_lines(path);
  REQUIRE(lines.size() == 2);
  CHECK(lines[1]["level"] == "warn");
  wolfpack::log::info("event", "after the warning");
  CHECK(read_lines(path).size() == 2);
  wolfpack::flush_logging();
  lines = read_lines(path);
  REQUIRE(lines.size() == 3);
  CHECK(lines[2]["msg"] == "after the warning");
}
