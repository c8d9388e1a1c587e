// The C++ plugin layer (wolfpack/plugin.hpp): the property table on its own, then the entry
// points it generates, driven directly with a registry_tree and fake monitor callbacks.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdarg>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "wolfpack/log_format.hpp"
#include "wolfpack/plugin.hpp"
#include "wolfpack/proplist.hpp"
#include "wolfpack/registry_tree.hpp"

using namespace wolfpack;
namespace wp = wolfpack::plugin;

namespace {

struct all_params {
  DWORD count = 0;
  ULONGLONG size = 0;
  std::wstring path;
  std::wstring expand;
  std::vector<std::wstring> list;
  std::vector<std::uint8_t> blob;
  DWORD serial = 0;
};

wp::property_table<all_params> all_table() {
  return wp::property_table<all_params>()
      .dword(L"Count", &all_params::count, 3, 1, 10)
      .qword(L"Size", &all_params::size, 1ull << 33, 1024, 1ull << 40)
      .sz(L"Path", &all_params::path)
      .required()
      .expand_sz(L"Expand", &all_params::expand, L"%HOME%/x")
      .multi_sz(L"List", &all_params::list, {L"a", L"b"})
      .binary(L"Blob", &all_params::blob, {1, 2, 3})
      .dword(L"Serial", &all_params::serial, 7)
      .read_only();
}

std::vector<std::uint8_t> bytes_of(const property_list_builder& b) {
  return b.bytes();
}

DWORD apply(const wp::property_table<all_params>& t, const std::vector<std::uint8_t>& list,
            all_params& p) {
  return t.apply(list.data(), static_cast<DWORD>(list.size()), p).status;
}

}  // namespace

TEST_CASE("plugin property table: defaults, formats and names", "[plugin]") {
  const auto t = all_table();
  const all_params d = t.defaults();
  CHECK(d.count == 3);
  CHECK(d.size == (1ull << 33));
  CHECK(d.path.empty());
  CHECK(d.expand == L"%HOME%/x");
  CHECK(d.list == std::vector<std::wstring>{L"a", L"b"});
  CHECK(d.blob == std::vector<std::uint8_t>{1, 2, 3});

  const auto formats = t.formats();
  const auto parsed = parse_property_list(formats.data(), formats.size());
  REQUIRE(parsed.ok);
  REQUIRE(parsed.properties.size() == 7);
  CHECK(parsed.find(L"Count")->value().as_word() == CLUSPROP_FORMAT_DWORD);
  CHECK(parsed.find(L"Size")->value().as_word() == CLUSPROP_FORMAT_ULARGE_INTEGER);
  CHECK(parsed.find(L"Path")->value().as_word() == CLUSPROP_FORMAT_SZ);
  CHECK(parsed.find(L"Expand")->value().as_word() == CLUSPROP_FORMAT_EXPAND_SZ);
  CHECK(parsed.find(L"List")->value().as_word() == CLUSPROP_FORMAT_MULTI_SZ);
  CHECK(parsed.find(L"Blob")->value().as_word() == CLUSPROP_FORMAT_BINARY);

  // What a tool needs for a form: defaults, ranges, flags.
  const auto described = parse_property_formats(formats.data(), formats.size());
  REQUIRE(described.ok);
  REQUIRE(described.formats.size() == 7);
  const auto& count = described.formats[0];
  CHECK(count.default_value->as_dword() == 3u);
  CHECK(count.minimum->as_dword() == 1u);
  CHECK(count.maximum->as_dword() == 10u);
  CHECK(count.flags == 0);
  const auto& size = described.formats[1];
  CHECK(size.default_value->as_ularge() == (1ull << 33));
  CHECK(size.minimum->as_ularge() == 1024u);
  CHECK(size.maximum->as_ularge() == (1ull << 40));
  const auto& path = described.formats[2];
  CHECK(path.default_value->as_sz() == L"");
  CHECK_FALSE(path.minimum.has_value());
  CHECK(path.flags == WP_CLUSPROP_FLAG_REQUIRED);
  CHECK(described.formats[3].default_value->as_sz() == L"%HOME%/x");
  CHECK(described.formats[3].default_value->format() == CLUSPROP_FORMAT_EXPAND_SZ);
  CHECK(described.formats[4].default_value->as_multi_sz() == std::vector<std::wstring>{L"a", L"b"});
  CHECK(described.formats[5].default_value->as_binary() == std::vector<std::uint8_t>{1, 2, 3});
  const auto& serial = described.formats[6];
  CHECK(serial.flags == WP_CLUSPROP_FLAG_READ_ONLY);
  CHECK(serial.maximum->as_dword() == 0xFFFFFFFFu);  // no range given: the whole DWORD

  const auto names = t.names();
  std::wstring text(names.size() / sizeof(WCHAR), L'\0');
  std::memcpy(text.data(), names.data(), names.size());
  CHECK(text == std::wstring(L"Count\0Size\0Path\0Expand\0List\0Blob\0Serial\0\0", 41));
}

TEST_CASE("plugin property table: a property list is checked and applied", "[plugin]") {
  const auto t = all_table();
  all_params p = t.defaults();

  SECTION("good values of every type, names in any case") {
    std::vector<const wp::property_item<all_params>*> changed;
    const auto list = bytes_of(property_list_builder()
                                   .add_dword(L"count", 10)
                                   .add_ularge(L"Size", 4096)
                                   .add_expand_sz(L"Path", L"/srv/a")  // EXPAND_SZ for SZ is fine
                                   .add_sz(L"Expand", L"$x")
                                   .add_multi_sz(L"List", {L"x", L"y", L"z"})
                                   .add_binary(L"Blob", std::vector<std::uint8_t>{9}));
    REQUIRE(t.apply(list.data(), static_cast<DWORD>(list.size()), p, &changed));
    CHECK(changed.size() == 6);
    CHECK(p.count == 10);
    CHECK(p.size == 4096);
    CHECK(p.path == L"/srv/a");
    CHECK(p.expand == L"$x");
    CHECK(p.list == std::vector<std::wstring>{L"x", L"y", L"z"});
    CHECK(p.blob == std::vector<std::uint8_t>{9});
  }
  SECTION("out of range: ERROR_INVALID_PARAMETER") {
    CHECK(apply(t, bytes_of(property_list_builder().add_dword(L"Count", 11)), p) ==
          ERROR_INVALID_PARAMETER);
    CHECK(apply(t, bytes_of(property_list_builder().add_dword(L"Count", 0)), p) ==
          ERROR_INVALID_PARAMETER);
    CHECK(apply(t, bytes_of(property_list_builder().add_ularge(L"Size", 1023)), p) ==
          ERROR_INVALID_PARAMETER);
    CHECK(p.count == 3);
  }
  SECTION("wrong type: ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH") {
    CHECK(apply(t, bytes_of(property_list_builder().add_sz(L"Count", L"5")), p) ==
          ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH);
    CHECK(apply(t, bytes_of(property_list_builder().add_dword(L"Path", 5)), p) ==
          ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH);
    CHECK(apply(t, bytes_of(property_list_builder().add_dword(L"Size", 5)), p) ==
          ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH);
    CHECK(apply(t, bytes_of(property_list_builder().add_sz(L"List", L"x")), p) ==
          ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH);
    CHECK(apply(t, bytes_of(property_list_builder().add_sz(L"Blob", L"x")), p) ==
          ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH);
  }
  SECTION("unknown and read-only properties: ERROR_INVALID_PARAMETER") {
    CHECK(apply(t, bytes_of(property_list_builder().add_dword(L"Nope", 1)), p) ==
          ERROR_INVALID_PARAMETER);
    const auto o = t.apply(
        bytes_of(property_list_builder().add_dword(L"Serial", 1)).data(),
        static_cast<DWORD>(bytes_of(property_list_builder().add_dword(L"Serial", 1)).size()), p);
    CHECK(o.status == ERROR_INVALID_PARAMETER);
    CHECK_THAT(o.message, Catch::Contains("Serial") && Catch::Contains("read-only"));
  }
  SECTION("malformed lists and values: ERROR_INVALID_DATA") {
    auto list = bytes_of(property_list_builder().add_dword(L"Count", 5));
    list.resize(list.size() - 6);
    CHECK(apply(t, list, p) == ERROR_INVALID_DATA);
    const WORD two = 5;
    const auto short_dword = bytes_of(property_list_builder().add_property(
        L"Count", value_list_builder().add_value(CLUSPROP_SYNTAX_LIST_VALUE_DWORD, &two, 2)));
    CHECK(apply(t, short_dword, p) == ERROR_INVALID_DATA);
  }
  SECTION("the first refusal stops everything after it") {
    const auto list = bytes_of(property_list_builder()
                                   .add_dword(L"Count", 4)
                                   .add_dword(L"Count", 99)
                                   .add_sz(L"Path", L"x"));
    const auto o = t.apply(list.data(), static_cast<DWORD>(list.size()), p);
    CHECK(o.status == ERROR_INVALID_PARAMETER);
    CHECK_THAT(o.message, Catch::Contains("Count") && Catch::Contains("99"));
    CHECK(p.path.empty());
  }
}

TEST_CASE("plugin property table: the Parameters key", "[plugin]") {
  const auto t = all_table();
  registry_tree tree;

  SECTION("no key: defaults; a required property is reported only when asked") {
    all_params p;
    CHECK(t.read(tree.root(), p, false));
    CHECK(p.count == 3);
    const auto o = t.read(tree.root(), p, true);
    CHECK(o.status == ERROR_FILE_NOT_FOUND);
    CHECK_THAT(o.message, Catch::Contains("Path"));
  }
  SECTION("write then read every type back") {
    all_params p = t.defaults();
    const auto list = bytes_of(property_list_builder()
                                   .add_dword(L"Count", 9)
                                   .add_ularge(L"Size", 1ull << 35)
                                   .add_sz(L"Path", L"/p")
                                   .add_expand_sz(L"Expand", L"%A%")
                                   .add_multi_sz(L"List", {L"m", L"n"})
                                   .add_binary(L"Blob", std::vector<std::uint8_t>{4, 5}));
    std::vector<const wp::property_item<all_params>*> changed;
    REQUIRE(t.apply(list.data(), static_cast<DWORD>(list.size()), p, &changed));
    REQUIRE(t.write(tree.root(), p, changed));
    CHECK(tree.get_value(L"Parameters", L"Count")->type == REG_DWORD);
    CHECK(tree.get_value(L"Parameters", L"Size")->type == REG_QWORD);
    CHECK(tree.get_value(L"Parameters", L"Expand")->type == REG_EXPAND_SZ);
    CHECK(tree.get_value(L"Parameters", L"List")->type == REG_MULTI_SZ);
    CHECK(tree.get_value(L"Parameters", L"Blob")->type == REG_BINARY);
    CHECK_FALSE(tree.get_value(L"Parameters", L"Serial"));  // not in the list: not written
    all_params back;
    REQUIRE(t.read(tree.root(), back, true));
    CHECK(back.count == 9);
    CHECK(back.size == (1ull << 35));
    CHECK(back.path == L"/p");
    CHECK(back.expand == L"%A%");
    CHECK(back.list == std::vector<std::wstring>{L"m", L"n"});
    CHECK(back.blob == std::vector<std::uint8_t>{4, 5});
    CHECK(back.serial == 7);

    // GET_PRIVATE_PROPERTIES answers with these values, the read-only one included.
    const auto out = t.to_property_list(back);
    const auto parsed = parse_property_list(out.data(), out.size());
    REQUIRE(parsed.ok);
    CHECK(parsed.properties.size() == 7);
    CHECK(parsed.find(L"Count")->value().as_dword() == 9u);
    CHECK(parsed.find(L"Size")->value().as_ularge() == (1ull << 35));
    CHECK(parsed.find(L"Expand")->format() == CLUSPROP_FORMAT_EXPAND_SZ);
    const auto ro = t.to_property_list(back, true);
    const auto parsed_ro = parse_property_list(ro.data(), ro.size());
    REQUIRE(parsed_ro.properties.size() == 1);
    CHECK(parsed_ro.properties[0].name == L"Serial");
  }
  SECTION("a stored value of another type or out of range is reported, the default used") {
    tree.set_value(L"Parameters", L"Path", make_sz(L"/ok"));
    tree.set_value(L"Parameters", L"Count", make_sz(L"three"));
    tree.set_value(L"Parameters", L"Size", make_qword(5));
    all_params p;
    const auto o = t.read(tree.root(), p, true);
    CHECK(o.status == ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH);
    CHECK(p.count == 3);
    CHECK(p.size == (1ull << 33));
    CHECK(p.path == L"/ok");
  }
}

// ---- the generated entry points ---------------------------------------------------------------

namespace {

struct recorded {
  std::mutex mutex;
  std::vector<RESOURCE_STATUS> statuses;
  std::vector<std::wstring> logs;
  std::atomic<DWORD> exit_state{ResourceExitStateContinue};
};

recorded& record() {
  static recorded r;
  return r;
}

DWORD WINAPI fake_set_status(RESOURCE_HANDLE, PRESOURCE_STATUS status) {
  std::lock_guard lock(record().mutex);
  record().statuses.push_back(*status);
  return record().exit_state.load();
}

VOID WINAPI fake_log(RESOURCE_HANDLE, LOG_LEVEL, LPCWSTR format, ...) {
  va_list args;
  va_start(args, format);
  std::wstring text = format_log_message(format, args);
  va_end(args);
  std::lock_guard lock(record().mutex);
  record().logs.push_back(std::move(text));
}

bool logged(const std::wstring& part) {
  std::lock_guard lock(record().mutex);
  for (const auto& l : record().logs) {
    if (l.find(part) != std::wstring::npos)
      return true;
  }
  return false;
}

std::vector<RESOURCE_STATUS> statuses() {
  std::lock_guard lock(record().mutex);
  return record().statuses;
}

void reset_record() {
  std::lock_guard lock(record().mutex);
  record().statuses.clear();
  record().logs.clear();
  record().exit_state = ResourceExitStateContinue;
}

struct toy_params {
  DWORD delay_ms = 0;
  DWORD fail_with = 0;
  DWORD throw_in_online = 0;
  DWORD spin_online = 0;
  std::wstring tag;
};

std::atomic<int> live_toys{0};

class toy : public wp::resource<toy_params> {
 public:
  toy() { ++live_toys; }
  ~toy() override { --live_toys; }

  static wp::property_table<toy_params> properties() {
    return wp::property_table<toy_params>()
        .dword(L"DelayMs", &toy_params::delay_ms, 0, 0, 10000)
        .dword(L"FailWith", &toy_params::fail_with)
        .dword(L"ThrowInOnline", &toy_params::throw_in_online, 0, 0, 1)
        .dword(L"SpinOnline", &toy_params::spin_online, 0, 0, 1)
        .sz(L"Tag", &toy_params::tag)
        .required();
  }
  static wp::outcome validate_parameters(const toy_params& p) {
    if (p.tag == L"forbidden")
      return wp::outcome::refused(ERROR_INVALID_PARAMETER, "Tag: forbidden");
    return {};
  }

  wp::result online() override {
    if (params().throw_in_online != 0)
      throw std::runtime_error("boom");
    if (params().spin_online != 0) {
      // Long synchronous work that watches for Terminate.
      spinning = true;
      const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!stop_requested() && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      return stop_requested() ? wp::result::failure(ERROR_OPERATION_ABORTED)
                              : wp::result::success();
    }
    if (params().delay_ms == 0)
      return params().fail_with == 0 ? wp::result::success()
                                     : wp::result::failure(params().fail_with);
    const auto delay = std::chrono::milliseconds(params().delay_ms);
    const DWORD fail_with = params().fail_with;
    return run_pending([this, delay, fail_with](wp::pending_operation& op) -> wp::result {
      if (!op.sleep_for(delay, std::chrono::milliseconds(20))) {
        worker_stopped = true;
        return wp::result::failure(ERROR_OPERATION_ABORTED);
      }
      if (fail_with != 0)
        throw wp::error(fail_with, "worker gave up");
      return wp::result::success();
    });
  }
  wp::result offline() override {
    ++offline_calls;
    return wp::result::success();
  }
  bool looks_alive() override { return true; }
  bool is_alive() override { return true; }
  void terminate() override { ++terminate_calls; }

  std::atomic<int> offline_calls{0};
  std::atomic<int> terminate_calls{0};
  std::atomic<bool> worker_stopped{false};
  std::atomic<bool> spinning{false};
};

using toy_adapter = wp::type_adapter<toy>;

const CLRES_V1_FUNCTIONS& toy_entry_points() {
  PCLRES_FUNCTION_TABLE table = nullptr;
  REQUIRE(toy_adapter::startup({L"Toy", L"Toy Too"}, L"Toy", CLRES_VERSION_V1_00,
                               CLRES_VERSION_V1_00, fake_set_status, fake_log,
                               &table) == ERROR_SUCCESS);
  REQUIRE(table->TableSize == CLRES_V1_FUNCTION_SIZE);
  REQUIRE(table->Version == CLRES_VERSION_V1_00);
  return table->V1Functions;
}

bool wait_for_status(CLUSTER_RESOURCE_STATE state,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    for (const auto& s : statuses()) {
      if (s.ResourceState == state)
        return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace

TEST_CASE("plugin entry points: Startup refuses other types and versions", "[plugin]") {
  PCLRES_FUNCTION_TABLE table = nullptr;
  CHECK(toy_adapter::startup({L"Toy", L"Toy Too"}, L"toy too", 0x100, 0x100, fake_set_status,
                             fake_log, &table) == ERROR_SUCCESS);
  CHECK(toy_adapter::startup({L"Toy"}, L"Toy ", 0x100, 0x100, fake_set_status, fake_log, &table) ==
        ERROR_CLUSTER_RESNAME_NOT_FOUND);
  CHECK(toy_adapter::startup({L"Toy"}, L"Toy", 0x200, 0x200, fake_set_status, fake_log, &table) ==
        ERROR_REVISION_MISMATCH);
  CHECK(toy_adapter::startup({L"Toy"}, L"Toy", 0x100, 0x100, fake_set_status, fake_log, nullptr) ==
        ERROR_INVALID_PARAMETER);
  const auto& f = toy_adapter::TEST_function_table().V1Functions;
  CHECK(f.Arbitrate == nullptr);
  CHECK(f.Release == nullptr);
  CHECK(f.ResourceControl != nullptr);
  CHECK(f.ResourceTypeControl != nullptr);
}

TEST_CASE("plugin entry points: Open, Online, Offline, Close", "[plugin]") {
  reset_record();
  const auto& f = toy_entry_points();
  registry_tree tree;
  CHECK(f.Open(nullptr, tree.root(), nullptr) == nullptr);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);

  RESID r = f.Open(L"t1", tree.root(), reinterpret_cast<RESOURCE_HANDLE>(1));
  REQUIRE(r != nullptr);
  CHECK(live_toys == 1);

  // The required Tag is missing: Online refuses with the registry's code and says why.
  HANDLE event = reinterpret_cast<HANDLE>(5);
  CHECK(f.Online(r, &event) == ERROR_FILE_NOT_FOUND);
  CHECK(event == nullptr);
  CHECK(logged(L"Tag"));

  tree.set_value(L"Parameters", L"Tag", make_sz(L"x"));
  CHECK(f.Online(r, &event) == ERROR_SUCCESS);
  CHECK(f.LooksAlive(r) == TRUE);
  CHECK(f.IsAlive(r) == TRUE);
  CHECK(f.Offline(r) == ERROR_SUCCESS);
  CHECK(f.Offline(r) == ERROR_SUCCESS);

  tree.set_value(L"Parameters", L"FailWith", make_dword(ERROR_BAD_NETPATH));
  CHECK(f.Online(r, &event) == ERROR_BAD_NETPATH);

  // An exception never crosses the C ABI: it becomes a code and a log line.
  tree.set_value(L"Parameters", L"ThrowInOnline", make_dword(1));
  CHECK(f.Online(r, &event) == ERROR_GEN_FAILURE);
  CHECK(logged(L"Online: boom"));

  f.Close(r);
  CHECK(live_toys == 0);
}

TEST_CASE("plugin entry points: a pending Online reports progress and completion", "[plugin]") {
  reset_record();
  const auto& f = toy_entry_points();
  registry_tree tree;
  tree.set_value(L"Parameters", L"Tag", make_sz(L"x"));
  tree.set_value(L"Parameters", L"DelayMs", make_dword(150));
  RESID r = f.Open(L"t2", tree.root(), reinterpret_cast<RESOURCE_HANDLE>(2));
  REQUIRE(r != nullptr);
  CHECK(f.Online(r, nullptr) == ERROR_IO_PENDING);
  REQUIRE(wait_for_status(ClusterResourceOnline));
  const auto s = statuses();
  REQUIRE(s.size() >= 2);
  DWORD last = 0;
  for (const auto& one : s) {
    CHECK(one.CheckPoint > last);  // rising
    last = one.CheckPoint;
  }
  CHECK(s.front().ResourceState == ClusterResourceOnlinePending);
  CHECK(s.back().ResourceState == ClusterResourceOnline);

  SECTION("a worker that fails reports Failed and logs its reason") {
    reset_record();
    tree.set_value(L"Parameters", L"FailWith", make_dword(ERROR_BAD_NETPATH));
    CHECK(f.Online(r, nullptr) == ERROR_IO_PENDING);
    REQUIRE(wait_for_status(ClusterResourceFailed));
    CHECK(logged(L"worker gave up"));
  }
  SECTION("Terminate stops the worker at once, and nothing is reported afterwards") {
    reset_record();
    tree.set_value(L"Parameters", L"DelayMs", make_dword(10000));
    CHECK(f.Online(r, nullptr) == ERROR_IO_PENDING);
    const auto started = std::chrono::steady_clock::now();
    f.Terminate(r);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    CHECK(static_cast<toy*>(r)->worker_stopped);
    CHECK(static_cast<toy*>(r)->terminate_calls == 1);
    const auto n = statuses().size();
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    CHECK(statuses().size() == n);
    for (const auto& one : statuses())
      CHECK(one.ResourceState == ClusterResourceOnlinePending);
    f.Terminate(r);  // idempotent
    CHECK(static_cast<toy*>(r)->terminate_calls == 2);
  }
  SECTION("Close while pending stops the worker before freeing the resource") {
    tree.set_value(L"Parameters", L"DelayMs", make_dword(10000));
    CHECK(f.Online(r, nullptr) == ERROR_IO_PENDING);
    f.Close(r);
    CHECK(live_toys == 0);
    return;
  }
  f.Close(r);
}

TEST_CASE("plugin entry points: private property control codes", "[plugin]") {
  reset_record();
  const auto& f = toy_entry_points();
  registry_tree tree;
  tree.set_value(L"Parameters", L"Tag", make_sz(L"x"));
  RESID r = f.Open(L"t3", tree.root(), reinterpret_cast<RESOURCE_HANDLE>(3));
  REQUIRE(r != nullptr);

  auto control = [&](DWORD code, const std::vector<std::uint8_t>& in,
                     std::vector<std::uint8_t>* out = nullptr) {
    DWORD needed = 0;
    DWORD status = f.ResourceControl(r, code, const_cast<std::uint8_t*>(in.data()),
                                     static_cast<DWORD>(in.size()), nullptr, 0, &needed);
    if (out != nullptr && status == ERROR_MORE_DATA) {
      out->resize(needed);
      status = f.ResourceControl(r, code, nullptr, 0, out->data(), needed, &needed);
    }
    return status;
  };

  CHECK(control(CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES,
                property_list_builder().add_dword(L"DelayMs", 10001).bytes()) ==
        ERROR_INVALID_PARAMETER);
  CHECK(control(CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES,
                property_list_builder().add_sz(L"DelayMs", L"1").bytes()) ==
        ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH);
  CHECK(control(CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES,
                property_list_builder().add_sz(L"Tag", L"forbidden").bytes()) ==
        ERROR_INVALID_PARAMETER);
  CHECK(logged(L"Tag: forbidden"));
  CHECK(control(CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES,
                property_list_builder().add_dword(L"DelayMs", 20).bytes()) == ERROR_SUCCESS);
  CHECK(tree.get_value(L"Parameters", L"DelayMs") == make_dword(20));

  std::vector<std::uint8_t> out;
  REQUIRE(control(CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES, {}, &out) == ERROR_SUCCESS);
  const auto parsed = parse_property_list(out.data(), out.size());
  REQUIRE(parsed.ok);
  CHECK(parsed.find(L"DelayMs")->value().as_dword() == 20u);
  CHECK(parsed.find(L"Tag")->value().as_sz() == L"x");
  CHECK(parsed.find(L"FailWith")->value().as_dword() == 0u);

  CHECK(control(CLUSCTL_RESOURCE_ENUM_PRIVATE_PROPERTIES, {}, &out) == ERROR_SUCCESS);
  CHECK(control(0x7777, {}) == ERROR_INVALID_FUNCTION);

  DWORD needed = 0;
  CHECK(f.ResourceTypeControl(L"Toy", CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS,
                              nullptr, 0, nullptr, 0, &needed) == ERROR_MORE_DATA);
  std::vector<std::uint8_t> formats(needed);
  CHECK(f.ResourceTypeControl(L"Toy", CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS,
                              nullptr, 0, formats.data(), needed, &needed) == ERROR_SUCCESS);
  const auto fmts = parse_property_list(formats.data(), formats.size());
  REQUIRE(fmts.ok);
  CHECK(fmts.properties.size() == 5);
  CHECK(fmts.find(L"Tag")->value().as_word() == CLUSPROP_FORMAT_SZ);
  const auto bad = property_list_builder().add_dword(L"ThrowInOnline", 2).bytes();
  CHECK(f.ResourceTypeControl(L"Toy", CLUSCTL_RESOURCE_TYPE_VALIDATE_PRIVATE_PROPERTIES,
                              const_cast<std::uint8_t*>(bad.data()), static_cast<DWORD>(bad.size()),
                              nullptr, 0, &needed) == ERROR_INVALID_PARAMETER);
  f.Close(r);
}

TEST_CASE("plugin entry points: Terminate overlapping a synchronous Online", "[plugin]") {
  reset_record();
  const auto& f = toy_entry_points();
  registry_tree tree;
  tree.set_value(L"Parameters", L"Tag", make_sz(L"x"));
  tree.set_value(L"Parameters", L"SpinOnline", make_dword(1));
  RESID r = f.Open(L"t4", tree.root(), reinterpret_cast<RESOURCE_HANDLE>(4));
  REQUIRE(r != nullptr);
  auto* t = static_cast<toy*>(r);

  // Terminate before any call: it must not poison the next Online.
  f.Terminate(r);
  tree.set_value(L"Parameters", L"SpinOnline", make_dword(0));
  CHECK(f.Online(r, nullptr) == ERROR_SUCCESS);
  tree.set_value(L"Parameters", L"SpinOnline", make_dword(1));

  DWORD online_status = 0;
  const auto started = std::chrono::steady_clock::now();
  std::thread online([&] { online_status = f.Online(r, nullptr); });
  while (!t->spinning)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  f.Terminate(r);  // on another thread, while Online runs: the monitor's Terminate lane
  online.join();
  CHECK(online_status == ERROR_OPERATION_ABORTED);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  CHECK(t->terminate_calls == 2);
  f.Close(r);
}

namespace {

// A quorum-capable type that declares its class, characteristics and required dependencies.
class quorum_toy : public wp::resource<> {
 public:
  static DWORD characteristics() { return CLUS_CHAR_QUORUM; }
  static DWORD resource_class() { return CLUS_RESCLASS_STORAGE; }
  static void required_dependencies(value_list_builder& list) {
    list.add_sz(L"IP Address", CLUSPROP_SYNTAX_NAME);
  }
  static constexpr bool quorum_capable = true;

  wp::result online() override { return wp::result::success(); }
  wp::result offline() override { return wp::result::success(); }
  bool looks_alive() override { return true; }
  bool is_alive() override { return true; }
  DWORD arbitrate() override {
    ++arbitrations;
    return ERROR_SUCCESS;
  }
  // Stands for a defense that found the resource taken.
  DWORD release() override {
    quorum_lost();
    return ERROR_SUCCESS;
  }

  std::atomic<int> arbitrations{0};
};

std::atomic<RESOURCE_HANDLE> lost_handle{nullptr};

VOID WINAPI record_lost(RESOURCE_HANDLE handle) {
  lost_handle = handle;
}

}  // namespace

TEST_CASE("plugin entry points: a quorum-capable type's Arbitrate, Release and type facts",
          "[plugin]") {
  using adapter = wp::type_adapter<quorum_toy>;
  PCLRES_FUNCTION_TABLE table = nullptr;
  REQUIRE(adapter::startup({L"Quorum Toy"}, L"Quorum Toy", CLRES_VERSION_V1_00, CLRES_VERSION_V1_00,
                           fake_set_status, fake_log, &table) == ERROR_SUCCESS);
  const auto& f = table->V1Functions;
  REQUIRE(f.Arbitrate != nullptr);
  REQUIRE(f.Release != nullptr);

  registry_tree tree;
  RESID r = f.Open(L"q", tree.root(), reinterpret_cast<RESOURCE_HANDLE>(7));
  REQUIRE(r != nullptr);
  CHECK(f.Arbitrate(r, record_lost) == ERROR_SUCCESS);
  CHECK(static_cast<quorum_toy*>(r)->arbitrations == 1);
  CHECK(lost_handle.load() == nullptr);
  // The routine Arbitrate received is what quorum_lost() calls, with the resource's handle.
  CHECK(f.Release(r) == ERROR_SUCCESS);
  CHECK(lost_handle.load() == reinterpret_cast<RESOURCE_HANDLE>(7));

  DWORD value = 0;
  DWORD returned = 0;
  CHECK(f.ResourceTypeControl(L"Quorum Toy", CLUSCTL_RESOURCE_TYPE_GET_CHARACTERISTICS, nullptr, 0,
                              &value, sizeof value, &returned) == ERROR_SUCCESS);
  CHECK(value == CLUS_CHAR_QUORUM);
  value = 0;
  CHECK(f.ResourceControl(r, CLUSCTL_RESOURCE_GET_CHARACTERISTICS, nullptr, 0, &value, sizeof value,
                          &returned) == ERROR_SUCCESS);
  CHECK(value == CLUS_CHAR_QUORUM);

  CLUS_RESOURCE_CLASS_INFO info{};
  CHECK(f.ResourceTypeControl(L"Quorum Toy", CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO, nullptr, 0,
                              &info, sizeof info, &returned) == ERROR_SUCCESS);
  CHECK(info.rc == CLUS_RESCLASS_STORAGE);

  const auto expected =
      value_list_builder().add_sz(L"IP Address", CLUSPROP_SYNTAX_NAME).add_endmark().bytes();
  std::vector<std::uint8_t> deps(256);
  CHECK(f.ResourceTypeControl(L"Quorum Toy", CLUSCTL_RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES,
                              nullptr, 0, deps.data(), static_cast<DWORD>(deps.size()),
                              &returned) == ERROR_SUCCESS);
  deps.resize(returned);
  CHECK(deps == expected);
  deps.assign(256, 0);
  CHECK(f.ResourceControl(r, CLUSCTL_RESOURCE_GET_REQUIRED_DEPENDENCIES, nullptr, 0, deps.data(),
                          static_cast<DWORD>(deps.size()), &returned) == ERROR_SUCCESS);
  deps.resize(returned);
  CHECK(deps == expected);
  f.Close(r);
}
