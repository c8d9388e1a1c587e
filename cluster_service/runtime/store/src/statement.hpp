#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wolfpack/common/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace wolfpack::cluster::detail {

// A prepared SQLite statement, finalized on destruction. Bind errors are remembered and
// reported by the next step(), so call sites bind without checking each one.
class statement {
 public:
  statement() = default;
  ~statement();
  statement(statement&& other) noexcept;
  statement& operator=(statement&& other) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  // Errors carry SQLite's message ("no such table: meta").
  [[nodiscard]] static result<statement> prepare(sqlite3* db, std::string_view sql);

  // Resets the statement and clears its bindings: call before each use, and after reading
  // rows so that no read transaction stays open.
  void reset();

  void bind(int index, std::string_view text);
  void bind(int index, std::int64_t number);
  void bind_blob(int index, const void* data, std::size_t size);

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();

  std::string column_text(int index) const;
  std::int64_t column_int64(int index) const;
  int column_type(int index) const;
  // Never null, even for an empty BLOB.
  const std::uint8_t* column_blob(int index) const;
  std::size_t column_bytes(int index) const;

  sqlite3_stmt* get() const { return stmt_; }

 private:
  explicit statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  void note(int rc);

  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = 0;
};

}  // namespace wolfpack::cluster::detail
