#include "wolfpack/cluster_store/sqlite_store.hpp"

#include <limits>
#include <optional>
#include <system_error>
#include <utility>

#include <sqlite3.h>

#include "statement.hpp"
#include "value_codec.hpp"
#include "wolfpack/cluster_db/db_path.hpp"
#include "wolfpack/common/platform/files.hpp"

namespace wolfpack::cluster {
namespace {

namespace fs = std::filesystem;
using detail::statement;

constexpr std::int64_t max_seq = std::numeric_limits<std::int64_t>::max();
// Another reader (the sqlite3 shell, a backup) may hold a lock for a moment; waiting a
// little beats failing a global update, which would cost the node its membership.
constexpr int busy_timeout_ms = 1000;

constexpr const char* schema_sql = R"sql(
CREATE TABLE meta(
  name  TEXT PRIMARY KEY NOT NULL,
  value INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE db_keys(
  fold TEXT PRIMARY KEY NOT NULL,
  path TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE db_values(
  key_fold  TEXT NOT NULL,
  name_fold TEXT NOT NULL,
  name      TEXT NOT NULL,
  type      TEXT NOT NULL,
  data      BLOB NOT NULL,
  PRIMARY KEY(key_fold, name_fold)
) WITHOUT ROWID;
INSERT INTO meta(name, value) VALUES('schema_version', 1), ('last_seq', 0);
INSERT INTO db_keys(fold, path) VALUES('', '');
)sql";

// SQLite takes UTF-8 file names on every platform.
std::string utf8(const fs::path& path) {
  const auto text = path.u8string();
  return std::string(text.begin(), text.end());
}

std::string in_quotes(std::string_view text) {
  return "'" + std::string(text) + "'";
}

// Owns a connection; closing it checkpoints the WAL when it is the last one.
class connection {
 public:
  connection() = default;
  ~connection() { close(); }
  connection(connection&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  connection& operator=(connection&& other) noexcept {
    if (this != &other) {
      close();
      db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
  }

  // Errors carry SQLite's message.
  static result<connection> open(const fs::path& path, int flags) {
    connection c;
    const int rc = sqlite3_open_v2(utf8(path).c_str(), &c.db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      return fail(c.db_ != nullptr ? sqlite3_errmsg(c.db_) : sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(c.db_, 1);
    return c;
  }

  status close() {
    if (db_ == nullptr)
      return {};
    const int rc = sqlite3_close(std::exchange(db_, nullptr));
    if (rc != SQLITE_OK)
      return fail(sqlite3_errstr(rc));
    return {};
  }

  status exec(const char* sql) const {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string text = message != nullptr ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      return fail(std::move(text));
    }
    return {};
  }

  // Every row of a one-column query, as text.
  result<std::vector<std::string>> column(const char* sql) const {
    auto stmt = statement::prepare(db_, sql);
    if (!stmt)
      return fail(stmt.error());
    std::vector<std::string> rows;
    int rc;
    while ((rc = stmt->step()) == SQLITE_ROW)
      rows.push_back(stmt->column_text(0));
    if (rc != SQLITE_DONE)
      return fail(sqlite3_errmsg(db_));
    return rows;
  }

  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

std::string unusable(const fs::path& path, const std::string& problem) {
  return "cluster database " + in_quotes(path.string()) + " is not usable: " + problem +
         "; the file was left unchanged";
}

void remove_sqlite_files(const fs::path& db) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(fs::path(db.string() + suffix), ignored);
  }
}

// Builds a fresh database beside `path` and renames it into place, so that a crash during
// creation leaves no half-made file that a restart would then refuse.
status create_database(const fs::path& path) {
  const fs::path fresh = path.string() + ".new";
  auto problem = [&](const std::string& what) {
    remove_sqlite_files(fresh);
    return fail("cannot create cluster database " + in_quotes(path.string()) + ": " + what);
  };
  remove_sqlite_files(fresh);  // a leftover from a crash during an earlier creation
  {
    auto db = connection::open(fresh, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!db)
      return problem(db.error());
    auto mode = db->column("PRAGMA journal_mode=WAL");
    if (!mode)
      return problem(mode.error());
    if (mode->empty() || mode->front() != "wal")
      return problem("cannot switch to WAL mode");
    if (auto ok = db->exec("PRAGMA synchronous=FULL"); !ok)
      return problem(ok.error());
    if (auto ok = db->exec("BEGIN"); !ok)
      return problem(ok.error());
    if (auto ok = db->exec(schema_sql); !ok)
      return problem(ok.error());
    if (auto ok = db->exec("COMMIT"); !ok)
      return problem(ok.error());
    // Closing the only connection checkpoints the WAL into the file and removes it.
    if (auto ok = db->close(); !ok)
      return problem(ok.error());
  }
  std::error_code ec;
  if (fs::exists(fresh.string() + "-wal", ec))
    return problem("the WAL was not checkpointed");
  fs::rename(fresh, path, ec);
  if (ec)
    return problem("cannot rename " + in_quotes(fresh.string()) + ": " + ec.message());
  remove_sqlite_files(fresh);  // a -shm left behind, if any
  if (auto ok = platform::sync_directory(path.parent_path()); !ok)
    return problem(ok.error());
  return {};
}

// Reads an existing file through a read-only connection and says why it is not ours, if
// it is not. Nothing here can write to the file.
status check_existing(const fs::path& path) {
  auto db = connection::open(path, SQLITE_OPEN_READONLY);
  if (!db)
    return fail(unusable(path, db.error()));
  // Not-a-database and most corruption show up here.
  auto check = db->column("PRAGMA quick_check");
  if (!check)
    return fail(unusable(path, check.error()));
  if (check->size() != 1 || check->front() != "ok") {
    std::string found;
    for (std::size_t i = 0; i < check->size() && i < 3; ++i) {
      found += (i > 0 ? "; " : "") + (*check)[i];
    }
    return fail(unusable(path, "it fails SQLite's integrity check (" + found + ")"));
  }
  auto tables = db->column(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND "
      "name IN ('meta', 'db_keys', 'db_values') ORDER BY name");
  if (!tables)
    return fail(unusable(path, tables.error()));
  auto has = [&](std::string_view name) {
    for (const auto& t : *tables) {
      if (t == name)
        return true;
    }
    return false;
  };
  // The version first: a later schema may have other tables, and "version 2" is the
  // useful thing to say about it.
  if (!has("meta")) {
    return fail(unusable(path,
                         "it is a SQLite database but not a Wolfpack cluster database "
                         "(it has no 'meta' table)"));
  }
  auto version = db->column("SELECT value FROM meta WHERE name = 'schema_version'");
  if (!version)
    return fail(unusable(path, version.error()));
  if (version->size() != 1) {
    return fail(unusable(path, "its 'meta' table has no schema_version"));
  }
  if (version->front() != std::to_string(sqlite_store::supported_schema_version)) {
    return fail(unusable(path, "it has schema version " + version->front() +
                                   ", and this build supports version " +
                                   std::to_string(sqlite_store::supported_schema_version)));
  }
  for (const char* table : {"db_keys", "db_values"}) {
    if (!has(table)) {
      return fail(unusable(path, std::string("it lacks the '") + table + "' table"));
    }
  }
  auto seq = db->column("SELECT value FROM meta WHERE name = 'last_seq'");
  if (!seq)
    return fail(unusable(path, seq.error()));
  if (seq->size() != 1)
    return fail(unusable(path, "its 'meta' table has no last_seq"));
  return db->close();
}

bool leaves_state_unknown(int rc) {
  const int primary = rc & 0xFF;
  return primary == SQLITE_IOERR || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

}  // namespace

struct sqlite_store::impl {
  fs::path path;
  connection db;
  std::uint64_t last_seq = 0;
  // Set after a failure that may leave the connection's view of the file uncertain (an
  // I/O error, a rollback that failed): later writes are refused with this reason.
  std::optional<std::string> broken;

  statement begin, commit, rollback;
  statement select_key, insert_key, delete_keys_under, delete_values_under;
  statement upsert_value, insert_value, delete_value, set_last_seq;
  statement all_keys, all_values, read_last_seq, delete_all_keys, delete_all_values;
  statement set_promise, read_promise;

  ~impl() {
    // Statements first: a connection with live statements cannot close.
    for (auto* s : {&begin, &commit, &rollback, &select_key, &insert_key, &delete_keys_under,
                    &delete_values_under, &upsert_value, &insert_value, &delete_value,
                    &set_last_seq, &all_keys, &all_values, &read_last_seq, &delete_all_keys,
                    &delete_all_values, &set_promise, &read_promise}) {
      *s = statement();
    }
    (void)db.close();
  }

  std::string prefix() const { return "cluster database " + in_quotes(path.string()) + ": "; }
  std::string error_text() const { return sqlite3_errmsg(db.get()); }

  status prepare_all() {
    const std::pair<statement*, const char*> all[] = {
        {&begin, "BEGIN IMMEDIATE"},
        {&commit, "COMMIT"},
        {&rollback, "ROLLBACK"},
        {&select_key, "SELECT path FROM db_keys WHERE fold = ?1"},
        {&insert_key, "INSERT INTO db_keys(fold, path) VALUES(?1, ?2)"},
        // A key's subtree is the key and every fold starting with "key\": since '\' and
        // ']' are neighbours, that is the range ["key\", "key]").
        {&delete_keys_under,
         "DELETE FROM db_keys WHERE fold = ?1 OR (fold >= ?1 || '\\' AND fold < ?1 || ']')"},
        {&delete_values_under,
         "DELETE FROM db_values WHERE key_fold = ?1 OR "
         "(key_fold >= ?1 || '\\' AND key_fold < ?1 || ']')"},
        // An existing value keeps the case its name was first written with.
        {&upsert_value,
         "INSERT INTO db_values(key_fold, name_fold, name, type, data) "
         "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(key_fold, name_fold) "
         "DO UPDATE SET type = excluded.type, data = excluded.data"},
        {&insert_value,
         "INSERT INTO db_values(key_fold, name_fold, name, type, data) "
         "VALUES(?1, ?2, ?3, ?4, ?5)"},
        {&delete_value, "DELETE FROM db_values WHERE key_fold = ?1 AND name_fold = ?2"},
        {&set_last_seq, "UPDATE meta SET value = ?1 WHERE name = 'last_seq'"},
        {&all_keys, "SELECT fold, path FROM db_keys ORDER BY fold"},
        {&all_values,
         "SELECT key_fold, name_fold, name, type, data FROM db_values "
         "ORDER BY key_fold, name_fold"},
        {&read_last_seq, "SELECT value FROM meta WHERE name = 'last_seq'"},
        {&delete_all_keys, "DELETE FROM db_keys"},
        {&delete_all_values, "DELETE FROM db_values"},
        {&set_promise,
         "INSERT INTO meta(name, value) VALUES('promised_epoch', ?1) "
         "ON CONFLICT(name) DO UPDATE SET value = excluded.value"},
        {&read_promise, "SELECT value FROM meta WHERE name = 'promised_epoch'"},
    };
    for (const auto& [stmt, sql] : all) {
      auto prepared = statement::prepare(db.get(), sql);
      if (!prepared)
        return fail(prepared.error());
      *stmt = std::move(prepared).value();
    }
    return {};
  }

  // Runs a statement that returns no rows, then resets it.
  int run(statement& stmt) {
    const int rc = stmt.step();
    stmt.reset();
    return rc == SQLITE_ROW ? SQLITE_DONE : rc;
  }

  // The written path of a key by its fold, if it exists.
  result<std::optional<std::string>> key_path(const std::string& fold) {
    select_key.reset();
    select_key.bind(1, fold);
    const int rc = select_key.step();
    std::optional<std::string> found;
    if (rc == SQLITE_ROW)
      found = select_key.column_text(0);
    select_key.reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      return fail(error_text());
    return found;
  }

  // One op inside the open transaction. Errors: `sql_error` true for SQLite failing
  // (disk full, I/O), false for an op that does not apply.
  struct op_error {
    std::string message;
    bool sql_error = false;
    int rc = SQLITE_OK;
  };

  std::optional<op_error> sql_failure(int rc) {
    return op_error{"write failed: " + error_text(), true, rc};
  }

  std::optional<op_error> apply_op(const db_op& op) {
    auto components = split_key_path(op.path);
    if (!components)
      return op_error{components.error()};
    const std::string fold = fold_case(op.path);
    const bool is_root = components->empty();
    auto must_exist = [&]() -> std::optional<op_error> {
      auto found = key_path(fold);
      if (!found)
        return op_error{"read failed: " + found.error(), true, SQLITE_ERROR};
      if (!found->has_value())
        return op_error{"key " + in_quotes(op.path) + " does not exist"};
      return std::nullopt;
    };

    switch (op.op) {
      case db_op::kind::create_key: {
        if (is_root)
          return op_error{"cannot create the root key"};
        std::string parent_path;
        std::string prefix_fold;
        for (const auto& component : *components) {
          if (!prefix_fold.empty())
            prefix_fold += key_separator;  // components are non-empty
          prefix_fold += fold_case(component);
          auto found = key_path(prefix_fold);
          if (!found)
            return op_error{"read failed: " + found.error(), true, SQLITE_ERROR};
          if (found->has_value()) {
            parent_path = std::move(**found);
            continue;
          }
          parent_path = parent_path.empty() ? component : parent_path + key_separator + component;
          insert_key.reset();
          insert_key.bind(1, prefix_fold);
          insert_key.bind(2, parent_path);
          if (const int rc = run(insert_key); rc != SQLITE_DONE)
            return sql_failure(rc);
        }
        return std::nullopt;
      }
      case db_op::kind::delete_key: {
        if (is_root)
          return op_error{"cannot delete the root key"};
        if (auto e = must_exist())
          return e;
        for (auto* stmt : {&delete_values_under, &delete_keys_under}) {
          stmt->reset();
          stmt->bind(1, fold);
          if (const int rc = run(*stmt); rc != SQLITE_DONE)
            return sql_failure(rc);
        }
        return std::nullopt;
      }
      case db_op::kind::set_value: {
        if (auto ok = check_value_name(op.name); !ok)
          return op_error{ok.error()};
        if (auto ok = check_value(op.value); !ok)
          return op_error{ok.error()};
        if (auto e = must_exist())
          return e;
        if (const int rc = write_value(upsert_value, fold, op.name, op.value); rc != SQLITE_DONE) {
          return sql_failure(rc);
        }
        return std::nullopt;
      }
      case db_op::kind::delete_value: {
        if (auto ok = check_value_name(op.name); !ok)
          return op_error{ok.error()};
        if (auto e = must_exist())
          return e;
        delete_value.reset();
        delete_value.bind(1, fold);
        delete_value.bind(2, fold_case(op.name));
        if (const int rc = run(delete_value); rc != SQLITE_DONE)
          return sql_failure(rc);
        if (sqlite3_changes(db.get()) == 0) {
          return op_error{"key " + in_quotes(op.path) + " has no value " + in_quotes(op.name)};
        }
        return std::nullopt;
      }
    }
    return op_error{"unknown op"};
  }

  int write_value(statement& stmt, const std::string& key_fold, const std::string& name,
                  const typed_value& value) {
    const auto data = detail::encode_value(value);
    stmt.reset();
    stmt.bind(1, key_fold);
    stmt.bind(2, fold_case(name));
    stmt.bind(3, name);
    stmt.bind(4, to_string(value.type));
    stmt.bind_blob(5, data.data(), data.size());
    return run(stmt);
  }

  int write_last_seq(std::uint64_t seq) {
    set_last_seq.reset();
    set_last_seq.bind(1, static_cast<std::int64_t>(seq));
    return run(set_last_seq);
  }

  // Ends a failed transaction. A rollback that fails, or a failure SQLite calls an I/O
  // error or corruption, leaves the connection in doubt: no more writes.
  void abandon(int rc, const std::string& message) {
    const int rollback_rc = sqlite3_get_autocommit(db.get()) ? SQLITE_DONE : run(rollback);
    if (rollback_rc != SQLITE_DONE) {
      broken = message + " (and the rollback failed: " + error_text() + ")";
    } else if (leaves_state_unknown(rc)) {
      broken = message;
    }
  }

  status refuse_if_broken() const {
    if (broken) {
      return fail(prefix() + "no more writes after an earlier failure (" + *broken +
                  "); restart the node");
    }
    return {};
  }

  // Runs `body` in one write transaction and commits it (durable on return).
  template <typename Body>
  status transaction(Body&& body) {
    if (auto ok = refuse_if_broken(); !ok)
      return ok;
    if (const int rc = run(begin); rc != SQLITE_DONE) {
      const std::string message = prefix() + "cannot start a transaction: " + error_text();
      abandon(rc, message);
      return fail(message);
    }
    if (auto e = body()) {
      const std::string message = prefix() + e->message;
      abandon(e->rc, message);
      return fail(message);
    }
    if (const int rc = run(commit); rc != SQLITE_DONE) {
      const std::string message = prefix() + "commit failed: " + error_text();
      abandon(rc, message);
      return fail(message);
    }
    return {};
  }
};

sqlite_store::sqlite_store(std::unique_ptr<impl> state) : impl_(std::move(state)) {}
sqlite_store::sqlite_store(sqlite_store&&) noexcept = default;
sqlite_store& sqlite_store::operator=(sqlite_store&&) noexcept = default;
sqlite_store::~sqlite_store() = default;

result<sqlite_store> sqlite_store::open(const fs::path& path) {
  std::error_code ec;
  const bool exists = fs::exists(fs::symlink_status(path, ec));
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return fail("cannot read cluster database " + in_quotes(path.string()) + ": " + ec.message());
  }
  const fs::path wal = path.string() + "-wal";
  const fs::path shm = path.string() + "-shm";
  if (!exists) {
    // SQLite would replay a leftover log into the new file and corrupt it.
    if (fs::exists(wal, ec) && fs::file_size(wal, ec) > 0 && !ec) {
      return fail("cannot create cluster database " + in_quotes(path.string()) +
                  ": the file is missing but its write-ahead log " + in_quotes(wal.string()) +
                  " is not; move the log away (or restore the database) first");
    }
    if (auto ok = create_database(path); !ok)
      return fail(ok.error());
  } else if (!fs::is_regular_file(path, ec)) {
    return fail(unusable(path, "it is not a regular file"));
  }
  // A read-only connection to a WAL database creates the -wal and -shm files beside it
  // when they are missing. They are SQLite's, not the database, but a refused file should
  // be left as it was found: remove the ones the check made (the -wal only if empty).
  const bool had_wal = fs::exists(wal, ec);
  const bool had_shm = fs::exists(shm, ec);
  if (auto ok = check_existing(path); !ok) {
    if (!had_wal && fs::exists(wal, ec) && fs::file_size(wal, ec) == 0 && !ec)
      fs::remove(wal, ec);
    if (!had_shm)
      fs::remove(shm, ec);
    return fail(ok.error());
  }

  auto state = std::make_unique<impl>();
  state->path = path;
  auto problem = [&](const std::string& what) {
    return fail("cannot open cluster database " + in_quotes(path.string()) + ": " + what);
  };
  // No SQLITE_OPEN_CREATE: if the file vanished since the check, say so rather than
  // start from an empty database.
  auto db = connection::open(path, SQLITE_OPEN_READWRITE);
  if (!db)
    return problem(db.error());
  state->db = std::move(db).value();
  sqlite3_busy_timeout(state->db.get(), busy_timeout_ms);
  auto mode = state->db.column("PRAGMA journal_mode=WAL");
  if (!mode)
    return problem(mode.error());
  if (mode->empty() || mode->front() != "wal")
    return problem("cannot switch to WAL mode");
  // FULL: the WAL is synced at every commit, so commit() returning means durable.
  if (auto ok = state->db.exec("PRAGMA synchronous=FULL"); !ok)
    return problem(ok.error());
  if (auto ok = state->prepare_all(); !ok)
    return problem(ok.error());

  auto& read = state->read_last_seq;
  read.reset();
  const int rc = read.step();
  const std::int64_t seq = rc == SQLITE_ROW ? read.column_int64(0) : -1;
  read.reset();
  if (rc != SQLITE_ROW)
    return problem("cannot read last_seq: " + state->error_text());
  if (seq < 0)
    return problem("last_seq is negative (" + std::to_string(seq) + ")");
  state->last_seq = static_cast<std::uint64_t>(seq);
  return sqlite_store(std::move(state));
}

result<sqlite_store::contents> sqlite_store::load() const {
  auto& s = *impl_;
  const std::string corrupt = "cluster database " + in_quotes(s.path.string()) + " is corrupt: ";
  auto read_failed = [&] { return fail(s.prefix() + "read failed: " + s.error_text()); };

  // One read transaction, so keys, values and seq are one consistent snapshot.
  if (auto ok = s.db.exec("BEGIN"); !ok)
    return fail(s.prefix() + "read failed: " + ok.error());
  struct end_read {
    const connection& db;
    ~end_read() { (void)db.exec("COMMIT"); }
  } end{s.db};

  contents out;
  auto& keys = s.all_keys;
  keys.reset();
  int rc;
  bool root_seen = false;
  while ((rc = keys.step()) == SQLITE_ROW) {
    const std::string fold = keys.column_text(0);
    const std::string path = keys.column_text(1);
    const std::string where = "key " + in_quotes(path) + ": ";
    if (fold_case(path) != fold) {
      keys.reset();
      return fail(corrupt + where + "its folded name is " + in_quotes(fold));
    }
    auto components = split_key_path(path);
    if (!components) {
      keys.reset();
      return fail(corrupt + where + components.error());
    }
    if (components->empty()) {
      root_seen = true;
      continue;
    }
    // Rows come sorted by fold, so a parent ("a") always precedes its children ("a\b").
    auto parent = *components;
    parent.pop_back();
    if (!out.tree.key_exists(join_key_path(parent))) {
      keys.reset();
      return fail(corrupt + where + "its parent key is missing");
    }
    if (auto ok = out.tree.create_key(path); !ok) {
      keys.reset();
      return fail(corrupt + where + ok.error());
    }
  }
  keys.reset();
  if (rc != SQLITE_DONE)
    return read_failed();
  if (!root_seen)
    return fail(corrupt + "the root key is missing");

  auto& values = s.all_values;
  values.reset();
  while ((rc = values.step()) == SQLITE_ROW) {
    const std::string key_fold = values.column_text(0);
    const std::string name_fold = values.column_text(1);
    const std::string name = values.column_text(2);
    const std::string type_text = values.column_text(3);
    const auto* data = values.column_blob(4);
    const auto size = values.column_bytes(4);
    const std::string where = "value " + in_quotes(name) + " of key " + in_quotes(key_fold) + ": ";
    auto fail_row = [&](const std::string& what) {
      values.reset();
      return fail(corrupt + where + what);
    };
    if (fold_case(name) != name_fold)
      return fail_row("its folded name is " + in_quotes(name_fold));
    const auto type = parse_value_type(type_text);
    if (!type)
      return fail_row("unknown type " + in_quotes(type_text));
    auto value = detail::decode_value(*type, data, size);
    if (!value)
      return fail_row(value.error());
    if (!out.tree.key_exists(key_fold))
      return fail_row("its key is missing");
    if (auto ok = out.tree.set_value(key_fold, name, std::move(value).value()); !ok) {
      return fail_row(ok.error());
    }
  }
  values.reset();
  if (rc != SQLITE_DONE)
    return read_failed();

  auto& read = s.read_last_seq;
  read.reset();
  rc = read.step();
  const std::int64_t seq = rc == SQLITE_ROW ? read.column_int64(0) : -1;
  read.reset();
  if (rc != SQLITE_ROW)
    return read_failed();
  if (seq < 0)
    return fail(corrupt + "last_seq is negative");
  out.last_seq = static_cast<std::uint64_t>(seq);

  auto& promise = s.read_promise;
  promise.reset();
  rc = promise.step();
  const std::int64_t promised = rc == SQLITE_ROW ? promise.column_int64(0) : 0;
  promise.reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return read_failed();
  if (promised < 0)
    return fail(corrupt + "promised_epoch is negative");
  out.promised_epoch = static_cast<std::uint64_t>(promised);
  return out;
}

status sqlite_store::keep_promise(std::uint64_t epoch) {
  auto& s = *impl_;
  if (epoch > static_cast<std::uint64_t>(max_seq))
    return fail(s.prefix() + "promised epoch " + std::to_string(epoch) + " is above 2^63-1");
  return s.transaction([&]() -> std::optional<impl::op_error> {
    s.set_promise.reset();
    s.set_promise.bind(1, static_cast<std::int64_t>(epoch));
    if (const int rc = s.run(s.set_promise); rc != SQLITE_DONE)
      return s.sql_failure(rc);
    return std::nullopt;
  });
}

status sqlite_store::commit(const std::vector<db_update>& updates) {
  auto& s = *impl_;
  if (updates.empty())
    return {};
  std::uint64_t previous = s.last_seq;
  for (std::size_t i = 0; i < updates.size(); ++i) {
    const auto seq = updates[i].seq;
    if (seq <= previous) {
      return fail(s.prefix() + "update seq " + std::to_string(seq) + " is not above " +
                  (i == 0 ? "the last recorded seq " : "the seq of the update before it, ") +
                  std::to_string(previous) + "; nothing was written");
    }
    if (seq > static_cast<std::uint64_t>(max_seq)) {
      return fail(s.prefix() + "update seq " + std::to_string(seq) + " is above 2^63-1");
    }
    previous = seq;
  }
  const std::uint64_t highest = previous;
  auto done = s.transaction([&]() -> std::optional<impl::op_error> {
    for (const auto& update : updates) {
      for (std::size_t i = 0; i < update.ops.size(); ++i) {
        if (auto e = s.apply_op(update.ops[i])) {
          e->message = "update seq " + std::to_string(update.seq) + ", op " + std::to_string(i) +
                       " (" + describe(update.ops[i]) + "): " + e->message +
                       "; nothing was written";
          return e;
        }
      }
    }
    if (const int rc = s.write_last_seq(highest); rc != SQLITE_DONE)
      return s.sql_failure(rc);
    return std::nullopt;
  });
  if (done)
    s.last_seq = highest;
  return done;
}

status sqlite_store::replace_all(const db_tree& tree, std::uint64_t seq) {
  auto& s = *impl_;
  if (seq > static_cast<std::uint64_t>(max_seq)) {
    return fail(s.prefix() + "seq " + std::to_string(seq) + " is above 2^63-1");
  }
  auto done = s.transaction([&]() -> std::optional<impl::op_error> {
    for (auto* stmt : {&s.delete_all_values, &s.delete_all_keys}) {
      if (const int rc = s.run(*stmt); rc != SQLITE_DONE)
        return s.sql_failure(rc);
    }
    for (const auto& path : tree.key_paths()) {
      const std::string fold = fold_case(path);
      s.insert_key.reset();
      s.insert_key.bind(1, fold);
      s.insert_key.bind(2, path);
      if (const int rc = s.run(s.insert_key); rc != SQLITE_DONE)
        return s.sql_failure(rc);
      for (const auto& [name, value] : tree.values(path)) {
        if (const int rc = s.write_value(s.insert_value, fold, name, value); rc != SQLITE_DONE) {
          return s.sql_failure(rc);
        }
      }
    }
    if (const int rc = s.write_last_seq(seq); rc != SQLITE_DONE)
      return s.sql_failure(rc);
    return std::nullopt;
  });
  if (done)
    s.last_seq = seq;
  return done;
}

std::uint64_t sqlite_store::last_seq() const {
  return impl_->last_seq;
}

const fs::path& sqlite_store::path() const {
  return impl_->path;
}

result<std::string> sqlite_store::TEST_query(std::string_view sql) {
  auto stmt = statement::prepare(impl_->db.get(), sql);
  if (!stmt)
    return fail(stmt.error());
  const int rc = stmt->step();
  std::string out = rc == SQLITE_ROW ? stmt->column_text(0) : std::string();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fail(impl_->error_text());
  return out;
}

}  // namespace wolfpack::cluster
