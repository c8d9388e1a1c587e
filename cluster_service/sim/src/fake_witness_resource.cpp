#include "wolfpack/sim/fake_witness_resource.hpp"

#include <utility>

#include "wolfpack/common/hex.hpp"
#include "wolfpack/winerror.h"
#include "wolfpack/witness_record.h"

namespace wolfpack::cluster::sim {

namespace {

// lab::acquire looks at a challenged reservation this often.
constexpr time_ms challenge_poll_ms = 50;

}  // namespace

fake_witness_resource::fake_witness_resource(fake_witness& witness, fake_witness::process self,
                                             std::string name, std::uint32_t looks_alive_ms, host h)
    : witness_(witness),
      self_(self),
      name_(std::move(name)),
      looks_alive_ms_(looks_alive_ms == 0 ? 5000 : looks_alive_ms),
      host_(std::move(h)) {}

bool fake_witness_resource::handles(const std::string& type) {
  return type == "arbitrate" || type == "release" || type == "online" || type == "offline" ||
         type == "terminate" || type == "close" || type == "resource_control";
}

bool fake_witness_resource::command(const nlohmann::json& c, time_ms now) {
  const std::string type = c.value("type", "");
  if (!handles(type))
    return false;
  if (challenge_ && type != "terminate" && type != "close") {
    waiting_.push_back(c);
    return true;
  }
  run(c, now);
  return true;
}

void fake_witness_resource::refuse(const nlohmann::json& c, std::uint32_t status,
                                   const std::string& message) {
  host_.respond(c, false, status, {{"error", {{"code", status}, {"message", message}}}});
}

void fake_witness_resource::run(const nlohmann::json& c, time_ms now) {
  const std::string type = c.value("type", "");
  if (type == "arbitrate")
    return arbitrate(c, now);
  if (type == "resource_control")
    return record_control(c, now);
  host_.call(type, "command");
  if (type == "release") {
    give_up(now);
    return host_.respond(c, true, ERROR_SUCCESS, {});
  }
  if (type == "online") {
    // The quorum manager brings it online right after winning it; the plugin's Online returns
    // at once for a reservation it holds. Without one it would arbitrate in a pending Online,
    // which the quorum manager never asks for: that fails here.
    if (!defending()) {
      host_.state("Failed", 4, "Online without the reservation");
      return refuse(c, ERROR_QUORUM_RESOURCE_ONLINE_FAILED, "the witness is not held");
    }
    if (host_.current_state() != "Online") {
      host_.state("OnlinePending", 129, "online requested");
      host_.state("Online", 2, "Online returned 0");
    }
    next_poll_ = now + looks_alive_ms_;
    return host_.respond(c, true, ERROR_SUCCESS, {{"state", "Online"}});
  }
  // offline, terminate, close: each gives the reservation up (an arbitration is aborted).
  stop(type == "offline" ? "Offline returned 0" : "terminated on request", now);
  host_.respond(c, true, ERROR_SUCCESS, {{"state", "Offline"}});
}

void fake_witness_resource::arbitrate(const nlohmann::json& c, time_ms now) {
  host_.call("arbitrate", "command");
  if (defending() && witness_.holds(self_, token_))
    return host_.respond(c, true, ERROR_SUCCESS, {});
  if (!witness_.reachable(self_.first, now))
    return refuse(c, ERROR_BAD_NETPATH, "the witness storage is unreachable");
  if (auto token = witness_.try_take(self_, now)) {
    challenge_ = challenge{c, {}, now, now};
    return finish_arbitration(token, ERROR_SUCCESS, {}, now);
  }
  // Held, by another process or by an earlier reservation of this one that it no longer
  // defends: the challenge.
  challenge_ =
      challenge{c, witness_.current(), now + witness_.challenge_ms(), now + challenge_poll_ms};
}

void fake_witness_resource::finish_arbitration(std::optional<std::uint64_t> token,
                                               std::uint32_t status, const std::string& why,
                                               time_ms now) {
  auto done = std::move(challenge_->command);
  challenge_.reset();
  if (token) {
    token_ = *token;
    next_renewal_ = now + witness_.interval_ms();
    host_.respond(done, true, ERROR_SUCCESS, {});
  } else {
    refuse(done, status, why);
  }
  // What waited behind the arbitration runs now, in order (run_or_wait).
  while (!waiting_.empty() && !challenge_) {
    auto next = std::move(waiting_.front());
    waiting_.pop_front();
    run(next, now);
  }
}

void fake_witness_resource::give_up(time_ms now) {
  if (token_ != 0)
    witness_.release(self_.first, token_, now);
  token_ = 0;
}

void fake_witness_resource::stop(const std::string& reason, time_ms now) {
  if (challenge_)
    finish_arbitration(std::nullopt, ERROR_OPERATION_ABORTED, "the arbitration was aborted", now);
  give_up(now);
  next_poll_.reset();
  if (host_.current_state() != "Offline")
    host_.state("Offline", 3, reason);
}

void fake_witness_resource::lost(const std::string& why, time_ms now) {
  token_ = 0;
  // QuorumResourceLost from the defense; LooksAlive fails the resource the same instant.
  host_.emit({{"type", "quorum_lost"}, {"resource", name_}});
  if (host_.current_state() == "Online") {
    host_.emit({{"type", "poll_failed"}, {"resource", name_}, {"entry", "IsAlive"}});
    host_.state("Failed", 4, why);
    host_.call("terminate", "failure");
  }
  next_poll_.reset();
  (void)now;
}

void fake_witness_resource::record_control(const nlohmann::json& c, time_ms now) {
  host_.call("resource_control", "command");
  const auto code = c.value("code", std::uint32_t{0});
  if (code != CLUSCTL_RESOURCE_WP_GET_WITNESS_RECORD &&
      code != CLUSCTL_RESOURCE_WP_SET_WITNESS_RECORD)
    return host_.respond(c, true, ERROR_SUCCESS, {{"out", ""}, {"bytes_returned", 0}});
  if (!witness_.reachable(self_.first, now))
    return refuse(c, ERROR_BAD_NETPATH, "the witness storage is unreachable");
  if (!witness_.holds(self_, token_))
    return refuse(c, ERROR_SHARING_VIOLATION, "this node does not hold the witness");
  if (code == CLUSCTL_RESOURCE_WP_GET_WITNESS_RECORD) {
    const auto& bytes = witness_.record();
    return host_.respond(c, true, ERROR_SUCCESS,
                         {{"out", hex::encode(bytes)}, {"bytes_returned", bytes.size()}});
  }
  const auto bytes = hex::decode(c.value("in", std::string()));
  if (!bytes)
    return refuse(c, ERROR_INVALID_PARAMETER, "the record is not hex");
  witness_.write_record(self_, std::string(bytes->begin(), bytes->end()), now);
  host_.respond(c, true, ERROR_SUCCESS, {{"out", ""}, {"bytes_returned", 0}});
}

std::optional<time_ms> fake_witness_resource::next_deadline() const {
  std::optional<time_ms> next;
  auto consider = [&next](std::optional<time_ms> t) {
    if (t && (!next || *t < *next))
      next = t;
  };
  if (defending())
    consider(next_renewal_);
  if (challenge_)
    consider(challenge_->next_poll);
  consider(next_poll_);
  return next;
}

bool fake_witness_resource::run_deadlines(time_ms now) {
  bool any = false;
  if (challenge_ && challenge_->next_poll <= now) {
    any = true;
    const auto& current = witness_.current();
    if (!witness_.reachable(self_.first, now)) {
      finish_arbitration(std::nullopt, ERROR_BAD_NETPATH, "the witness storage is unreachable",
                         now);
    } else if (!current.holder) {
      // Released meanwhile: taken as a free one.
      finish_arbitration(witness_.try_take(self_, now), ERROR_QUORUM_OWNER_ALIVE,
                         "the witness was taken first by another node", now);
    } else if (!(current == challenge_->observed)) {
      finish_arbitration(std::nullopt, ERROR_QUORUM_OWNER_ALIVE, "the holder defended the witness",
                         now);
    } else if (now >= challenge_->until) {
      finish_arbitration(witness_.take_over(self_, now, challenge_->observed),
                         ERROR_QUORUM_OWNER_ALIVE, "the holder defended the witness", now);
    } else {
      challenge_->next_poll = std::min(now + challenge_poll_ms, challenge_->until);
    }
  }
  if (defending() && next_renewal_ <= now) {
    any = true;
    if (witness_.renew(self_.first, token_, now)) {
      next_renewal_ = now + witness_.interval_ms();
    } else {
      lost(witness_.reachable(self_.first, now) ? "another node took the witness"
                                                : "the witness storage is unreachable",
           now);
    }
  }
  if (next_poll_ && *next_poll_ <= now) {
    any = true;
    if (!witness_.holds(self_, token_) || !defending()) {
      next_poll_.reset();
      if (host_.current_state() == "Online") {
        host_.emit({{"type", "poll_failed"}, {"resource", name_}, {"entry", "IsAlive"}});
        host_.state("Failed", 4, "IsAlive: the reservation is not held");
        host_.call("terminate", "failure");
      }
    } else {
      next_poll_ = now + looks_alive_ms_;
    }
  }
  return any;
}

void fake_witness_resource::process_gone(bool release, time_ms now) {
  challenge_.reset();
  waiting_.clear();
  if (release)
    give_up(now);
  token_ = 0;
  next_poll_.reset();
}

}  // namespace wolfpack::cluster::sim
