#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_db/db_op.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster {

// One global update to the cluster database: ops applied in order, all or nothing, under
// the sequence number GUM gave it. On the wire: {"seq":42,"ops":[...]} (see db_op.hpp).
struct db_update {
  std::uint64_t seq = 0;
  std::vector<db_op> ops;

  // Checks every op would apply to `tree` after the ops before it (so a set_value on a key
  // that an earlier create_key in this update makes is fine). The error names the op:
  // "op 2 (set_value 'Resources\\R1' 'Foo'): key 'Resources\\R1' does not exist".
  // Rules: paths and names well-formed; create_key not on the root (an existing key is
  // fine); delete_key of an existing key other than the root; set_value on an existing
  // key with a well-formed value; delete_value of an existing value.
  [[nodiscard]] status validate(const db_tree& tree) const;

  // validate(), then every op; on an error the tree is unchanged.
  [[nodiscard]] status apply(db_tree& tree) const;

  bool operator==(const db_update&) const = default;
};

// Strict: {"seq": non-negative integer, "ops": array}, nothing else. Errors name the op
// index and the field: "op 1: field 'path': key path 'A\\\\B' has an empty component".
[[nodiscard]] result<db_update> parse_db_update(const nlohmann::json& json);

nlohmann::json to_json(const db_update& update);
void to_json(nlohmann::json& json, const db_update& update);

}  // namespace wolfpack::cluster
