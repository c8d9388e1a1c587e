// The witness plugin as one process's quorum monitor runs it (docs/internals/simulator.md,
// "The witness"): Arbitrate, Release, Online, Offline, Terminate, Close and the two witness
// record controls of the lab's File Share Witness and Physical Disk (sample_resources/fsw,
// sample_resources/lab_registry), on the shared fake_witness and the virtual clock.
//
// - Arbitrate takes a free reservation at once. A held one is challenged: the plugin watches
//   it every 50 ms for fake_witness::challenge_ms(); a renewal (or another taker) meanwhile
//   ends it with ERROR_QUORUM_OWNER_ALIVE, a release lets it take the reservation at once,
//   and a holder that never renewed is taken over. Calls into the resource are serialised
//   as resrcmon does (run_or_wait): what comes during an arbitration waits for it, except
//   Terminate and Close, which abort it (ERROR_OPERATION_ABORTED).
// - While it holds the reservation the defense renews it every interval; a renewal that finds
//   it taken, or cannot reach the storage, reports QuorumResourceLost (quorum_lost) at once,
//   the holder's side of the contract in docs/semantics.md ("The witness and the lease").
// - While Online, LooksAlive runs every looks_alive_ms: without the reservation it fails the
//   resource (poll_failed, Failed, Terminate), as after a Release.
// - Release, Offline, Terminate and Close give the reservation up.
// - The record controls answer only while this process holds the reservation and reaches the
//   storage (ERROR_SHARING_VIOLATION, ERROR_BAD_NETPATH otherwise).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_core/core_io.hpp"
#include "wolfpack/sim/fake_witness.hpp"

namespace wolfpack::cluster::sim {

class fake_witness_resource {
 public:
  // What the monitor around the plugin does for it (fake_node).
  struct host {
    std::function<void(const nlohmann::json& command, bool ok, std::uint32_t status,
                       nlohmann::json extra)>
        respond;
    // A state change of the resource, as a state frame.
    std::function<void(const std::string& state, int code, const std::string& reason)> state;
    std::function<std::string()> current_state;
    std::function<void(nlohmann::json frame)> emit;
    // A call into the plugin, for the monitor log.
    std::function<void(const std::string& type, const std::string& cause)> call;
  };

  fake_witness_resource(fake_witness& witness, fake_witness::process self, std::string name,
                        std::uint32_t looks_alive_ms, host h);

  // A command for this resource (arbitrate, release, online, offline, terminate, close,
  // resource_control). False when it is none of those (the monitor handles it).
  bool command(const nlohmann::json& c, time_ms now);
  static bool handles(const std::string& type);

  std::optional<time_ms> next_deadline() const;
  // What the plugin's threads do by `now` (defense, challenge polls, LooksAlive). True when
  // something happened.
  bool run_deadlines(time_ms now);
  // The process is gone: with `release` (clussvc died, the monitor terminates the resource)
  // the reservation is given up; without (the machine died) it lapses unrenewed.
  void process_gone(bool release, time_ms now);

  bool defending() const { return token_ != 0; }
  bool arbitrating() const { return challenge_.has_value(); }

 private:
  struct challenge {
    nlohmann::json command;
    fake_witness::reservation observed;
    time_ms until = 0;
    time_ms next_poll = 0;
  };

  void run(const nlohmann::json& c, time_ms now);
  void arbitrate(const nlohmann::json& c, time_ms now);
  void finish_arbitration(std::optional<std::uint64_t> token, std::uint32_t status,
                          const std::string& why, time_ms now);
  void give_up(time_ms now);
  void stop(const std::string& reason, time_ms now);
  void lost(const std::string& why, time_ms now);
  void record_control(const nlohmann::json& c, time_ms now);
  void refuse(const nlohmann::json& c, std::uint32_t status, const std::string& message);

  fake_witness& witness_;
  fake_witness::process self_;
  std::string name_;
  std::uint32_t looks_alive_ms_;
  host host_;

  std::uint64_t token_ = 0;
  time_ms next_renewal_ = 0;
  std::optional<time_ms> next_poll_;
  std::optional<challenge> challenge_;
  std::deque<nlohmann::json> waiting_;  // commands behind the arbitration
};

}  // namespace wolfpack::cluster::sim
