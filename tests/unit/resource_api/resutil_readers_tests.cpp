// The entry-by-entry readers (ResUtilGet{Long,FileTime,MultiSz,Binary}Property), the
// FILETIME finder, and the lookups of other resources that Wolfpack refuses with a log line.
// resutil_c_test.c covers the rest of this surface from C.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "wolfpack/proplist.hpp"
#include "wolfpack/resapi.h"
#include "wolfpack/resutils_log.hpp"

using namespace wolfpack;

namespace {

// One value entry and a cursor over it, as a DLL walking a list holds them.
struct entry {
  explicit entry(const value_list_builder& value) : bytes(value.bytes()) {}
  std::vector<std::uint8_t> bytes;
  LPBYTE cursor() { return bytes.data(); }
  DWORD size() const { return static_cast<DWORD>(bytes.size()); }
};

std::vector<std::string> refusals;
void remember(const std::string& message) {
  refusals.push_back(message);
}

FILETIME filetime(std::uint64_t v) {
  return FILETIME{static_cast<DWORD>(v), static_cast<DWORD>(v >> 32)};
}

}  // namespace

TEST_CASE("ResUtilGetLongProperty checks the signed range and moves the cursor") {
  entry e(value_list_builder().add_long(-3));
  LPBYTE cursor = e.cursor();
  DWORD left = e.size();
  LONG value = 0;
  CHECK(ResUtilGetLongProperty(&value, reinterpret_cast<PCLUSPROP_LONG>(cursor), 0, -2, 2, &cursor,
                               &left) == ERROR_INVALID_PARAMETER);
  CHECK(cursor == e.cursor());
  CHECK(ResUtilGetLongProperty(&value, reinterpret_cast<PCLUSPROP_LONG>(cursor), 0, -5, 5, &cursor,
                               &left) == ERROR_SUCCESS);
  CHECK(value == -3);
  CHECK(left == 0);
  CHECK(cursor == e.cursor() + e.size());
}

TEST_CASE(
    "ResUtilGetFileTimeProperty compares the 64-bit time, a zero-length entry keeps the old") {
  entry e(value_list_builder().add_filetime(filetime(0x100000005ull)));
  LPBYTE cursor = e.cursor();
  DWORD left = e.size();
  FILETIME value{};
  CHECK(ResUtilGetFileTimeProperty(&value, reinterpret_cast<PCLUSPROP_FILETIME>(cursor),
                                   filetime(0), filetime(1), filetime(0x100000004ull), &cursor,
                                   &left) == ERROR_INVALID_PARAMETER);
  CHECK(ResUtilGetFileTimeProperty(&value, reinterpret_cast<PCLUSPROP_FILETIME>(cursor),
                                   filetime(0), filetime(0), filetime(0), &cursor,
                                   &left) == ERROR_SUCCESS);
  CHECK(value.dwHighDateTime == 1);
  CHECK(value.dwLowDateTime == 5);

  // cbLength 0: "unchanged".
  CLUSPROP_FILETIME empty{};
  empty.Syntax.dw = CLUSPROP_SYNTAX_LIST_VALUE_FILETIME;
  empty.cbLength = 0;
  cursor = reinterpret_cast<LPBYTE>(&empty);
  left = sizeof(CLUSPROP_VALUE);
  CHECK(ResUtilGetFileTimeProperty(&value, &empty, filetime(42), filetime(0), filetime(0), &cursor,
                                   &left) == ERROR_SUCCESS);
  CHECK(value.dwLowDateTime == 42);
  CHECK(left == 0);
}

TEST_CASE("ResUtilGetMultiSzProperty and ResUtilGetBinaryProperty copy the bytes out") {
  entry strings(value_list_builder().add_multi_sz({L"a", L"bc"}));
  LPBYTE cursor = strings.cursor();
  DWORD left = strings.size();
  LPWSTR multi = nullptr;
  DWORD multi_size = 0;
  REQUIRE(ResUtilGetMultiSzProperty(&multi, &multi_size, reinterpret_cast<PCLUSPROP_SZ>(cursor),
                                    nullptr, 0, &cursor, &left) == ERROR_SUCCESS);
  CHECK(multi_size == sizeof(L"a\0bc\0"));
  CHECK(std::memcmp(multi, L"a\0bc\0", multi_size) == 0);
  CHECK(left == 0);
  LocalFree(multi);

  const std::uint8_t blob[] = {9, 8, 7};
  entry binary(value_list_builder().add_binary(blob));
  cursor = binary.cursor();
  left = binary.size();
  LPBYTE out = nullptr;
  DWORD out_size = 0;
  // The wrong reader for the entry's format.
  CHECK(ResUtilGetMultiSzProperty(&multi, &multi_size, reinterpret_cast<PCLUSPROP_SZ>(cursor),
                                  nullptr, 0, &cursor, &left) == ERROR_INVALID_PARAMETER);
  REQUIRE(ResUtilGetBinaryProperty(&out, &out_size, reinterpret_cast<PCLUSPROP_BINARY>(cursor),
                                   nullptr, 0, &cursor, &left) == ERROR_SUCCESS);
  CHECK(out_size == 3);
  CHECK(std::memcmp(out, blob, 3) == 0);
  LocalFree(out);

  // An entry that claims more bytes than are left.
  cursor = binary.cursor();
  left = binary.size() - 4;
  CHECK(ResUtilGetBinaryProperty(&out, &out_size, reinterpret_cast<PCLUSPROP_BINARY>(cursor),
                                 nullptr, 0, &cursor, &left) == ERROR_INVALID_PARAMETER);
}

TEST_CASE("ResUtilFindFileTimeProperty finds a FILETIME and refuses another format") {
  property_list_builder list;
  list.add_filetime(L"Stamp", filetime(0x200000001ull)).add_dword(L"Count", 1);
  auto* data = const_cast<std::uint8_t*>(list.bytes().data());
  const auto size = static_cast<DWORD>(list.bytes().size());
  FILETIME value{};
  CHECK(ResUtilFindFileTimeProperty(data, size, L"stamp", &value) == ERROR_SUCCESS);
  CHECK(value.dwHighDateTime == 2);
  CHECK(value.dwLowDateTime == 1);
  CHECK(ResUtilFindFileTimeProperty(data, size, L"Count", &value) == ERROR_INVALID_DATA);
  CHECK(ResUtilFindFileTimeProperty(data, size, L"None", &value) == ERROR_FILE_NOT_FOUND);
}

TEST_CASE("Lookups of other resources check their arguments, what a lab lacks is refused") {
  refusals.clear();
  set_resutils_log_sink(&remember);
  CLUS_RESOURCE_CLASS_INFO info{};
  SetLastError(ERROR_SUCCESS);
  CHECK(ResUtilGetResourceDependencyByName(nullptr, nullptr, L"IP Address", FALSE) == nullptr);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
  SetLastError(ERROR_SUCCESS);
  CHECK(ResUtilGetResourceDependencyByClass(nullptr, nullptr, &info, TRUE) == nullptr);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
  CHECK(ResUtilGetResourceDependentIPAddressProps(nullptr, nullptr, nullptr, nullptr, nullptr,
                                                  nullptr, nullptr) == ERROR_INVALID_PARAMETER);
  CHECK(ResUtilEnumResourcesEx(nullptr, nullptr, L"Physical Disk", nullptr, nullptr) ==
        ERROR_INVALID_PARAMETER);
  SetLastError(ERROR_SUCCESS);
  CHECK(ResUtilIsResourceClassEqual(&info, nullptr) == FALSE);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
  // The access of the Windows Server 2012 forms: 0 or unknown bits are refused first.
  SetLastError(ERROR_SUCCESS);
  CHECK(ResUtilGetResourceDependencyEx(nullptr, L"Physical Disk", 0) == nullptr);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
  SetLastError(ERROR_SUCCESS);
  CHECK(ResUtilGetResourceDependencyByNameEx(nullptr, nullptr, L"IP Address", TRUE, 0x1) ==
        nullptr);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
  SetLastError(ERROR_SUCCESS);
  CHECK(ResUtilGetResourceDependencyByClassEx(nullptr, nullptr, &info, TRUE, MAXIMUM_ALLOWED) ==
        nullptr);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
  SetLastError(ERROR_SUCCESS);
  CHECK(ResUtilGetResourceNameDependencyEx(nullptr, L"Network Name", MAXIMUM_ALLOWED) == nullptr);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
  CHECK(ResUtilEnumResourcesEx2(nullptr, nullptr, L"Physical Disk", nullptr, nullptr,
                                MAXIMUM_ALLOWED) == ERROR_INVALID_PARAMETER);
  CHECK(refusals.empty());

  // No drive letters, core Cluster Name / IP Address resources or Windows roles in a lab.
  WCHAR drive[8];
  DWORD cch = 8;
  HRESOURCE name = nullptr, ip = nullptr, quorum = nullptr;
  CHECK(ResUtilFindDependentDiskResourceDriveLetter(nullptr, nullptr, drive, &cch) ==
        ERROR_NOT_SUPPORTED);
  CHECK(ResUtilGetCoreClusterResources(nullptr, &name, &ip, &quorum) == ERROR_NOT_SUPPORTED);
  SetLastError(ERROR_SUCCESS);
  CHECK(ResUtilGetClusterRoleState(nullptr, ClusterRoleFileServer) == ClusterRoleUnknown);
  CHECK(GetLastError() == ERROR_NOT_SUPPORTED);
  set_resutils_log_sink(nullptr);
  REQUIRE(refusals.size() == 3);
  CHECK(refusals[0].find("ResUtilFindDependentDiskResourceDriveLetter") == 0);
  CHECK(refusals[0].find("ERROR_NOT_SUPPORTED") != std::string::npos);
}
