// check-plugin output: a table for people, JSON for scripts.

#include <cstdio>

#include "wolfpack/tool/check_plugin.hpp"

namespace wolfpack::tool {

namespace {

const char* verdict_name(check_verdict v) {
  switch (v) {
    case check_verdict::pass:
      return "pass";
    case check_verdict::fail:
      return "fail";
    case check_verdict::skip:
      return "skip";
  }
  return "fail";
}

}  // namespace

void print_text(const check_report& report, std::ostream& out) {
  out << "check-plugin " << report.plugin << " (type \"" << report.type << "\")\n";
  std::size_t width = 0;
  for (const auto& r : report.results)
    width = std::max(width, r.name.size());
  int passed = 0, failed = 0, skipped = 0;
  for (const auto& r : report.results) {
    const char* tag = r.verdict == check_verdict::pass   ? "PASS"
                      : r.verdict == check_verdict::skip ? "SKIP"
                                                         : "FAIL";
    (r.verdict == check_verdict::pass   ? passed
     : r.verdict == check_verdict::skip ? skipped
                                        : failed)++;
    out << "  " << tag << "  " << r.name << std::string(width - r.name.size() + 2, ' ') << r.reason
        << "\n";
  }
  out << report.results.size() << " checks: " << passed << " passed, " << failed << " failed, "
      << skipped << " skipped\n";
}

nlohmann::json to_json(const check_report& report) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& r : report.results) {
    nlohmann::json c = {
        {"name", r.name}, {"result", verdict_name(r.verdict)}, {"reason", r.reason}};
    if (r.elapsed_ms)
      c["elapsed_ms"] = *r.elapsed_ms;
    checks.push_back(std::move(c));
  }
  return {{"plugin", report.plugin},
          {"resource_type", report.type},
          {"passed", report.passed()},
          {"checks", std::move(checks)}};
}

}  // namespace wolfpack::tool
