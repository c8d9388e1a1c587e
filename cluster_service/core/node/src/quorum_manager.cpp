#include "quorum_manager.hpp"

#include "db_schema.hpp"
#include "monitor_response_check.hpp"
#include "wolfpack/common/hex.hpp"
#include "wolfpack/winerror.h"
#include "wolfpack/witness_record.h"

namespace wolfpack::cluster {

namespace {

std::string error_text(const nlohmann::json& response) {
  const auto message = response.value("/error/message"_json_pointer, std::string());
  if (!message.empty())
    return message;
  return "the monitor answered " + response.value("exec", std::string("refused")) + " (" +
         std::to_string(response.value("status", 0)) + ")";
}

}  // namespace

quorum_manager::quorum_manager(core_context& ctx, database_manager& db, const object_index& index)
    : ctx_(ctx), db_(db), index_(index) {}

const std::string& quorum_manager::witness_id() const {
  if (witness_generation_ == db_.generation())
    return witness_;
  const auto* v = db_.tree().find_value(std::string_view(), schema::quorum_resource);
  const bool named = v != nullptr && v->type == value_type::sz && !v->as_string().empty() &&
                     index_.resource_by_id(v->as_string()) != nullptr;
  witness_ = named ? v->as_string() : std::string();
  witness_generation_ = db_.generation();
  return witness_;
}

std::string quorum_manager::type_of(const std::string& resource_id) const {
  const auto* r = index_.resource_by_id(resource_id);
  return r != nullptr ? r->type : std::string();
}

void quorum_manager::send(nlohmann::json command, std::function<void(const nlohmann::json&)> done) {
  const auto id = next_command_++;
  command["id"] = id;
  commands_[id] = std::move(done);
  ctx_.emit(out_send_monitor{monitor_id, std::move(command)});
}

void quorum_manager::ensure_monitor() {
  if (monitor_wanted_)
    return;
  monitor_wanted_ = true;
  ctx_.emit(out_ensure_monitor{monitor_id, false});
}

// ---- operations -----------------------------------------------------------------------------

void quorum_manager::arbitrate(std::function<void(bool, const std::string&)> done) {
  if (held_) {
    done(true, {});
    return;
  }
  if (!configured()) {
    done(false, "no witness is configured");
    return;
  }
  waiters_.push_back(std::move(done));
  if (waiters_.size() == 1) {
    ctx_.log("info", "quorum", "arbitrating for the witness", {{"resource", witness_id()}});
    step();
  }
}

// One step towards holding the witness: monitor, type, open, Arbitrate, Online. Each answer
// comes back here.
void quorum_manager::step() {
  if (waiters_.empty())
    return;
  const auto id = witness_id();
  if (id.empty())
    return fail_waiters("no witness is configured");
  if (!monitor_ready_)
    return ensure_monitor();
  if (open_phase_ == phase::opening || arbitration_sent_)
    return;
  if (open_phase_ == phase::open && open_id_ != id)
    return close_resource();  // the configuration named another resource meanwhile
  const auto type_id = type_of(id);
  const auto* type = index_.type_by_name(type_id);
  if (type == nullptr)
    return fail_waiters("resource type '" + type_id + "' is not registered");
  auto loaded = types_.find(type->id);
  if (loaded == types_.end()) {
    check_capable(id, [this](std::uint32_t code, const std::string& why) {
      if (code != ERROR_SUCCESS)
        fail_waiters(why);
      else
        step();
    });
    return;
  }
  if (!loaded->second)
    return fail_waiters(not_capable(type->id));
  if (open_phase_ == phase::closed) {
    open_phase_ = phase::opening;
    open_id_ = id;
    auto command = open_sections ? open_sections(id) : nlohmann::json::object();
    command["type"] = "open";
    command["resource"] = id;
    command["resource_type"] = type->id;
    send(std::move(command), [this, id](const nlohmann::json& r) {
      if (open_id_ != id)
        return;
      if (!r.value("ok", false)) {
        open_phase_ = phase::closed;
        open_id_.clear();
        return fail_waiters("Open of the witness failed: " + error_text(r));
      }
      open_phase_ = phase::open;
      step();
    });
    return;
  }
  arbitration_sent_ = true;
  send({{"type", "arbitrate"}, {"resource", id}}, [this, id](const nlohmann::json& r) {
    arbitration_sent_ = false;
    if (!r.value("ok", false))
      return fail_waiters(error_text(r));
    // Online makes the monitor poll it; the plugin returns at once for a witness it holds.
    send({{"type", "online"}, {"resource", id}});
    held_ = true;
    last_error_.clear();
    ctx_.log("info", "quorum", "this node holds the witness", {{"resource", id}});
    auto waiters = std::move(waiters_);
    waiters_.clear();
    for (auto& w : waiters)
      w(true, {});
  });
}

void quorum_manager::check_capable(const std::string& resource_id,
                                   std::function<void(std::uint32_t, const std::string&)> done) {
  const auto type_id = type_of(resource_id);
  const auto* type = index_.type_by_name(type_id);
  if (type == nullptr) {
    done(ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND,
         "resource type '" + type_id + "' is not registered");
    return;
  }
  if (auto it = types_.find(type->id); it != types_.end() && monitor_ready_) {
    done(it->second ? ERROR_SUCCESS : ERROR_NOT_QUORUM_CAPABLE,
         it->second ? std::string() : not_capable(type->id));
    return;
  }
  auto& waiting = type_waiters_[type->id];
  waiting.push_back(std::move(done));
  if (!monitor_ready_)
    return ensure_monitor();
  if (waiting.size() == 1)
    load_type(type->id);
}

std::string quorum_manager::not_capable(const std::string& type_id) {
  return "resource type '" + type_id + "' is not quorum capable (it has no Arbitrate and Release)";
}

void quorum_manager::load_type(const std::string& type_id) {
  const auto* type = index_.type_by_name(type_id);
  const std::string dll = type != nullptr ? type->dll : std::string();
  send({{"type", "load_type"}, {"resource_type", type_id}, {"plugin", dll}},
       [this, type_id](const nlohmann::json& r) {
         auto waiters = std::move(type_waiters_[type_id]);
         type_waiters_.erase(type_id);
         std::uint32_t code = ERROR_SUCCESS;
         std::string why;
         if (!r.value("ok", false)) {
           code = ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND;
           why = "the quorum monitor could not load resource type '" + type_id +
                 "': " + error_text(r);
         } else {
           types_[type_id] = r.value("quorum_capable", false);
           if (!types_[type_id]) {
             code = ERROR_NOT_QUORUM_CAPABLE;
             why = not_capable(type_id);
           }
         }
         for (auto& w : waiters)
           w(code, why);
       });
}

void quorum_manager::fail_waiters(const std::string& why) {
  last_error_ = why;
  ctx_.log("warn", "quorum", "could not win the witness: " + why);
  auto waiters = std::move(waiters_);
  waiters_.clear();
  for (auto& w : waiters)
    w(false, why);
}

void quorum_manager::lose(const std::string& why) {
  if (!held_)
    return;
  held_ = false;
  ctx_.log("warn", "quorum", "this node lost the witness: " + why, {{"resource", open_id_}});
  if (on_lost)
    on_lost(why);
}

void quorum_manager::close_resource() {
  if (open_phase_ == phase::closed)
    return;
  const auto id = open_id_;
  lose("the witness is no longer configured");
  send({{"type", "release"}, {"resource", id}});
  send({{"type", "close"}, {"resource", id}}, [this, id](const nlohmann::json&) {
    if (open_id_ == id) {
      open_phase_ = phase::closed;
      open_id_.clear();
      step();
    }
  });
}

void quorum_manager::configuration_changed() {
  if (open_phase_ == phase::closed)
    return;
  if (witness_id() != open_id_) {
    close_resource();
    return;
  }
  if (open_phase_ != phase::open || !open_sections)
    return;
  auto command = open_sections(open_id_);
  command["type"] = "set_properties";
  command["resource"] = open_id_;
  send(std::move(command));
}

void quorum_manager::shutdown() {
  if (open_phase_ == phase::closed)
    return;
  held_ = false;
  send({{"type", "release"}, {"resource", open_id_}});
  send({{"type", "close"}, {"resource", open_id_}});
}

void quorum_manager::hand_over() {
  if (!held_)
    return;
  held_ = false;
  ctx_.log("info", "quorum", "handing the witness over to the locker", {{"resource", open_id_}});
  send({{"type", "release"}, {"resource", open_id_}});
}

void quorum_manager::read_record(
    std::function<void(const nlohmann::json&, bool, const std::string&)> done) {
  if (!held_ || open_phase_ != phase::open)
    return done(nullptr, true, "this node does not hold the witness");
  send({{"type", "resource_control"},
        {"resource", open_id_},
        {"code", CLUSCTL_RESOURCE_WP_GET_WITNESS_RECORD},
        {"in", ""},
        {"out_size", WP_WITNESS_RECORD_MAX}},
       [done](const nlohmann::json& r) {
         const auto status = r.value("status", 0u);
         if (!r.value("ok", false)) {
           if (status == ERROR_INVALID_FUNCTION)
             return done(nullptr, false, "the witness's type keeps no witness record");
           return done(nullptr, true, "reading the witness record failed: " + error_text(r));
         }
         const auto bytes = hex::decode(r.value("out", std::string()));
         if (!bytes)
           return done(nullptr, true, "the witness record came back as bad hex");
         if (bytes->empty())
           return done(nullptr, true, {});
         auto record = nlohmann::json::parse(bytes->begin(), bytes->end(), nullptr, false);
         if (record.is_discarded() || !record.is_object())
           return done(nullptr, true, "the witness record is not a JSON object");
         done(record, true, {});
       });
}

void quorum_manager::write_record(const nlohmann::json& record,
                                  std::function<void(bool, const std::string&)> done) {
  if (!held_ || open_phase_ != phase::open)
    return done(false, "this node does not hold the witness");
  send({{"type", "resource_control"},
        {"resource", open_id_},
        {"code", CLUSCTL_RESOURCE_WP_SET_WITNESS_RECORD},
        {"in", hex::encode(record.dump())},
        {"out_size", 0}},
       [done](const nlohmann::json& r) {
         if (r.value("ok", false))
           return done(true, {});
         if (r.value("status", 0u) == ERROR_INVALID_FUNCTION)
           return done(true, "the witness's type keeps no witness record");
         done(false, "writing the witness record failed: " + error_text(r));
       });
}

// ---- monitor inputs -------------------------------------------------------------------------

void quorum_manager::monitor_ready() {
  monitor_ready_ = true;
  // Types asked about before the monitor ran.
  for (const auto& [type_id, waiters] : type_waiters_) {
    if (!waiters.empty())
      load_type(type_id);
  }
  step();
}

void quorum_manager::monitor_event(const nlohmann::json& event) {
  const std::string type = event.value("type", "");
  if (type == "response") {
    check_monitor_response(event);
    auto it = commands_.find(event.value("id", std::int64_t{0}));
    if (it == commands_.end())
      return;
    auto done = std::move(it->second);
    commands_.erase(it);
    if (done)
      done(event);
    return;
  }
  const auto resource = event.value("resource", std::string());
  if (resource.empty() || resource != open_id_)
    return;
  if (type == "quorum_lost") {
    lose("the plugin reported that another node took it");
  } else if (type == "poll_failed") {
    lose(event.value("entry", std::string("a health check")) + " failed");
  } else if (type == "state") {
    const auto state = event.value("state", std::string());
    if (held_ && (state == "Failed" || state == "Offline"))
      lose("the witness resource went " + state);
  } else if (type == "log") {
    const auto level = event.value("level", "info");
    ctx_.log(level == "error"     ? "error"
             : level == "warning" ? "warn"
                                  : "info",
             "quorum", event.value("message", ""), {{"resource", resource}});
  }
}

void quorum_manager::monitor_exit(const std::string& reason) {
  monitor_ready_ = false;
  monitor_wanted_ = false;
  types_.clear();
  open_phase_ = phase::closed;
  open_id_.clear();
  arbitration_sent_ = false;
  // Every command in flight is answered by nobody now.
  auto commands = std::move(commands_);
  commands_.clear();
  lose("the quorum monitor ended: " + reason);
  nlohmann::json gone{{"type", "response"},
                      {"ok", false},
                      {"exec", "crashed"},
                      {"error", {{"message", "the quorum monitor ended: " + reason}}}};
  for (auto& [id, done] : commands) {
    if (done)
      done(gone);
  }
  if (!waiters_.empty())
    ensure_monitor();
}

}  // namespace wolfpack::cluster
