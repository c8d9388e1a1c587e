// The frames of a request forwarded to a group's owner and of its answer (api_fwd,
// api_answer; docs/internals/multinode.md), read with every member checked. A peer that passed
// the lab's HMAC can still send a frame of another version or a broken one: it gets an error
// answer naming the member, and the node goes on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_core/core_io.hpp"

namespace wolfpack::cluster {

// What was wrong with a frame; fid when it could be read, so that the waiting client can
// still be answered.
struct forward_frame_problem {
  std::optional<std::uint64_t> fid;
  std::string message;
};

struct forwarded_request {
  std::uint64_t fid = 0;
  std::uint32_t hops = 1;  // how many nodes have passed it on so far
  in_api_request request;  // id 0: the receiving node numbers it
};

struct forwarded_answer {
  std::uint64_t fid = 0;
  int status = 0;
  nlohmann::json body;
};

std::variant<forwarded_request, forward_frame_problem> read_forwarded_request(
    const nlohmann::json& frame);
std::variant<forwarded_answer, forward_frame_problem> read_forwarded_answer(
    const nlohmann::json& frame);

}  // namespace wolfpack::cluster
