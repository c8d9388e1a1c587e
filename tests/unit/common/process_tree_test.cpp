// /proc parsing and the process tree of a node, on real processes: a session leader (as a
// lab clussvc is) with a child and a grandchild.

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "wolfpack/common/platform/process_tree.hpp"

using namespace wolfpack::platform;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

template <typename F>
bool eventually(F done, std::chrono::milliseconds limit = 5s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end)
      return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Kills the session a test started, whatever the test's outcome.
struct session_guard {
  int leader = 0;
  ~session_guard() {
    if (leader <= 0)
      return;
    const auto tree = process_tree(leader);
    signal_tree(leader, tree, tree_signal::kill);
    eventually([&] {
      return std::none_of(tree.begin(), tree.end(),
                          [](const proc_stat& s) { return still_running(s); });
    });
  }
};

}  // namespace

TEST_CASE("parse_proc_stat counts fields from the last ')', whatever the name holds") {
  const std::string line =
      "4242 (we ird) (name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 "
      "1000 100 18446744073709551615\n";
  auto p = parse_proc_stat(line);
  REQUIRE(p);
  CHECK(p->pid == 4242);
  CHECK(p->state == 'S');
  CHECK(p->ppid == 1);
  CHECK(p->pgid == 4242);
  CHECK(p->sid == 4242);
  CHECK(p->start_ticks == 987654);
  CHECK_FALSE(p->stopped());
  CHECK(parse_proc_stat("7 (x) T 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 0 0 1 0 5 0")->stopped());
  CHECK(parse_proc_stat("7 (x) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 0 0 1 0 5 0")->zombie());
  CHECK_FALSE(parse_proc_stat("7 (x) S 1 7"));
  CHECK_FALSE(parse_proc_stat("garbage"));
}

TEST_CASE("this process reads as running, with its own command line") {
  auto me = read_proc_stat(::getpid());
  REQUIRE(me);
  CHECK(me->pid == ::getpid());
  CHECK(still_running(*me));
  CHECK(pid_running(::getpid()));
  CHECK_FALSE(pid_running(0));
}

TEST_CASE("a session's tree: the leader, its descendants, freeze, thaw and kill") {
  std::random_device rd;
  const fs::path dir = fs::temp_directory_path() / ("wolfpack-proc-test-" + std::to_string(rd()));
  fs::create_directories(dir);
  const fs::path out = dir / "out";
  // The shell leads a new session, starts a child shell which starts a sleep, and writes the
  // grandchild's pid once it runs: the test waits on that file, not on time.
  auto leader = spawn_in_session(
      "/bin/sh",
      {"-c", "sh -c 'sleep 300 & echo $! > " + (dir / "grandchild").string() + "; wait' & wait",
       "marker-arg", "second"},
      out);
  REQUIRE(leader);
  const int pid = *leader;
  session_guard guard{pid};
  REQUIRE(eventually([&] { return !slurp(dir / "grandchild").empty(); }));
  const int grandchild = std::stoi(slurp(dir / "grandchild"));

  auto self = read_proc_stat(pid);
  REQUIRE(self);
  CHECK(self->sid == pid);  // its own session
  CHECK(self->pgid == pid);
  CHECK(command_line_has(pid, {"marker-arg", "second"}));
  CHECK_FALSE(command_line_has(pid, {"second", "marker-arg"}));

  auto tree = process_tree(pid);
  auto has = [&](int p) {
    return std::any_of(tree.begin(), tree.end(), [&](const proc_stat& s) { return s.pid == p; });
  };
  CHECK(tree.size() >= 3);  // sh, sh, sleep
  CHECK(has(pid));
  CHECK(has(grandchild));

  signal_tree(pid, tree, tree_signal::freeze);
  CHECK(eventually([&] {
    auto t = process_tree(pid);
    return std::all_of(t.begin(), t.end(), [](const proc_stat& s) {
      auto now = read_proc_stat(s.pid);
      return now && now->stopped();
    });
  }));
  signal_tree(pid, tree, tree_signal::thaw);
  CHECK(eventually([&] {
    auto now = read_proc_stat(grandchild);
    return now && !now->stopped();
  }));

  signal_tree(pid, tree, tree_signal::kill);
  CHECK(eventually([&] {
    return std::none_of(tree.begin(), tree.end(),
                        [](const proc_stat& s) { return still_running(s); });
  }));
  // We were the leader's parent, so we know how it ended.
  CHECK(child_exit(pid).value_or("").find("signal 9") != std::string::npos);
  CHECK(process_tree(pid).empty());
  fs::remove_all(dir);
}

TEST_CASE("spawn_in_session says what it could not start") {
  auto r = spawn_in_session("/nonexistent/clussvc", {}, "/dev/null");
  REQUIRE_FALSE(r);
  CHECK(r.error().find("/nonexistent/clussvc") != std::string::npos);
}
