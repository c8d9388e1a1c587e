#include "monitor_session.hpp"

#include <fstream>
#include <sstream>

#include <wolfpack/common/blocking_listener.hpp>
#include <wolfpack/common/platform/files.hpp>
#include <wolfpack/common/platform/local_endpoint.hpp>

namespace wolfpack::tool {

using nlohmann::json;
namespace fs = std::filesystem;

result<std::unique_ptr<monitor_session>> monitor_session::start(const fs::path& resrcmon) {
  std::unique_ptr<monitor_session> s(new monitor_session());
  auto dir = platform::make_private_temp_dir("wolfpack-check-");
  if (!dir)
    return fail(dir.error());
  s->dir_ = std::move(dir).value();
  auto listener =
      blocking_listener::listen(platform::local_listen_endpoint(s->dir_, "parent.sock"));
  if (!listener)
    return fail(listener.error());
  platform::spawn_options opts;
  opts.stderr_path = s->dir_ / "resrcmon.stderr";
  opts.stdout_path = s->dir_ / "resrcmon.stdout";
  const std::vector<std::string> args = {"--connect",   listener->local_endpoint().to_string(),
                                         "--log-file",  (s->dir_ / "resrcmon.log").string(),
                                         "--log-level", "warn",
                                         "--node",      "check-plugin"};
  auto p = platform::child_process::spawn(resrcmon, args, opts);
  if (!p)
    return fail("cannot start " + resrcmon.string() + ": " + p.error());
  s->process_ = std::move(p).value();
  auto channel = listener->accept(std::chrono::seconds(10));
  if (!channel)
    return fail("resrcmon did not connect within 10 s (" + channel.error() + "). " +
                s->death_note());
  s->channel_.emplace(std::move(channel).value());
  if (!s->wait_for([](const json& e) { return e.value("type", "") == "hello"; },
                   std::chrono::seconds(10))) {
    return fail("resrcmon sent no hello. " + s->death_note());
  }
  return s;
}

monitor_session::~monitor_session() {
  if (channel_ && !closed_ && process_.valid() && process_.is_running()) {
    // A clean end: the monitor closes what is left and exits 0.
    if (channel_->send({{"type", "shutdown"}, {"id", next_id_++}}))
      process_.wait_for(std::chrono::seconds(5));
  }
  channel_.reset();
  if (process_.valid() && process_.is_running()) {
    process_.kill();
    process_.wait_for(std::chrono::seconds(5));
  }
  std::error_code ec;
  if (!dir_.empty())
    fs::remove_all(dir_, ec);
}

std::optional<std::int64_t> monitor_session::send(json command) {
  if (closed_ || !channel_)
    return std::nullopt;
  const std::int64_t id = next_id_++;
  command["id"] = id;
  if (!channel_->send(command)) {
    closed_ = true;
    return std::nullopt;
  }
  return id;
}

result<json> monitor_session::response(std::int64_t id, std::chrono::milliseconds timeout) {
  auto r = wait_for(
      [id](const json& e) { return e.value("type", "") == "response" && e.value("id", -1) == id; },
      timeout);
  if (!r) {
    if (!alive())
      return fail("the monitor died: " + death_note());
    return fail("no response within " + std::to_string(timeout.count()) + " ms");
  }
  return *r;
}

result<json> monitor_session::request(json command, std::chrono::milliseconds timeout) {
  const std::string what = command.value("type", "?");
  auto id = send(std::move(command));
  if (!id)
    return fail("cannot send '" + what + "': the monitor is gone: " + death_note());
  return response(*id, timeout);
}

bool monitor_session::pump(std::chrono::steady_clock::time_point deadline) {
  if (closed_ || !channel_)
    return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  auto message = channel_->receive(std::max(left, std::chrono::milliseconds(0)));
  if (!message) {
    // A timeout leaves the channel open; a closed or broken stream does not.
    closed_ = !channel_->is_open();
    return false;
  }
  unread_.push_back(std::move(*message));
  return true;
}

std::optional<json> monitor_session::wait_for(const std::function<bool(const json&)>& pred,
                                              std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t checked = 0;
  for (;;) {
    for (auto it = unread_.begin() + static_cast<std::ptrdiff_t>(checked); it != unread_.end();
         ++it) {
      if (pred(*it)) {
        json e = std::move(*it);
        unread_.erase(it);
        return e;
      }
    }
    checked = unread_.size();
    if (!pump(deadline) && (closed_ || std::chrono::steady_clock::now() >= deadline))
      return std::nullopt;
  }
}

void monitor_session::forget(const std::function<bool(const json&)>& pred) {
  std::erase_if(unread_, pred);
}

std::optional<json> monitor_session::wait_state(const std::string& resource,
                                                const std::string& state,
                                                std::chrono::milliseconds timeout,
                                                std::string* seen) {
  auto e = wait_for(
      [&](const json& ev) {
        if (ev.value("type", "") != "state" || ev.value("resource", "") != resource)
          return false;
        if (seen != nullptr)
          *seen = ev.value("state", "");
        return ev.value("state", "") == state;
      },
      timeout);
  return e;
}

void monitor_session::drain(std::chrono::milliseconds quiet) {
  const auto deadline = std::chrono::steady_clock::now() + quiet;
  while (pump(deadline)) {
  }
  unread_.clear();
}

std::vector<json> monitor_session::take_unread() {
  while (pump(std::chrono::steady_clock::now())) {
  }
  std::vector<json> out(std::make_move_iterator(unread_.begin()),
                        std::make_move_iterator(unread_.end()));
  unread_.clear();
  return out;
}

bool monitor_session::alive() {
  return !closed_ && process_.valid() && process_.is_running();
}

std::string monitor_session::death_note() {
  std::string note;
  if (process_.valid()) {
    if (auto st = process_.wait_for(std::chrono::milliseconds(process_.is_running() ? 0 : 1000)))
      note = "resrcmon " + st->to_string();
  }
  std::ifstream in(dir_ / "resrcmon.stderr");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  if (text.size() > 600)
    text = "..." + text.substr(text.size() - 600);
  if (!text.empty())
    note += (note.empty() ? "" : "; stderr: ") + text;
  return note.empty() ? "no further information" : note;
}

}  // namespace wolfpack::tool
