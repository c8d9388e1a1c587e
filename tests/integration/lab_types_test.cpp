// The lab's simulated resource types (sample_resources: IP Address, Network Name, File Share,
// Physical Disk, File Share Witness) through real resrcmon monitors. Two monitors started with
// different --node names act as two nodes of one lab: both plugins see the same
// WOLFPACK_LAB_DIR, the test's own directory.

#include <catch2/catch.hpp>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <wolfpack/clusapi.h>
#include <wolfpack/winerror.h>
#include <nlohmann/json.hpp>
#include <wolfpack/proplist.hpp>

#include "integration_support.hpp"
#include "lab_journal_check.hpp"
#include "monitor_fixture.hpp"
#include "property_list_codec.hpp"

using namespace wolfpack::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Not in every winerror.h: the codes the lab types document for conflicts.
constexpr std::uint32_t error_dup_name = 52;          // ERROR_DUP_NAME
constexpr std::uint32_t nerr_duplicate_share = 2118;  // NERR_DuplicateShare
// physical_disk::control_write_probe
constexpr std::uint32_t disk_write_probe = CLUSCTL_USER_CODE(1, CLUS_OBJECT_RESOURCE);

const std::map<std::string, std::string> plugin_of = {
    {"IP Address", "wp_ipaddr"},    {"Network Name", "wp_netname"},   {"Physical Disk", "wp_disk"},
    {"File Share", "wp_fileshare"}, {"File Share Witness", "wp_fsw"},
};

// A lab (its own WOLFPACK_LAB_DIR) for one test.
struct lab {
  temp_dir dir;
  lab_dir_scope scope{dir.path()};
  std::vector<json> journal() const { return read_lab_journal(dir.path()); }
};

void load(monitor_fixture& m, const std::string& type) {
  auto r = m.request({{"type", "load_type"},
                      {"resource_type", type},
                      {"plugin", plugin_path(plugin_of.at(type)).string()}});
  REQUIRE_M(m, r.value("ok", false));
}

// Polls every 100 ms (LooksAlive) / 200 ms (IsAlive), pending operations may take 30 s.
json fast_polls() {
  return timing(100, 200, 30000);
}

// Sends online and waits for Online or Failed; the state reached ("" at the deadline).
std::string bring_online(monitor_fixture& m, const std::string& resource,
                         std::chrono::milliseconds timeout = 20s) {
  m.send({{"type", "online"}, {"resource", resource}});
  auto e = m.wait_for(
      [&](const json& ev) {
        return ev.value("type", "") == "state" && ev.value("resource", "") == resource &&
               (ev.value("state", "") == "Online" || ev.value("state", "") == "Failed");
      },
      timeout);
  return e ? e->value("state", "") : "";
}

void take_offline(monitor_fixture& m, const std::string& resource) {
  m.send({{"type", "offline"}, {"resource", resource}});
  REQUIRE_M(m, m.wait_state(resource, "Offline"));
}

std::optional<json> wait_log(monitor_fixture& m, const std::string& text,
                             std::chrono::milliseconds timeout = 10s) {
  return m.wait_for(
      [&](const json& e) {
        return e.value("type", "") == "log" &&
               e.value("message", "").find(text) != std::string::npos;
      },
      timeout);
}

// The answer of a type-level control, asked twice (size, then data).
std::vector<std::uint8_t> type_answer(monitor_fixture& m, const std::string& type,
                                      std::uint32_t code) {
  auto sizing = m.type_control(type, code, {}, 0);
  const std::uint32_t size = sizing.value("bytes_returned", 0u);
  if (sizing.value("status", 0) == ERROR_SUCCESS)
    return from_hex(sizing.value("out", ""));
  auto full = m.type_control(type, code, {}, size);
  REQUIRE(full.value("ok", false));
  return from_hex(full.value("out", ""));
}

std::vector<std::string> format_names(monitor_fixture& m, const std::string& type) {
  auto list = parse_property_list(
      type_answer(m, type, CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS));
  REQUIRE(list);
  std::vector<std::string> names;
  for (const auto& p : *list)
    names.push_back(p.name);
  return names;
}

// What a form needs to know of a DWORD property, as the type's formats describe it: its
// default and its range (and that it is not required).
void check_dword_format(monitor_fixture& m, const std::string& type, const std::string& name,
                        std::uint32_t default_value, std::uint32_t minimum, std::uint32_t maximum) {
  INFO(type << " " << name);
  const auto bytes = type_answer(m, type, CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS);
  const auto described = wolfpack::parse_property_formats(bytes.data(), bytes.size());
  REQUIRE(described.ok);
  const auto it =
      std::find_if(described.formats.begin(), described.formats.end(),
                   [&](const auto& f) { return f.name == std::wstring(name.begin(), name.end()); });
  REQUIRE(it != described.formats.end());
  CHECK(it->format == CLUSPROP_FORMAT_DWORD);
  CHECK(it->flags == 0u);
  REQUIRE(it->default_value.has_value());
  REQUIRE(it->minimum.has_value());
  REQUIRE(it->maximum.has_value());
  CHECK(it->default_value->as_dword() == default_value);
  CHECK(it->minimum->as_dword() == minimum);
  CHECK(it->maximum->as_dword() == maximum);
}

// The entries of a value list (syntax, data) before its end mark, decoded from the format
// (SPEC 6.5): syntax DWORD, length DWORD, data padded to 4 bytes.
std::vector<std::pair<std::uint32_t, std::vector<std::uint8_t>>> value_list(
    const std::vector<std::uint8_t>& bytes) {
  std::vector<std::pair<std::uint32_t, std::vector<std::uint8_t>>> out;
  std::size_t at = 0;
  while (at + 4 <= bytes.size()) {
    std::uint32_t syntax = 0;
    std::memcpy(&syntax, bytes.data() + at, 4);
    if (syntax == CLUSPROP_SYNTAX_ENDMARK || at + 8 > bytes.size())
      break;
    std::uint32_t length = 0;
    std::memcpy(&length, bytes.data() + at + 4, 4);
    at += 8;
    if (at + length > bytes.size())
      break;
    out.emplace_back(syntax,
                     std::vector<std::uint8_t>(bytes.begin() + static_cast<long>(at),
                                               bytes.begin() + static_cast<long>(at + length)));
    at += (length + 3) / 4 * 4;
  }
  return out;
}

std::string wide_ascii(const std::vector<std::uint8_t>& data) {
  std::string s;
  for (std::size_t i = 0; i + sizeof(wchar_t) <= data.size(); i += sizeof(wchar_t)) {
    wchar_t c = 0;
    std::memcpy(&c, data.data() + i, sizeof c);
    if (c == 0)
      break;
    s.push_back(static_cast<char>(c));
  }
  return s;
}

std::uint32_t validate(monitor_fixture& m, const std::string& resource,
                       const property_list_builder& b) {
  return m.resource_control(resource, CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES, b.bytes())
      .value("status", 0xFFFFFFFFu);
}

// What the last Online call returned (its response's status).
std::uint32_t last_online_status(const monitor_fixture& m) {
  std::uint32_t status = 0xFFFFFFFFu;
  for (const auto& e : m.events()) {
    if (e.value("type", "") == "response" && e.value("entry", "") == "Online")
      status = e.value("status", 0xFFFFFFFFu);
  }
  return status;
}

json ip_params(const std::string& address) {
  return {{"Address", address}, {"SubnetMask", "255.255.255.0"}, {"Network", "public"}};
}

// Another node's token in a disk's reservation record, put there behind the holder's back
// (a replacement, as the lab registry writes records).
void steal_reservation(const fs::path& reservation) {
  std::string text;
  {
    std::ifstream in(reservation);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto token = record_value(reservation, "token");
  REQUIRE_FALSE(token.empty());
  text.replace(text.find("token=" + token), 6 + token.size(), "token=taken-by-node2");
  const auto tmp = reservation.string() + ".tmp";
  std::ofstream(tmp) << text;
  fs::rename(tmp, reservation);
}

}  // namespace

// ---- IP Address ------------------------------------------------------------------------------

TEST_CASE("lab IP Address: online claims the address, offline releases it", "[lab][monitor]") {
  lab l;
  monitor_fixture m({}, "node1");
  load(m, "IP Address");
  open_resource(m, "IP", ip_params("10.0.0.5"), fast_polls(), "IP Address");
  REQUIRE_M(m, bring_online(m, "IP") == "Online");
  const auto record = l.dir.path() / "network" / "10.0.0.5";
  CHECK(record_value(record, "node") == "node1");
  CHECK(record_value(record, "resource") == "IP");
  CHECK(record_value(record, "network") == "public");
  // Polls (IsAlive every 200 ms) keep finding the claim theirs for a while.
  CHECK_FALSE(m.wait_state("IP", "Failed", 800ms));
  take_offline(m, "IP");
  CHECK(record_value(record, "node").empty());
  CHECK(double_holders(l.journal()).empty());
  CHECK_FALSE(find_event(m.events(), "state", "IP",
                         [](const json& e) { return e.value("state", "") == "Failed"; }));
}

TEST_CASE("lab IP Address: validation names the property, a missing one fails Online",
          "[lab][monitor][control]") {
  lab l;
  monitor_fixture m({}, "node1");
  load(m, "IP Address");
  open_resource(m, "IP", json::object(), fast_polls(), "IP Address");
  CHECK(validate(m, "IP", property_list_builder().sz("Address", "10.1.2.3")) == ERROR_SUCCESS);
  CHECK(validate(m, "IP", property_list_builder().sz("Address", "255.255.255.255")) ==
        ERROR_INVALID_PARAMETER);
  REQUIRE_M(m, wait_log(m, "property Address"));
  CHECK(validate(m, "IP", property_list_builder().sz("Address", "0.0.0.0")) ==
        ERROR_INVALID_PARAMETER);
  CHECK(validate(m, "IP", property_list_builder().sz("Address", "10.0.0")) ==
        ERROR_INVALID_PARAMETER);
  CHECK(validate(m, "IP", property_list_builder().sz("SubnetMask", "255.0.255.0")) ==
        ERROR_INVALID_PARAMETER);
  REQUIRE_M(m, wait_log(m, "property SubnetMask"));
  CHECK(validate(m, "IP", property_list_builder().sz("SubnetMask", "255.255.240.0")) ==
        ERROR_SUCCESS);
  CHECK(validate(m, "IP", property_list_builder().dword("EnableNetBIOS", 3)) ==
        ERROR_INVALID_PARAMETER);
  CHECK(validate(m, "IP", property_list_builder().dword("OverrideAddressMatch", 2)) ==
        ERROR_INVALID_PARAMETER);
  CHECK(validate(m, "IP", property_list_builder().sz("Interface", "eth0/1")) ==
        ERROR_INVALID_PARAMETER);
  REQUIRE_M(m, wait_log(m, "property Interface"));
  CHECK(validate(m, "IP", property_list_builder().sz("Interface", "eth0")) == ERROR_SUCCESS);

  const auto names = format_names(m, "IP Address");
  CHECK(names == std::vector<std::string>{"Address", "SubnetMask", "Network", "EnableNetBIOS",
                                          "OverrideAddressMatch", "Interface"});
  // The resource-level code answers the same, with each property's format.
  auto fmts = m.resource_control("IP", CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTY_FMTS, {}, 4096);
  REQUIRE(fmts.value("status", -1) == ERROR_SUCCESS);
  const auto fmt_list = parse_property_list(from_hex(fmts.value("out", "")));
  REQUIRE(fmt_list);
  REQUIRE(fmt_list->size() == 6);
  CHECK(find_property(*fmt_list, "Address")->values[0].as_word() == CLUSPROP_FORMAT_SZ);
  CHECK(find_property(*fmt_list, "Interface")->values[0].as_word() == CLUSPROP_FORMAT_SZ);
  check_dword_format(m, "IP Address", "EnableNetBIOS", 1, 0, 2);
  check_dword_format(m, "IP Address", "OverrideAddressMatch", 0, 0, 1);
  CHECK(find_property(*fmt_list, "EnableNetBIOS")->values[0].as_word() == CLUSPROP_FORMAT_DWORD);
  // Class NETWORK, no required dependencies.
  const auto info = type_answer(m, "IP Address", CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO);
  REQUIRE(info.size() >= 4);
  std::uint32_t rc = 0;
  std::memcpy(&rc, info.data(), 4);
  CHECK(rc == CLUS_RESCLASS_NETWORK);
  CHECK(value_list(type_answer(m, "IP Address", CLUSCTL_RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES))
            .empty());

  // No Address at all: Online fails, and the log says which property is missing.
  REQUIRE_M(m, bring_online(m, "IP") == "Failed");
  REQUIRE_M(m, wait_log(m, "property Address: required, not set"));
}

TEST_CASE("lab IP Address: a second node claiming the same address fails, split brain shows",
          "[lab][monitor]") {
  lab l;
  monitor_fixture node1({}, "node1");
  monitor_fixture node2({}, "node2");
  for (auto* m : {&node1, &node2}) {
    load(*m, "IP Address");
    open_resource(*m, "IP", ip_params("192.168.7.20"), fast_polls(), "IP Address");
  }
  REQUIRE_M(node1, bring_online(node1, "IP") == "Online");
  REQUIRE_M(node2, bring_online(node2, "IP") == "Failed");
  CHECK(last_online_status(node2) == ERROR_CLUSTER_IPADDR_IN_USE);
  REQUIRE_M(node2, wait_log(node2, "already in use by node1"));
  const auto record = l.dir.path() / "network" / "192.168.7.20";
  CHECK(record_value(record, "node") == "node1");
  // A second resource on the same node is a conflict too.
  open_resource(node1, "IP-again", ip_params("192.168.7.20"), fast_polls(), "IP Address");
  CHECK(bring_online(node1, "IP-again") == "Failed");
  // The holder is still fine, and the address free once it goes offline.
  take_offline(node1, "IP");
  REQUIRE_M(node2, bring_online(node2, "IP") == "Online");
  CHECK(record_value(record, "node") == "node2");

  // A holder that dies (kill -9 of its monitor) loses its claim with it.
  node2.process().kill();
  REQUIRE(node2.wait_exit());
  CHECK(bring_online(node1, "IP") == "Online");
  CHECK(record_value(record, "node") == "node1");
  const auto journal = l.journal();
  INFO(describe_journal(journal));
  CHECK(double_holders(journal).empty());
}

// ---- Network Name ----------------------------------------------------------------------------

TEST_CASE("lab Network Name: requires an IP Address, validates the NetBIOS name, conflicts",
          "[lab][monitor][control]") {
  lab l;
  monitor_fixture node1({}, "node1");
  monitor_fixture node2({}, "node2");
  for (auto* m : {&node1, &node2}) {
    load(*m, "Network Name");
    open_resource(*m, "NN", {{"Name", "FileSrv1"}}, fast_polls(), "Network Name");
  }
  const auto deps = value_list(
      type_answer(node1, "Network Name", CLUSCTL_RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES));
  REQUIRE(deps.size() == 1);
  CHECK(deps[0].first == CLUSPROP_SYNTAX_NAME);
  CHECK(wide_ascii(deps[0].second) == "IP Address");
  // The resource-level code answers the same.
  auto res_deps = node1.resource_control("NN", CLUSCTL_RESOURCE_GET_REQUIRED_DEPENDENCIES, {}, 256);
  REQUIRE(res_deps.value("status", -1) == ERROR_SUCCESS);
  CHECK(value_list(from_hex(res_deps.value("out", ""))).size() == 1);
  // GET_NETWORK_NAME answers the stored Name, offline too, as a terminated string.
  auto net_name = node1.resource_control("NN", CLUSCTL_RESOURCE_GET_NETWORK_NAME, {}, 256);
  INFO(net_name.dump());
  REQUIRE(net_name.value("status", -1) == ERROR_SUCCESS);
  const auto name_bytes = from_hex(net_name.value("out", ""));
  std::wstring got(name_bytes.size() / sizeof(WCHAR), L'\0');
  std::memcpy(got.data(), name_bytes.data(), got.size() * sizeof(WCHAR));
  CHECK(got == std::wstring(L"FileSrv1\0", 9));
  auto short_buffer = node1.resource_control("NN", CLUSCTL_RESOURCE_GET_NETWORK_NAME, {}, 4);
  CHECK(short_buffer.value("status", -1) == ERROR_MORE_DATA);
  CHECK(short_buffer.value("bytes_returned", 0) == 9 * sizeof(WCHAR));

  CHECK(validate(node1, "NN", property_list_builder().sz("Name", "THIS-NAME-IS-TOO-LONG")) ==
        ERROR_INVALID_PARAMETER);
  REQUIRE_M(node1, wait_log(node1, "property Name"));
  CHECK(validate(node1, "NN", property_list_builder().sz("Name", "bad name")) ==
        ERROR_INVALID_PARAMETER);
  CHECK(validate(node1, "NN", property_list_builder().sz("Name", "")) == ERROR_SUCCESS);
  CHECK(validate(node1, "NN", property_list_builder().sz("Name", "SQL-VS1")) == ERROR_SUCCESS);
  CHECK(format_names(node1, "Network Name") == std::vector<std::string>{"Name"});

  REQUIRE_M(node1, bring_online(node1, "NN") == "Online");
  CHECK(record_value(l.dir.path() / "names" / "FILESRV1", "node") == "node1");
  REQUIRE_M(node2, bring_online(node2, "NN") == "Failed");
  REQUIRE_M(node2, wait_log(node2, "already registered by node1"));
  CHECK(last_online_status(node2) == error_dup_name);
  take_offline(node1, "NN");
  REQUIRE_M(node2, bring_online(node2, "NN") == "Online");
  CHECK(double_holders(l.journal()).empty());
}

// ---- File Share ------------------------------------------------------------------------------

TEST_CASE("lab File Share: a record per share name, Path checked, storage required",
          "[lab][monitor][control]") {
  lab l;
  const auto share_dir = l.dir.path() / "exported";
  fs::create_directories(share_dir);
  monitor_fixture node1({}, "node1");
  monitor_fixture node2({}, "node2");
  const json params = {
      {"ShareName", "Public"}, {"Path", share_dir.string()}, {"Remark", "for everyone"}};
  for (auto* m : {&node1, &node2}) {
    load(*m, "File Share");
    open_resource(*m, "FS", params, fast_polls(), "File Share");
  }
  const auto deps =
      value_list(type_answer(node1, "File Share", CLUSCTL_RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES));
  REQUIRE(deps.size() == 1);
  CHECK(deps[0].first == CLUSPROP_SYNTAX_RESCLASS);
  std::uint32_t rc = 0;
  REQUIRE(deps[0].second.size() == 4);
  std::memcpy(&rc, deps[0].second.data(), 4);
  CHECK(rc == CLUS_RESCLASS_STORAGE);
  check_dword_format(node1, "File Share", "MaxUsers", 0xFFFFFFFFu, 1, 0xFFFFFFFFu);
  CHECK(format_names(node1, "File Share") ==
        std::vector<std::string>{"ShareName", "Path", "Remark", "MaxUsers"});
  CHECK(validate(node1, "FS", property_list_builder().sz("Path", "relative/dir")) ==
        ERROR_INVALID_PARAMETER);
  REQUIRE_M(node1, wait_log(node1, "property Path"));
  CHECK(validate(node1, "FS", property_list_builder().sz("ShareName", "a\\b")) ==
        ERROR_INVALID_PARAMETER);
  REQUIRE_M(node1, wait_log(node1, "property ShareName"));
  CHECK(validate(node1, "FS", property_list_builder().dword("MaxUsers", 0)) ==
        ERROR_INVALID_PARAMETER);

  REQUIRE_M(node1, bring_online(node1, "FS") == "Online");
  const auto record = l.dir.path() / "shares" / "PUBLIC";
  CHECK(record_value(record, "node") == "node1");
  CHECK(record_value(record, "path") == share_dir.string());
  CHECK(record_value(record, "max_users") == "4294967295");
  // Same share name, any case, from another node: refused.
  REQUIRE_M(node2, bring_online(node2, "FS") == "Failed");
  REQUIRE_M(node2, wait_log(node2, "already shared by node1"));
  CHECK(last_online_status(node2) == nerr_duplicate_share);

  // Path removed from under the share: IsAlive fails it.
  fs::remove_all(share_dir);
  REQUIRE_M(node1, node1.wait_state("FS", "Failed"));
  // The Terminate that follows the failure releases the record.
  CHECK(wait_until([&] { return record_value(record, "node").empty(); }, 5s));

  // A Path that does not exist fails Online, naming Path.
  REQUIRE_M(node2, bring_online(node2, "FS") == "Failed");
  REQUIRE_M(node2, wait_log(node2, "property Path"));
  CHECK(double_holders(l.journal()).empty());
}

// ---- Physical Disk ---------------------------------------------------------------------------

TEST_CASE("lab Physical Disk: the holder defends, a challenger takes a silent holder's disk",
          "[lab][monitor][quorum]") {
  lab l;
  monitor_fixture node1({}, "node1");
  monitor_fixture node2({}, "node2");
  // DiskArbInterval 1 s: a challenge watches for 2.6 s.
  const json params = {{"Signature", 0x1234ABCD}, {"DiskArbInterval", 1}};
  for (auto* m : {&node1, &node2}) {
    load(*m, "Physical Disk");
    open_resource(*m, "Disk", params, fast_polls(), "Physical Disk");
  }
  const auto reservation = l.dir.path() / "storage" / "DISK-1234ABCD" / "reservation";
  REQUIRE_M(node1, bring_online(node1, "Disk") == "Online");
  CHECK(record_value(reservation, "node") == "node1");
  CHECK(record_value(reservation, "epoch") == "1");
  // The holder renews: the sequence number moves.
  REQUIRE(wait_until(
      [&] {
        const std::string seq = record_value(reservation, "seq");
        return !seq.empty() && std::stoul(seq) >= 2;
      },
      5s));

  // A challenger finds a live holder: its pending Online sees it renew and fails.
  REQUIRE_M(node2, bring_online(node2, "Disk", 20s) == "Failed");
  CHECK(last_online_status(node2) == ERROR_IO_PENDING);
  REQUIRE_M(node2, wait_log(node2, "which defended it"));
  CHECK(record_value(reservation, "node") == "node1");

  // Writes: through the holder they go, through the other node they are refused.
  CHECK(node1.resource_control("Disk", disk_write_probe).value("status", -1) == ERROR_SUCCESS);
  CHECK(node2.resource_control("Disk", disk_write_probe).value("status", -1) ==
        ERROR_SHARING_VIOLATION);
  REQUIRE_M(node2, wait_log(node2, "write refused"));

  // The holder freezes (a hung node): it stops defending and the challenger takes over.
  REQUIRE(::kill(node1.process().pid(), SIGSTOP) == 0);
  const std::string after_freeze = bring_online(node2, "Disk", 20s);
  REQUIRE(::kill(node1.process().pid(), SIGCONT) == 0);
  REQUIRE_M(node2, after_freeze == "Online");
  CHECK(record_value(reservation, "node") == "node2");
  CHECK(record_value(reservation, "epoch") == "2");
  // Thawed, the old holder finds its reservation gone: IsAlive fails it, writes are refused.
  REQUIRE_M(node1, node1.wait_state("Disk", "Failed", 10s));
  CHECK(node1.resource_control("Disk", disk_write_probe).value("status", -1) ==
        ERROR_SHARING_VIOLATION);
  CHECK(node2.resource_control("Disk", disk_write_probe).value("status", -1) == ERROR_SUCCESS);
  CHECK(record_value(reservation, "node") == "node2");

  const auto journal = l.journal();
  INFO(describe_journal(journal));
  CHECK(double_holders(journal).empty());
}

TEST_CASE("lab Physical Disk: Arbitrate and Release, QuorumResourceLost, validation",
          "[lab][monitor][quorum][control]") {
  lab l;
  monitor_fixture node1({}, "node1");
  monitor_fixture node2({}, "node2");
  const json params = {{"Signature", 77}, {"DiskArbInterval", 1}};
  for (auto* m : {&node1, &node2}) {
    load(*m, "Physical Disk");
    open_resource(*m, "Quorum", params, fast_polls(), "Physical Disk");
  }
  // Characteristics and class: a quorum-capable storage type.
  const auto chars = type_answer(node1, "Physical Disk", CLUSCTL_RESOURCE_TYPE_GET_CHARACTERISTICS);
  REQUIRE(chars.size() == 4);
  std::uint32_t c = 0;
  std::memcpy(&c, chars.data(), 4);
  CHECK((c & CLUS_CHAR_QUORUM) != 0);
  CHECK(format_names(node1, "Physical Disk") ==
        std::vector<std::string>{"Signature", "DiskArbInterval"});
  // The formats say what a form needs: DiskArbInterval 3 s by default, 1 to 60; Signature
  // required, at least 1.
  {
    const auto bytes = type_answer(node1, "Physical Disk",
                                   CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS);
    const auto described = wolfpack::parse_property_formats(bytes.data(), bytes.size());
    REQUIRE(described.ok);
    REQUIRE(described.formats.size() == 2);
    const auto& signature = described.formats[0];
    const auto& interval = described.formats[1];
    CHECK(signature.flags == WP_CLUSPROP_FLAG_REQUIRED);
    REQUIRE(signature.minimum.has_value());
    CHECK(signature.minimum->as_dword() == 1u);
    CHECK(interval.format == CLUSPROP_FORMAT_DWORD);
    REQUIRE(interval.default_value.has_value());
    REQUIRE(interval.minimum.has_value());
    REQUIRE(interval.maximum.has_value());
    CHECK(interval.default_value->as_dword() == 3u);
    CHECK(interval.minimum->as_dword() == 1u);
    CHECK(interval.maximum->as_dword() == 60u);
  }
  // Asking a resource that was never online for its formats makes no disk.
  open_resource(node1, "Idle", {{"Signature", 0x5150}}, fast_polls(), "Physical Disk");
  const auto idle_formats =
      node1.resource_control("Idle", CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTY_FMTS, {}, 4096);
  CHECK(idle_formats.value("status", -1) == ERROR_SUCCESS);
  CHECK_FALSE(std::filesystem::exists(l.dir.path() / "storage" / "DISK-00005150"));
  CHECK(validate(node1, "Quorum", property_list_builder().dword("DiskArbInterval", 0)) ==
        ERROR_INVALID_PARAMETER);
  REQUIRE_M(node1, wait_log(node1, "DiskArbInterval"));
  CHECK(validate(node1, "Quorum", property_list_builder().dword("Signature", 0)) ==
        ERROR_INVALID_PARAMETER);
  REQUIRE_M(node1, wait_log(node1, "Signature"));

  auto arb1 = node1.request({{"type", "arbitrate"}, {"resource", "Quorum"}}, 20s);
  REQUIRE_M(node1, arb1.value("status", -1) == ERROR_SUCCESS);
  auto arb2 = node2.request({{"type", "arbitrate"}, {"resource", "Quorum"}}, 20s);
  CHECK_M(node2, arb2.value("status", -1) == ERROR_QUORUM_OWNER_ALIVE);
  // Online after a won arbitration needs no second challenge.
  REQUIRE_M(node1, bring_online(node1, "Quorum") == "Online");

  // node1 freezes; node2 wins the arbitration; node1, thawed, reports the quorum lost.
  REQUIRE(::kill(node1.process().pid(), SIGSTOP) == 0);
  auto arb3 = node2.request({{"type", "arbitrate"}, {"resource", "Quorum"}}, 20s);
  REQUIRE(::kill(node1.process().pid(), SIGCONT) == 0);
  REQUIRE_M(node2, arb3.value("status", -1) == ERROR_SUCCESS);
  // Generous: under the sanitizers and a loaded machine the thawed defender is slow.
  REQUIRE_M(node1, node1.wait_for(is_event("quorum_lost", "Quorum"), 30s));
  REQUIRE_M(node1, node1.wait_state("Quorum", "Failed", 30s));

  // Release gives the reservation up at once: the next arbitration needs no challenge.
  auto rel = node2.request({{"type", "release"}, {"resource", "Quorum"}});
  CHECK(rel.value("status", -1) == ERROR_SUCCESS);
  const auto reservation = l.dir.path() / "storage" / "DISK-0000004D" / "reservation";
  CHECK(record_value(reservation, "token").empty());
  const auto started = std::chrono::steady_clock::now();
  auto arb4 = node1.request({{"type", "arbitrate"}, {"resource", "Quorum"}}, 20s);
  CHECK(arb4.value("status", -1) == ERROR_SUCCESS);
  CHECK(ms_since(started) < 1500);
  CHECK(record_value(reservation, "epoch") == "3");
  CHECK(node1.request({{"type", "release"}, {"resource", "Quorum"}}).value("status", -1) ==
        ERROR_SUCCESS);

  const auto journal = l.journal();
  INFO(describe_journal(journal));
  CHECK(double_holders(journal).empty());
}

TEST_CASE("lab Physical Disk: a lost reservation that IsAlive finds first is reported too",
          "[lab][monitor][quorum]") {
  lab l;
  monitor_fixture node1({}, "node1");
  // The defender renews once a minute; IsAlive, every 200 ms, is sure to notice first. Its
  // failure makes the monitor Terminate the disk, which stops the defender for good.
  load(node1, "Physical Disk");
  open_resource(node1, "Quorum", {{"Signature", 78}, {"DiskArbInterval", 60}}, fast_polls(),
                "Physical Disk");
  REQUIRE_M(
      node1,
      node1.request({{"type", "arbitrate"}, {"resource", "Quorum"}}, 20s).value("status", -1) ==
          ERROR_SUCCESS);
  REQUIRE_M(node1, bring_online(node1, "Quorum") == "Online");

  // Another node takes the reservation behind this one's back.
  steal_reservation(l.dir.path() / "storage" / "DISK-0000004E" / "reservation");
  REQUIRE_M(node1, node1.wait_for(is_event("quorum_lost", "Quorum"), 10s));
  REQUIRE_M(node1, node1.wait_state("Quorum", "Failed", 10s));
}

// ---- File Share Witness ----------------------------------------------------------------------

TEST_CASE("lab File Share Witness: lock and epoch, the last owner first, a dead owner replaced",
          "[lab][monitor][quorum][control]") {
  lab l;
  const auto share = l.dir.path() / "witness-share";
  fs::create_directories(share);
  monitor_fixture node1({}, "node1");
  monitor_fixture node2({}, "node2");
  const json params = {{"SharePath", share.string()}, {"ArbitrationDelay", 1}};
  for (auto* m : {&node1, &node2}) {
    load(*m, "File Share Witness");
    open_resource(*m, "Witness", params, fast_polls(), "File Share Witness");
  }
  CHECK(format_names(node1, "File Share Witness") ==
        std::vector<std::string>{"SharePath", "ArbitrationDelay"});
  check_dword_format(node1, "File Share Witness", "ArbitrationDelay", 6, 0, 60);
  CHECK(validate(node1, "Witness", property_list_builder().dword("ArbitrationDelay", 61)) ==
        ERROR_INVALID_PARAMETER);
  REQUIRE_M(node1, wait_log(node1, "ArbitrationDelay"));
  CHECK(validate(node1, "Witness", property_list_builder().sz("SharePath", "share")) ==
        ERROR_INVALID_PARAMETER);
  REQUIRE_M(node1, wait_log(node1, "property SharePath"));

  const auto witness = share / "witness";
  auto arb1 = node1.request({{"type", "arbitrate"}, {"resource", "Witness"}}, 20s);
  REQUIRE_M(node1, arb1.value("status", -1) == ERROR_SUCCESS);
  CHECK(record_value(witness, "node") == "node1");
  CHECK(record_value(witness, "epoch") == "1");

  // Another node waits ArbitrationDelay, then challenges a live owner and loses.
  const auto started = std::chrono::steady_clock::now();
  auto arb2 = node2.request({{"type", "arbitrate"}, {"resource", "Witness"}}, 20s);
  CHECK_M(node2, arb2.value("status", -1) == ERROR_QUORUM_OWNER_ALIVE);
  CHECK(ms_since(started) >= 1000);  // the delay; then the owner's next renewal defends it
  REQUIRE_M(node2, wait_log(node2, "waiting 1 s before arbitrating"));

  // The owner dies: the witness goes to node2 with the next epoch.
  node1.process().kill();
  REQUIRE(node1.wait_exit());
  auto arb3 = node2.request({{"type", "arbitrate"}, {"resource", "Witness"}}, 20s);
  REQUIRE_M(node2, arb3.value("status", -1) == ERROR_SUCCESS);
  CHECK(record_value(witness, "node") == "node2");
  CHECK(record_value(witness, "epoch") == "2");
  // Online on the owner is immediate; Offline gives the witness up, keeping the epoch.
  REQUIRE_M(node2, bring_online(node2, "Witness") == "Online");
  take_offline(node2, "Witness");
  CHECK(record_value(witness, "token").empty());
  CHECK(record_value(witness, "epoch") == "2");

  // A SharePath that is not there fails Online, naming it.
  open_resource(node2, "Nowhere", {{"SharePath", (share / "missing").string()}}, fast_polls(),
                "File Share Witness");
  REQUIRE_M(node2, bring_online(node2, "Nowhere") == "Failed");
  REQUIRE_M(node2, wait_log(node2, "property SharePath"));

  const auto journal = l.journal();
  INFO(describe_journal(journal));
  CHECK(double_holders(journal).empty());
}

// ---- every type in the harness ---------------------------------------------------------------

TEST_CASE("lab types in the harness: each comes online and goes offline standalone",
          "[lab][harness]") {
  lab l;
  const auto share_dir = l.dir.path() / "share";
  const auto witness_dir = l.dir.path() / "witness";
  fs::create_directories(share_dir);
  fs::create_directories(witness_dir);
  struct one_type {
    std::string type;
    std::vector<std::string> params;
  };
  const std::vector<one_type> types = {
      {"IP Address", {"Address:sz=10.3.3.3", "SubnetMask:sz=255.255.0.0", "Network:sz=lab"}},
      {"Network Name", {"Name:sz=HARNESS1"}},
      {"Physical Disk", {"Signature=4660", "DiskArbInterval=1"}},
      {"File Share", {"ShareName:sz=Docs", "Path:sz=" + share_dir.string()}},
      {"File Share Witness", {"SharePath:sz=" + witness_dir.string(), "ArbitrationDelay=0"}},
  };
  for (const auto& t : types) {
    INFO(t.type);
    std::vector<std::string> args = {"--plugin",         plugin_path(plugin_of.at(t.type)).string(),
                                     "--type",           t.type,
                                     "--name",           "h-" + plugin_of.at(t.type),
                                     "--hold",           "0.5",
                                     "--looks-alive-ms", "100",
                                     "--is-alive-ms",    "150"};
    for (const auto& p : t.params) {
      args.push_back("--param");
      args.push_back(p);
    }
    const auto run = run_harness(args);
    std::string out;
    for (const auto& line : run.lines)
      out += line.dump() + "\n";
    INFO(out << run.stderr_text);
    CHECK(run.status.exited());
    CHECK(run.status.code == 0);
    CHECK(run.has_state("Online"));
    CHECK(run.has_state("Offline"));
    CHECK_FALSE(run.has_state("Failed"));
  }
  // Everything the harness held was given back.
  CHECK(record_value(l.dir.path() / "network" / "10.3.3.3", "node").empty());
  CHECK(record_value(l.dir.path() / "storage" / "DISK-00001234" / "reservation", "token").empty());
  CHECK(record_value(witness_dir / "witness", "token").empty());
  const auto journal = l.journal();
  INFO(describe_journal(journal));
  CHECK(journal.size() == 10);  // one take and one release per type
  CHECK(double_holders(journal).empty());
}

TEST_CASE("lab Physical Disk: maintenance mode keeps a disk Online through failed health checks",
          "[lab][monitor][control]") {
  lab l;
  monitor_fixture node1({}, "node1");
  load(node1, "Physical Disk");
  open_resource(node1, "Disk", {{"Signature", 79}, {"DiskArbInterval", 1}}, fast_polls(),
                "Physical Disk");
  node1.load_dummy();
  node1.open("Plain", json::object());  // a Dummy: not storage, so no maintenance mode
  REQUIRE_M(node1, bring_online(node1, "Disk") == "Online");

  const auto set = [&](const std::string& resource, BOOL on) {
    std::vector<std::uint8_t> in(sizeof(CLUS_MAINTENANCE_MODE_INFO));
    std::memcpy(in.data(), &on, sizeof on);
    return node1.resource_control(resource, CLUSCTL_RESOURCE_SET_MAINTENANCE_MODE, in)
        .value("status", -1);
  };
  CHECK(set("Plain", TRUE) == ERROR_INVALID_FUNCTION);
  // Only an online disk: not one that is offline (the Dummy's own disk-less answer aside).
  open_resource(node1, "Idle", {{"Signature", 80}, {"DiskArbInterval", 1}}, fast_polls(),
                "Physical Disk");
  CHECK(set("Idle", TRUE) == ERROR_INVALID_STATE);
  REQUIRE(set("Disk", TRUE) == ERROR_SUCCESS);

  // The extended answer when it fits, the simple one when only that fits.
  const auto ex = node1.resource_control("Disk", CLUSCTL_RESOURCE_QUERY_MAINTENANCE_MODE, {},
                                         sizeof(CLUS_MAINTENANCE_MODE_INFOEX));
  REQUIRE(ex.value("status", -1) == ERROR_SUCCESS);
  const auto ex_bytes = from_hex(ex.value("out", ""));
  REQUIRE(ex_bytes.size() == sizeof(CLUS_MAINTENANCE_MODE_INFOEX));
  CLUS_MAINTENANCE_MODE_INFOEX info{};
  std::memcpy(&info, ex_bytes.data(), sizeof info);
  CHECK(info.InMaintenance == TRUE);
  CHECK(info.MaintainenceModeType == MaintenanceModeTypeDisableIsAliveCheck);
  CHECK(info.Signature == 79u);
  const auto simple = node1.resource_control("Disk", CLUSCTL_RESOURCE_QUERY_MAINTENANCE_MODE, {},
                                             sizeof(CLUS_MAINTENANCE_MODE_INFO));
  REQUIRE(simple.value("status", -1) == ERROR_SUCCESS);
  CHECK(from_hex(simple.value("out", "")).size() == sizeof(CLUS_MAINTENANCE_MODE_INFO));

  // Another node takes the reservation: the health checks find it, and are not acted on.
  steal_reservation(l.dir.path() / "storage" / "DISK-0000004F" / "reservation");
  REQUIRE_M(node1, wait_log(node1, "not acted on: the disk is in maintenance mode"));
  // The defender (every second) finds the loss too, by which time IsAlive (every 200 ms) has
  // found it several times: still no Failed.
  REQUIRE_M(node1, wait_log(node1, "was taken by another node", 10s));
  const auto failed = [](const json& e) {
    return e.value("type", "") == "state" && e.value("resource", "") == "Disk" &&
           e.value("state", "") == "Failed";
  };
  CHECK(std::none_of(node1.events().begin(), node1.events().end(), failed));

  // Out of maintenance, the next IsAlive counts: the disk fails.
  REQUIRE(set("Disk", FALSE) == ERROR_SUCCESS);
  REQUIRE_M(node1, node1.wait_state("Disk", "Failed", 10s));
}
