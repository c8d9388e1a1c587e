// The members of a frame from another node, checked for their types before any handler reads
// them (docs/internals/multinode.md, "Frames between nodes"). Members have one meaning and
// one type whatever the frame (epoch, seq, rid are counts; ballot, tree are objects...), so
// one table by name checks every frame type, and the frames a frame carries (a relayed
// join's request and answer, a state frame's events, gum_apply's updates) are checked with
// it too. Handlers read with nlohmann's value(), which throws on a member of another type: a
// peer of another version, or a broken one, would otherwise end clussvc.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace wolfpack::cluster {

// What is wrong with the frame, naming the member ("member 'epoch' must be a count, not a
// string"); nothing when every member it has is of its type.
std::optional<std::string> peer_frame_problem(const nlohmann::json& frame);
// The same for a heartbeat's body, which has no type.
std::optional<std::string> heartbeat_problem(const nlohmann::json& body);

}  // namespace wolfpack::cluster
