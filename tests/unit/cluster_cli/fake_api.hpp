#pragma once

#include <chrono>
#include <deque>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_cli/api_backend.hpp"
#include "wolfpack/cluster_cli/cli.hpp"
#include "wolfpack/cluster_cli/wait_clock.hpp"

namespace wolfpack::cluster_cli::test {

// Time that only moves when the code under test sleeps or waits for an event.
class fake_clock : public wait_clock {
 public:
  time_point now() override { return now_; }
  void sleep_for(std::chrono::milliseconds duration) override {
    now_ += duration;
    slept_ += duration;
  }
  void advance(std::chrono::milliseconds duration) { now_ += duration; }
  std::chrono::milliseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now_ - time_point{});
  }
  std::chrono::milliseconds slept() const { return slept_; }

 private:
  time_point now_{};
  std::chrono::milliseconds slept_{0};
};

struct recorded_request {
  std::string method;
  std::string target;
  std::optional<nlohmann::json> body;

  std::string line() const { return method + " " + target; }
};

// Scripted replies by "METHOD target", consumed in order; the last one for a key repeats.
// An unscripted request is a transport failure naming it, so a test sees it in the output.
class fake_api : public api_backend {
 public:
  explicit fake_api(fake_clock* clock = nullptr) : clock_(clock) {}

  fake_api& on(const std::string& method, const std::string& target, int status,
               nlohmann::json body = nullptr) {
    replies_[method + " " + target].push_back(api_reply{status, std::move(body)});
    return *this;
  }
  fake_api& on_json(const std::string& method, const std::string& target, int status,
                    const std::string& body) {
    return on(method, target, status, nlohmann::json::parse(body));
  }
  // The API's error answer for a Win32 code.
  fake_api& on_error(const std::string& method, const std::string& target, int status,
                     unsigned code, const std::string& name, const std::string& message) {
    return on(method, target, status,
              nlohmann::json{{"error", {{"code", code}, {"name", name}, {"message", message}}}});
  }
  fake_api& unreachable(std::string message) {
    unreachable_ = std::move(message);
    return *this;
  }
  // Events delivered by next_event() in order (when events are supported).
  fake_api& with_events() {
    events_supported_ = true;
    return *this;
  }
  fake_api& event(nlohmann::json e) {
    events_.push_back(std::move(e));
    return *this;
  }

  result<api_reply> call(std::string_view method, std::string_view target,
                         const nlohmann::json* body) override {
    recorded_request r{std::string(method), std::string(target), std::nullopt};
    if (body != nullptr)
      r.body = *body;
    requests.push_back(r);
    if (unreachable_)
      return fail(*unreachable_);
    auto it = replies_.find(r.line());
    if (it == replies_.end() || it->second.empty())
      return fail("unscripted request " + r.line());
    api_reply reply = it->second.front();
    if (it->second.size() > 1)
      it->second.pop_front();
    return reply;
  }

  bool subscribe_events() override {
    subscribed = events_supported_;
    return events_supported_;
  }

  std::optional<nlohmann::json> next_event(std::chrono::milliseconds timeout) override {
    if (!events_.empty()) {
      auto e = events_.front();
      events_.pop_front();
      return e;
    }
    if (clock_)
      clock_->advance(timeout);
    return std::nullopt;
  }

  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const auto& r : requests)
      out.push_back(r.line());
    return out;
  }
  // The body of the only request with this method and target.
  nlohmann::json body_of(const std::string& method, const std::string& target) const {
    for (const auto& r : requests) {
      if (r.method == method && r.target == target)
        return r.body.value_or(nullptr);
    }
    return "no such request";
  }

  std::vector<recorded_request> requests;
  bool subscribed = false;

 private:
  fake_clock* clock_;
  std::map<std::string, std::deque<api_reply>> replies_;
  std::optional<std::string> unreachable_;
  bool events_supported_ = false;
  std::deque<nlohmann::json> events_;
};

// Forwards to a fake_api the test owns (the CLI wants to own its backends).
class forwarding_backend : public api_backend {
 public:
  explicit forwarding_backend(api_backend& target) : target_(target) {}
  result<api_reply> call(std::string_view method, std::string_view target,
                         const nlohmann::json* body) override {
    return target_.call(method, target, body);
  }
  bool subscribe_events() override { return target_.subscribe_events(); }
  std::optional<nlohmann::json> next_event(std::chrono::milliseconds timeout) override {
    return target_.next_event(timeout);
  }

 private:
  api_backend& target_;
};

// Runs the whole CLI against a fake API with a fixed environment.
struct cli_run {
  std::string out;
  std::string err;
  std::uint32_t code = 0;
  int exit = 0;
};

inline cli_run run(fake_api& api, fake_clock& clock, const std::vector<std::string>& args,
                   std::map<std::string, std::string> env = {}, launcher_fn launcher = {}) {
  std::ostringstream out;
  std::ostringstream err;
  std::vector<std::string> connected;
  cli_environment environment{
      out,
      err,
      [env](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end())
          return std::nullopt;
        return it->second;
      },
      [&api](const std::string&, const std::string&) -> std::unique_ptr<api_backend> {
        return std::make_unique<forwarding_backend>(api);
      },
      clock,
      std::chrono::milliseconds(250),
      std::move(launcher)};
  cli_run r;
  r.code = run_cli_code(args, environment);
  r.exit = exit_status(r.code);
  r.out = out.str();
  r.err = err.str();
  return r;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace wolfpack::cluster_cli::test
