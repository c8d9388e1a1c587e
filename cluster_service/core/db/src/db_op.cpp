#include "wolfpack/cluster_db/db_op.hpp"

#include <array>
#include <optional>
#include <utility>

#include "wolfpack/cluster_db/db_path.hpp"
#include "wolfpack/common/json_kind.hpp"
#include "wolfpack/common/json_object_builder.hpp"

namespace wolfpack::cluster {
namespace {

using wolfpack::detail::json_kind;

constexpr std::array all_kinds{db_op::kind::create_key, db_op::kind::delete_key,
                               db_op::kind::set_value, db_op::kind::delete_value};

bool has_name(db_op::kind kind) {
  return kind == db_op::kind::set_value || kind == db_op::kind::delete_value;
}

result<std::string> string_field(const nlohmann::json& json, const char* field) {
  const auto it = json.find(field);
  if (it == json.end())
    return fail(std::string("missing field '") + field + "'");
  if (!it->is_string()) {
    return fail(std::string("field '") + field + "' must be a string, got " + json_kind(*it));
  }
  return it->get<std::string>();
}

}  // namespace

db_op db_op::create_key(std::string path) {
  return {kind::create_key, std::move(path), {}, {}};
}

db_op db_op::delete_key(std::string path) {
  return {kind::delete_key, std::move(path), {}, {}};
}

db_op db_op::set_value(std::string path, std::string name, typed_value value) {
  return {kind::set_value, std::move(path), std::move(name), std::move(value)};
}

db_op db_op::delete_value(std::string path, std::string name) {
  return {kind::delete_value, std::move(path), std::move(name), {}};
}

std::string_view to_string(db_op::kind kind) {
  switch (kind) {
    case db_op::kind::create_key:
      return "create_key";
    case db_op::kind::delete_key:
      return "delete_key";
    case db_op::kind::set_value:
      return "set_value";
    case db_op::kind::delete_value:
      return "delete_value";
  }
  return "unknown";
}

std::string describe(const db_op& op) {
  std::string out = std::string(to_string(op.op)) + " '" + op.path + "'";
  if (has_name(op.op))
    out += " '" + op.name + "'";
  return out;
}

result<db_op> parse_db_op(const nlohmann::json& json) {
  if (!json.is_object())
    return fail("must be an object, got " + json_kind(json));
  auto op_text = string_field(json, "op");
  if (!op_text)
    return fail(op_text.error());
  std::optional<db_op::kind> kind;
  for (auto k : all_kinds) {
    if (*op_text == to_string(k))
      kind = k;
  }
  if (!kind) {
    return fail("unknown op '" + *op_text +
                "' (expected create_key, delete_key, set_value or delete_value)");
  }
  for (const auto& [field, _] : json.items()) {
    const bool allowed = field == "op" || field == "path" || (field == "name" && has_name(*kind)) ||
                         (field == "value" && *kind == db_op::kind::set_value);
    if (!allowed) {
      return fail("unexpected field '" + field + "' for " + std::string(to_string(*kind)));
    }
  }

  db_op op;
  op.op = *kind;
  auto path = string_field(json, "path");
  if (!path)
    return fail(path.error());
  if (auto components = split_key_path(*path); !components) {
    return fail("field 'path': " + components.error());
  }
  op.path = std::move(path).value();

  if (has_name(*kind)) {
    auto name = string_field(json, "name");
    if (!name)
      return fail(name.error());
    if (auto ok = check_value_name(*name); !ok)
      return fail("field 'name': " + ok.error());
    op.name = std::move(name).value();
  }
  if (*kind == db_op::kind::set_value) {
    const auto it = json.find("value");
    if (it == json.end())
      return fail("missing field 'value'");
    auto value = parse_typed_value(*it);
    if (!value)
      return fail("field 'value': " + value.error());
    op.value = std::move(value).value();
  }
  return op;
}

nlohmann::json to_json(const db_op& op) {
  nlohmann::json out;
  to_json(out, op);
  return out;
}

void to_json(nlohmann::json& json, const db_op& op) {
  // Every op of every update is written here.
  json_object_builder out;
  if (has_name(op.op))
    out.add("name", op.name);
  out.add("op", to_string(op.op)).add("path", op.path);
  if (op.op == db_op::kind::set_value)
    out.add("value", wolfpack::to_json(op.value));
  json = out.take();
}

}  // namespace wolfpack::cluster
