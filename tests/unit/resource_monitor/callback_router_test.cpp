// The callback router also carries resutils' refusals (a plugin asking for its dependencies,
// say) to the monitor's sink, as type-level warnings, so that they reach the cluster log.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <wolfpack/resapi.h>

#include "callback_router.hpp"

using namespace wolfpack::monitor;

namespace {

struct recording_sink final : callback_sink {
  struct line {
    std::uint64_t token;
    int level;
    std::string message;
  };
  std::vector<line> lines;
  void on_status(std::uint64_t, const status_report&) override {}
  void on_log(std::uint64_t token, int level, std::string message) override {
    lines.push_back({token, level, std::move(message)});
  }
  void on_quorum_lost(std::uint64_t) override {}
  void on_stale_handle(const char*, std::uintptr_t) override {}
};

}  // namespace

TEST_CASE("A refused ResUtil call is logged through the attached sink as a type-level warning") {
  recording_sink sink;
  callback_router::instance().attach(&sink);
  HRESOURCE name = nullptr, ip = nullptr, quorum = nullptr;
  CHECK(ResUtilGetCoreClusterResources(nullptr, &name, &ip, &quorum) == ERROR_NOT_SUPPORTED);
  callback_router::instance().attach(nullptr);
  // Detached: the next refusal goes to stderr, not to the old sink.
  CHECK(ResUtilGetClusterRoleState(nullptr, ClusterRoleFileServer) == ClusterRoleUnknown);
  REQUIRE(sink.lines.size() == 1);
  CHECK(sink.lines[0].token == 0);
  CHECK(sink.lines[0].level == LOG_WARNING);
  CHECK(sink.lines[0].message.find("ResUtilGetCoreClusterResources") == 0);
}
