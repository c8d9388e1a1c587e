#pragma once

// `wolfpack partition node1,node2/node3`: sides separated by '/', nodes by ','. Every node
// named drops the traffic of every node on another side; nodes not named keep theirs.
// More than two sides ("node1/node2/node3") isolate each side from all the others.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <wolfpack/common/result.hpp>

namespace wolfpack::tool {

struct partition_spec {
  std::vector<std::vector<std::string>> sides;
  bool operator==(const partition_spec&) const = default;
};

// Errors name what is wrong: a missing '/', an empty side or name, a node that is not in
// `known` (listing them), a node named twice.
result<partition_spec> parse_partition(std::string_view text,
                                       const std::vector<std::string>& known);

// The block list each named node gets: the nodes of every other side, in spec order.
std::map<std::string, std::vector<std::string>> partition_blocks(const partition_spec& spec);

// "node1, node2 | node3", for messages.
std::string describe(const partition_spec& spec);

}  // namespace wolfpack::tool
