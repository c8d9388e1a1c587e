// What every manager of the core shares while one input is handled: the time it happened
// at, the outputs collected so far, the timers, the event sequence and the id generator.
// NuRaft-style one bundle, so a manager is constructed with one reference.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_core/core_io.hpp"

namespace wolfpack::cluster {

class core_context {
 public:
  core_context(std::string node_name, std::uint64_t seed, bool events = true);

  const std::string& node_name() const { return node_name_; }
  time_ms now() const { return now_; }

  // Starts handling one input: sets the time and the sink the outputs go to.
  void begin(time_ms now, std::vector<output>* sink);
  void emit(output o);

  // Timers: the callback runs when in_timer comes for the returned id. Ids are never reused.
  std::uint64_t arm_timer(time_ms at, std::function<void()> callback);
  void cancel_timer(std::uint64_t& id);  // no-op for 0; sets id to 0
  // Runs the callback of a fired timer (ignored if it was cancelled).
  void fire_timer(std::uint64_t id);

  // A change notification: adds "seq" and "node", emits it and returns the seq. Without
  // events (core_config::events) it is only counted, and a const one is not copied.
  std::uint64_t publish(nlohmann::json&& event);
  std::uint64_t publish(const nlohmann::json& event);
  std::uint64_t event_seq() const { return event_seq_; }
  bool events() const { return events_; }

  void log(std::string level, std::string component, std::string message,
           std::map<std::string, std::string> fields = {});

  // A random GUID ("0f8fad5b-d9cb-469f-a165-70867728950e"), from the seeded generator.
  std::string new_guid();
  // A number in [0, max] from the same generator.
  std::uint32_t random_number(std::uint32_t max);

 private:
  std::string node_name_;
  std::mt19937_64 random_;
  time_ms now_ = 0;
  std::vector<output>* sink_ = nullptr;
  std::uint64_t next_timer_ = 1;
  std::map<std::uint64_t, std::function<void()>> timers_;
  std::uint64_t event_seq_ = 0;
  bool events_ = true;
};

}  // namespace wolfpack::cluster
