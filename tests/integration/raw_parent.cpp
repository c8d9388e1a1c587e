#include "raw_parent.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace wolfpack::testing {

using nlohmann::json;
namespace fs = std::filesystem;

raw_parent::raw_parent(std::vector<std::string> extra_args) {
  const fs::path sock = dir_.path() / "parent.sock";
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, sock.c_str(), sizeof(addr.sun_path) - 1);
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 4) != 0) {
    if (listen_fd_ >= 0)
      ::close(listen_fd_);
    throw std::runtime_error("cannot listen on " + sock.string());
  }
  std::vector<std::string> args = {"--connect",  "unix:" + sock.string(),
                                   "--log-file", (dir_.path() / "resrcmon.log").string(),
                                   "--node",     "rawnode"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  platform::spawn_options opts;
  opts.stderr_path = dir_.path() / "resrcmon.stderr";
  opts.stdout_path = dir_.path() / "resrcmon.stdout";
  auto p = platform::child_process::spawn(resrcmon_path(), args, opts);
  if (!p) {
    ::close(listen_fd_);
    throw std::runtime_error("cannot start resrcmon: " + p.error());
  }
  process_ = std::move(p).value();
  pollfd pfd{listen_fd_, POLLIN, 0};
  if (::poll(&pfd, 1, 10000) != 1) {
    ::close(listen_fd_);
    throw std::runtime_error("resrcmon did not connect within 10 s:\n" + log_text());
  }
  fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (!wait_for([](const json& e) { return e.value("type", "") == "hello"; })) {
    ::close(listen_fd_);
    if (fd_ >= 0)
      ::close(fd_);
    throw std::runtime_error("resrcmon sent no hello:\n" + log_text());
  }
}

raw_parent::~raw_parent() {
  if (fd_ >= 0)
    ::close(fd_);
  if (listen_fd_ >= 0)
    ::close(listen_fd_);
  if (process_.valid() && process_.is_running()) {
    process_.kill();
    process_.wait_for(std::chrono::seconds(5));
  }
}

bool raw_parent::send_bytes(std::string_view bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

json raw_parent::request(json command, std::chrono::milliseconds timeout) {
  const std::int64_t id = next_id_++;
  command["id"] = id;
  if (!send_bytes(encode_frame(command)))
    throw std::runtime_error("send to resrcmon failed\n" + log_text());
  auto r = wait_for(
      [id](const json& e) { return e.value("type", "") == "response" && e.value("id", -1) == id; },
      timeout);
  if (!r)
    throw std::runtime_error("no response to " + command.dump() + "\n" + log_text());
  return *r;
}

bool raw_parent::pump(std::chrono::steady_clock::time_point deadline) {
  if (peer_closed_)
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
    peer_closed_ = true;  // keep fd_ open: the test decides when its end goes
    return false;
  }
  auto r = decoder_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  for (auto& m : r.messages)
    unread_.push_back(std::move(m));
  if (r.error)
    throw std::runtime_error("bad frame from resrcmon: " + r.error->message);
  return true;
}

std::optional<json> raw_parent::wait_for(const std::function<bool(const json&)>& pred,
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
    if (!pump(deadline) && (peer_closed_ || std::chrono::steady_clock::now() >= deadline)) {
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

bool raw_parent::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!peer_closed_) {
    if (!pump(deadline) && !peer_closed_ && std::chrono::steady_clock::now() >= deadline)
      return false;
  }
  return true;
}

std::string raw_parent::log_text() const {
  std::string out;
  for (const char* f : {"resrcmon.stderr", "resrcmon.log"}) {
    std::ifstream in(dir_.path() / f);
    std::stringstream ss;
    ss << in.rdbuf();
    out += std::string("--- ") + f + "\n" + ss.str();
  }
  return out;
}

}  // namespace wolfpack::testing
