#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "wolfpack/common/result.hpp"
#include "wolfpack/common/typed_value.hpp"

namespace wolfpack::cluster {

// One change to the cluster database. On the wire:
//   {"op":"create_key","path":"Resources\\{id}\\Parameters"}      creates missing parents too
//   {"op":"delete_key","path":"Resources\\{id}"}                   with all subkeys and values
//   {"op":"set_value","path":"...","name":"Foo","value":{"type":"DWORD","value":1}}
//   {"op":"delete_value","path":"...","name":"Foo"}
struct db_op {
  enum class kind { create_key, delete_key, set_value, delete_value };

  kind op = kind::create_key;
  std::string path;
  std::string name;   // set_value, delete_value; empty otherwise
  typed_value value;  // set_value; a DWORD 0 otherwise

  static db_op create_key(std::string path);
  static db_op delete_key(std::string path);
  static db_op set_value(std::string path, std::string name, typed_value value);
  static db_op delete_value(std::string path, std::string name);

  bool operator==(const db_op&) const = default;
};

// "create_key", "delete_key", "set_value", "delete_value".
std::string_view to_string(db_op::kind kind);

// "set_value 'Resources\\R1' 'Foo'": how errors name an op.
std::string describe(const db_op& op);

// Strict: the fields an op of that kind has and no others. Errors name the field:
// "field 'value': DWORD value 5000000000 is out of range", "missing field 'path'".
// Syntax only (path, name and value well-formed); applicability is db_update::validate.
[[nodiscard]] result<db_op> parse_db_op(const nlohmann::json& json);

nlohmann::json to_json(const db_op& op);
void to_json(nlohmann::json& json, const db_op& op);

}  // namespace wolfpack::cluster
