#include "wolfpack/win_error_names.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "wolfpack/winerror.h"

namespace {

struct row {
  std::uint32_t header_value;
  std::uint32_t table_value;
  const char* name;
};

// Every table entry names a winerror.h macro (or this does not compile) with the same value.
const std::vector<row> rows = {
#define WP_WIN32_ERROR(name, value, message) {static_cast<std::uint32_t>(name), value, #name},
#include "win_error_table.inc"
#undef WP_WIN32_ERROR
};

}  // namespace

TEST_CASE("error table agrees with winerror.h and is sorted", "[win_error_names]") {
  REQUIRE(rows.size() > 200);
  std::set<std::string> names;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO(rows[i].name);
    CHECK(rows[i].header_value == rows[i].table_value);
    CHECK(names.insert(rows[i].name).second);
    if (i > 0)
      CHECK(rows[i - 1].table_value < rows[i].table_value);
    CHECK(std::string(wolfpack::win32_error_name(rows[i].table_value)) == rows[i].name);
    CHECK(std::strlen(wolfpack::win32_error_message(rows[i].table_value)) > 5);
  }
}

TEST_CASE("error names and messages", "[win_error_names]") {
  CHECK(std::string(wolfpack::win32_error_name(ERROR_SUCCESS)) == "ERROR_SUCCESS");
  CHECK(std::string(wolfpack::win32_error_name(5013)) == "ERROR_GROUP_NOT_FOUND");
  CHECK(std::string(wolfpack::win32_error_name(ERROR_CLUSTER_RESNAME_NOT_FOUND)) ==
        "ERROR_CLUSTER_RESNAME_NOT_FOUND");
  CHECK(std::string(wolfpack::win32_error_name(WAIT_TIMEOUT)) == "WAIT_TIMEOUT");
  CHECK(std::string(wolfpack::win32_error_message(ERROR_MORE_DATA)) == "More data is available.");
  CHECK(std::string(wolfpack::win32_error_message(ERROR_GROUP_NOT_FOUND)) ==
        "The cluster group could not be found.");
  CHECK(std::string(wolfpack::win32_error_message(ERROR_IO_PENDING)) ==
        "Overlapped I/O operation is in progress.");
}

TEST_CASE("unknown error codes give an empty name and a generic message", "[win_error_names]") {
  CHECK(std::string(wolfpack::win32_error_name(4999)) == "");
  CHECK(std::string(wolfpack::win32_error_name(0xFFFFFFFFu)) == "");
  CHECK(std::string(wolfpack::win32_error_message(4999)) == "Unknown error.");
}
