// The witness of a node-and-witness-majority quorum (SPEC 5.5, 5.6): the resource the root
// value QuorumResource names, run by this manager in a monitor of its own ("quorum") rather
// than by the resource manager, because the node that needs the witness is whichever
// coordinates a regroup short of a node majority, not the owner of the resource's group.
//
// Arbitrate wins the witness (the plugin's challenge and defense decide); the resource is then
// brought online so that the monitor polls it, and the plugin keeps defending. Losing it
// (QuorumResourceLost, a failed poll, the monitor's death) is reported through on_lost at once:
// the vote must stop counting before another node can have won it (docs/semantics.md,
// "Witness").
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core_context.hpp"
#include "database_manager.hpp"
#include "object_index.hpp"

namespace wolfpack::cluster {

class quorum_manager {
 public:
  static constexpr const char* monitor_id = "quorum";

  quorum_manager(core_context& ctx, database_manager& db, const object_index& index);

  // ---- wiring
  // The witness was lost after it had been won.
  std::function<void(const std::string& why)> on_lost;
  // What the monitor's open needs (common, parameters, timing), as the resource manager
  // builds it.
  std::function<nlohmann::json(const std::string& resource_id)> open_sections;

  // ---- configuration
  // The witness's resource id: QuorumResource when it names an existing resource, else "".
  // Valid until the database changes.
  const std::string& witness_id() const;
  bool configured() const { return !witness_id().empty(); }
  bool held() const { return held_; }
  bool arbitrating() const { return !waiters_.empty(); }
  // The last reason arbitration failed ("" if it did not).
  const std::string& last_error() const { return last_error_; }

  // ---- operations
  // Wins the witness: done(true, "") once this node holds it (at once if it does), or
  // done(false, why). Calls made while one arbitration runs share its outcome.
  void arbitrate(std::function<void(bool, const std::string&)> done);
  // Loads the resource's type in the quorum monitor and tells whether it can arbitrate:
  // done("") if so, otherwise the reason (for SetClusterQuorumResource).
  void check_capable(const std::string& resource_id,
                     std::function<void(std::uint32_t code, const std::string&)> done);
  // QuorumResource or the witness's properties changed: let go of a witness no longer
  // configured, hand new properties to the one that is.
  void configuration_changed();
  // Service shutdown: release the witness so that a survivor can win it without waiting out
  // the challenge.
  void shutdown();
  // Lets the witness go (another member is to hold it); a no-op when this node does not.
  void hand_over();

  // ---- the witness record (wolfpack/witness_record.h), while this node holds the witness
  // done(record, ""): the record (null when none was written); done(null, why) on failure.
  // `supported` is false when the type keeps no record.
  void read_record(
      std::function<void(const nlohmann::json& record, bool supported, const std::string& why)>
          done);
  void write_record(const nlohmann::json& record,
                    std::function<void(bool ok, const std::string& why)> done);

  // ---- monitor inputs (monitor id "quorum")
  void monitor_ready();
  void monitor_event(const nlohmann::json& event);
  void monitor_exit(const std::string& reason);

 private:
  enum class phase { closed, opening, open };

  void step();
  void fail_waiters(const std::string& why);
  void lose(const std::string& why);
  void close_resource();
  void send(nlohmann::json command, std::function<void(const nlohmann::json&)> done = {});
  std::string type_of(const std::string& resource_id) const;
  void ensure_monitor();
  void load_type(const std::string& type_id);
  static std::string not_capable(const std::string& type_id);

  core_context& ctx_;
  database_manager& db_;
  const object_index& index_;

  bool monitor_wanted_ = false;
  bool monitor_ready_ = false;
  std::map<std::string, bool> types_;  // loaded in the monitor: type id -> quorum capable
  std::map<std::string, std::vector<std::function<void(std::uint32_t, const std::string&)>>>
      type_waiters_;
  std::string open_id_;  // the resource open in the monitor ("" when none)
  phase open_phase_ = phase::closed;
  bool arbitration_sent_ = false;
  bool held_ = false;
  std::string last_error_;
  std::vector<std::function<void(bool, const std::string&)>> waiters_;
  std::map<std::int64_t, std::function<void(const nlohmann::json&)>> commands_;
  std::int64_t next_command_ = 1;
  // witness_id() for the database generation `witness_generation_` (the resource manager asks
  // for every resource whose group's state it computes).
  mutable std::string witness_;
  mutable std::optional<std::uint64_t> witness_generation_;
};

}  // namespace wolfpack::cluster
