#include "wolfpack/win_error_names.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "wolfpack/win_error_code.hpp"
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

TEST_CASE("win32_code_of gives the code Windows has for a system error") {
  using wolfpack::win32_code_of;
  const auto of = [](std::errc e) { return win32_code_of(std::make_error_code(e)); };
  CHECK(win32_code_of(std::error_code()) == ERROR_SUCCESS);
  CHECK(of(std::errc::no_such_file_or_directory) == ERROR_FILE_NOT_FOUND);
  CHECK(of(std::errc::not_a_directory) == ERROR_PATH_NOT_FOUND);
  CHECK(of(std::errc::permission_denied) == ERROR_ACCESS_DENIED);
  CHECK(of(std::errc::operation_not_permitted) == ERROR_ACCESS_DENIED);
  CHECK(of(std::errc::read_only_file_system) == ERROR_ACCESS_DENIED);
  CHECK(of(std::errc::file_exists) == ERROR_ALREADY_EXISTS);
  CHECK(of(std::errc::executable_format_error) == ERROR_BAD_EXE_FORMAT);
  CHECK(of(std::errc::not_enough_memory) == ERROR_NOT_ENOUGH_MEMORY);
  CHECK(of(std::errc::no_space_on_device) == ERROR_DISK_FULL);
  CHECK(of(std::errc::filename_too_long) == ERROR_FILENAME_EXCED_RANGE);
  CHECK(of(std::errc::no_such_device) == ERROR_DEV_NOT_EXIST);
  CHECK(of(std::errc::connection_refused) == ERROR_GEN_FAILURE);
}
