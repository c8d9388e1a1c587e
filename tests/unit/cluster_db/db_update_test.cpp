#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "db_test_support.hpp"
#include "wolfpack/cluster_db/db_update.hpp"

using nlohmann::json;
using wolfpack::typed_value;
using wolfpack::cluster::db_op;
using wolfpack::cluster::db_tree;
using wolfpack::cluster::db_update;
using wolfpack::cluster::parse_db_update;
using wolfpack::test::must;

namespace {

db_tree base_tree() {
  db_tree t;
  must(t.create_key("Resources\\R1\\Parameters"));
  must(t.set_value("Resources\\R1", "Name", typed_value::sz("disk")));
  must(t.set_value("Resources\\R1\\Parameters", "Path", typed_value::sz("/srv")));
  return t;
}

std::string validation_error(const db_update& update, const db_tree& tree) {
  auto ok = update.validate(tree);
  return ok ? std::string("(valid)") : ok.error();
}

}  // namespace

TEST_CASE("validate accepts ops that earlier ops in the update make possible",
          "[cluster_db][update]") {
  const db_tree t = base_tree();
  struct example {
    const char* what;
    std::vector<db_op> ops;
  };
  for (const auto& [what, ops] : std::vector<example>{
           {"set on a key created earlier",
            {db_op::create_key("Groups\\G1"),
             db_op::set_value("groups\\g1", "Name", typed_value::sz("g"))}},
           {"set on a parent created by a deeper create",
            {db_op::create_key("Groups\\G1\\Sub"),
             db_op::set_value("Groups", "Count", typed_value::dword(1))}},
           {"delete a value set earlier",
            {db_op::set_value("Resources\\R1", "New", typed_value::dword(1)),
             db_op::delete_value("Resources\\R1", "NEW")}},
           {"recreate a deleted key and use it",
            {db_op::delete_key("Resources"), db_op::create_key("Resources\\R1"),
             db_op::set_value("Resources\\R1", "Name", typed_value::sz("again")),
             db_op::delete_value("Resources\\R1", "Name")}},
           {"create an existing key", {db_op::create_key("Resources\\R1")}},
           {"an empty update", {}},
       }) {
    INFO(what);
    CHECK(validation_error(db_update{1, ops}, t) == "(valid)");
  }
}

TEST_CASE("validate names the op that does not apply", "[cluster_db][update]") {
  const db_tree t = base_tree();
  struct example {
    std::vector<db_op> ops;
    std::string error;
  };
  for (const auto& [ops, error] : std::vector<example>{
           {{db_op::create_key("A"), db_op::set_value("A", "x", typed_value::dword(1)),
             db_op::set_value("B", "y", typed_value::dword(1))},
            "op 2 (set_value 'B' 'y'): key 'B' does not exist"},
           {{db_op::delete_key("Resources\\R1"),
             db_op::set_value("Resources\\R1\\Parameters", "Path", typed_value::sz("x"))},
            "op 1 (set_value 'Resources\\R1\\Parameters' 'Path'): key "
            "'Resources\\R1\\Parameters' does not exist"},
           {{db_op::delete_key("Resources"), db_op::create_key("Resources\\R1"),
             db_op::delete_value("Resources\\R1", "Name")},
            "op 2 (delete_value 'Resources\\R1' 'Name'): key 'Resources\\R1' has no value 'Name'"},
           {{db_op::delete_value("Resources\\R1", "Name"),
             db_op::delete_value("Resources\\R1", "name")},
            "op 1 (delete_value 'Resources\\R1' 'name'): key 'Resources\\R1' has no value 'name'"},
           {{db_op::delete_key("Resources\\R1"), db_op::delete_key("Resources\\R1\\Parameters")},
            "op 1 (delete_key 'Resources\\R1\\Parameters'): key 'Resources\\R1\\Parameters' does "
            "not exist"},
           {{db_op::delete_key("")}, "op 0 (delete_key ''): cannot delete the root key"},
           {{db_op::create_key("")}, "op 0 (create_key ''): cannot create the root key"},
           {{db_op::create_key("A\\\\B")},
            "op 0 (create_key 'A\\\\B'): key path 'A\\\\B' has an empty component"},
           {{db_op::set_value("Resources", "", typed_value::dword(1))},
            "op 0 (set_value 'Resources' ''): value name is empty"},
           {{db_op::set_value("Resources", "x", typed_value::multi_sz({""}))},
            "op 0 (set_value 'Resources' 'x'): MULTI_SZ element 0 is empty"},
       }) {
    CHECK(validation_error(db_update{5, ops}, t) == error);
  }
}

TEST_CASE("apply is all or nothing", "[cluster_db][update]") {
  db_tree t = base_tree();
  const db_tree before = t;
  const db_update bad{7,
                      {db_op::create_key("Groups\\G1"),
                       db_op::set_value("Resources\\R1", "Name", typed_value::sz("changed")),
                       db_op::delete_key("Resources\\R1\\Parameters"),
                       db_op::delete_value("Resources\\R1", "Missing")}};
  auto result = bad.apply(t);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error() ==
        "op 3 (delete_value 'Resources\\R1' 'Missing'): key 'Resources\\R1' has no value "
        "'Missing'");
  CHECK(t == before);
  CHECK(t.hash() == before.hash());

  db_update good = bad;
  good.ops.pop_back();
  must(good.apply(t));
  CHECK(t.key_exists("Groups\\G1"));
  CHECK(t.get_sz("Resources\\R1", "Name", "") == "changed");
  CHECK_FALSE(t.key_exists("Resources\\R1\\Parameters"));
}

TEST_CASE("updates round-trip through JSON", "[cluster_db][update][json]") {
  const db_update update{
      18446744073709551615ull,
      {db_op::create_key("Resources\\{4f3c}\\Parameters"),
       db_op::set_value("Resources\\{4f3c}", "D", typed_value::dword(0xFFFFFFFFu)),
       db_op::set_value("Resources\\{4f3c}", "Q", typed_value::qword(18446744073709551615ull)),
       db_op::set_value("Resources\\{4f3c}", "S", typed_value::sz("h\xc3\xa9")),
       db_op::set_value("Resources\\{4f3c}", "E", typed_value::expand_sz("%TEMP%")),
       db_op::set_value("Resources\\{4f3c}", "M", typed_value::multi_sz({"a", "b"})),
       db_op::set_value("Resources\\{4f3c}", "B", typed_value::binary({0, 0xff})),
       db_op::delete_value("Resources\\{4f3c}", "B"),
       db_op::delete_key("Resources\\{4f3c}\\Parameters")}};
  const json j = wolfpack::cluster::to_json(update);
  CHECK(j["ops"][0] == json{{"op", "create_key"}, {"path", "Resources\\{4f3c}\\Parameters"}});
  CHECK(j["ops"][1] == json::parse(R"({"op":"set_value","path":"Resources\\{4f3c}","name":"D",
                                       "value":{"type":"DWORD","value":4294967295}})"));
  CHECK(j["ops"][7] ==
        json::parse(R"({"op":"delete_value","path":"Resources\\{4f3c}","name":"B"})"));
  auto back = parse_db_update(json::parse(j.dump()));
  REQUIRE(back.ok());
  CHECK(*back == update);
  json implicit = update;
  CHECK(implicit == j);
}

TEST_CASE("malformed update JSON is refused naming the op and field",
          "[cluster_db][update][json]") {
  struct example {
    std::string input;
    std::string error;
  };
  for (const auto& [input, error] : std::vector<example>{
           {R"([1])", "update must be an object, got an array"},
           {R"({"ops":[]})", "update has no field 'seq'"},
           {R"({"seq":1})", "update has no field 'ops'"},
           {R"({"seq":1,"ops":[],"from":2})", "update has unexpected field 'from'"},
           {R"({"seq":-1,"ops":[]})",
            "update field 'seq' must be a non-negative integer below 2^64, got -1"},
           {R"({"seq":1.5,"ops":[]})",
            "update field 'seq' must be a non-negative integer below 2^64, got 1.5"},
           {R"({"seq":"1","ops":[]})",
            "update field 'seq' must be a non-negative integer below 2^64, got a string"},
           {R"({"seq":1,"ops":{}})", "update field 'ops' must be an array, got an object"},
           {R"({"seq":1,"ops":[{"op":"create_key","path":"A"},7]})",
            "op 1: must be an object, got a number"},
           {R"({"seq":1,"ops":[{"path":"A"}]})", "op 0: missing field 'op'"},
           {R"({"seq":1,"ops":[{"op":3,"path":"A"}]})",
            "op 0: field 'op' must be a string, got a number"},
           {R"({"seq":1,"ops":[{"op":"rename_key","path":"A"}]})",
            "op 0: unknown op 'rename_key' (expected create_key, delete_key, set_value or "
            "delete_value)"},
           {R"({"seq":1,"ops":[{"op":"create_key"}]})", "op 0: missing field 'path'"},
           {R"({"seq":1,"ops":[{"op":"create_key","path":null}]})",
            "op 0: field 'path' must be a string, got null"},
           {R"({"seq":1,"ops":[{"op":"delete_key","path":"A\\\\B"}]})",
            "op 0: field 'path': key path 'A\\\\B' has an empty component"},
           {R"({"seq":1,"ops":[{"op":"create_key","path":"A","name":"x"}]})",
            "op 0: unexpected field 'name' for create_key"},
           {R"({"seq":1,"ops":[{"op":"delete_value","path":"A","name":"x","value":1}]})",
            "op 0: unexpected field 'value' for delete_value"},
           {R"({"seq":1,"ops":[{"op":"delete_value","path":"A"}]})", "op 0: missing field 'name'"},
           {R"({"seq":1,"ops":[{"op":"set_value","path":"A","name":""}]})",
            "op 0: field 'name': value name is empty"},
           {R"({"seq":1,"ops":[{"op":"set_value","path":"A","name":"x"}]})",
            "op 0: missing field 'value'"},
           {R"({"seq":1,"ops":[{"op":"set_value","path":"A","name":"x","value":5}]})",
            "op 0: field 'value': typed value must be an object {\"type\":...,\"value\":...}, "
            "got a number"},
           {R"({"seq":1,"ops":[{"op":"set_value","path":"A","name":"x",)"
            R"("value":{"type":"DWORD","value":4294967296}}]})",
            "op 0: field 'value': DWORD value 4294967296 is out of range"},
       }) {
    INFO(input);
    auto parsed = parse_db_update(json::parse(input));
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error() == error);
  }
}

// validate() reasons about earlier ops without copying the tree; applying the ops one by
// one to a copy is the obvious (slow) truth it must agree with.
TEST_CASE("validate and apply agree with applying ops one by one on a copy",
          "[cluster_db][update][random]") {
  std::mt19937 rng(20240601);
  const std::vector<std::string> paths = {"A", "a\\B", "A\\b\\C", "A\\D", "E", "e\\F"};
  const std::vector<std::string> names = {"x", "X", "y"};
  auto pick = [&](const auto& from) { return from[rng() % from.size()]; };
  db_tree tree;
  int valid = 0;
  int invalid = 0;
  for (int round = 0; round < 2000; ++round) {
    db_update update{static_cast<std::uint64_t>(round + 1), {}};
    const int count = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < count; ++i) {
      switch (rng() % 4) {
        case 0:
          update.ops.push_back(db_op::create_key(pick(paths)));
          break;
        case 1:
          update.ops.push_back(db_op::delete_key(pick(paths)));
          break;
        case 2:
          update.ops.push_back(db_op::set_value(
              pick(paths), pick(names), typed_value::dword(static_cast<std::uint32_t>(rng()))));
          break;
        default:
          update.ops.push_back(db_op::delete_value(pick(paths), pick(names)));
          break;
      }
    }
    db_tree copy = tree;
    bool one_by_one = true;
    for (const auto& op : update.ops) {
      wolfpack::status s;
      switch (op.op) {
        case db_op::kind::create_key:
          s = copy.create_key(op.path);
          break;
        case db_op::kind::delete_key:
          s = copy.delete_key(op.path);
          break;
        case db_op::kind::set_value:
          s = copy.set_value(op.path, op.name, op.value);
          break;
        case db_op::kind::delete_value:
          s = copy.delete_value(op.path, op.name);
          break;
      }
      if (!s) {
        one_by_one = false;
        break;
      }
    }
    INFO("round " << round << ": " << wolfpack::cluster::to_json(update).dump());
    const db_tree before = tree;
    const auto applied = update.apply(tree);
    REQUIRE(applied.ok() == one_by_one);
    if (one_by_one) {
      CHECK(tree == copy);
      ++valid;
    } else {
      CHECK(tree == before);
      ++invalid;
    }
  }
  // Both outcomes were exercised often.
  CHECK(valid > 300);
  CHECK(invalid > 300);
}
