#include "harness.hpp"

#include <chrono>
#include <cstdio>

#include <wolfpack/common/platform/system.hpp>

#include "monitor_runtime.hpp"
#include "resource_monitor/protocol.hpp"

namespace wolfpack::monitor {

using nlohmann::json;

harness_driver::harness_driver(harness_options options) : options_(std::move(options)) {}

void harness_driver::start(monitor_runtime& runtime) {
  runtime_ = &runtime;
  started_ns_ = platform::monotonic_ns();
  hold_timer_ = std::make_unique<boost::asio::steady_timer>(runtime.io());
  runtime.command({{"type", "set_trace"}, {"calls", true}});
  json c = {{"type", "load_type"}, {"resource_type", options_.type}, {"plugin", options_.plugin}};
  load_id_ = next_id_;
  send(std::move(c));
}

void harness_driver::send(json c) {
  c["id"] = next_id_++;
  runtime_->command(c);
}

void harness_driver::print(const json& event) {
  json line = event;
  line["t_ms"] = static_cast<double>((platform::monotonic_ns() - started_ns_) / 1000) / 1000.0;
  const std::string text = line.dump() + "\n";
  // One write per line: a crash report written from a signal handler on another thread
  // then lands between lines, never inside one.
  platform::write_fully(1, text.data(), text.size());
}

void harness_driver::on_event(const json& e) {
  print(e);
  const std::string type = e.value("type", "");
  if (type == "response") {
    const std::int64_t id = e.value("id", std::int64_t{-1});
    const bool ok = e.value("ok", false);
    if (id == load_id_) {
      if (!ok) {
        const std::string msg = e.contains("error") ? e["error"].value("message", "") : "";
        std::fprintf(stderr, "resrcmon: cannot load resource type '%s' from %s: %s\n",
                     options_.type.c_str(), options_.plugin.c_str(), msg.c_str());
        return finish(harness_exit_usage);
      }
      phase_ = phase::opening;
      json c = {{"type", "open"},
                {"resource", options_.name},
                {"resource_type", options_.type},
                {"parameters", options_.parameters},
                {"timing",
                 {{"looks_alive_ms", options_.timing.looks_alive_ms},
                  {"is_alive_ms", options_.timing.is_alive_ms},
                  {"pending_timeout_ms", options_.timing.pending_timeout_ms},
                  {"deadlock_timeout_ms", options_.timing.deadlock_timeout_ms}}}};
      open_id_ = next_id_;
      return send(std::move(c));
    }
    if (id == open_id_) {
      if (!ok) {
        const std::string msg = e.contains("error") ? e["error"].value("message", "") : "";
        std::fprintf(stderr, "resrcmon: Open of '%s' failed: %s\n", options_.name.c_str(),
                     msg.c_str());
        return finish(harness_exit_resource_failed);
      }
      phase_ = phase::onlining;
      online_id_ = next_id_;
      return send({{"type", "online"}, {"resource", options_.name}});
    }
    if (id == close_id_) {
      return finish(failed_ ? harness_exit_resource_failed : harness_exit_ok);
    }
    return;
  }
  if (type == "state") {
    const std::string state = e.value("state", "");
    if (state == "Failed") {
      failed_ = true;
      if (phase_ == phase::holding)
        hold_timer_->cancel();
      return begin_close();
    }
    if (state == "Online" && phase_ == phase::onlining) {
      phase_ = phase::holding;
      hold_timer_->expires_after(
          std::chrono::microseconds(static_cast<std::int64_t>(options_.hold_seconds * 1e6)));
      hold_timer_->async_wait([this](const boost::system::error_code& ec) {
        if (!ec)
          begin_offline();
      });
      return;
    }
    if (state == "Offline" && phase_ == phase::offlining) {
      return begin_close();
    }
  }
}

void harness_driver::begin_offline() {
  if (phase_ != phase::holding)
    return;
  phase_ = phase::offlining;
  offline_id_ = next_id_;
  send({{"type", "offline"}, {"resource", options_.name}});
}

void harness_driver::begin_close() {
  if (phase_ == phase::closing || phase_ == phase::done || phase_ == phase::loading)
    return;
  phase_ = phase::closing;
  close_id_ = next_id_;
  send({{"type", "close"}, {"resource", options_.name}});
}

void harness_driver::on_interrupt() {
  // Ctrl-C: take the resource down the orderly way, as at the end of the hold.
  if (phase_ == phase::holding) {
    hold_timer_->cancel();
    return begin_offline();
  }
  if (phase_ == phase::onlining || phase_ == phase::opening)
    return begin_close();
  if (phase_ == phase::loading)
    finish(harness_exit_usage);
}

void harness_driver::finish(int code) {
  phase_ = phase::done;
  final_code_ = code;
  runtime_->request_exit(code);
}

int harness_driver::exit_code_for(int monitor_code) const {
  if (final_code_)
    return *final_code_;
  // A deadlocked plugin is a failed resource to the person running the harness.
  return monitor_code == exit_clean ? harness_exit_ok : harness_exit_resource_failed;
}

}  // namespace wolfpack::monitor
