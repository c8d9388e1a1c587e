#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_db/folded_key.hpp"
#include "wolfpack/common/result.hpp"
#include "wolfpack/common/typed_value.hpp"

namespace wolfpack::cluster {

// A value as enumerated: its name as written and its typed value.
struct named_value {
  std::string name;
  typed_value value;

  bool operator==(const named_value&) const = default;
};

// The cluster database as the deterministic core sees it: a registry-like tree of keys,
// each holding typed values. Paths are described in db_path.hpp. Names are looked up
// ignoring (ASCII) case and keep the case they were first created with; enumeration is
// sorted by the case-folded name, so every node enumerates the same tree the same way.
// The root key "" always exists. No I/O, no clock.
class db_tree {
 public:
  db_tree();

  // Readers. An invalid path reads as a missing key.
  bool key_exists(std::string_view path) const;
  // The key's last component as it was first written (the path may spell it in any case);
  // nullopt if the key is missing. "" for the root.
  std::optional<std::string> key_name(std::string_view path) const;
  // Direct subkeys of `path` (names as written, sorted ignoring case); empty if missing.
  std::vector<std::string> subkeys(std::string_view path) const;
  // visit(name) for the direct subkeys of `path` in the order of subkeys(), until it returns
  // false: a search that stops early copies no names.
  template <typename Visit>
  void for_each_subkey(std::string_view path, Visit&& visit) const {
    if (const auto* key = find(path)) {
      for (const auto& [_, name] : key->children) {
        if (!visit(name))
          return;
      }
    }
  }
  // Values of `path` (sorted by name ignoring case); empty if missing.
  std::vector<named_value> values(std::string_view path) const;
  std::optional<typed_value> get(std::string_view path, std::string_view name) const;
  // The same without a copy: valid until the value or its key changes.
  const typed_value* find_value(std::string_view path, std::string_view name) const;
  // Every key's full path as written, the root ("") first, parents before children,
  // siblings sorted ignoring case.
  std::vector<std::string> key_paths() const;
  std::size_t key_count() const { return keys_.size(); }

  // Typed getters: the default when the key or value is missing or of another type.
  // get_qword also widens a DWORD; get_sz also reads an EXPAND_SZ (unexpanded).
  std::uint32_t get_dword(std::string_view path, std::string_view name,
                          std::uint32_t default_value) const;
  std::uint64_t get_qword(std::string_view path, std::string_view name,
                          std::uint64_t default_value) const;
  std::string get_sz(std::string_view path, std::string_view name, std::string default_value) const;
  std::vector<std::string> get_multi_sz(std::string_view path, std::string_view name,
                                        std::vector<std::string> default_value) const;

  // Writers. Changes that must reach every node go through db_update instead; these are
  // what db_update::apply uses. Each either succeeds or changes nothing.
  //
  // Creates the key and any missing parents; an existing key is fine (names already
  // there keep their case). Fails on an invalid path or on the root.
  [[nodiscard]] status create_key(std::string_view path);
  // Deletes the key with all its subkeys and values. Fails if missing or the root.
  [[nodiscard]] status delete_key(std::string_view path);
  // Sets a value on an existing key (an existing value keeps its name's case).
  [[nodiscard]] status set_value(std::string_view path, std::string_view name, typed_value value);
  // Deletes an existing value.
  [[nodiscard]] status delete_value(std::string_view path, std::string_view name);

  // The whole tree for a joiner:
  //   {"keys":[{"path":"","values":{}},
  //            {"path":"Cluster","values":{"Name":{"type":"SZ","value":"wolfpack"}}}, ...]}
  // Keys are listed parents first (the order of key_paths()).
  nlohmann::json to_json() const;
  // Strict: unknown fields, duplicate keys or values (ignoring case), a key listed before
  // its parent and malformed values are errors naming the key and value.
  [[nodiscard]] static result<db_tree> from_json(const nlohmann::json& json);

  // SHA-256 (lowercase hex) of a canonical serialisation: keys and value names case-folded,
  // in sorted order, with each value's type and bytes. Trees that answer every lookup the
  // same have the same hash, whatever order they were built in; any change to a key, a
  // value's type or a value's data changes it. Two trees that differ only in the case a
  // name is spelled with hash the same.
  std::string hash() const;

  // What hash() tells apart, in 128 bits (lowercase hex), kept up to date by every write so
  // that reading it costs nothing: an order-independent sum of a digest of each key and each
  // value. Not cryptographic; for checks that compare many versions (the simulator's
  // invariants), where hash() would walk the whole tree each time.
  std::string content_digest() const;

  // Exact equality, including the case names are spelled with.
  bool operator==(const db_tree&) const = default;

 private:
  struct key_entry {
    std::string path;                                        // full path as written
    std::string name;                                        // last component as written
    std::map<std::string, std::string> children;             // folded name -> name as written
    std::map<std::string, named_value, folded_less> values;  // by case-folded name

    bool operator==(const key_entry&) const = default;
  };

  // digest_ += or -= the entry of a key (`values` too: its values) or of one of its values.
  void count_key(const key_entry& key, bool add, bool values);
  void count_value(const key_entry& key, const named_value& value, bool add);

  const key_entry* find(std::string_view path) const;
  key_entry* find(std::string_view path);
  // The writers' steps once the path, name and value are known to be valid: a new key
  // `name` under `parent` (its folded full path given), and a value set on `key`.
  key_entry& add_subkey(key_entry& parent, const std::string& folded_path, std::string_view name);
  void put_value(key_entry& key, std::string_view name, typed_value value);
  // visit(folded components, key) for every key in the order of key_paths().
  template <typename Visit>
  void walk(Visit&& visit) const;

  // By case-folded full path ("" for the root), so that a lookup hashes the path once
  // instead of splitting it and comparing components down a tree. A path that is not valid
  // (db_path.hpp) is never stored, so it is simply not found. Order comes from `children`.
  std::unordered_map<std::string, key_entry, folded_hash, folded_equal> keys_;
  std::uint64_t digest_low_ = 0;  // content_digest(): the sum modulo 2^128
  std::uint64_t digest_high_ = 0;
};

}  // namespace wolfpack::cluster
