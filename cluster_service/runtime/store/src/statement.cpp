#include "statement.hpp"

#include <utility>

#include <sqlite3.h>

namespace wolfpack::cluster::detail {

statement::~statement() {
  sqlite3_finalize(stmt_);
}

statement::statement(statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}

statement& statement::operator=(statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_rc_ = other.bind_rc_;
  }
  return *this;
}

result<statement> statement::prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return fail(sqlite3_errmsg(db));
  }
  return statement(stmt);
}

void statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
}

void statement::note(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK)
    bind_rc_ = rc;
}

void statement::bind(int index, std::string_view text) {
  note(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void statement::bind(int index, std::int64_t number) {
  note(sqlite3_bind_int64(stmt_, index, number));
}

void statement::bind_blob(int index, const void* data, std::size_t size) {
  // A null pointer would bind NULL rather than an empty BLOB.
  static const std::uint8_t empty = 0;
  note(sqlite3_bind_blob64(stmt_, index, size == 0 ? &empty : data, size, SQLITE_TRANSIENT));
}

int statement::step() {
  if (bind_rc_ != SQLITE_OK)
    return bind_rc_;
  return sqlite3_step(stmt_);
}

std::string statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(stmt_, index);
  const int size = sqlite3_column_bytes(stmt_, index);
  if (text == nullptr)
    return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::int64_t statement::column_int64(int index) const {
  return sqlite3_column_int64(stmt_, index);
}

int statement::column_type(int index) const {
  return sqlite3_column_type(stmt_, index);
}

const std::uint8_t* statement::column_blob(int index) const {
  static const std::uint8_t empty = 0;
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, index));
  return data == nullptr ? &empty : data;
}

std::size_t statement::column_bytes(int index) const {
  return static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index));
}

}  // namespace wolfpack::cluster::detail
