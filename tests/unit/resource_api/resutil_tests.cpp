// The ResUtil helpers, ClusWorker and the kernel32 basics of wolfpack/win_base.h, called
// as a plugin calls them (the C functions) over a registry_tree.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "wolfpack/proplist.hpp"
#include "wolfpack/registry_tree.hpp"
#include "wolfpack/resapi.h"
#include "wolfpack/resource_handles.hpp"

using namespace wolfpack;
using namespace std::chrono_literals;

namespace {

struct params {
  LPWSTR Path;
  DWORD Steps;
  DWORD Bias;
  LPWSTR Tags;  // MULTI_SZ: pointer, then its byte count
  DWORD TagsSize;
  LPBYTE Blob;  // BINARY
  DWORD BlobSize;
  DWORD Serial;
  LPWSTR Home;  // EXPAND_SZ
};

const BYTE default_blob[] = {1, 2, 3};

RESUTIL_PROPERTY_ITEM item(const wchar_t* name, DWORD format, DWORD_PTR def, DWORD min, DWORD max,
                           DWORD flags, std::size_t offset) {
  RESUTIL_PROPERTY_ITEM i{};
  i.Name = const_cast<LPWSTR>(name);
  i.Format = format;
  i.DefaultPtr = def;
  i.Minimum = min;
  i.Maximum = max;
  i.Flags = flags;
  i.Offset = static_cast<DWORD>(offset);
  return i;
}

std::vector<RESUTIL_PROPERTY_ITEM> make_table() {
  return {
      item(L"Path", CLUSPROP_FORMAT_SZ, 0, 0, 0, RESUTIL_PROPITEM_REQUIRED, offsetof(params, Path)),
      item(L"Steps", CLUSPROP_FORMAT_DWORD, 3, 1, 10, 0, offsetof(params, Steps)),
      item(L"Bias", CLUSPROP_FORMAT_DWORD, 0, static_cast<DWORD>(-5), 5, RESUTIL_PROPITEM_SIGNED,
           offsetof(params, Bias)),
      item(L"Tags", CLUSPROP_FORMAT_MULTI_SZ, 0, 0, 0, 0, offsetof(params, Tags)),
      item(L"Blob", CLUSPROP_FORMAT_BINARY, reinterpret_cast<DWORD_PTR>(default_blob),
           sizeof default_blob, 0, 0, offsetof(params, Blob)),
      item(L"Serial", CLUSPROP_FORMAT_DWORD, 7, 0, 0, RESUTIL_PROPITEM_READ_ONLY,
           offsetof(params, Serial)),
      item(L"Home", CLUSPROP_FORMAT_EXPAND_SZ, reinterpret_cast<DWORD_PTR>(L"%WP_TEST_HOME%/x"), 0,
           0, 0, offsetof(params, Home)),
      RESUTIL_PROPERTY_ITEM{}};
}

LPBYTE block(params& p) {
  return reinterpret_cast<LPBYTE>(&p);
}

PVOID data(const std::vector<std::uint8_t>& bytes) {
  return const_cast<std::uint8_t*>(bytes.data());
}
DWORD size(const std::vector<std::uint8_t>& bytes) {
  return static_cast<DWORD>(bytes.size());
}

}  // namespace

TEST_CASE("ResUtil DB values: get with defaults and types, set only when changed", "[resutil]") {
  registry_tree tree;
  HKEY key = tree.root();
  tree.set_value(L"", L"Count", make_dword(9));
  tree.set_value(L"", L"Name", make_sz(L"alpha"));

  DWORD dw = 0;
  CHECK(ResUtilGetDwordValue(key, L"Count", &dw, 5) == ERROR_SUCCESS);
  CHECK(dw == 9);
  CHECK(ResUtilGetDwordValue(key, L"Missing", &dw, 5) == ERROR_SUCCESS);
  CHECK(dw == 5);
  CHECK(ResUtilGetDwordValue(key, L"Name", &dw, 6) == ERROR_INVALID_PARAMETER);
  CHECK(dw == 6);
  CHECK(ResUtilGetDwordValue(key, L"Count", nullptr, 6) == ERROR_INVALID_PARAMETER);

  LPWSTR s = ResUtilGetSzValue(key, L"Name");
  REQUIRE(s != nullptr);
  CHECK(std::wstring(s) == L"alpha");
  LocalFree(s);
  SetLastError(0);
  CHECK(ResUtilGetSzValue(key, L"Missing") == nullptr);
  CHECK(GetLastError() == ERROR_FILE_NOT_FOUND);
  CHECK(ResUtilGetSzValue(key, L"Count") == nullptr);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);

  // Set: the out copy decides whether anything is written.
  std::vector<std::wstring> written;
  tree.set_observer([&](const std::wstring&, const std::wstring& name, const reg_value*) {
    written.push_back(name);
  });
  DWORD cached = 9;
  CHECK(ResUtilSetDwordValue(key, L"Count", 9, &cached) == ERROR_SUCCESS);
  CHECK(written.empty());
  CHECK(ResUtilSetDwordValue(key, L"Count", 10, &cached) == ERROR_SUCCESS);
  CHECK(cached == 10);
  CHECK(written.size() == 1);

  LPWSTR copy = nullptr;
  CHECK(ResUtilSetSzValue(key, L"Name", L"beta", &copy) == ERROR_SUCCESS);
  REQUIRE(copy != nullptr);
  CHECK(std::wstring(copy) == L"beta");
  CHECK(ResUtilSetSzValue(key, L"Name", L"beta", &copy) == ERROR_SUCCESS);
  CHECK(written.size() == 2);
  CHECK(ResUtilSetSzValue(key, L"Name", nullptr, &copy) == ERROR_INVALID_PARAMETER);
  LocalFree(copy);
  CHECK(ResUtilSetExpandSzValue(key, L"Exp", L"%HOME%", nullptr) == ERROR_SUCCESS);
  CHECK(tree.get_value(L"", L"Exp")->type == REG_EXPAND_SZ);

  const wchar_t multi[] = L"a\0bc\0";
  LPWSTR multi_copy = nullptr;
  DWORD multi_size = 0;
  CHECK(ResUtilSetMultiSzValue(key, L"Multi", multi, sizeof multi, &multi_copy, &multi_size) ==
        ERROR_SUCCESS);
  CHECK(multi_size == sizeof multi);
  LocalFree(multi_copy);
  LPWSTR multi_back = nullptr;
  DWORD multi_back_size = 0;
  CHECK(ResUtilGetMultiSzValue(key, L"Multi", &multi_back, &multi_back_size) == ERROR_SUCCESS);
  CHECK(multi_back_size == sizeof multi);
  CHECK(std::memcmp(multi_back, multi, sizeof multi) == 0);
  LocalFree(multi_back);

  BYTE bin[] = {9, 8, 7};
  CHECK(ResUtilSetBinaryValue(key, L"Bin", bin, sizeof bin, nullptr, nullptr) == ERROR_SUCCESS);
  LPBYTE bin_back = nullptr;
  DWORD bin_size = 0;
  CHECK(ResUtilGetBinaryValue(key, L"Bin", &bin_back, &bin_size) == ERROR_SUCCESS);
  CHECK(bin_size == 3);
  CHECK(bin_back[2] == 7);
  LocalFree(bin_back);
  CHECK(ResUtilGetBinaryValue(key, L"Nope", &bin_back, &bin_size) == ERROR_FILE_NOT_FOUND);
  CHECK(bin_back == nullptr);
}

TEST_CASE("ResUtilGetPropertiesToParameterBlock: defaults, required, types", "[resutil]") {
  registry_tree tree;
  auto table = make_table();
  params p{};
  LPWSTR bad = nullptr;

  CHECK(ResUtilGetPropertiesToParameterBlock(tree.root(), table.data(), block(p), TRUE, &bad) ==
        ERROR_FILE_NOT_FOUND);
  REQUIRE(bad != nullptr);
  CHECK(std::wstring(bad) == L"Path");

  CHECK(ResUtilGetPropertiesToParameterBlock(tree.root(), table.data(), block(p), FALSE, &bad) ==
        ERROR_SUCCESS);
  CHECK(bad == nullptr);
  CHECK(p.Path == nullptr);
  CHECK(p.Steps == 3);
  CHECK(p.Serial == 7);
  REQUIRE(p.Blob != nullptr);
  CHECK(p.BlobSize == 3);
  CHECK(p.Blob[1] == 2);
  CHECK(std::wstring(p.Home) == L"%WP_TEST_HOME%/x");

  tree.set_value(L"", L"Path", make_sz(L"/srv"));
  tree.set_value(L"", L"Steps", make_dword(4));
  CHECK(ResUtilGetPropertiesToParameterBlock(tree.root(), table.data(), block(p), TRUE, nullptr) ==
        ERROR_SUCCESS);
  CHECK(std::wstring(p.Path) == L"/srv");
  CHECK(p.Steps == 4);

  tree.set_value(L"", L"Steps", make_sz(L"four"));
  CHECK(ResUtilGetPropertiesToParameterBlock(tree.root(), table.data(), block(p), TRUE, &bad) ==
        ERROR_INVALID_PARAMETER);
  CHECK(std::wstring(bad) == L"Steps");
  ResUtilFreeParameterBlock(block(p), nullptr, table.data());
  CHECK(p.Path == nullptr);
}

TEST_CASE("ResUtilVerifyPropertyTable: formats, ranges, read-only, unknown, malformed",
          "[resutil]") {
  auto table = make_table();
  auto verify = [&](const std::vector<std::uint8_t>& list, BOOL allow_unknown = FALSE) {
    return ResUtilVerifyPropertyTable(table.data(), nullptr, allow_unknown, data(list), size(list),
                                      nullptr);
  };
  CHECK(verify(property_list_builder().add_dword(L"steps", 10).bytes()) == ERROR_SUCCESS);
  CHECK(verify(property_list_builder().add_dword(L"Steps", 11).bytes()) == ERROR_INVALID_PARAMETER);
  CHECK(verify(property_list_builder().add_dword(L"Steps", 0).bytes()) == ERROR_INVALID_PARAMETER);
  CHECK(verify(property_list_builder().add_dword(L"Bias", static_cast<DWORD>(-5)).bytes()) ==
        ERROR_SUCCESS);
  CHECK(verify(property_list_builder().add_dword(L"Bias", static_cast<DWORD>(-6)).bytes()) ==
        ERROR_INVALID_PARAMETER);
  CHECK(verify(property_list_builder().add_dword(L"Serial", 7).bytes()) == ERROR_INVALID_PARAMETER);
  CHECK(verify(property_list_builder().add_sz(L"Steps", L"3").bytes()) == ERROR_INVALID_PARAMETER);
  CHECK(verify(property_list_builder().add_expand_sz(L"Path", L"/x").bytes()) == ERROR_SUCCESS);
  CHECK(verify(property_list_builder().add_sz(L"Other", L"x").bytes()) == ERROR_INVALID_PARAMETER);
  CHECK(verify(property_list_builder().add_sz(L"Other", L"x").bytes(), TRUE) == ERROR_SUCCESS);
  // A DWORD value of 2 bytes, an unterminated string: not values of their format.
  CHECK(verify(property_list_builder()
                   .add_property(L"Steps", value_list_builder().add_value(
                                               CLUSPROP_SYNTAX_LIST_VALUE_DWORD, "ab", 2))
                   .bytes()) == ERROR_INVALID_DATA);
  const wchar_t unterminated[] = {L'a', L'b'};
  CHECK(verify(property_list_builder()
                   .add_property(L"Path",
                                 value_list_builder().add_value(CLUSPROP_SYNTAX_LIST_VALUE_SZ,
                                                                unterminated, sizeof unterminated))
                   .bytes()) == ERROR_INVALID_DATA);
  auto list = property_list_builder().add_dword(L"Steps", 5).bytes();
  auto cut = list;
  cut.resize(cut.size() - 4);
  CHECK(verify(cut) == ERROR_INSUFFICIENT_BUFFER);
  CHECK(ResUtilVerifyPropertyTable(table.data(), nullptr, FALSE, nullptr, 0, nullptr) ==
        ERROR_INVALID_DATA);
  auto bad_name = list;
  bad_name[4] = 0x99;  // the name entry's syntax
  CHECK(verify(bad_name) == ERROR_INVALID_DATA);

  // With a parameter block: the new values land there, as copies the block owns.
  params current{};
  current.Steps = 2;
  current.Path = ResUtilDupString(L"/old");
  params next{};
  REQUIRE(ResUtilDupParameterBlock(block(next), block(current), table.data()) == ERROR_SUCCESS);
  CHECK(next.Path != current.Path);
  auto change = property_list_builder().add_sz(L"Path", L"/new").add_dword(L"Steps", 6).bytes();
  CHECK(ResUtilVerifyPropertyTable(table.data(), nullptr, FALSE, data(change), size(change),
                                   block(next)) == ERROR_SUCCESS);
  CHECK(std::wstring(next.Path) == L"/new");
  CHECK(next.Steps == 6);
  CHECK(std::wstring(current.Path) == L"/old");
  ResUtilFreeParameterBlock(block(next), block(current), table.data());
  ResUtilFreeParameterBlock(block(current), nullptr, table.data());
}

TEST_CASE("ResUtilSetPropertyTable and ResUtilSetPropertyParameterBlock", "[resutil]") {
  registry_tree tree;
  auto table = make_table();
  std::vector<std::wstring> written;
  tree.set_observer([&](const std::wstring&, const std::wstring& name, const reg_value*) {
    written.push_back(name);
  });

  auto list = property_list_builder().add_dword(L"Steps", 5).add_sz(L"Path", L"/a").bytes();
  params out{};
  CHECK(ResUtilSetPropertyTable(tree.root(), table.data(), nullptr, FALSE, data(list), size(list),
                                block(out)) == ERROR_SUCCESS);
  CHECK(as_dword(*tree.get_value(L"", L"Steps")) == 5u);
  CHECK(out.Steps == 5);
  CHECK(written.size() == 2);
  // Same values again: nothing written.
  CHECK(ResUtilSetPropertyTable(tree.root(), table.data(), nullptr, FALSE, data(list), size(list),
                                nullptr) == ERROR_SUCCESS);
  CHECK(written.size() == 2);
  // One bad property: nothing at all is written.
  auto bad = property_list_builder().add_dword(L"Steps", 6).add_dword(L"Serial", 1).bytes();
  CHECK(ResUtilSetPropertyTable(tree.root(), table.data(), nullptr, FALSE, data(bad), size(bad),
                                nullptr) == ERROR_INVALID_PARAMETER);
  CHECK(as_dword(*tree.get_value(L"", L"Steps")) == 5u);

  params in{};
  in.Path = ResUtilDupString(L"/b");
  in.Steps = 8;
  in.Serial = 99;  // read-only: never written from a block
  auto unknown = property_list_builder().add_sz(L"Note", L"n").bytes();
  CHECK(ResUtilSetPropertyParameterBlock(tree.root(), table.data(), nullptr, block(in),
                                         data(unknown), size(unknown),
                                         block(out)) == ERROR_SUCCESS);
  CHECK(as_dword(*tree.get_value(L"", L"Steps")) == 8u);
  CHECK(tree.get_value(L"", L"Note").has_value());
  CHECK_FALSE(tree.get_value(L"", L"Serial").has_value());
  CHECK(std::wstring(out.Path) == L"/b");
  CHECK(out.Path != in.Path);
  CHECK(ResUtilSetPropertyParameterBlock(nullptr, table.data(), nullptr, block(in), nullptr, 0,
                                         nullptr) == ERROR_BAD_ARGUMENTS);
  auto read_only = property_list_builder().add_dword(L"Serial", 1).bytes();
  CHECK(ResUtilSetPropertyParameterBlock(tree.root(), table.data(), nullptr, block(in),
                                         data(read_only), size(read_only),
                                         nullptr) == ERROR_INVALID_PARAMETER);
  ResUtilFreeParameterBlock(block(out), nullptr, table.data());
  ResUtilFreeParameterBlock(block(in), nullptr, table.data());
}

TEST_CASE("ResUtilGetProperties, GetAllProperties, EnumProperties, GetPropertyFormats: sizes",
          "[resutil]") {
  registry_tree tree;
  auto table = make_table();
  tree.set_value(L"", L"Path", make_sz(L"/p"));
  tree.set_value(L"", L"Extra", make_dword(1));
  ::setenv("WP_TEST_HOME", "/home/t", 1);

  DWORD returned = 1, required = 1;
  CHECK(ResUtilGetProperties(tree.root(), table.data(), nullptr, 0, &returned, &required) ==
        ERROR_MORE_DATA);
  CHECK(returned == 0);
  REQUIRE(required > 4);
  std::vector<std::uint8_t> out(required);
  CHECK(ResUtilGetProperties(tree.root(), table.data(), out.data(), required - 1, &returned,
                             &required) == ERROR_MORE_DATA);
  CHECK(ResUtilGetProperties(tree.root(), table.data(), out.data(), size(out), &returned,
                             &required) == ERROR_SUCCESS);
  CHECK(returned == out.size());
  auto list = parse_property_list(out.data(), out.size());
  REQUIRE(list.ok);
  CHECK(list.find(L"Path")->value().as_sz() == L"/p");
  CHECK(list.find(L"Steps")->value().as_dword() == 3u);
  CHECK(list.find(L"Tags") == nullptr);  // no value and no default
  CHECK(list.find(L"Blob")->value().as_binary()->size() == 3);
  REQUIRE(list.find(L"Home")->values.size() == 2);  // EXPAND_SZ and its expansion
  CHECK(list.find(L"Home")->values[1].as_sz() == L"/home/t/x");
  CHECK(list.find(L"Extra") == nullptr);

  CHECK(ResUtilGetAllProperties(tree.root(), table.data(), nullptr, 0, &returned, &required) ==
        ERROR_MORE_DATA);
  std::vector<std::uint8_t> all(required);
  CHECK(ResUtilGetAllProperties(tree.root(), table.data(), all.data(), size(all), &returned,
                                &required) == ERROR_SUCCESS);
  auto all_list = parse_property_list(all.data(), all.size());
  REQUIRE(all_list.ok);
  CHECK(all_list.properties.size() == list.properties.size() + 1);
  CHECK(all_list.find(L"Extra")->value().as_dword() == 1u);

  // AddUnknownProperties after GetProperties, the way ResourceControl code chains them.
  std::vector<std::uint8_t> chained(all.size());
  CHECK(ResUtilGetProperties(tree.root(), table.data(), chained.data(), size(chained), &returned,
                             &required) == ERROR_SUCCESS);
  CHECK(ResUtilAddUnknownProperties(tree.root(), table.data(), chained.data(), size(chained),
                                    &returned, &required) == ERROR_SUCCESS);
  CHECK(returned == all.size());
  CHECK(chained == all);

  CHECK(ResUtilEnumProperties(table.data(), nullptr, 0, &returned, &required) == ERROR_MORE_DATA);
  std::vector<WCHAR> names(required / sizeof(WCHAR));
  CHECK(ResUtilEnumProperties(table.data(), names.data(), required, &returned, &required) ==
        ERROR_SUCCESS);
  CHECK(std::wstring(names.data()) == L"Path");
  CHECK(names[names.size() - 1] == L'\0');
  CHECK(names[names.size() - 2] == L'\0');

  CHECK(ResUtilGetPropertyFormats(table.data(), nullptr, 0, &returned, &required) ==
        ERROR_MORE_DATA);
  std::vector<std::uint8_t> formats(required);
  CHECK(ResUtilGetPropertyFormats(table.data(), formats.data(), size(formats), &returned,
                                  &required) == ERROR_SUCCESS);
  auto format_list = parse_property_list(formats.data(), formats.size());
  REQUIRE(format_list.ok);
  CHECK(format_list.properties.size() == 7);
  CHECK(format_list.find(L"Tags")->value().as_word() == CLUSPROP_FORMAT_MULTI_SZ);
  // The table's defaults, ranges and flags follow each format.
  const auto described = parse_property_formats(formats.data(), formats.size());
  REQUIRE(described.ok);
  REQUIRE(described.formats.size() == 7);
  CHECK(described.formats[0].flags == WP_CLUSPROP_FLAG_REQUIRED);  // Path, no default
  CHECK_FALSE(described.formats[0].default_value.has_value());
  CHECK(described.formats[1].default_value->as_dword() == 3u);  // Steps 1..10
  CHECK(described.formats[1].minimum->as_dword() == 1u);
  CHECK(described.formats[1].maximum->as_dword() == 10u);
  CHECK(static_cast<LONG>(*described.formats[2].minimum->as_dword()) == -5);  // Bias, signed
  CHECK(described.formats[2].flags == WP_CLUSPROP_FLAG_SIGNED);
  CHECK_FALSE(described.formats[3].default_value.has_value());  // Tags
  CHECK(described.formats[4].default_value->as_binary() ==
        std::vector<std::uint8_t>{1, 2, 3});  // Blob: Minimum is the default's size
  CHECK_FALSE(described.formats[4].minimum.has_value());
  CHECK(described.formats[5].flags == WP_CLUSPROP_FLAG_READ_ONLY);  // Serial, no range
  CHECK_FALSE(described.formats[5].maximum.has_value());
  CHECK(described.formats[6].default_value->as_sz() == L"%WP_TEST_HOME%/x");
  CHECK(ResUtilGetProperties(tree.root(), table.data(), nullptr, 0, nullptr, &required) ==
        ERROR_INVALID_PARAMETER);
}

TEST_CASE("ResUtilFind*Property and ResUtilVerifyPrivatePropertyList", "[resutil]") {
  auto list = property_list_builder()
                  .add_sz(L"Name", L"value")
                  .add_dword(L"Count", 4)
                  .add_long(L"Delta", -2)
                  .add_multi_sz(L"Tags", {L"a", L"b"})
                  .bytes();
  LPWSTR s = nullptr;
  CHECK(ResUtilFindSzProperty(data(list), size(list), L"name", &s) == ERROR_SUCCESS);
  REQUIRE(s != nullptr);
  CHECK(std::wstring(s) == L"value");
  LocalFree(s);
  CHECK(ResUtilFindSzProperty(data(list), size(list), L"Name", nullptr) == ERROR_SUCCESS);
  CHECK(ResUtilFindSzProperty(data(list), size(list), L"Count", &s) == ERROR_INVALID_DATA);
  CHECK(ResUtilFindSzProperty(data(list), size(list), L"Absent", &s) == ERROR_FILE_NOT_FOUND);
  DWORD dw = 0;
  CHECK(ResUtilFindDwordProperty(data(list), size(list), L"Count", &dw) == ERROR_SUCCESS);
  CHECK(dw == 4);
  CHECK(ResUtilFindDwordProperty(data(list), size(list), L"Name", &dw) == ERROR_INVALID_DATA);
  LONG l = 0;
  CHECK(ResUtilFindLongProperty(data(list), size(list), L"Delta", &l) == ERROR_SUCCESS);
  CHECK(l == -2);
  LPWSTR multi = nullptr;
  DWORD multi_size = 0;
  CHECK(ResUtilFindMultiSzProperty(data(list), size(list), L"Tags", &multi, &multi_size) ==
        ERROR_SUCCESS);
  CHECK(multi_size == 5 * sizeof(WCHAR));
  LocalFree(multi);
  auto cut = list;
  cut.resize(cut.size() - 8);
  CHECK(ResUtilFindDwordProperty(data(cut), size(cut), L"Count", &dw) == ERROR_INVALID_DATA);

  CHECK(ResUtilVerifyPrivatePropertyList(data(list), size(list)) == ERROR_SUCCESS);
  CHECK(ResUtilVerifyPrivatePropertyList(data(cut), size(cut)) == ERROR_INSUFFICIENT_BUFFER);
  CHECK(ResUtilVerifyPrivatePropertyList(nullptr, 0) == ERROR_INVALID_DATA);
}

TEST_CASE("ResUtil names, paths and strings", "[resutil]") {
  HRESOURCE a = open_resource_handle(L"Disk Q", L"Physical Disk");
  HRESOURCE b = open_resource_handle(L"disk q", L"Physical Disk");
  HRESOURCE c = open_resource_handle(L"Web", L"Generic Service");
  CHECK(ResUtilResourcesEqual(a, b) == TRUE);
  CHECK(ResUtilResourcesEqual(a, c) == FALSE);
  CHECK(ResUtilResourceTypesEqual(L"physical disk", a) == TRUE);
  CHECK(ResUtilResourceTypesEqual(L"Physical Disk ", a) == FALSE);
  close_resource_handle(c);
  SetLastError(0);
  CHECK(ResUtilResourcesEqual(a, c) == FALSE);
  CHECK(GetLastError() == ERROR_INVALID_HANDLE);
  close_resource_handle(a);
  close_resource_handle(b);

  CHECK(ResUtilIsPathValid(L"/srv/data") == TRUE);
  CHECK(ResUtilIsPathValid(L"C:\\Data\\x") == TRUE);
  CHECK(ResUtilIsPathValid(L"") == FALSE);
  CHECK(ResUtilIsPathValid(nullptr) == FALSE);
  CHECK(ResUtilIsPathValid(L"a|b") == FALSE);
  CHECK(ResUtilIsPathValid(L"ab:c") == FALSE);
  CHECK(ResUtilIsPathValid(L"a:b") == TRUE);  // drive-relative
  CHECK(ResUtilIsPathValid(L"a\tb") == FALSE);

  PWSTR dup = ResUtilDupString(L"text");
  REQUIRE(dup != nullptr);
  CHECK(std::wstring(dup) == L"text");
  LocalFree(dup);
  SetLastError(0);
  CHECK(ResUtilDupString(nullptr) == nullptr);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);

  RESOURCE_STATUS status;
  std::memset(&status, 0xFF, sizeof status);
  ResUtilInitializeResourceStatus(&status);
  CHECK(status.CheckPoint == 0);
  CHECK(status.EventHandle == nullptr);
}

namespace {

std::atomic<int> g_steps{0};

DWORD WINAPI counting_worker(PCLUS_WORKER worker, LPVOID parameter) {
  auto* seen = static_cast<std::atomic<bool>*>(parameter);
  while (!ClusWorkerCheckTerminate(worker)) {
    ++g_steps;
    Sleep(5);
  }
  *seen = true;
  return ERROR_SUCCESS;
}

DWORD WINAPI quick_worker(PCLUS_WORKER, LPVOID parameter) {
  *static_cast<std::atomic<bool>*>(parameter) = true;
  return ERROR_SUCCESS;
}

}  // namespace

TEST_CASE("ClusWorker: create, check, terminate waits, later calls do not", "[resutil][worker]") {
  CLUS_WORKER worker{};
  std::atomic<bool> seen{false};
  CHECK(ClusWorkerCreate(nullptr, counting_worker, &seen) == ERROR_INVALID_PARAMETER);
  CHECK(ClusWorkerCreate(&worker, nullptr, &seen) == ERROR_INVALID_PARAMETER);
  REQUIRE(ClusWorkerCreate(&worker, counting_worker, &seen) == ERROR_SUCCESS);
  CHECK(worker.hThread != nullptr);
  CHECK(ClusWorkerCheckTerminate(&worker) == FALSE);
  std::this_thread::sleep_for(30ms);
  ClusWorkerTerminate(&worker);
  CHECK(seen);  // the first Terminate returned only after the routine did
  CHECK(worker.hThread == nullptr);
  CHECK(worker.Terminate == TRUE);
  ClusWorkerTerminate(&worker);  // again: harmless

  CLUS_WORKER never{};
  ClusWorkerTerminate(&never);  // never started: nothing to do
  CHECK(ClusWorkerTerminateEx(&never, 10, FALSE) == ERROR_SUCCESS);
}

TEST_CASE("ClusWorkerTerminateEx and ClusWorkersTerminate: timeouts", "[resutil][worker]") {
  CLUS_WORKER busy{};
  std::atomic<bool> busy_done{false};
  REQUIRE(ClusWorkerCreate(&busy, counting_worker, &busy_done) == ERROR_SUCCESS);
  // WaitOnly: times out and leaves the worker running.
  CHECK(ClusWorkerTerminateEx(&busy, 20, TRUE) == WAIT_TIMEOUT);
  CHECK(ClusWorkerCheckTerminate(&busy) == FALSE);
  // Not WaitOnly: times out, then asks the worker to stop.
  CHECK(ClusWorkerTerminateEx(&busy, 20, FALSE) == WAIT_TIMEOUT);
  CHECK(ClusWorkerCheckTerminate(&busy) == TRUE);
  CHECK(ClusWorkerTerminateEx(&busy, 5000, TRUE) == ERROR_SUCCESS);
  CHECK(busy_done);
  CHECK(busy.hThread == nullptr);

  CLUS_WORKER a{}, b{};
  std::atomic<bool> a_done{false}, b_done{false};
  REQUIRE(ClusWorkerCreate(&a, quick_worker, &a_done) == ERROR_SUCCESS);
  REQUIRE(ClusWorkerCreate(&b, counting_worker, &b_done) == ERROR_SUCCESS);
  PCLUS_WORKER both[] = {&a, &b};
  CHECK(ClusWorkersTerminate(both, 2, 30, FALSE) == WAIT_TIMEOUT);  // b keeps counting
  CHECK(ClusWorkersTerminate(both, 2, 5000, TRUE) == ERROR_SUCCESS);
  CHECK(a_done);
  CHECK(b_done);
}

TEST_CASE("win_base: LocalAlloc, lstr*, _wcs*, Sleep", "[resutil][win_base]") {
  auto* zeroed = static_cast<BYTE*>(LocalAlloc(LPTR, 16));
  REQUIRE(zeroed != nullptr);
  CHECK(zeroed[15] == 0);
  CHECK(LocalFree(zeroed) == nullptr);
  CHECK(LocalFree(nullptr) == nullptr);
  SetLastError(0);
  CHECK(LocalAlloc(LMEM_MOVEABLE, 4) == nullptr);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);

  WCHAR buf[8];
  CHECK(lstrcpyW(buf, L"abc") == buf);
  CHECK(lstrlenW(buf) == 3);
  CHECK(lstrlenW(nullptr) == 0);
  CHECK(lstrcmpiW(L"ABC", buf) == 0);
  CHECK(lstrcmpW(L"ABC", buf) < 0);
  CHECK(lstrcpynW(buf, L"abcdef", 3) == buf);
  CHECK(std::wstring(buf) == L"ab");
  CHECK(_wcsicmp(L"Win Style", L"win style") == 0);
  CHECK(_wcsnicmp(L"Win StyleX", L"win styleY", 9) == 0);
  CHECK(_wtoi(L"42") == 42);
  wchar_t* dup = _wcsdup(L"x");
  CHECK(std::wstring(dup) == L"x");
  std::free(dup);

  const auto before = GetTickCount64();
  CHECK(SleepEx(20, TRUE) == 0);
  CHECK(GetTickCount64() - before >= 19);
  CHECK(DisableThreadLibraryCalls(nullptr) == FALSE);
  CHECK(FIELD_OFFSET(params, Steps) == static_cast<LONG>(offsetof(params, Steps)));
}
