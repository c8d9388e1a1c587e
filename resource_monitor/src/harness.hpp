#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "resource_record.hpp"

namespace wolfpack::monitor {

class monitor_runtime;

struct harness_options {
  std::string plugin;
  std::string type;
  std::string name;
  nlohmann::json parameters = nlohmann::json::object();  // typed values for the Parameters key
  double hold_seconds = 5.0;
  resource_timing timing;
};

// The plugin author's harness: Startup, Open, Online (honouring pending and timeouts), poll
// for the hold time, Offline, Close, with one JSON line on stdout for everything that happens.
class harness_driver {
 public:
  explicit harness_driver(harness_options options);

  void start(monitor_runtime& runtime);
  void on_event(const nlohmann::json& event);
  void on_interrupt();
  int exit_code_for(int monitor_code) const;

 private:
  enum class phase { loading, opening, onlining, holding, offlining, closing, done };

  void print(const nlohmann::json& event);
  void send(nlohmann::json command);
  void begin_offline();
  void begin_close();
  void finish(int code);

  harness_options options_;
  monitor_runtime* runtime_ = nullptr;
  std::unique_ptr<boost::asio::steady_timer> hold_timer_;
  phase phase_ = phase::loading;
  bool failed_ = false;
  std::optional<int> final_code_;
  std::int64_t next_id_ = 1;
  std::int64_t load_id_ = 0, open_id_ = 0, online_id_ = 0, offline_id_ = 0, close_id_ = 0;
  std::int64_t started_ns_ = 0;
};

}  // namespace wolfpack::monitor
