#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/cluster_db/db_update.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster {

// The node's copy of the cluster database on disk: `clusdb.sqlite` in the state directory,
// SQLite in WAL mode with synchronous=FULL, so a change is durable when commit returns.
// Every write is one transaction that also records the sequence number of the last update
// it contains.
//
// Tables (schema version 1):
//   meta(name, value)                        'schema_version' = 1, 'last_seq', and
//                                            'promised_epoch' once a promise was kept
//   db_keys(fold, path)                      case-folded path → path as written; root is ''
//   db_values(key_fold, name_fold, name, type, data BLOB)   type is "DWORD", "SZ", ...
//
// Used from one thread. A moved-from store may only be destroyed or assigned to.
class sqlite_store {
 public:
  static constexpr std::int64_t supported_schema_version = 1;

  struct contents {
    db_tree tree;
    std::uint64_t last_seq = 0;
    std::uint64_t promised_epoch = 0;  // keep_promise's last; 0 when none
  };

  // A missing file is created with the schema (built beside it as `<path>.new`, then
  // renamed, so a crash never leaves a half-made database). An existing file is first
  // checked through a read-only connection and refused, untouched, if it is not a SQLite
  // database, fails PRAGMA quick_check, lacks our tables, or has a schema version other
  // than 1. Errors name the file and the problem:
  //   "cluster database '/x/clusdb.sqlite' is not usable: file is not a database; the file
  //    was left unchanged"
  [[nodiscard]] static result<sqlite_store> open(const std::filesystem::path& path);

  sqlite_store(sqlite_store&&) noexcept;
  sqlite_store& operator=(sqlite_store&&) noexcept;
  ~sqlite_store();

  // The tree and the last recorded seq, read in one transaction. Rows that do not make a
  // valid tree (orphan keys, undecodable values) are an error naming the file and the row.
  [[nodiscard]] result<contents> load() const;

  // Applies every update's ops in order in ONE transaction and records the highest seq;
  // durable on return. Seqs must increase and the first must exceed last_seq(). Ops must
  // apply as db_update::validate describes. On any error nothing is written and the
  // message names the update and op. An empty list is a no-op.
  [[nodiscard]] status commit(const std::vector<db_update>& updates);

  // Replaces the whole database with `tree` and records `seq`, in one transaction: a
  // joiner taking its sponsor's database. Any seq is accepted (a rejoining node's own
  // database may be ahead of, or diverged from, the cluster's).
  [[nodiscard]] status replace_all(const db_tree& tree, std::uint64_t seq);

  // Records the regroup ballot this node promised (cluster::out_keep_promise), outside the
  // replicated tree; durable on return.
  [[nodiscard]] status keep_promise(std::uint64_t epoch);

  std::uint64_t last_seq() const;
  const std::filesystem::path& path() const;

  // Runs `sql` on the store's own connection and returns the first column of the first
  // row as text ("" if none). For tests: pragmas of this connection, fault injection.
  [[nodiscard]] result<std::string> TEST_query(std::string_view sql);

 private:
  struct impl;
  explicit sqlite_store(std::unique_ptr<impl> state);

  std::unique_ptr<impl> impl_;
};

}  // namespace wolfpack::cluster
