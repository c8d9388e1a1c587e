#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <sqlite3.h>
#include <catch2/catch.hpp>

#ifndef _WIN32
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "db_test_support.hpp"
#include "wolfpack/cluster_db/db_update.hpp"
#include "wolfpack/cluster_store/sqlite_store.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using wolfpack::typed_value;
using wolfpack::cluster::db_op;
using wolfpack::cluster::db_tree;
using wolfpack::cluster::db_update;
using wolfpack::cluster::sqlite_store;
using wolfpack::test::db_temp_dir;
using wolfpack::test::must;
using wolfpack::test::read_bytes;

namespace {

// Opens a database directly with SQLite, to craft or inspect files behind the store's back.
class raw_db {
 public:
  explicit raw_db(const fs::path& path) {
    if (sqlite3_open(path.string().c_str(), &db_) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + path.string());
    }
  }
  ~raw_db() { sqlite3_close(db_); }
  raw_db(const raw_db&) = delete;
  raw_db& operator=(const raw_db&) = delete;

  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message ? message : "?";
      sqlite3_free(message);
      throw std::runtime_error(sql + ": " + text);
    }
  }
  std::string query(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(stmt, 0);
      out = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

sqlite_store open_store(const fs::path& path) {
  auto store = sqlite_store::open(path);
  if (!store)
    throw std::runtime_error(store.error());
  return std::move(store).value();
}

db_update update(std::uint64_t seq, std::vector<db_op> ops) {
  return db_update{seq, std::move(ops)};
}

std::vector<db_update> sample_updates() {
  return {
      update(1, {db_op::create_key("Cluster"),
                 db_op::set_value("Cluster", "Name", typed_value::sz("wolfpack"))}),
      update(
          2,
          {db_op::create_key("Resources\\R1\\Parameters"),
           db_op::set_value("Resources\\R1", "Type", typed_value::sz("Generic Application")),
           db_op::set_value("Resources\\R1", "RestartThreshold", typed_value::dword(3)),
           db_op::set_value("Resources\\R1", "Big", typed_value::qword(18446744073709551615ull)),
           db_op::set_value("Resources\\R1\\Parameters", "CommandLine",
                            typed_value::expand_sz("%SystemRoot%\\x.exe")),
           db_op::set_value("Resources\\R1\\Parameters", "Args",
                            typed_value::multi_sz({"-a", "b"})),
           db_op::set_value("Resources\\R1\\Parameters", "None", typed_value::multi_sz({})),
           db_op::set_value("Resources\\R1\\Parameters", "Key", typed_value::binary({0, 1, 255})),
           db_op::set_value("Resources\\R1\\Parameters", "Empty", typed_value::binary({})),
           db_op::set_value("Resources\\R1\\Parameters", "Blank", typed_value::sz(""))}),
      update(3, {db_op::create_key("RESOURCES\\R10"),
                 db_op::set_value("resources\\r1", "type", typed_value::sz("Dummy"))}),
  };
}

db_tree applied(const std::vector<db_update>& updates) {
  db_tree tree;
  for (const auto& u : updates)
    must(u.apply(tree));
  return tree;
}

// A store holding enough rows to span many pages, closed, so that the file on its own is
// the whole database.
void make_big_database(const fs::path& path) {
  auto store = open_store(path);
  std::vector<db_op> ops;
  for (int i = 0; i < 300; ++i) {
    const std::string key = "Resources\\R" + std::to_string(i);
    ops.push_back(db_op::create_key(key));
    ops.push_back(db_op::set_value(key, "Description", typed_value::sz(std::string(200, 'd'))));
  }
  must(store.commit({update(1, ops)}));
}

// The refusal names the file and the problem, and leaves every byte as it was.
void check_refused(const fs::path& path, const std::string& problem) {
  const std::string before = read_bytes(path);
  auto store = sqlite_store::open(path);
  REQUIRE_FALSE(store.ok());
  INFO(store.error());
  CHECK_THAT(store.error(), Contains("cluster database '" + path.string() + "' is not usable: "));
  CHECK_THAT(store.error(), Contains(problem));
  CHECK_THAT(store.error(), Contains("the file was left unchanged"));
  CHECK(read_bytes(path) == before);
  CHECK_FALSE(fs::exists(path.string() + ".new"));
  // Nor does SQLite's read-only check leave its -wal and -shm files behind.
  CHECK_FALSE(fs::exists(path.string() + "-wal"));
  CHECK_FALSE(fs::exists(path.string() + "-shm"));
}

}  // namespace

TEST_CASE("a missing database is created empty, in WAL mode", "[cluster_db][store]") {
  db_temp_dir dir;
  const auto path = dir / "clusdb.sqlite";
  {
    auto store = open_store(path);
    CHECK(fs::exists(path));
    CHECK_FALSE(fs::exists(path.string() + ".new"));
    CHECK(store.path() == path);
    CHECK(store.last_seq() == 0);
    auto loaded = store.load();
    REQUIRE(loaded.ok());
    CHECK(loaded->tree == db_tree());
    CHECK(loaded->last_seq == 0);
    CHECK(store.TEST_query("PRAGMA journal_mode").value() == "wal");
    CHECK(store.TEST_query("PRAGMA synchronous").value() == "2");  // FULL
  }
  raw_db raw(path);
  CHECK(raw.query("PRAGMA journal_mode") == "wal");  // persistent in the file
  CHECK(raw.query("SELECT value FROM meta WHERE name = 'schema_version'") == "1");
}

TEST_CASE("committed updates survive reopening", "[cluster_db][store]") {
  db_temp_dir dir;
  const auto path = dir / "clusdb.sqlite";
  const auto updates = sample_updates();
  const db_tree expected = applied(updates);
  {
    auto store = open_store(path);
    must(store.commit({updates[0]}));
    CHECK(store.last_seq() == 1);
    must(store.commit({updates[1], updates[2]}));
    CHECK(store.last_seq() == 3);
    auto loaded = store.load();
    REQUIRE(loaded.ok());
    CHECK(loaded->tree == expected);
  }
  auto store = open_store(path);
  CHECK(store.last_seq() == 3);
  auto loaded = store.load();
  REQUIRE(loaded.ok());
  CHECK(loaded->last_seq == 3);
  CHECK(loaded->tree == expected);  // spelling included: "Resources", "Type"
  CHECK(loaded->tree.hash() == expected.hash());
  CHECK(loaded->tree.get_sz("Resources\\R1", "Type", "") == "Dummy");
}

TEST_CASE("a kept regroup promise survives reopening, beside the tree", "[cluster_db][store]") {
  db_temp_dir dir;
  const auto path = dir / "clusdb.sqlite";
  const auto updates = sample_updates();
  {
    auto store = open_store(path);
    auto fresh = store.load();
    REQUIRE(fresh.ok());
    CHECK(fresh->promised_epoch == 0);  // none kept yet
    must(store.commit({updates[0]}));
    must(store.keep_promise(5242881));
    must(store.keep_promise(6291457));
  }
  auto store = open_store(path);
  auto loaded = store.load();
  REQUIRE(loaded.ok());
  CHECK(loaded->promised_epoch == 6291457);
  // Not part of the replicated database: the tree and its seq are the commit's alone.
  CHECK(loaded->last_seq == 1);
  CHECK(loaded->tree == applied({updates[0]}));
}

TEST_CASE("a batch of updates is one transaction", "[cluster_db][store]") {
  db_temp_dir dir;
  auto store = open_store(dir / "clusdb.sqlite");
  std::vector<db_update> batch;
  db_tree expected;
  for (std::uint64_t seq = 10; seq < 110; ++seq) {
    const std::string key = "Groups\\G" + std::to_string(seq);
    batch.push_back(update(
        seq, {db_op::create_key(key), db_op::set_value(key, "Seq", typed_value::qword(seq))}));
  }

  SECTION("all of it is written, with the highest seq") {
    must(store.commit(batch));
    for (const auto& u : batch)
      must(u.apply(expected));
    CHECK(store.last_seq() == 109);
    auto loaded = store.load();
    REQUIRE(loaded.ok());
    CHECK(loaded->last_seq == 109);
    CHECK(loaded->tree == expected);
    CHECK(loaded->tree.subkeys("Groups").size() == 100);
  }
  SECTION("an op that fails half-way writes none of it") {
    batch[50].ops.push_back(db_op::delete_value("Groups\\Nope", "x"));
    auto result = store.commit(batch);
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.error(), Contains("update seq 60, op 2 (delete_value 'Groups\\Nope' 'x'): "
                                        "key 'Groups\\Nope' does not exist; nothing was written"));
    CHECK(store.last_seq() == 0);
    auto loaded = store.load();
    REQUIRE(loaded.ok());
    CHECK(loaded->last_seq == 0);
    CHECK(loaded->tree == db_tree());
    // The store is still usable.
    batch[50].ops.pop_back();
    must(store.commit(batch));
    CHECK(store.last_seq() == 109);
  }
}

#ifndef _WIN32
TEST_CASE("a commit survives a crash before the log is checkpointed", "[cluster_db][store]") {
  db_temp_dir dir;
  const auto path = dir / "clusdb.sqlite";
  const auto updates = sample_updates();
  { auto store = open_store(path); }
  // The child commits and dies without closing: the changes live only in the -wal file.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto store = sqlite_store::open(path);
    const bool ok = store.ok() && store->commit(updates).ok();
    ::_exit(ok ? 0 : 1);
  }
  int wstatus = 0;
  REQUIRE(::waitpid(child, &wstatus, 0) == child);
  REQUIRE(WIFEXITED(wstatus));
  REQUIRE(WEXITSTATUS(wstatus) == 0);
  REQUIRE(fs::file_size(path.string() + "-wal") > 0);

  auto store = open_store(path);
  CHECK(store.last_seq() == 3);
  auto loaded = store.load();
  REQUIRE(loaded.ok());
  CHECK(loaded->tree == applied(updates));
}
#endif

TEST_CASE("seqs must increase beyond the last recorded one", "[cluster_db][store]") {
  db_temp_dir dir;
  auto store = open_store(dir / "clusdb.sqlite");
  must(store.commit({update(5, {db_op::create_key("A")})}));
  const auto state = store.load().value().tree;

  struct example {
    std::vector<db_update> batch;
    std::string error;
  };
  for (const auto& [batch, error] : std::vector<example>{
           {{update(5, {db_op::create_key("B")})},
            "update seq 5 is not above the last recorded seq 5; nothing was written"},
           {{update(3, {db_op::create_key("B")})},
            "update seq 3 is not above the last recorded seq 5; nothing was written"},
           {{update(6, {db_op::create_key("B")}), update(6, {db_op::create_key("C")})},
            "update seq 6 is not above the seq of the update before it, 6; nothing was written"},
           {{update(7, {db_op::create_key("B")}), update(6, {db_op::create_key("C")})},
            "update seq 6 is not above the seq of the update before it, 7; nothing was written"},
           {{update(9223372036854775808ull, {})}, "update seq 9223372036854775808 is above 2^63-1"},
       }) {
    auto result = store.commit(batch);
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.error(), Contains(error));
    CHECK(store.last_seq() == 5);
    auto loaded = store.load();
    REQUIRE(loaded.ok());
    CHECK(loaded->tree == state);
    CHECK(loaded->last_seq == 5);
  }
  must(store.commit({}));  // nothing to do
  CHECK(store.last_seq() == 5);
}

TEST_CASE("the store applies ops exactly as the tree does", "[cluster_db][store][random]") {
  db_temp_dir dir;
  auto store = open_store(dir / "clusdb.sqlite");
  std::mt19937 rng(77);
  const std::vector<std::string> paths = {"A", "a\\B", "A\\b\\C", "A\\D", "A\\B0", "E", "e\\F"};
  const std::vector<std::string> names = {"x", "X", "y"};
  auto pick = [&](const auto& from) { return from[rng() % from.size()]; };
  db_tree tree;
  std::uint64_t seq = 0;
  int committed = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<db_update> batch;
    const int updates = 1 + static_cast<int>(rng() % 3);
    for (int u = 0; u < updates; ++u) {
      db_update next{++seq, {}};
      const int count = 1 + static_cast<int>(rng() % 3);
      for (int i = 0; i < count; ++i) {
        switch (rng() % 4) {
          case 0:
            next.ops.push_back(db_op::create_key(pick(paths)));
            break;
          case 1:
            next.ops.push_back(db_op::delete_key(pick(paths)));
            break;
          case 2:
            next.ops.push_back(db_op::set_value(pick(paths), pick(names),
                                                typed_value::sz(std::to_string(rng() % 100))));
            break;
          default:
            next.ops.push_back(db_op::delete_value(pick(paths), pick(names)));
            break;
        }
      }
      batch.push_back(std::move(next));
    }
    db_tree copy = tree;
    bool valid = true;
    for (const auto& u : batch)
      valid = valid && u.apply(copy).ok();
    const auto result = store.commit(batch);
    INFO("round " << round);
    REQUIRE(result.ok() == valid);
    if (valid) {
      tree = std::move(copy);
      ++committed;
    } else {
      seq = store.last_seq();
    }
    auto loaded = store.load();
    REQUIRE(loaded.ok());
    REQUIRE(loaded->tree == tree);
    REQUIRE(loaded->last_seq == store.last_seq());
  }
  CHECK(committed > 25);  // and the rest were refused
}

TEST_CASE("replace_all takes a sponsor's database", "[cluster_db][store]") {
  db_temp_dir dir;
  const auto path = dir / "clusdb.sqlite";
  const db_tree sponsor = applied(sample_updates());
  {
    auto store = open_store(path);
    must(store.commit({update(40, {db_op::create_key("Stale\\Key"),
                                   db_op::set_value("Stale", "x", typed_value::dword(1))})}));
    must(store.replace_all(sponsor, 17));  // a lower seq is accepted
    CHECK(store.last_seq() == 17);
    must(store.commit({update(18, {db_op::create_key("Fresh")})}));
  }
  auto store = open_store(path);
  auto loaded = store.load();
  REQUIRE(loaded.ok());
  CHECK(loaded->last_seq == 18);
  db_tree expected = sponsor;
  must(expected.create_key("Fresh"));
  CHECK(loaded->tree == expected);
  CHECK_FALSE(loaded->tree.key_exists("Stale"));
}

TEST_CASE("files that are not our database are refused and left alone", "[cluster_db][store]") {
  db_temp_dir dir;
  const auto path = dir / "clusdb.sqlite";

  SECTION("random bytes") {
    std::mt19937 rng(1);
    std::string bytes(8192, '\0');
    for (auto& b : bytes)
      b = static_cast<char>(rng());
    wolfpack::test::write_bytes(path, bytes);
    check_refused(path, "file is not a database");
  }
  SECTION("a truncated database") {
    make_big_database(path);
    const auto size = fs::file_size(path);
    REQUIRE(size > 16 * 4096);
    fs::resize_file(path, size / 2);
    check_refused(path, "malformed");
  }
  SECTION("a SQLite database of another schema") {
    {
      raw_db raw(path);
      raw.exec("CREATE TABLE songs(title TEXT); INSERT INTO songs VALUES('x')");
    }
    check_refused(path, "it is a SQLite database but not a Wolfpack cluster database");
  }
  SECTION("an empty file") {
    wolfpack::test::write_bytes(path, "");
    check_refused(path, "not a Wolfpack cluster database");
  }
  SECTION("schema version 2") {
    { auto store = open_store(path); }
    {
      raw_db raw(path);
      raw.exec("UPDATE meta SET value = 2 WHERE name = 'schema_version'");
    }
    REQUIRE_FALSE(fs::exists(path.string() + "-wal"));
    check_refused(path, "it has schema version 2, and this build supports version 1");
  }
  SECTION("a directory") {
    fs::create_directory(path);
    auto store = sqlite_store::open(path);
    REQUIRE_FALSE(store.ok());
    CHECK_THAT(store.error(), Contains("cluster database '" + path.string() +
                                       "' is not usable: it is not a regular file"));
  }
  SECTION("a missing table") {
    { auto store = open_store(path); }
    {
      raw_db raw(path);
      raw.exec("DROP TABLE db_values");
    }
    check_refused(path, "it lacks the 'db_values' table");
  }
}

TEST_CASE("rows that make no tree are reported by load", "[cluster_db][store]") {
  db_temp_dir dir;
  const auto path = dir / "clusdb.sqlite";
  auto store = open_store(path);
  must(store.commit({update(1, {db_op::create_key("A")})}));
  raw_db raw(path);
  const std::string prefix = "cluster database '" + path.string() + "' is corrupt: ";

  SECTION("a key without its parent") {
    raw.exec("INSERT INTO db_keys VALUES('x\\y', 'X\\Y')");
    auto loaded = store.load();
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error() == prefix + "key 'X\\Y': its parent key is missing");
  }
  SECTION("a DWORD of the wrong size") {
    raw.exec("INSERT INTO db_values VALUES('a', 'v', 'V', 'DWORD', x'010203')");
    auto loaded = store.load();
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error() == prefix + "value 'V' of key 'a': DWORD data has 3 bytes, expected 4");
  }
  SECTION("an unknown type") {
    raw.exec("INSERT INTO db_values VALUES('a', 'v', 'V', 'WORD', x'01')");
    auto loaded = store.load();
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error() == prefix + "value 'V' of key 'a': unknown type 'WORD'");
  }
  SECTION("a value of a missing key") {
    raw.exec("INSERT INTO db_values VALUES('b', 'v', 'V', 'SZ', x'41')");
    auto loaded = store.load();
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error() == prefix + "value 'V' of key 'b': its key is missing");
  }
}

TEST_CASE("a failed disk write is an error, not a crash, and writes nothing",
          "[cluster_db][store]") {
  db_temp_dir dir;
  auto store = open_store(dir / "clusdb.sqlite");
  must(store.commit({update(1, {db_op::create_key("A")})}));
  const auto before = store.load().value().tree;
  // The file may not grow by a single page: a large value cannot fit.
  const std::string pages = store.TEST_query("PRAGMA page_count").value();
  REQUIRE(store.TEST_query("PRAGMA max_page_count = " + pages).ok());

  const auto big = typed_value::binary(std::vector<std::uint8_t>(256 * 1024, 0xab));
  auto result = store.commit({update(2, {db_op::set_value("A", "Big", big)})});
  REQUIRE_FALSE(result.ok());
  CHECK_THAT(result.error(), Contains("cluster database '" + store.path().string() + "': "));
  CHECK_THAT(result.error(), Contains("database or disk is full"));
  CHECK(store.last_seq() == 1);
  auto loaded = store.load();
  REQUIRE(loaded.ok());
  CHECK(loaded->tree == before);
  CHECK(loaded->last_seq == 1);

  // Once there is room again, writing works.
  REQUIRE(store.TEST_query("PRAGMA max_page_count = 1000000").ok());
  must(store.commit({update(2, {db_op::set_value("A", "Big", big)})}));
  CHECK(store.load().value().tree.get("A", "Big") == big);
}

TEST_CASE("a leftover write-ahead log without its database is not overwritten",
          "[cluster_db][store]") {
  db_temp_dir dir;
  const auto path = dir / "clusdb.sqlite";
  const auto wal = fs::path(path.string() + "-wal");
  wolfpack::test::write_bytes(wal, std::string(4096, 'w'));
  auto store = sqlite_store::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK_THAT(store.error(), Contains("cannot create cluster database '" + path.string() +
                                     "': the file is missing but its write-ahead log '" +
                                     wal.string() + "' is not"));
  CHECK_FALSE(fs::exists(path));
  CHECK(read_bytes(wal) == std::string(4096, 'w'));
}

TEST_CASE("a database in a missing directory is an error naming the file", "[cluster_db][store]") {
  db_temp_dir dir;
  const auto path = dir / "no" / "such" / "clusdb.sqlite";
  auto store = sqlite_store::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK_THAT(store.error(), Contains("cannot create cluster database '" + path.string() + "'"));
  CHECK_FALSE(fs::exists(dir / "no"));
}
