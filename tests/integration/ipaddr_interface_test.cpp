// IP Address with Interface set: the address becomes real. Each run puts resrcmon --standalone
// in a network namespace of its own (`unshare --net --map-root-user`: root there, nobody's
// network touched), adds the address to that namespace's loopback interface and watches it
// with `ip` from inside the namespace. Skipped where user namespaces or iproute2 are missing.

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <wolfpack/common/platform/child_process.hpp>

#include "lab_journal_check.hpp"
#include "monitor_fixture.hpp"

using namespace wolfpack::testing;
using nlohmann::json;
namespace fs = std::filesystem;
namespace platform = wolfpack::platform;

namespace {

// Runs the harness in the namespace; the shell script around it waits (with a deadline) for the
// address to show, records what `ip` sees while online and after the run, and removes the
// address in the middle when asked (WP_REMOVE), or kills the monitor there and runs the
// resource once more (WP_KILL).
const char* const script = R"sh(
# A new namespace's loopback is down, without 127.0.0.1: up, as on any host.
ip link set lo up
# exec: run in the background, the function's subshell becomes the monitor, so that $! is its pid.
harness() {
  exec "$WP_RESRCMON" --standalone --plugin "$WP_PLUGIN" --type "IP Address" --name "Real IP" \
    --param "Address=$WP_ADDRESS" --param "SubnetMask=$WP_MASK" --param Network=lab \
    --param "Interface=$WP_INTERFACE" --hold "$1" --looks-alive-ms 100 --is-alive-ms 200
}
harness "$WP_HOLD" > "$WP_DIR/out" 2> "$WP_DIR/err" &
pid=$!
i=0
until ip -4 -o addr show dev lo | grep -q " $WP_ADDRESS/"; do
  i=$((i + 1))
  [ $i -gt 200 ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.05
done
ip -4 -o addr show dev lo > "$WP_DIR/seen-online"
[ "$WP_REMOVE" = 1 ] && ip addr del "$WP_ADDRESS/$WP_PREFIX" dev lo
if [ "$WP_KILL" = 1 ]; then
  kill -9 $pid
  wait $pid
  ip -4 -o addr show dev lo > "$WP_DIR/seen-killed"
  mv "$WP_DIR/out" "$WP_DIR/out-killed"
  harness 0.3 > "$WP_DIR/out" 2>> "$WP_DIR/err" &
  pid=$!
fi
wait $pid
echo $? > "$WP_DIR/exit"
ip -4 -o addr show dev lo > "$WP_DIR/seen-after"
)sh";

struct netns_run {
  harness_run harness;
  std::string monitor_exit;  // resrcmon --standalone's exit code, as the script saw it
  std::string seen_online;   // `ip -4 -o addr show dev lo` while the resource was online
  std::string seen_after;    // and after the run
  bool has_state(const std::string& state) const { return harness.has_state(state); }
  bool logged(const std::string& text) const { return has_log(harness.lines, text); }
  std::string describe() const {
    return "monitor exit: " + monitor_exit + "ip while online:\n" + seen_online + "ip after:\n" +
           seen_after + wolfpack::testing::describe(harness);
  }
};

bool run_quietly(const std::vector<std::string>& argv) {
  platform::spawn_options o;
  o.stdout_path = platform::null_device();
  o.stderr_path = platform::null_device();
  auto p = platform::child_process::spawn(argv[0], {argv.begin() + 1, argv.end()}, o);
  if (!p)
    return false;
  const auto st = p->wait_for(std::chrono::seconds(20));
  return st && st->success();
}

// Whether this machine can make the namespaces: user namespaces allowed, iproute2 there.
bool namespaces_available() {
  // Changing an interface, not only entering the namespace: some systems let an unprivileged
  // user namespace exist without the capabilities inside it.
  static const bool available =
      run_quietly({"unshare", "--net", "--map-root-user", "ip", "link", "set", "lo", "up"});
  return available;
}

netns_run run_in_namespace(const temp_dir& dir,
                           std::vector<std::pair<std::string, std::string>> vars) {
  vars.emplace_back("WP_RESRCMON", resrcmon_path().string());
  vars.emplace_back("WP_PLUGIN", plugin_path("wp_ipaddr").string());
  vars.emplace_back("WP_DIR", dir.path().string());
  platform::spawn_options o;
  o.env = std::move(vars);
  o.stdout_path = dir.path() / "script.out";
  o.stderr_path = dir.path() / "script.out";
  auto p = platform::child_process::spawn("unshare",
                                          {"--net", "--map-root-user", "/bin/sh", "-c", script}, o);
  REQUIRE(p);
  const auto st = p->wait_for(std::chrono::seconds(60));
  if (!st)
    p->kill();
  REQUIRE(st);
  netns_run run{harness_run{*st, {}, {}}, read_text(dir.path() / "exit"),
                read_text(dir.path() / "seen-online"), read_text(dir.path() / "seen-after")};
  std::ifstream out(dir.path() / "out");
  std::string line;
  while (std::getline(out, line)) {
    if (!line.empty())
      run.harness.lines.push_back(json::parse(line));
  }
  run.harness.stderr_text = read_text(dir.path() / "err") + read_text(dir.path() / "script.out");
  return run;
}

std::vector<std::pair<std::string, std::string>> address(const std::string& a,
                                                         const std::string& mask,
                                                         const std::string& prefix) {
  return {{"WP_ADDRESS", a}, {"WP_MASK", mask},  {"WP_PREFIX", prefix}, {"WP_INTERFACE", "lo"},
          {"WP_HOLD", "1"},  {"WP_REMOVE", "0"}, {"WP_KILL", "0"}};
}

void set(std::vector<std::pair<std::string, std::string>>& vars, const std::string& name,
         const std::string& value) {
  for (auto& [n, v] : vars) {
    if (n == name)
      v = value;
  }
}

bool skipped() {
  if (namespaces_available())
    return false;
  std::cout << "WOLFPACK-TEST-SKIPPED: `unshare --net --map-root-user` or iproute2's `ip` is not "
               "available here\n";
  return true;
}

}  // namespace

TEST_CASE("IP Address with Interface adds the address while online and removes it offline",
          "[lab][ipaddr][netns]") {
  if (skipped())
    return;
  temp_dir dir;
  lab_dir_scope scope(dir.path() / "lab");
  const auto run = run_in_namespace(dir, address("10.77.0.5", "255.255.255.0", "24"));
  INFO(run.describe());
  CHECK(run.monitor_exit == "0\n");
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("Offline"));
  CHECK_FALSE(run.has_state("Failed"));
  CHECK(run.seen_online.find(" 10.77.0.5/24 ") != std::string::npos);
  CHECK(run.seen_after.find("10.77.0.5") == std::string::npos);
  CHECK(run.logged("added 10.77.0.5/24 to interface lo"));
  CHECK(run.logged("removed 10.77.0.5 from interface lo"));
}

TEST_CASE("IP Address with Interface fails when its address is taken off the interface",
          "[lab][ipaddr][netns]") {
  if (skipped())
    return;
  temp_dir dir;
  lab_dir_scope scope(dir.path() / "lab");
  auto vars = address("10.77.0.6", "255.255.0.0", "16");
  set(vars, "WP_REMOVE", "1");
  set(vars, "WP_HOLD", "3");
  const auto run = run_in_namespace(dir, vars);
  INFO(run.describe());
  CHECK(run.seen_online.find(" 10.77.0.6/16 ") != std::string::npos);
  CHECK(run.monitor_exit == "1\n");  // the harness's exit code for a resource that failed
  CHECK(run.has_state("Failed"));
  CHECK(run.logged("property Interface: 10.77.0.6 is no longer on interface lo"));
}

TEST_CASE("IP Address with Interface refuses an address the node has and an unknown interface",
          "[lab][ipaddr][netns]") {
  if (skipped())
    return;
  {
    // The namespace's loopback has 127.0.0.1 already: someone else's address is not taken.
    temp_dir dir;
    lab_dir_scope scope(dir.path() / "lab");
    auto vars = address("127.0.0.1", "255.0.0.0", "8");
    set(vars, "WP_HOLD", "0.2");
    const auto run = run_in_namespace(dir, vars);
    INFO(run.describe());
    CHECK(run.has_state("Failed"));
    CHECK_FALSE(run.has_state("Online"));
    CHECK(run.logged("property Address: 127.0.0.1 is already on interface lo"));
    CHECK(run.seen_after.find(" 127.0.0.1/8 ") != std::string::npos);  // left alone
  }
  {
    temp_dir dir;
    lab_dir_scope scope(dir.path() / "lab");
    auto vars = address("10.77.0.7", "255.255.255.0", "24");
    set(vars, "WP_INTERFACE", "nosuch0");
    set(vars, "WP_HOLD", "0.2");
    const auto run = run_in_namespace(dir, vars);
    INFO(run.describe());
    CHECK(run.has_state("Failed"));
    CHECK(run.logged("property Interface: cannot add 10.77.0.7/24 to nosuch0"));
  }
}

TEST_CASE("IP Address with Interface removes the address a killed monitor left, at the next Online",
          "[lab][ipaddr][netns]") {
  if (skipped())
    return;
  temp_dir dir;
  lab_dir_scope scope(dir.path() / "lab");
  auto vars = address("10.77.0.8", "255.255.255.0", "24");
  set(vars, "WP_KILL", "1");
  set(vars, "WP_HOLD", "60");
  const auto run = run_in_namespace(dir, vars);
  INFO(run.describe());
  INFO("ip after the kill:\n" << read_text(dir.path() / "seen-killed"));
  // The kernel keeps the address of a monitor killed while online...
  CHECK(read_text(dir.path() / "seen-killed").find(" 10.77.0.8/24 ") != std::string::npos);
  // ...and the next monitor's Online removes it before it claims and adds it again.
  CHECK(run.logged("removed 10.77.0.8 from interface lo, left there by an earlier monitor"));
  CHECK(run.has_state("Online"));
  CHECK(run.has_state("Offline"));
  CHECK(run.monitor_exit == "0\n");
  CHECK(run.seen_after.find("10.77.0.8") == std::string::npos);
}
