// The monitor host against real resrcmon processes and the Dummy plugin. Each test runs the
// io_context in the test thread until a condition holds or a deadline passes; no sleeps.

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/endpoint_io.hpp"
#include "wolfpack/common/framed_channel.hpp"
#include "wolfpack/monitor_host/monitor_host.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using wolfpack::host::monitor_exit;
using wolfpack::host::monitor_host;
using wolfpack::host::monitor_host_options;

fs::path build_dir() {
  return fs::path(WP_BUILD_DIR);
}

class temp_dir {
 public:
  temp_dir() {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
      fs::path p = fs::temp_directory_path() / ("wp-host-" + std::to_string(rd() % 100000000));
      std::error_code ec;
      if (fs::create_directory(p, ec)) {
        path_ = p;
        return;
      }
    }
    throw std::runtime_error("cannot create a temporary directory");
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

bool process_gone(int pid) {
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

// A host on a private io_context, recording every callback.
struct host_fixture {
  explicit host_fixture(std::function<void(monitor_host_options&)> tweak = {}) {
    monitor_host_options o;
    o.resrcmon = build_dir() / "bin" / "resrcmon";
    o.run_dir = dir.path();
    o.node = "testnode";
    o.restart_backoff = 50ms;
    if (tweak) {
      tweak(o);
    }
    host = std::make_unique<monitor_host>(io, o);
    host->on_ready = [this](const std::string& id) { readies.push_back(id); };
    host->on_event = [this](const std::string& id, json e) {
      events.push_back({{"monitor", id}, {"event", std::move(e)}});
    };
    host->on_exit = [this](const monitor_exit& e) { exits.push_back(e); };
    auto started = host->start();
    if (!started) {
      throw std::runtime_error("start failed: " + started.error());
    }
  }

  // Runs the event loop until `done` holds or `timeout` passes; returns `done()`.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) {
        return false;
      }
      if (io.stopped()) {
        io.restart();
      }
      io.run_one_for(deadline - now);
    }
    return true;
  }
  // Runs the event loop for the whole of `period` (to see that something does NOT happen).
  void run_for(std::chrono::milliseconds period) {
    run_until([] { return false; }, period);
  }

  std::size_t ready_count(const std::string& id) const {
    return static_cast<std::size_t>(std::count(readies.begin(), readies.end(), id));
  }
  std::vector<monitor_exit> exits_of(const std::string& id) const {
    std::vector<monitor_exit> out;
    for (const auto& e : exits) {
      if (e.monitor_id == id) {
        out.push_back(e);
      }
    }
    return out;
  }
  std::optional<json> find_event(const std::string& id,
                                 const std::function<bool(const json&)>& pred) const {
    for (const auto& e : events) {
      if (e["monitor"] == id && pred(e["event"])) {
        return e["event"];
      }
    }
    return std::nullopt;
  }
  std::optional<json> wait_event(const std::string& id,
                                 const std::function<bool(const json&)>& pred,
                                 std::chrono::milliseconds timeout = 10s) {
    std::optional<json> found;
    run_until(
        [&] {
          found = find_event(id, pred);
          return found.has_value();
        },
        timeout);
    return found;
  }
  // Sends a command with a fresh id and waits for its response.
  json request(const std::string& id, json command) {
    const int request_id = next_id++;
    command["id"] = request_id;
    if (!host->send(id, command)) {
      throw std::runtime_error("send to " + id + " refused");
    }
    auto r = wait_event(id, [&](const json& e) {
      return e.value("type", "") == "response" && e.value("id", -1) == request_id;
    });
    if (!r) {
      throw std::runtime_error("no response to " + command.dump() + "\n" + logs(id));
    }
    return *r;
  }
  void open_dummy(const std::string& id, const std::string& resource, json parameters,
                  std::uint32_t deadlock_ms = 300000) {
    auto loaded = request(id, {{"type", "load_type"},
                               {"resource_type", "Dummy"},
                               {"plugin", (build_dir() / "plugins" / "wp_dummy.so").string()}});
    REQUIRE(loaded.value("ok", false));
    auto opened = request(id, {{"type", "open"},
                               {"resource", resource},
                               {"resource_type", "Dummy"},
                               {"parameters", std::move(parameters)},
                               {"timing",
                                {{"looks_alive_ms", 600000},
                                 {"is_alive_ms", 600000},
                                 {"pending_timeout_ms", 60000},
                                 {"deadlock_timeout_ms", deadlock_ms}}}});
    REQUIRE(opened.value("ok", false));
  }
  std::string logs(const std::string& id) const {
    std::ostringstream out;
    for (const char* ext : {".log", ".stderr"}) {
      std::ifstream f(dir.path() / "monitors" / (id + ext));
      out << "---- " << id << ext << "\n" << f.rdbuf() << "\n";
    }
    return out.str();
  }

  temp_dir dir;
  boost::asio::io_context io;
  std::unique_ptr<monitor_host> host;
  std::vector<std::string> readies;
  std::vector<json> events;
  std::vector<monitor_exit> exits;
  int next_id = 1;
};

// Stands in for resrcmon when a test must choose which frames the host reads and when: the
// host spawns a script that only sleeps (ignoring SIGTERM, so that the test alone decides when
// the process ends), and the test speaks for it on the host's socket with a hello naming the
// script's pid.
class scripted_monitor {
 public:
  scripted_monitor() {
    {
      std::ofstream script(executable());
      // The marker file tells the test that SIGTERM can no longer end it.
      script << "#!/bin/sh\ntrap '' TERM\n: > \"$0.$$\"\nexec sleep 60\n";
    }
    fs::permissions(executable(), fs::perms::owner_all);
  }
  fs::path executable() const { return bin_.path() / "scripted-monitor"; }
  bool ignores_sigterm(int pid) const {
    return fs::exists(bin_.path() / ("scripted-monitor." + std::to_string(pid)));
  }

  void connect(host_fixture& f) {
    auto sock = wolfpack::connect_to(f.io, f.host->listen_endpoint());
    if (!sock) {
      throw std::runtime_error("cannot connect: " + sock.error());
    }
    channel_ = wolfpack::framed_channel::create(std::move(sock).value(), "scripted monitor");
    channel_->start([this](json m) { received.push_back(std::move(m)); },
                    [](const std::string&) {});
  }
  void hello(host_fixture& f, const std::string& id) {
    send({{"type", "hello"},
          {"protocol", 1},
          {"pid", *f.host->pid(id)},
          {"monitor_id", id},
          {"node", "testnode"}});
  }
  void send(const json& frame) { channel_->send(frame); }
  bool received_type(const std::string& type) const {
    return std::any_of(received.begin(), received.end(),
                       [&](const json& m) { return m.value("type", "") == type; });
  }
  // The host then reads every frame sent before it sees the end of the stream: close() alone
  // would drop what is still queued.
  bool flush_and_close(host_fixture& f) {
    if (!f.run_until([&] { return channel_->queued_bytes() == 0; }, 5s)) {
      return false;
    }
    channel_->close();
    return true;
  }

  std::vector<json> received;  // what the host sent it

 private:
  temp_dir bin_;
  std::shared_ptr<wolfpack::framed_channel> channel_;
};

bool is_state(const json& e, const std::string& resource, const std::string& state) {
  return e.value("type", "") == "state" && e.value("resource", "") == resource &&
         e.value("state", "") == state;
}

}  // namespace

TEST_CASE("ensure starts a monitor that says hello and carries commands and events",
          "[monitor_host]") {
  host_fixture f;
  CHECK_FALSE(f.host->send("default", {{"type", "status"}}));
  f.host->ensure("default");
  REQUIRE(f.host->pid("default"));
  REQUIRE(f.run_until([&] { return f.ready_count("default") == 1; }));
  CHECK(f.host->ready("default"));
  CHECK(fs::exists(f.dir.path() / "monitors" / "default.log"));

  f.open_dummy("default", "R1", json::object());
  auto online = f.request("default", {{"type", "online"}, {"resource", "R1"}});
  CHECK(online.value("ok", false));
  INFO(f.logs("default"));
  CHECK(f.wait_event("default", [](const json& e) { return is_state(e, "R1", "Online"); }));
  // ensure() of a running monitor changes nothing.
  const int pid = *f.host->pid("default");
  f.host->ensure("default");
  CHECK(f.host->pid("default") == pid);
  CHECK(f.exits.empty());
}

TEST_CASE("a monitor killed with SIGKILL is reported and restarted with a new pid",
          "[monitor_host]") {
  host_fixture f;
  f.host->ensure("default");
  REQUIRE(f.run_until([&] { return f.host->ready("default"); }));
  const int first = *f.host->pid("default");
  REQUIRE(::kill(first, SIGKILL) == 0);

  REQUIRE(f.run_until([&] { return !f.exits.empty(); }));
  const auto& e = f.exits.front();
  CHECK(e.monitor_id == "default");
  CHECK(e.status.signaled());
  CHECK(e.status.code == SIGKILL);
  CHECK(e.reason.find("signal 9") != std::string::npos);
  CHECK(e.restarting);
  CHECK_FALSE(e.deadlock);
  CHECK(process_gone(first));
  CHECK_FALSE(f.host->send("default", {{"type", "status"}}));

  REQUIRE(f.run_until([&] { return f.ready_count("default") == 2; }));
  REQUIRE(f.host->pid("default"));
  CHECK(*f.host->pid("default") != first);
  // The new monitor works.
  CHECK(f.request("default", {{"type", "status"}}).value("ok", false));
}

TEST_CASE("a deadlocked monitor is reported with its deadlock event and restarted",
          "[monitor_host][deadlock]") {
  host_fixture f;
  f.host->ensure("default");
  REQUIRE(f.run_until([&] { return f.host->ready("default"); }));
  const int first = *f.host->pid("default");
  f.open_dummy("default", "stuck", {{"HangIn", "Online"}}, 1000);
  REQUIRE(f.host->send("default", {{"type", "online"}, {"resource", "stuck"}}));

  REQUIRE(f.run_until([&] { return !f.exits.empty(); }, 15s));
  const auto& e = f.exits.front();
  INFO(e.reason);
  CHECK(e.status == wolfpack::platform::exit_status::exited_with(3));
  CHECK(e.reason.find("deadlock") != std::string::npos);
  CHECK(e.reason.find("stuck") != std::string::npos);
  REQUIRE(e.deadlock);
  CHECK(e.deadlock->value("entry", "") == "Online");
  CHECK(e.deadlock->value("resource", "") == "stuck");
  CHECK(e.restarting);
  CHECK(process_gone(first));

  REQUIRE(f.run_until([&] { return f.ready_count("default") == 2; }));
  CHECK(*f.host->pid("default") != first);
}

TEST_CASE("stop ends a monitor gracefully and does not restart it", "[monitor_host]") {
  host_fixture f;
  f.host->ensure("default");
  REQUIRE(f.run_until([&] { return f.host->ready("default"); }));
  const int pid = *f.host->pid("default");
  f.open_dummy("default", "R1", json::object());

  f.host->stop("default");
  REQUIRE(f.run_until([&] { return !f.exits.empty(); }));
  CHECK(f.exits.front().status.success());
  CHECK(f.exits.front().reason.find("stopped") != std::string::npos);
  CHECK_FALSE(f.exits.front().restarting);
  CHECK(process_gone(pid));

  // Many restart backoffs later, still nothing.
  f.run_for(500ms);
  CHECK(f.ready_count("default") == 1);
  CHECK(f.exits.size() == 1);
  CHECK_FALSE(f.host->pid("default"));
  CHECK_FALSE(f.host->ready("default"));

  // ensure() brings it back.
  f.host->ensure("default");
  REQUIRE(f.run_until([&] { return f.ready_count("default") == 2; }));
}

TEST_CASE("restart ends a monitor gracefully and starts it again", "[monitor_host]") {
  // The core asks for it when the monitor sent a frame it could not read (out_restart_monitor).
  host_fixture f;
  f.host->ensure("default");
  REQUIRE(f.run_until([&] { return f.host->ready("default"); }));
  const int first = *f.host->pid("default");
  f.open_dummy("default", "R1", json::object());

  f.host->restart("default", "a frame it sent could not be read");
  // Nothing more goes to the process being restarted.
  CHECK_FALSE(f.host->send("default", {{"type", "status"}}));
  // A second request while it goes changes nothing.
  f.host->restart("default", "again");
  REQUIRE(f.run_until([&] { return !f.exits.empty(); }));
  const auto& e = f.exits.front();
  CHECK(e.status.success());
  CHECK(e.reason.find("restarted: a frame it sent could not be read") != std::string::npos);
  CHECK(e.restarting);
  CHECK(process_gone(first));

  REQUIRE(f.run_until([&] { return f.ready_count("default") == 2; }));
  CHECK(*f.host->pid("default") != first);
  CHECK(f.exits.size() == 1);
  CHECK(f.request("default", {{"type", "status"}}).value("ok", false));
}

TEST_CASE("two monitors run side by side and die independently", "[monitor_host]") {
  host_fixture f;
  f.host->ensure("default");
  f.host->ensure("sep-R1");
  REQUIRE(f.run_until([&] { return f.host->ready("default") && f.host->ready("sep-R1"); }));
  const int a = *f.host->pid("default");
  const int b = *f.host->pid("sep-R1");
  CHECK(a != b);
  CHECK(fs::exists(f.dir.path() / "monitors" / "sep-R1.log"));

  REQUIRE(::kill(b, SIGKILL) == 0);
  REQUIRE(f.run_until([&] { return f.ready_count("sep-R1") == 2; }));
  REQUIRE(f.exits.size() == 1);
  CHECK(f.exits.front().monitor_id == "sep-R1");
  CHECK(f.host->pid("default") == a);
  CHECK(f.host->ready("default"));
  CHECK(*f.host->pid("sep-R1") != b);
}

TEST_CASE("destroying the host leaves no monitor running", "[monitor_host]") {
  host_fixture f;
  f.host->ensure("default");
  f.host->ensure("sep-R1");
  REQUIRE(f.run_until([&] { return f.host->ready("default") && f.host->ready("sep-R1"); }));
  // A third one that has not said hello yet: the destructor must get it too.
  f.host->ensure("sep-R2");
  const std::vector<int> pids = {*f.host->pid("default"), *f.host->pid("sep-R1"),
                                 *f.host->pid("sep-R2")};
  f.host.reset();
  for (int pid : pids) {
    CHECK(process_gone(pid));
  }
  CHECK_FALSE(fs::exists(f.dir.path() / "monitors.sock"));
  // Handlers still queued on the io_context must not touch the dead host.
  f.run_for(200ms);
}

TEST_CASE("stop_all reports every monitor and restarts none", "[monitor_host]") {
  host_fixture f;
  f.host->ensure("default");
  f.host->ensure("sep-R1");
  REQUIRE(f.run_until([&] { return f.host->ready("default") && f.host->ready("sep-R1"); }));
  const int a = *f.host->pid("default");
  const int b = *f.host->pid("sep-R1");
  f.host->stop_all(5s);
  REQUIRE(f.exits.size() == 2);
  for (const auto& e : f.exits) {
    INFO(e.reason);
    CHECK(e.reason.find("stopped") != std::string::npos);
    CHECK_FALSE(e.restarting);
  }
  CHECK(process_gone(a));
  CHECK(process_gone(b));
  f.run_for(300ms);
  CHECK(f.exits.size() == 2);
  CHECK_FALSE(f.host->pid("default"));
  CHECK_FALSE(f.host->pid("sep-R1"));
}

TEST_CASE("a monitor that never says hello is killed and restarted", "[monitor_host]") {
  temp_dir bin;
  const fs::path fake = bin.path() / "silent-monitor";
  {
    std::ofstream script(fake);
    script << "#!/bin/sh\nexec sleep 60\n";
  }
  fs::permissions(fake, fs::perms::owner_all);
  host_fixture f([&](monitor_host_options& o) {
    o.resrcmon = fake;
    o.hello_timeout = 300ms;
  });
  f.host->ensure("default");
  const int first = *f.host->pid("default");
  REQUIRE(f.run_until([&] { return f.exits.size() == 1; }));
  CHECK(f.exits.front().reason.find("no hello within 300 ms") != std::string::npos);
  CHECK(f.exits.front().status.signaled());
  CHECK(f.exits.front().restarting);
  CHECK(process_gone(first));
  // Restarted (and killed again) with a growing backoff.
  REQUIRE(f.run_until([&] { return f.exits.size() == 2; }));
  CHECK(f.ready_count("default") == 0);
}

TEST_CASE("a connection with an unknown monitor id is closed", "[monitor_host]") {
  host_fixture f;
  f.host->ensure("default");
  REQUIRE(f.run_until([&] { return f.host->ready("default"); }));

  auto sock = wolfpack::connect_to(f.io, f.host->listen_endpoint());
  REQUIRE(sock);
  auto channel = wolfpack::framed_channel::create(std::move(sock).value(), "impostor");
  bool closed = false;
  channel->start([](json) {}, [&](const std::string&) { closed = true; });
  SECTION("unknown id") {
    channel->send({{"type", "hello"}, {"protocol", 1}, {"pid", 1}, {"monitor_id", "bogus"}});
  }
  SECTION("id already connected") {
    channel->send({{"type", "hello"},
                   {"protocol", 1},
                   {"pid", *f.host->pid("default")},
                   {"monitor_id", "default"}});
  }
  SECTION("no hello first") {
    channel->send({{"type", "status"}});
  }
  REQUIRE(f.run_until([&] { return closed; }));
  // The real monitor is unaffected.
  CHECK(f.host->ready("default"));
  CHECK(f.request("default", {{"type", "status"}}).value("ok", false));
  CHECK(f.exits.empty());
}

TEST_CASE("a monitor being restarted has only its deadlock frame read", "[monitor_host]") {
  scripted_monitor fake;
  host_fixture f([&](monitor_host_options& o) { o.resrcmon = fake.executable(); });
  f.host->ensure("default");
  const int pid = *f.host->pid("default");
  fake.connect(f);
  fake.hello(f, "default");
  REQUIRE(f.run_until([&] { return f.ready_count("default") == 1; }));
  // Shows that a frame the test sends does reach on_event while the monitor is trusted.
  fake.send({{"type", "state"}, {"resource", "R1"}, {"state", "Online"}});
  REQUIRE(f.wait_event("default", [](const json& e) { return is_state(e, "R1", "Online"); }));

  f.host->restart("default", "a frame it sent could not be read");
  CHECK_FALSE(f.host->ready("default"));
  REQUIRE(f.run_until([&] { return fake.received_type("shutdown"); }));
  fake.send({{"type", "state"}, {"resource", "R1"}, {"state", "Failed"}});
  // Sent last: its arrival in the exit report proves the state frame before it was read too.
  const json deadlock = {{"type", "deadlock"}, {"resource", "R1"},   {"resource_type", "Dummy"},
                         {"entry", "Offline"}, {"elapsed_ms", 1000}, {"deadlock_timeout_ms", 1000}};
  fake.send(deadlock);
  REQUIRE(fake.flush_and_close(f));
  REQUIRE(::kill(pid, SIGKILL) == 0);

  REQUIRE(f.run_until([&] { return f.exits.size() == 1; }));
  const auto& e = f.exits.front();
  INFO(e.reason);
  CHECK(e.reason.rfind("restarted: a frame it sent could not be read", 0) == 0);
  REQUIRE(e.deadlock);
  CHECK(*e.deadlock == deadlock);
  CHECK(f.events.size() == 1);
  CHECK_FALSE(f.find_event("default", [](const json& ev) { return is_state(ev, "R1", "Failed"); }));
  CHECK_FALSE(
      f.find_event("default", [](const json& ev) { return ev.value("type", "") == "deadlock"; }));
}

TEST_CASE("a hello after restart is told to shut down and not reported ready", "[monitor_host]") {
  // restart() before the hello sends SIGTERM, which the monitor may get before it installs
  // its handler; the scripted monitor ignores it, as such a monitor would not have ended.
  scripted_monitor fake;
  host_fixture f([&](monitor_host_options& o) { o.resrcmon = fake.executable(); });
  f.host->ensure("default");
  const int pid = *f.host->pid("default");
  REQUIRE(f.run_until([&] { return fake.ignores_sigterm(pid); }));
  f.host->restart("default", "a frame it sent could not be read");
  fake.connect(f);
  fake.hello(f, "default");
  REQUIRE(f.run_until([&] { return fake.received_type("shutdown") || !f.readies.empty(); }));
  CHECK(fake.received_type("shutdown"));
  CHECK(f.readies.empty());
  CHECK_FALSE(f.host->ready("default"));
  CHECK_FALSE(f.host->send("default", {{"type", "status"}}));

  REQUIRE(fake.flush_and_close(f));
  REQUIRE(::kill(pid, SIGKILL) == 0);
  REQUIRE(f.run_until([&] { return f.exits.size() == 1; }));
  INFO(f.exits.front().reason);
  CHECK(f.exits.front().reason.rfind("restarted: a frame it sent could not be read", 0) == 0);
  CHECK(f.exits.front().restarting);
  CHECK(f.readies.empty());
}

TEST_CASE("a deadlock during the shutdown restart asked for is named in the exit reason",
          "[monitor_host][deadlock]") {
  // Real resrcmon: shutdown closes every resource, and this one hangs in Close until the
  // monitor reports the deadlock and exits with code 3.
  host_fixture f;
  f.host->ensure("default");
  REQUIRE(f.run_until([&] { return f.host->ready("default"); }));
  f.open_dummy("default", "stuck", {{"HangIn", "Close"}}, 1000);

  f.host->restart("default", "a frame it sent could not be read");
  REQUIRE(f.run_until([&] { return !f.exits.empty(); }));
  const auto& e = f.exits.front();
  INFO(e.reason);
  CHECK(e.status == wolfpack::platform::exit_status::exited_with(3));
  CHECK(e.reason.rfind("restarted: a frame it sent could not be read (", 0) == 0);
  CHECK(e.reason.find("deadlock reported: Close of resource stuck did not return within 1000 ms") !=
        std::string::npos);
  REQUIRE(e.deadlock);
  CHECK(e.deadlock->value("entry", "") == "Close");
  CHECK(e.restarting);
}
