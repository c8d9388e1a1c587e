#include "monitor_fixture.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "integration_support.hpp"

namespace wolfpack::testing {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path build_dir() {
  return fs::path(WP_BUILD_DIR);
}
fs::path resrcmon_path() {
  return build_dir() / "bin" / "resrcmon";
}
fs::path plugin_path(const std::string& name) {
  return build_dir() / "plugins" / (name + ".so");
}
fs::path test_plugin_path(const std::string& name) {
  return build_dir() / "tests" / "plugins" / (name + ".so");
}

temp_dir::temp_dir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path p = fs::temp_directory_path() / ("wp-test-" + std::to_string(rd() % 100000000));
    std::error_code ec;
    if (fs::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

temp_dir::~temp_dir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

monitor_fixture::monitor_fixture(std::vector<std::string> extra_args, const std::string& node) {
  const fs::path sock = dir_.path() / "parent.sock";
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, sock.c_str(), sizeof(addr.sun_path) - 1);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 4) != 0) {
    throw std::runtime_error("cannot listen on " + sock.string());
  }
  std::vector<std::string> args = {"--connect",  "unix:" + sock.string(),
                                   "--log-file", (dir_.path() / "resrcmon.log").string(),
                                   "--node",     node};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  platform::spawn_options opts;
  opts.stderr_path = dir_.path() / "resrcmon.stderr";
  opts.stdout_path = dir_.path() / "resrcmon.stdout";
  auto p = platform::child_process::spawn(resrcmon_path(), args, opts);
  if (!p)
    throw std::runtime_error("cannot start resrcmon: " + p.error());
  process_ = std::move(p).value();
  pollfd pfd{listen_fd_, POLLIN, 0};
  if (::poll(&pfd, 1, 10000) != 1)
    throw std::runtime_error("resrcmon did not connect within 10 s:\n" + log_text());
  fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  auto hello = wait_for([](const json& e) { return e.value("type", "") == "hello"; });
  if (!hello)
    throw std::runtime_error("resrcmon sent no hello:\n" + log_text());
}

monitor_fixture::~monitor_fixture() {
  if (fd_ >= 0)
    ::close(fd_);
  if (listen_fd_ >= 0)
    ::close(listen_fd_);
  if (process_.valid() && process_.is_running()) {
    process_.kill();
    process_.wait_for(5s);
  }
}

void monitor_fixture::close_connection() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

std::int64_t monitor_fixture::send(json command) {
  const std::int64_t id = next_id_++;
  command["id"] = id;
  const std::string frame = encode_frame(command);
  std::size_t off = 0;
  while (off < frame.size()) {
    const ssize_t n = ::send(fd_, frame.data() + off, frame.size() - off, MSG_NOSIGNAL);
    if (n <= 0)
      throw std::runtime_error("send to resrcmon failed");
    off += static_cast<std::size_t>(n);
  }
  return id;
}

json monitor_fixture::request(json command, std::chrono::milliseconds timeout) {
  const auto id = send(std::move(command));
  auto r = wait_for(
      [id](const json& e) { return e.value("type", "") == "response" && e.value("id", -1) == id; },
      timeout);
  if (!r)
    throw std::runtime_error("no response to request " + std::to_string(id) + "\n" + log_text());
  return *r;
}

bool monitor_fixture::pump(std::chrono::steady_clock::time_point deadline) {
  if (fd_ < 0)
    return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0)
    return false;
  pollfd pfd{fd_, POLLIN, 0};
  if (::poll(&pfd, 1, static_cast<int>(left.count())) != 1)
    return false;
  char buf[65536];
  const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    ::close(fd_);
    fd_ = -1;
    return false;
  }
  auto r = decoder_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  for (auto& m : r.messages) {
    all_.push_back(m);
    unread_.push_back(std::move(m));
  }
  if (r.error)
    throw std::runtime_error("bad frame from resrcmon: " + r.error->message);
  return true;
}

std::optional<json> monitor_fixture::wait_for(const std::function<bool(const json&)>& pred,
                                              std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (auto it = unread_.begin(); it != unread_.end(); ++it) {
      if (pred(*it)) {
        json e = std::move(*it);
        unread_.erase(it);
        return e;
      }
    }
    if (!pump(deadline)) {
      if (std::chrono::steady_clock::now() >= deadline || fd_ < 0) {
        // One last look at what arrived before the connection closed.
        for (auto it = unread_.begin(); it != unread_.end(); ++it) {
          if (pred(*it)) {
            json e = std::move(*it);
            unread_.erase(it);
            return e;
          }
        }
        return std::nullopt;
      }
    }
  }
}

std::optional<json> monitor_fixture::wait_state(const std::string& resource,
                                                const std::string& state,
                                                std::chrono::milliseconds timeout) {
  return wait_for(
      [&](const json& e) {
        return e.value("type", "") == "state" && e.value("resource", "") == resource &&
               e.value("state", "") == state;
      },
      timeout);
}

void monitor_fixture::load_dummy() {
  auto r = request({{"type", "load_type"},
                    {"resource_type", "Dummy"},
                    {"plugin", plugin_path("wp_dummy").string()}});
  if (!r.value("ok", false))
    throw std::runtime_error("load_type Dummy failed: " + r.dump());
}

void monitor_fixture::open(const std::string& resource, json parameters, json timing,
                           const std::string& type) {
  auto r = request({{"type", "open"},
                    {"resource", resource},
                    {"resource_type", type},
                    {"parameters", std::move(parameters)},
                    {"timing", std::move(timing)}});
  if (!r.value("ok", false))
    throw std::runtime_error("open " + resource + " failed: " + r.dump());
}

json monitor_fixture::resource_control(const std::string& resource, std::uint32_t code,
                                       const std::vector<std::uint8_t>& in, std::uint32_t out_size,
                                       std::chrono::milliseconds timeout) {
  return request({{"type", "resource_control"},
                  {"resource", resource},
                  {"code", code},
                  {"in", to_hex(in)},
                  {"out_size", out_size}},
                 timeout);
}

json monitor_fixture::type_control(const std::string& type, std::uint32_t code,
                                   const std::vector<std::uint8_t>& in, std::uint32_t out_size,
                                   std::chrono::milliseconds timeout) {
  return request({{"type", "resource_type_control"},
                  {"resource_type", type},
                  {"code", code},
                  {"in", to_hex(in)},
                  {"out_size", out_size}},
                 timeout);
}

std::optional<platform::exit_status> monitor_fixture::wait_exit(std::chrono::milliseconds timeout) {
  return process_.wait_for(timeout);
}

std::string monitor_fixture::log_text() const {
  std::string out;
  for (const char* f : {"resrcmon.stderr", "resrcmon.log"}) {
    std::ifstream in(dir_.path() / f);
    std::stringstream ss;
    ss << in.rdbuf();
    out += std::string("--- ") + f + "\n" + ss.str();
  }
  return out;
}

std::size_t harness_run::count(const std::string& type) const {
  std::size_t n = 0;
  for (const auto& l : lines)
    n += l.value("type", "") == type ? 1 : 0;
  return n;
}

bool harness_run::has_state(const std::string& state) const {
  for (const auto& l : lines) {
    if (l.value("type", "") == "state" && l.value("state", "") == state)
      return true;
  }
  return false;
}

harness_run run_harness(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  temp_dir dir;
  platform::spawn_options opts;
  opts.stdout_path = dir.path() / "out";
  opts.stderr_path = dir.path() / "err";
  std::vector<std::string> full = {"--standalone"};
  full.insert(full.end(), args.begin(), args.end());
  auto p = platform::child_process::spawn(resrcmon_path(), full, opts);
  if (!p)
    throw std::runtime_error("cannot start resrcmon: " + p.error());
  auto st = p->wait_for(timeout);
  if (!st) {
    p->kill();
    p->wait_for(5s);
    throw std::runtime_error("resrcmon --standalone did not finish in time");
  }
  harness_run run{*st, {}, {}};
  std::ifstream out(dir.path() / "out");
  std::string line;
  while (std::getline(out, line)) {
    if (line.empty())
      continue;
    run.lines.push_back(json::parse(line));  // every line must be JSON
  }
  std::ifstream err(dir.path() / "err");
  std::stringstream ss;
  ss << err.rdbuf();
  run.stderr_text = ss.str();
  return run;
}

std::vector<std::string> harness_args(const fs::path& plugin, const std::string& type,
                                      const std::string& name, std::vector<std::string> more) {
  std::vector<std::string> args = {"--plugin", plugin.string(), "--type", type, "--name", name};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string describe(const harness_run& run) {
  std::string out = "status: " + run.status.to_string() + "\nstdout:\n";
  for (const auto& l : run.lines)
    out += l.dump() + "\n";
  return out + "stderr:\n" + run.stderr_text;
}

bool has_log(const std::vector<json>& lines, const std::string& text) {
  for (const auto& l : lines) {
    if (l.value("type", "") == "log" && l.value("message", "").find(text) != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace wolfpack::testing
