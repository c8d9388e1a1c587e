#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <catch2/catch.hpp>

#include "wolfpack/cluster_core/common_properties.hpp"

using wolfpack::property_map;
using wolfpack::typed_value;
using wolfpack::value_type;
using wolfpack::cluster::check_common_property;
using wolfpack::cluster::check_property_set;
using wolfpack::cluster::check_property_value;
using wolfpack::cluster::checked_property;
using wolfpack::cluster::common_properties;
using wolfpack::cluster::find_common_property;
using wolfpack::cluster::object_kind;
using wolfpack::cluster::property_error;
using wolfpack::cluster::property_spec;

namespace {

constexpr std::uint32_t minus_one = 0xFFFFFFFFu;
constexpr std::uint32_t unknown_property = 1608;
constexpr std::uint32_t type_mismatch = 5895;
constexpr std::uint32_t invalid_parameter = 87;
constexpr std::uint32_t access_denied = 5;

constexpr object_kind all_kinds[] = {object_kind::cluster, object_kind::node, object_kind::group,
                                     object_kind::resource, object_kind::resource_type};

std::string folded(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

const property_spec& spec(object_kind kind, std::string_view name) {
  const auto* found = find_common_property(kind, name);
  if (!found)
    FAIL("no common property " << name);
  return *found;
}

// The default of a DWORD/QWORD property as a number.
std::uint64_t default_number(object_kind kind, std::string_view name) {
  const auto& s = spec(kind, name);
  REQUIRE(s.default_value.has_value());
  return s.default_value->as_number();
}

checked_property accepted(object_kind kind, std::string_view name, const typed_value& value) {
  auto result = check_common_property(kind, name, value);
  if (auto* error = std::get_if<property_error>(&result))
    FAIL("refused: " << error->message);
  return std::get<checked_property>(result);
}

property_error refused(object_kind kind, std::string_view name, const typed_value& value) {
  auto result = check_common_property(kind, name, value);
  if (std::holds_alternative<checked_property>(result))
    FAIL(name << " accepted");
  return std::get<property_error>(result);
}

typed_value dword(std::uint32_t n) {
  return typed_value::dword(n);
}

}  // namespace

TEST_CASE("every table is sorted by case-folded name without duplicates", "[properties]") {
  for (const auto kind : all_kinds) {
    const auto table = common_properties(kind);
    INFO(wolfpack::cluster::to_string(kind));
    REQUIRE(!table.empty());
    for (std::size_t i = 1; i < table.size(); ++i) {
      INFO(table[i - 1].name << " before " << table[i].name);
      CHECK(folded(table[i - 1].name) < folded(table[i].name));
    }
  }
}

TEST_CASE("the tables hold the documented properties", "[properties]") {
  auto names = [](object_kind kind) {
    std::vector<std::string> out;
    for (const auto& s : common_properties(kind))
      out.emplace_back(s.name);
    return out;
  };
  using strings = std::vector<std::string>;
  CHECK(names(object_kind::resource) ==
        strings{"DeadlockTimeout", "Description", "IsAlivePollInterval", "LastOperationStatusCode",
                "LooksAlivePollInterval", "MonitorProcessId", "Name", "PendingTimeout",
                "PersistentState", "RestartAction", "RestartDelay", "RestartPeriod",
                "RestartThreshold", "RetryPeriodOnFailure", "SeparateMonitor", "Type"});
  CHECK(names(object_kind::resource_type) ==
        strings{"AdminExtensions", "DeadlockTimeout", "DebugPrefix", "Description", "DllName",
                "IsAlivePollInterval", "LooksAlivePollInterval", "Name", "PendingTimeout"});
  CHECK(names(object_kind::node) == strings{"BuildNumber", "CSDVersion", "Description",
                                            "MajorVersion", "MinorVersion", "NodeHighestVersion",
                                            "NodeLowestVersion", "NodeName", "NodeWeight"});
  CHECK(names(object_kind::group) ==
        strings{"AntiAffinityClassNames", "AutoFailbackType", "ColdStartSetting", "DefaultOwner",
                "Description", "FailbackWindowEnd", "FailbackWindowStart", "FailoverPeriod",
                "FailoverThreshold", "GroupStartDelay", "GroupType", "Name", "PersistentState",
                "Priority"});
  CHECK(names(object_kind::cluster) == strings{"AddEvictDelay",
                                               "ClusSvcHangTimeout",
                                               "ClusSvcRegroupOpeningTimeout",
                                               "ClusSvcRegroupPruningTimeout",
                                               "ClusSvcRegroupStageTimeout",
                                               "ClusSvcRegroupTickInMilliseconds",
                                               "ClusterGroupWaitDelay",
                                               "ClusterLogLevel",
                                               "ClusterLogSize",
                                               "CrossSubnetDelay",
                                               "CrossSubnetThreshold",
                                               "DefaultNetworkRole",
                                               "Description",
                                               "DrainOnShutdown",
                                               "DynamicQuorum",
                                               "FixQuorum",
                                               "IgnorePersistentStateOnStartup",
                                               "PreventQuorum",
                                               "QuorumArbitrationTimeMax",
                                               "SameSubnetDelay",
                                               "SameSubnetThreshold",
                                               "ShutdownTimeoutInMinutes"});
  CHECK(names(object_kind::network) ==
        strings{"Address", "AddressMask", "Description", "Name", "Priority", "Role"});
  CHECK(names(object_kind::netinterface) ==
        strings{"Adapter", "Address", "Description", "Name", "Network", "Node"});
}

TEST_CASE("a network's Role is one of the CLUSTER_NETWORK_ROLE values, 3 by default",
          "[properties]") {
  const auto* role = find_common_property(object_kind::network, "role");
  REQUIRE(role != nullptr);
  REQUIRE(role->default_value);
  CHECK(role->default_value->as_number() == 3);
  for (std::uint32_t v : {0u, 1u, 2u, 3u})
    CHECK(std::holds_alternative<checked_property>(
        check_common_property(object_kind::network, "Role", typed_value::dword(v))));
  const auto bad = check_common_property(object_kind::network, "Role", typed_value::dword(4));
  REQUIRE(std::holds_alternative<property_error>(bad));
  CHECK(std::get<property_error>(bad).code == wolfpack::cluster::error_invalid_parameter);
  CHECK(std::get<property_error>(bad).message.find("network property 'Role'") != std::string::npos);
  // What the node records about its adapter is not an administrator's to write.
  const auto adapter =
      check_common_property(object_kind::netinterface, "Adapter", typed_value::sz("eth1"));
  REQUIRE(std::holds_alternative<property_error>(adapter));
  CHECK(std::get<property_error>(adapter).code == wolfpack::cluster::error_access_denied);
  CHECK(std::holds_alternative<checked_property>(check_common_property(
      object_kind::netinterface, "Description", typed_value::sz("the lab's switch"))));
}

TEST_CASE("names are found ignoring ASCII case", "[properties]") {
  const auto* exact = find_common_property(object_kind::resource, "RestartAction");
  REQUIRE(exact != nullptr);
  CHECK(exact->name == "RestartAction");
  CHECK(find_common_property(object_kind::resource, "restartaction") == exact);
  CHECK(find_common_property(object_kind::resource, "RESTARTACTION") == exact);
  CHECK(find_common_property(object_kind::resource, "rEsTaRtAcTiOn") == exact);

  CHECK(find_common_property(object_kind::resource, "Restart") == nullptr);
  CHECK(find_common_property(object_kind::resource, "RestartActions") == nullptr);
  CHECK(find_common_property(object_kind::resource, "Restart_Action") == nullptr);
  CHECK(find_common_property(object_kind::resource, "") == nullptr);
  // The kinds have their own tables.
  CHECK(find_common_property(object_kind::group, "RestartAction") == nullptr);
  CHECK(find_common_property(object_kind::resource, "FailoverPeriod") == nullptr);

  // Every name of every table is found, in any case, and a write keeps the spec's spelling.
  for (const auto kind : all_kinds) {
    for (const auto& s : common_properties(kind)) {
      INFO(s.name);
      CHECK(find_common_property(kind, s.name) == &s);
      CHECK(find_common_property(kind, folded(s.name)) == &s);
    }
  }
  CHECK(accepted(object_kind::resource, "pendingtimeout", dword(20)).name == "PendingTimeout");
}

TEST_CASE("resource defaults follow Windows Server 2008 and later", "[properties]") {
  const auto r = object_kind::resource;
  CHECK(default_number(r, "IsAlivePollInterval") == minus_one);  // use the type's value
  CHECK(default_number(r, "LooksAlivePollInterval") == minus_one);
  CHECK(default_number(r, "PendingTimeout") == 180000);
  CHECK(default_number(r, "RestartAction") == 2);
  CHECK(default_number(r, "RestartThreshold") == 1);
  CHECK(default_number(r, "RestartPeriod") == 900000);
  CHECK(default_number(r, "RestartDelay") == 500);
  CHECK(default_number(r, "RetryPeriodOnFailure") == 3600000);
  CHECK(default_number(r, "SeparateMonitor") == 0);
  CHECK(default_number(r, "PersistentState") == 0);
  CHECK(default_number(r, "DeadlockTimeout") == 300000);

  const auto& status = spec(r, "LastOperationStatusCode");
  CHECK(status.type == value_type::qword);
  CHECK(status.default_value == typed_value::qword(0));

  // No default: absent from a read until set.
  CHECK_FALSE(spec(r, "Description").default_value.has_value());
  CHECK_FALSE(spec(r, "MonitorProcessId").default_value.has_value());
  CHECK_FALSE(spec(r, "Name").default_value.has_value());
  CHECK(spec(r, "Name").type == value_type::sz);
}

TEST_CASE("resource type, group, cluster and node defaults", "[properties]") {
  const auto t = object_kind::resource_type;
  CHECK(default_number(t, "LooksAlivePollInterval") == 5000);
  CHECK(default_number(t, "IsAlivePollInterval") == 60000);
  CHECK(default_number(t, "PendingTimeout") == 180000);
  CHECK(default_number(t, "DeadlockTimeout") == 300000);
  CHECK(spec(t, "AdminExtensions").type == value_type::multi_sz);

  const auto g = object_kind::group;
  CHECK(default_number(g, "FailoverThreshold") == minus_one);  // nodes - 1
  CHECK(default_number(g, "FailoverPeriod") == 6);
  CHECK(default_number(g, "AutoFailbackType") == 0);
  CHECK(default_number(g, "FailbackWindowStart") == minus_one);
  CHECK(default_number(g, "FailbackWindowEnd") == minus_one);
  CHECK(default_number(g, "DefaultOwner") == minus_one);
  CHECK(default_number(g, "Priority") == 2000);
  CHECK(default_number(g, "GroupType") == 9999);
  CHECK(default_number(g, "ColdStartSetting") == 0);
  CHECK(default_number(g, "GroupStartDelay") == 0);
  CHECK(spec(g, "AntiAffinityClassNames").type == value_type::multi_sz);

  const auto c = object_kind::cluster;
  CHECK(default_number(c, "SameSubnetDelay") == 1000);
  CHECK(default_number(c, "SameSubnetThreshold") == 5);
  CHECK(default_number(c, "CrossSubnetDelay") == 1000);
  CHECK(default_number(c, "CrossSubnetThreshold") == 5);
  CHECK(default_number(c, "QuorumArbitrationTimeMax") == 20);
  CHECK(default_number(c, "ClusSvcHangTimeout") == 60);
  CHECK(default_number(c, "ClusSvcRegroupTickInMilliseconds") == 300);
  CHECK(default_number(c, "ClusterGroupWaitDelay") == 120);
  CHECK(default_number(c, "ShutdownTimeoutInMinutes") == 20);
  CHECK(default_number(c, "AddEvictDelay") == 60);
  CHECK(default_number(c, "DrainOnShutdown") == 1);
  CHECK(default_number(c, "ClusterLogLevel") == 3);
  CHECK(default_number(c, "ClusterLogSize") == 300);
  CHECK(default_number(c, "DynamicQuorum") == 1);

  const auto n = object_kind::node;
  CHECK(default_number(n, "NodeWeight") == 1);
  CHECK(spec(n, "CSDVersion").type == value_type::sz);
  CHECK_FALSE(spec(n, "MajorVersion").default_value.has_value());
}

TEST_CASE("every default passes its own checks", "[properties]") {
  for (const auto kind : all_kinds) {
    for (const auto& s : common_properties(kind)) {
      if (!s.default_value)
        continue;
      INFO(wolfpack::cluster::to_string(kind) << " " << s.name);
      CHECK(s.default_value->type == s.type);
      const auto result = check_property_value(kind, s, *s.default_value);
      CHECK(std::holds_alternative<checked_property>(result));
    }
  }
}

TEST_CASE("values at the ends of a range pass, beyond them fail", "[properties]") {
  const auto g = object_kind::group;
  CHECK(accepted(g, "FailoverPeriod", dword(0)).value == dword(0));
  CHECK(accepted(g, "FailoverPeriod", dword(1193)).value == dword(1193));
  const auto e = refused(g, "FailoverPeriod", dword(2000));
  CHECK(e.code == invalid_parameter);
  CHECK(e.message == "group property 'FailoverPeriod': 2000 is out of range 0..1193");

  const auto c = object_kind::cluster;
  CHECK(accepted(c, "SameSubnetDelay", dword(250)).name == "SameSubnetDelay");
  CHECK(accepted(c, "SameSubnetDelay", dword(2000)).name == "SameSubnetDelay");
  CHECK(refused(c, "SameSubnetDelay", dword(249)).message ==
        "cluster property 'SameSubnetDelay': 249 is out of range 250..2000");
  CHECK(refused(c, "SameSubnetDelay", dword(2001)).code == invalid_parameter);
  CHECK(refused(c, "CrossSubnetDelay", dword(4001)).code == invalid_parameter);
  CHECK(refused(c, "SameSubnetThreshold", dword(2)).code == invalid_parameter);
  CHECK(refused(c, "QuorumArbitrationTimeMax", dword(0)).code == invalid_parameter);
  CHECK(refused(c, "ClusterLogLevel", dword(6)).code == invalid_parameter);
  CHECK(refused(c, "ClusterLogSize", dword(7)).code == invalid_parameter);
  CHECK(refused(c, "ClusSvcHangTimeout", dword(5)).code == invalid_parameter);
  CHECK(accepted(c, "ClusSvcHangTimeout", dword(minus_one)).name == "ClusSvcHangTimeout");
  CHECK(refused(c, "DynamicQuorum", dword(2)).code == invalid_parameter);

  const auto r = object_kind::resource;
  CHECK(refused(r, "PendingTimeout", dword(9)).message ==
        "resource property 'PendingTimeout': 9 is out of range 10..0xFFFFFFFF");
  CHECK(accepted(r, "PendingTimeout", dword(10)).value == dword(10));
  CHECK(refused(r, "DeadlockTimeout", dword(999)).code == invalid_parameter);
  CHECK(refused(object_kind::resource_type, "DeadlockTimeout", dword(29999)).code ==
        invalid_parameter);
  CHECK(accepted(object_kind::resource_type, "LooksAlivePollInterval", dword(1)).value == dword(1));
  CHECK(refused(object_kind::resource_type, "LooksAlivePollInterval", dword(0)).code ==
        invalid_parameter);
  CHECK(refused(r, "SeparateMonitor", dword(2)).code == invalid_parameter);
  CHECK(accepted(r, "RestartThreshold", dword(minus_one)).value == dword(minus_one));
  CHECK(refused(object_kind::node, "NodeWeight", dword(2)).code == invalid_parameter);
}

TEST_CASE("special values are accepted outside the range", "[properties]") {
  const auto r = object_kind::resource;
  CHECK(accepted(r, "LooksAlivePollInterval", dword(minus_one)).value == dword(minus_one));
  CHECK(accepted(r, "IsAlivePollInterval", dword(minus_one)).value == dword(minus_one));
  // 1 is an interval below the minimum, not a "use the type" sentinel (docs/semantics.md).
  CHECK(refused(r, "IsAlivePollInterval", dword(1)).code == invalid_parameter);
  CHECK(accepted(r, "RetryPeriodOnFailure", dword(minus_one)).value == dword(minus_one));

  const auto g = object_kind::group;
  CHECK(accepted(g, "FailbackWindowStart", dword(0)).value == dword(0));
  CHECK(accepted(g, "FailbackWindowStart", dword(23)).value == dword(23));
  CHECK(accepted(g, "FailbackWindowEnd", dword(minus_one)).value == dword(minus_one));
  CHECK(refused(g, "FailbackWindowStart", dword(24)).message ==
        "group property 'FailbackWindowStart': 24 is out of range 0..23 (or 0xFFFFFFFF)");
  CHECK(refused(g, "FailbackWindowEnd", dword(minus_one - 1)).code == invalid_parameter);
  CHECK(accepted(g, "DefaultOwner", dword(512)).value == dword(512));
  CHECK(accepted(g, "DefaultOwner", dword(minus_one)).value == dword(minus_one));
  CHECK(refused(g, "DefaultOwner", dword(513)).code == invalid_parameter);
  CHECK(accepted(g, "FailoverThreshold", dword(minus_one)).value == dword(minus_one));
  CHECK(accepted(g, "FailoverThreshold", dword(0)).value == dword(0));
}

TEST_CASE("enumerated properties accept only their choices", "[properties]") {
  const auto r = object_kind::resource;
  for (std::uint32_t action = 0; action <= 2; ++action)
    CHECK(accepted(r, "RestartAction", dword(action)).value == dword(action));
  const auto e = refused(r, "RestartAction", dword(7));
  CHECK(e.code == invalid_parameter);
  CHECK(e.message ==
        "resource property 'RestartAction': 7 is not one of 0 (ClusterResourceDontRestart), "
        "1 (ClusterResourceRestartNoNotify), 2 (ClusterResourceRestartNotify)");

  const auto g = object_kind::group;
  for (std::uint32_t priority : {0u, 1000u, 2000u, 3000u})
    CHECK(accepted(g, "Priority", dword(priority)).value == dword(priority));
  CHECK(refused(g, "Priority", dword(1500)).message ==
        "group property 'Priority': 1500 is not one of 0 (Disabled), 1000 (Low), 2000 (Medium), "
        "3000 (High)");
  CHECK(refused(g, "Priority", dword(1)).code == invalid_parameter);
  CHECK(accepted(g, "AutoFailbackType", dword(1)).value == dword(1));
  CHECK(refused(g, "AutoFailbackType", dword(2)).code == invalid_parameter);
  CHECK(accepted(g, "ColdStartSetting", dword(2)).value == dword(2));
  CHECK(refused(g, "ColdStartSetting", dword(3)).code == invalid_parameter);
}

TEST_CASE("read-only and maintained properties refuse writes", "[properties]") {
  struct refusal {
    object_kind kind;
    std::string_view name;
    typed_value value;
  };
  const refusal refusals[] = {
      {object_kind::resource, "MonitorProcessId", dword(42)},
      {object_kind::resource, "LastOperationStatusCode", typed_value::qword(0)},
      {object_kind::resource, "Type", typed_value::sz("Generic Application")},
      {object_kind::resource, "Name", typed_value::sz("Disk Q")},
      {object_kind::resource_type, "DllName", typed_value::sz("clusres.dll")},
      {object_kind::resource_type, "Name", typed_value::sz("Physical Disk")},
      {object_kind::group, "GroupType", dword(9999)},
      {object_kind::group, "Name", typed_value::sz("G")},
      {object_kind::cluster, "FixQuorum", dword(1)},
      {object_kind::cluster, "PreventQuorum", dword(0)},
      {object_kind::node, "NodeName", typed_value::sz("alpha")},
      {object_kind::node, "NodeHighestVersion", dword(1)},
      {object_kind::node, "BuildNumber", dword(1)},
      {object_kind::node, "CSDVersion", typed_value::sz("SP1")},
  };
  for (const auto& r : refusals) {
    INFO(r.name);
    CHECK(refused(r.kind, r.name, r.value).code == access_denied);
  }
  CHECK(refused(object_kind::group, "grouptype", dword(9999)).message ==
        "group property 'GroupType' is read-only");
  CHECK(refused(object_kind::resource, "Name", typed_value::sz("x")).message ==
        "resource property 'Name' is maintained by the cluster service and cannot be set");

  // Read-only in the MsCS reference, writable in Wolfpack.
  CHECK(accepted(object_kind::resource, "RestartDelay", dword(0)).value == dword(0));
  CHECK(accepted(object_kind::cluster, "ClusSvcRegroupStageTimeout", dword(2)).name ==
        "ClusSvcRegroupStageTimeout");
}

TEST_CASE("unknown properties are refused by name", "[properties]") {
  const auto e = refused(object_kind::resource, "Bogus", dword(1));
  CHECK(e.code == unknown_property);
  CHECK(e.message == "resource property 'Bogus' does not exist");
  CHECK(refused(object_kind::resource_type, "RestartAction", dword(1)).message ==
        "resource type property 'RestartAction' does not exist");
}

TEST_CASE("a value of the wrong type is a type mismatch", "[properties]") {
  const auto r = object_kind::resource;
  const auto e = refused(r, "PendingTimeout", typed_value::sz("180000"));
  CHECK(e.code == type_mismatch);
  CHECK(e.message == "resource property 'PendingTimeout' is a DWORD, not an SZ");
  CHECK(refused(r, "Description", dword(1)).message ==
        "resource property 'Description' is an SZ, not a DWORD");
  // No narrowing: a QWORD is refused where a DWORD belongs, even a small one.
  CHECK(refused(r, "RestartThreshold", typed_value::qword(3)).code == type_mismatch);
  CHECK(refused(r, "Description", typed_value::expand_sz("%TEMP%")).code == type_mismatch);
  CHECK(refused(r, "Description", typed_value::multi_sz({"a"})).code == type_mismatch);
  CHECK(refused(object_kind::group, "AntiAffinityClassNames", typed_value::sz("sql")).message ==
        "group property 'AntiAffinityClassNames' is a MULTI_SZ, not an SZ");
  CHECK(accepted(object_kind::group, "AntiAffinityClassNames", typed_value::multi_sz({"sql"}))
            .value == typed_value::multi_sz({"sql"}));
  CHECK(accepted(r, "Description", typed_value::sz("data disk")).value ==
        typed_value::sz("data disk"));
  CHECK(accepted(r, "Description", typed_value::sz("")).value == typed_value::sz(""));

  // A DWORD whose number does not fit (only a hand-built value can hold one).
  typed_value too_big;
  too_big.type = value_type::dword;
  too_big.v = std::uint64_t{5000000000};
  CHECK(refused(r, "RestartPeriod", too_big).message ==
        "resource property 'RestartPeriod': DWORD value 5000000000 is out of range");
}

TEST_CASE("a DWORD is widened where a QWORD belongs", "[properties]") {
  const auto& status = spec(object_kind::resource, "LastOperationStatusCode");
  // The service stores it itself (it is read-only to administrators).
  auto result = check_property_value(object_kind::resource, status, dword(5023));
  REQUIRE(std::holds_alternative<checked_property>(result));
  const auto& checked = std::get<checked_property>(result);
  CHECK(checked.name == "LastOperationStatusCode");
  CHECK(checked.value == typed_value::qword(5023));
  CHECK(checked.value.type == value_type::qword);

  auto big = check_property_value(object_kind::resource, status, typed_value::qword(1ull << 40));
  REQUIRE(std::holds_alternative<checked_property>(big));
  CHECK(std::get<checked_property>(big).value == typed_value::qword(1ull << 40));

  auto wrong = check_property_value(object_kind::resource, status, typed_value::sz("0"));
  REQUIRE(std::holds_alternative<property_error>(wrong));
  CHECK(std::get<property_error>(wrong).message ==
        "resource property 'LastOperationStatusCode' is a QWORD, not an SZ");
}

TEST_CASE("RetryPeriodOnFailure must not be shorter than RestartPeriod", "[properties]") {
  const auto r = object_kind::resource;
  // Nothing stored: the defaults (3600000 >= 900000) agree.
  CHECK_FALSE(check_property_set(r, {}).has_value());

  property_map props{{"RestartPeriod", dword(900000)}, {"RetryPeriodOnFailure", dword(600000)}};
  const auto e = check_property_set(r, props);
  REQUIRE(e.has_value());
  CHECK(e->code == invalid_parameter);
  CHECK(e->message ==
        "resource property 'RetryPeriodOnFailure': 600000 is less than RestartPeriod 900000 "
        "(use 0xFFFFFFFF to never retry)");

  props["RetryPeriodOnFailure"] = dword(900000);  // equal is enough
  CHECK_FALSE(check_property_set(r, props).has_value());
  props["RetryPeriodOnFailure"] = dword(minus_one);  // never retry
  props["RestartPeriod"] = dword(minus_one - 1);
  CHECK_FALSE(check_property_set(r, props).has_value());

  // A missing value takes its default: RestartPeriod 900000 against a stored retry period.
  CHECK(check_property_set(r, {{"RetryPeriodOnFailure", dword(60000)}}).has_value());
  CHECK_FALSE(check_property_set(r, {{"RestartPeriod", dword(60000)}}).has_value());
  CHECK(check_property_set(r, {{"RestartPeriod", dword(7200000)}}).has_value());
}

TEST_CASE("the failback window is set with both hours or neither", "[properties]") {
  const auto g = object_kind::group;
  CHECK_FALSE(check_property_set(g, {}).has_value());
  CHECK_FALSE(
      check_property_set(g, {{"FailbackWindowStart", dword(22)}, {"FailbackWindowEnd", dword(4)}})
          .has_value());
  CHECK_FALSE(check_property_set(g, {{"FailbackWindowStart", dword(minus_one)},
                                     {"FailbackWindowEnd", dword(minus_one)}})
                  .has_value());

  const auto start_only = check_property_set(g, {{"FailbackWindowStart", dword(22)}});
  REQUIRE(start_only.has_value());
  CHECK(start_only->code == invalid_parameter);
  CHECK(start_only->message ==
        "group property 'FailbackWindowStart': 22 is set but FailbackWindowEnd is not (set both "
        "hours, or neither)");

  const auto end_only = check_property_set(
      g, {{"FailbackWindowStart", dword(minus_one)}, {"FailbackWindowEnd", dword(0)}});
  REQUIRE(end_only.has_value());
  CHECK(end_only->message ==
        "group property 'FailbackWindowEnd': 0 is set but FailbackWindowStart is not (set both "
        "hours, or neither)");
}

TEST_CASE("the other kinds have no rules between properties", "[properties]") {
  const property_map anything{{"SameSubnetDelay", dword(250)}, {"NodeWeight", dword(0)}};
  CHECK_FALSE(check_property_set(object_kind::cluster, anything).has_value());
  CHECK_FALSE(check_property_set(object_kind::node, anything).has_value());
  CHECK_FALSE(check_property_set(object_kind::resource_type, anything).has_value());
}
