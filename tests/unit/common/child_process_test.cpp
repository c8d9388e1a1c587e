#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "temp_dir.hpp"
#include "wolfpack/common/platform/child_process.hpp"
#include "wolfpack/common/platform/process_tree.hpp"

using namespace std::chrono_literals;
using wolfpack::platform::child_process;
using wolfpack::platform::exit_status;
using wolfpack::platform::spawn_options;
using wolfpack::test::temp_dir;

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("child_process reports the exit code", "[child_process]") {
  auto child = child_process::spawn("/bin/sh", {"-c", "exit 3"});
  REQUIRE(child.ok());
  CHECK(child->pid() > 0);
  auto status = child->wait_for(10s);
  REQUIRE(status);
  CHECK(*status == exit_status::exited_with(3));
  CHECK(status->to_string() == "exited with code 3");
  CHECK_FALSE(child->is_running());
  CHECK(child->status() == status);
}

TEST_CASE("child_process finds a bare name in PATH", "[child_process]") {
  auto child = child_process::spawn("sh", {"-c", "exit 0"});
  REQUIRE(child.ok());
  auto status = child->wait_for(10s);
  REQUIRE(status);
  CHECK(status->success());
}

TEST_CASE("child_process reports death by signal", "[child_process]") {
  auto child = child_process::spawn("/bin/sh", {"-c", "kill -SEGV $$"});
  REQUIRE(child.ok());
  auto status = child->wait_for(10s);
  REQUIRE(status);
  CHECK(status->signaled());
  CHECK(status->code == SIGSEGV);
  CHECK(status->to_string() == "killed by signal 11 (SIGSEGV)");
}

TEST_CASE("child_process terminate and kill", "[child_process]") {
  SECTION("terminate sends SIGTERM") {
    auto child = child_process::spawn("/bin/sleep", {"30"});
    REQUIRE(child.ok());
    CHECK(child->is_running());
    CHECK_FALSE(child->wait_for(10ms));
    child->terminate();
    auto status = child->wait_for(10s);
    REQUIRE(status);
    CHECK(*status == exit_status::killed_by(SIGTERM));
    CHECK(status->to_string() == "killed by signal 15 (SIGTERM)");
  }
  SECTION("kill sends SIGKILL") {
    auto child = child_process::spawn("/bin/sleep", {"30"});
    REQUIRE(child.ok());
    child->kill();
    auto status = child->wait_for(10s);
    REQUIRE(status);
    CHECK(*status == exit_status::killed_by(SIGKILL));
    // Once reaped, further signals are no-ops (the pid may belong to someone else now).
    child->kill();
    child->terminate();
  }
}

TEST_CASE("child_process is killed and reaped on destruction unless detached", "[child_process]") {
  int pid = -1;
  {
    auto child = child_process::spawn("/bin/sleep", {"30"});
    REQUIRE(child.ok());
    pid = child->pid();
    REQUIRE(::kill(pid, 0) == 0);
  }
  // Reaped, so the pid no longer exists (not even as a zombie).
  CHECK(::kill(pid, 0) == -1);
  CHECK(errno == ESRCH);

  int detached_pid = -1;
  {
    auto child = child_process::spawn("/bin/sleep", {"30"});
    REQUIRE(child.ok());
    detached_pid = child->pid();
    child->detach();
  }
  CHECK(::kill(detached_pid, 0) == 0);
  ::kill(detached_pid, SIGKILL);
  int raw = 0;
  CHECK(::waitpid(detached_pid, &raw, 0) == detached_pid);
}

TEST_CASE("child_process passes env, working dir and appends output", "[child_process]") {
  temp_dir dir;
  spawn_options options;
  options.env = {{"WP_TEST_VALUE", "hello world"}, {"HOME", "/overridden"}};
  options.working_dir = dir.path();
  options.stdout_path = dir / "out.log";
  options.stderr_path = dir / "err.log";
  for (int run = 0; run < 2; ++run) {
    auto child = child_process::spawn(
        "/bin/sh", {"-c", "echo \"$WP_TEST_VALUE $HOME\"; pwd; echo oops >&2"}, options);
    REQUIRE(child.ok());
    auto status = child->wait_for(10s);
    REQUIRE(status);
    REQUIRE(status->success());
  }
  const auto cwd = std::filesystem::canonical(dir.path()).string();
  const auto once = "hello world /overridden\n" + cwd + "\n";
  CHECK(read_file(dir / "out.log") == once + once);
  CHECK(read_file(dir / "err.log") == "oops\noops\n");
}

TEST_CASE("child_process gives stdin from /dev/null and a new process group on request",
          "[child_process]") {
  temp_dir dir;
  spawn_options options;
  options.stdout_path = dir / "out.log";
  options.new_process_group = true;
  auto child = child_process::spawn("/bin/sh", {"-c", "cat; echo done"}, options);
  REQUIRE(child.ok());
  auto status = child->wait_for(10s);
  REQUIRE(status);
  CHECK(status->success());
  CHECK(read_file(dir / "out.log") == "done\n");

  auto leader = child_process::spawn("/bin/sleep", {"30"}, options);
  REQUIRE(leader.ok());
  CHECK(::getpgid(leader->pid()) == leader->pid());
  leader->terminate();
  auto ended = leader->wait_for(10s);
  REQUIRE(ended);
  CHECK(*ended == exit_status::killed_by(SIGTERM));
}

TEST_CASE("child_process starts a new session that leads its own group", "[child_process]") {
  spawn_options options;
  options.new_session = true;
  auto leader = child_process::spawn("/bin/sleep", {"30"}, options);
  REQUIRE(leader.ok());
  CHECK(::getsid(leader->pid()) == leader->pid());
  CHECK(::getpgid(leader->pid()) == leader->pid());
  CHECK(::getsid(leader->pid()) != ::getsid(0));
  // The whole group is signalled, as for new_process_group.
  leader->terminate();
  auto ended = leader->wait_for(10s);
  REQUIRE(ended);
  CHECK(*ended == exit_status::killed_by(SIGTERM));
}

#ifdef __linux__
TEST_CASE("child_process does not leak descriptors", "[child_process]") {
  temp_dir dir;
  // Opened without O_CLOEXEC on purpose: a careless library could do this.
  const int fd = ::open((dir / "leak").c_str(), O_CREAT | O_WRONLY, 0644);
  REQUIRE(fd >= 3);
  spawn_options options;
  options.stdout_path = dir / "out.log";
  const auto script =
      "if [ -e /proc/self/fd/" + std::to_string(fd) + " ]; then echo open; else echo closed; fi";
  auto child = child_process::spawn("/bin/sh", {"-c", script}, options);
  ::close(fd);
  REQUIRE(child.ok());
  REQUIRE(child->wait_for(10s));
  CHECK(read_file(dir / "out.log") == "closed\n");
}
#endif

TEST_CASE("child_process spawn errors name the problem", "[child_process]") {
  temp_dir dir;
  auto missing = child_process::spawn(dir / "no-such-binary", {});
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error(),
             Catch::Contains("no-such-binary") && Catch::Contains("No such file or directory"));

  { std::ofstream(dir / "script") << "#!/bin/sh\n"; }
  auto not_executable = child_process::spawn(dir / "script", {});
  REQUIRE_FALSE(not_executable.ok());
  CHECK_THAT(not_executable.error(), Catch::Contains("not executable"));

  auto directory = child_process::spawn(dir.path(), {});
  REQUIRE_FALSE(directory.ok());
  CHECK_THAT(directory.error(), Catch::Contains("not a regular file"));

  spawn_options bad_dir;
  bad_dir.working_dir = dir / "nowhere";
  auto wd = child_process::spawn("/bin/true", {}, bad_dir);
  REQUIRE_FALSE(wd.ok());
  CHECK_THAT(wd.error(), Catch::Contains("is not a directory"));

  spawn_options bad_out;
  bad_out.stdout_path = dir / "no" / "dir" / "out.log";
  auto out = child_process::spawn("/bin/true", {}, bad_out);
  REQUIRE_FALSE(out.ok());
  CHECK_THAT(out.error(), Catch::Contains("cannot open stdout file"));

  auto not_in_path = child_process::spawn("wolfpack-no-such-program", {});
  REQUIRE_FALSE(not_in_path.ok());
}

TEST_CASE("child_process spawn errors say why as a portable condition", "[child_process]") {
  temp_dir dir;
  std::error_code why;
  CHECK_FALSE(child_process::spawn(dir / "no-such-binary", {}, {}, why).ok());
  CHECK(why == std::errc::no_such_file_or_directory);
  CHECK_FALSE(child_process::spawn("wolfpack-no-such-program", {}, {}, why).ok());
  CHECK(why == std::errc::no_such_file_or_directory);

  { std::ofstream(dir / "script") << "#!/bin/sh\n"; }
  CHECK_FALSE(child_process::spawn(dir / "script", {}, {}, why).ok());
  CHECK(why == std::errc::permission_denied);
  CHECK_FALSE(child_process::spawn(dir.path(), {}, {}, why).ok());
  CHECK(why == std::errc::permission_denied);

  spawn_options bad_dir;
  bad_dir.working_dir = dir / "nowhere";
  CHECK_FALSE(child_process::spawn("/bin/true", {}, bad_dir, why).ok());
  CHECK(why == std::errc::not_a_directory);

  spawn_options bad_out;
  bad_out.stdout_path = dir / "no" / "dir" / "out.log";
  CHECK_FALSE(child_process::spawn("/bin/true", {}, bad_out, why).ok());
  CHECK(why == std::errc::no_such_file_or_directory);

  spawn_options discard;
  discard.stdout_path = wolfpack::platform::null_device();
  auto ok = child_process::spawn("/bin/true", {}, discard, why);
  REQUIRE(ok.ok());
  CHECK_FALSE(why);
  CHECK(ok->wait().success());
}

TEST_CASE("child_process kill reaches the group after its leader was reaped", "[child_process]") {
  // A script that leaves a background job in its group and exits, as a Generic Script's
  // "online" may: killing the group afterwards must still end the job.
  temp_dir dir;
  spawn_options options;
  options.new_process_group = true;
  const auto pid_file = dir / "job.pid";
  auto leader = child_process::spawn(
      "/bin/sh", {"-c", "sleep 60 & echo $! > '" + pid_file.string() + "'; exit 0"}, options);
  REQUIRE(leader.ok());
  REQUIRE(leader->wait_for(10s) == exit_status::exited_with(0));
  const int job = std::stoi(read_file(pid_file));
  REQUIRE(::getpgid(job) == leader->pid());

  leader->kill();
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {
    const auto stat = wolfpack::platform::read_proc_stat(job);  // not our child: nobody
    gone = !stat || stat->zombie();                             // may reap it soon
    if (!gone)
      std::this_thread::sleep_for(10ms);
  }
  CHECK(gone);
}

TEST_CASE("child_process moves", "[child_process]") {
  auto child = child_process::spawn("/bin/sleep", {"30"});
  REQUIRE(child.ok());
  child_process moved = std::move(child).value();
  CHECK(moved.valid());
  child_process target;
  CHECK_FALSE(target.valid());
  target = std::move(moved);
  CHECK_FALSE(moved.valid());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  CHECK(target.is_running());
  target.kill();
  CHECK(target.wait() == exit_status::killed_by(SIGKILL));
}
