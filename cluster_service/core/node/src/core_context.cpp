#include "core_context.hpp"

#include <cstdio>
#include <stdexcept>

namespace wolfpack::cluster {

core_context::core_context(std::string node_name, std::uint64_t seed, bool events)
    : node_name_(std::move(node_name)), random_(seed), events_(events) {}

void core_context::begin(time_ms now, std::vector<output>* sink) {
  // Time never goes backwards inside the core even if a driver hands it an older reading.
  if (now > now_)
    now_ = now;
  sink_ = sink;
}

void core_context::emit(output o) {
  if (sink_ == nullptr)
    throw std::logic_error("core_context::emit outside of handle()");
  sink_->push_back(std::move(o));
}

std::uint64_t core_context::arm_timer(time_ms at, std::function<void()> callback) {
  const std::uint64_t id = next_timer_++;
  timers_[id] = std::move(callback);
  emit(out_arm_timer{id, at});
  return id;
}

void core_context::cancel_timer(std::uint64_t& id) {
  if (id == 0)
    return;
  if (timers_.erase(id) > 0)
    emit(out_cancel_timer{id});
  id = 0;
}

void core_context::fire_timer(std::uint64_t id) {
  auto it = timers_.find(id);
  if (it == timers_.end())
    return;
  auto callback = std::move(it->second);
  timers_.erase(it);
  callback();
}

std::uint64_t core_context::publish(const nlohmann::json& event) {
  if (!events_)
    return ++event_seq_;
  return publish(nlohmann::json(event));
}

std::uint64_t core_context::publish(nlohmann::json&& event) {
  if (!events_)
    return ++event_seq_;
  event["seq"] = ++event_seq_;
  if (!event.contains("node"))
    event["node"] = node_name_;
  emit(out_event{std::move(event)});
  return event_seq_;
}

void core_context::log(std::string level, std::string component, std::string message,
                       std::map<std::string, std::string> fields) {
  emit(out_log{std::move(level), std::move(component), std::move(message), std::move(fields)});
}

std::string core_context::new_guid() {
  const std::uint64_t hi = random_();
  const std::uint64_t lo = random_();
  // Version 4, variant 1, like the GUIDs MSCS gives its objects.
  const std::uint64_t h = (hi & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
  const std::uint64_t l = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
  char text[40];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(h >> 32),
                static_cast<unsigned>((h >> 16) & 0xFFFF), static_cast<unsigned>(h & 0xFFFF),
                static_cast<unsigned>(l >> 48),
                static_cast<unsigned long long>(l & 0xFFFFFFFFFFFFull));
  return text;
}

}  // namespace wolfpack::cluster

namespace wolfpack::cluster {
std::uint32_t core_context::random_number(std::uint32_t max) {
  return std::uniform_int_distribution<std::uint32_t>(0, max)(random_);
}
}  // namespace wolfpack::cluster
