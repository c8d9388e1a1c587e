#include "wolfpack/cluster_db/db_update.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "key_text.hpp"
#include "wolfpack/cluster_db/db_path.hpp"
#include "wolfpack/common/json_kind.hpp"

namespace wolfpack::cluster {
namespace {

using wolfpack::detail::json_kind;
// An op with its path and name case-folded, for comparing ops with each other.
struct folded_op {
  const db_op* op;
  std::string key;  // the folded path
  std::string name;
};

// What the tree would look like after ops[0, end): each question is answered by the last
// earlier op that decides it, else by the tree. An update has few ops, so scanning back
// is cheaper than copying the tree.
class overlay {
 public:
  overlay(const db_tree& tree, const std::vector<folded_op>& ops) : tree_(tree), ops_(ops) {}

  bool key_exists(std::size_t end, const std::string& key) const {
    for (std::size_t j = end; j-- > 0;) {
      const auto& o = ops_[j];
      // Creating a key creates its parents; deleting a key deletes its subkeys.
      if (o.op->op == db_op::kind::create_key && detail::is_key_prefix(key, o.key))
        return true;
      if (o.op->op == db_op::kind::delete_key && detail::is_key_prefix(o.key, key))
        return false;
    }
    return tree_.key_exists(key);
  }

  bool value_exists(std::size_t end, const std::string& key, const std::string& name) const {
    for (std::size_t j = end; j-- > 0;) {
      const auto& o = ops_[j];
      switch (o.op->op) {
        case db_op::kind::set_value:
          if (o.key == key && o.name == name)
            return true;
          break;
        case db_op::kind::delete_value:
          if (o.key == key && o.name == name)
            return false;
          break;
        case db_op::kind::delete_key:
          if (detail::is_key_prefix(o.key, key))
            return false;
          break;
        case db_op::kind::create_key:
          break;  // a key that already existed keeps its values; a new one has none
      }
    }
    return tree_.find_value(key, name) != nullptr;
  }

 private:
  const db_tree& tree_;
  const std::vector<folded_op>& ops_;
};

result<std::uint64_t> parse_seq(const nlohmann::json& j) {
  if (j.is_number_unsigned())
    return j.get<std::uint64_t>();
  if (j.is_number_integer() && j.get<std::int64_t>() >= 0) {
    return static_cast<std::uint64_t>(j.get<std::int64_t>());
  }
  return fail("field 'seq' must be a non-negative integer below 2^64, got " +
              (j.is_number() ? j.dump() : json_kind(j)));
}

}  // namespace

status db_update::validate(const db_tree& tree) const {
  std::vector<folded_op> folded;
  folded.reserve(ops.size());
  const overlay view(tree, folded);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const auto& op = ops[i];
    auto problem = [&](const std::string& message) {
      return fail("op " + std::to_string(i) + " (" + describe(op) + "): " + message);
    };
    if (auto ok = check_key_path(op.path); !ok)
      return problem(ok.error());
    // Folded whole: the tree finds a path in any case, and a valid path's components are
    // whole between separators.
    std::string key = fold_case(op.path);
    const bool is_root = key.empty();
    std::string name = fold_case(op.name);

    switch (op.op) {
      case db_op::kind::create_key:
        if (is_root)
          return problem("cannot create the root key");
        break;
      case db_op::kind::delete_key:
        if (is_root)
          return problem("cannot delete the root key");
        if (!view.key_exists(i, key))
          return problem("key " + detail::in_quotes(op.path) + " does not exist");
        break;
      case db_op::kind::set_value:
        if (auto ok = check_value_name(op.name); !ok)
          return problem(ok.error());
        if (auto ok = check_value(op.value); !ok)
          return problem(ok.error());
        if (!view.key_exists(i, key))
          return problem("key " + detail::in_quotes(op.path) + " does not exist");
        break;
      case db_op::kind::delete_value:
        if (auto ok = check_value_name(op.name); !ok)
          return problem(ok.error());
        if (!view.key_exists(i, key))
          return problem("key " + detail::in_quotes(op.path) + " does not exist");
        if (!view.value_exists(i, key, name)) {
          return problem("key " + detail::in_quotes(op.path) + " has no value " +
                         detail::in_quotes(op.name));
        }
        break;
    }
    folded.push_back(folded_op{&op, std::move(key), std::move(name)});
  }
  return {};
}

status db_update::apply(db_tree& tree) const {
  if (auto ok = validate(tree); !ok)
    return ok;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const auto& op = ops[i];
    status done;
    switch (op.op) {
      case db_op::kind::create_key:
        done = tree.create_key(op.path);
        break;
      case db_op::kind::delete_key:
        done = tree.delete_key(op.path);
        break;
      case db_op::kind::set_value:
        done = tree.set_value(op.path, op.name, op.value);
        break;
      case db_op::kind::delete_value:
        done = tree.delete_value(op.path, op.name);
        break;
    }
    // validate() said every op applies; disagreeing with it is a bug, not an input error.
    if (!done) {
      throw std::logic_error("db_update::apply: op " + std::to_string(i) + " (" + describe(op) +
                             ") failed after validation: " + done.error());
    }
  }
  return {};
}

result<db_update> parse_db_update(const nlohmann::json& json) {
  if (!json.is_object())
    return fail("update must be an object, got " + json_kind(json));
  for (const auto& [field, _] : json.items()) {
    if (field != "seq" && field != "ops")
      return fail("update has unexpected field '" + field + "'");
  }
  const auto seq_it = json.find("seq");
  if (seq_it == json.end())
    return fail("update has no field 'seq'");
  auto seq = parse_seq(*seq_it);
  if (!seq)
    return fail("update " + seq.error());
  const auto ops_it = json.find("ops");
  if (ops_it == json.end())
    return fail("update has no field 'ops'");
  if (!ops_it->is_array()) {
    return fail("update field 'ops' must be an array, got " + json_kind(*ops_it));
  }
  db_update update;
  update.seq = *seq;
  update.ops.reserve(ops_it->size());
  for (std::size_t i = 0; i < ops_it->size(); ++i) {
    auto op = parse_db_op((*ops_it)[i]);
    if (!op)
      return fail("op " + std::to_string(i) + ": " + op.error());
    update.ops.push_back(std::move(op).value());
  }
  return update;
}

nlohmann::json to_json(const db_update& update) {
  nlohmann::json out;
  to_json(out, update);
  return out;
}

void to_json(nlohmann::json& json, const db_update& update) {
  nlohmann::json ops = nlohmann::json::array();
  for (const auto& op : update.ops)
    ops.push_back(to_json(op));
  json = nlohmann::json{{"seq", update.seq}, {"ops", std::move(ops)}};
}

}  // namespace wolfpack::cluster
