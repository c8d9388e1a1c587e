#include "wolfpack/tool/check_plugin.hpp"

#include <chrono>
#include <functional>
#include <utility>

#include <wolfpack/clusapi.h>
#include <wolfpack/common/platform/paths.hpp>
#include <wolfpack/proplist.hpp>
#include <wolfpack/wide_string.hpp>

#include "plugin_checks.hpp"
#include "wolfpack/tool/param_value.hpp"

namespace wolfpack::tool {

using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string error_text(const json& response) {
  if (auto e = response.find("error"); e != response.end() && e->is_object())
    return e->value("message", e->dump());
  return response.dump();
}

// The --fail-param values as a property list, for SET_PRIVATE_PROPERTIES.
std::vector<std::uint8_t> property_list_of(const json& values) {
  wolfpack::property_list_builder b;
  for (const auto& [name, v] : values.items()) {
    const std::wstring n = wolfpack::from_utf8(name);
    const std::string t = v.value("type", "SZ");
    if (t == "DWORD") {
      b.add_dword(n, v["value"].get<std::uint32_t>());
    } else if (t == "QWORD") {
      b.add_ularge(n, v["value"].get<std::uint64_t>());
    } else if (t == "EXPAND_SZ") {
      b.add_expand_sz(n, wolfpack::from_utf8(v["value"].get<std::string>()));
    } else if (t == "MULTI_SZ") {
      std::vector<std::wstring> list;
      for (const auto& s : v["value"])
        list.push_back(wolfpack::from_utf8(s.get<std::string>()));
      b.add_multi_sz(n, list);
    } else if (t == "BINARY") {
      const std::string hex = v["value"].get<std::string>();
      std::vector<std::uint8_t> bytes;
      for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
      b.add_binary(n, bytes);
    } else {
      b.add_sz(n, wolfpack::from_utf8(v["value"].get<std::string>()));
    }
  }
  return b.bytes();
}

std::string to_hex(const std::vector<std::uint8_t>& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// check_context

check_context::check_context(const check_options& options, fs::path resrcmon, fs::path plugin,
                             std::string type, json parameters, json fail_parameters)
    : options_(options),
      resrcmon_(std::move(resrcmon)),
      plugin_(std::move(plugin)),
      type_(std::move(type)),
      parameters_(std::move(parameters)),
      fail_parameters_(std::move(fail_parameters)) {}

status check_context::ensure_monitor() {
  if (load_attempted_ && !type_loaded_)
    return fail("the plugin did not load: " + load_error_);
  if (session_ && session_->alive())
    return {};
  session_.reset();
  opened_.clear();
  auto s = monitor_session::start(resrcmon_);
  if (!s)
    return fail(s.error());
  session_ = std::move(s).value();
  auto r = session_->request(
      {{"type", "load_type"}, {"resource_type", type_}, {"plugin", plugin_.string()}}, 30s);
  load_attempted_ = true;
  if (!r) {
    load_error_ = r.error();
    return fail(load_error_);
  }
  if (!r->value("ok", false)) {
    load_error_ = error_text(*r);
    return fail(load_error_);
  }
  type_loaded_ = true;
  return {};
}

std::string check_context::fresh_name(const std::string& what) {
  return "check-" + what + "-" + std::to_string(++counter_);
}

json check_context::timing(std::uint32_t looks_alive_ms, std::uint32_t is_alive_ms) const {
  return {{"looks_alive_ms", looks_alive_ms},
          {"is_alive_ms", is_alive_ms},
          {"pending_timeout_ms", options_.pending_timeout_ms},
          {"deadlock_timeout_ms", 120000}};
}

std::chrono::milliseconds check_context::pending_wait() const {
  return std::chrono::milliseconds(options_.pending_timeout_ms) + 5s;
}

status check_context::open(const std::string& name, const json& timing) {
  auto r = session_->request({{"type", "open"},
                              {"resource", name},
                              {"resource_type", type_},
                              {"parameters", parameters_},
                              {"timing", timing}},
                             30s);
  if (!r)
    return fail("Open of '" + name + "': " + r.error());
  if (!r->value("ok", false))
    return fail("Open of '" + name + "' failed: " + error_text(*r));
  opened_.push_back(name);
  return {};
}

void check_context::forget_states(const std::string& name) {
  session_->forget([&](const json& ev) {
    return ev.value("type", "") == "state" && ev.value("resource", "") == name;
  });
}

status check_context::reach(const std::string& name, const std::string& state,
                            std::chrono::milliseconds timeout) {
  std::string failed_reason;
  auto e = session_->wait_for(
      [&](const json& ev) {
        if (ev.value("type", "") != "state" || ev.value("resource", "") != name)
          return false;
        const std::string s = ev.value("state", "");
        if (s == "Failed" && state != "Failed") {
          failed_reason = ev.value("reason", "");
          return true;
        }
        return s == state;
      },
      timeout);
  if (!e) {
    if (!session_->alive())
      return fail("the monitor died: " + session_->death_note());
    return fail("'" + name + "' did not reach " + state + " within " +
                std::to_string(timeout.count()) + " ms");
  }
  if (!failed_reason.empty() || e->value("state", "") != state)
    return fail("'" + name + "' failed instead of reaching " + state + ": " + failed_reason);
  return {};
}

status check_context::online(const std::string& name, double* elapsed_ms, bool* pending) {
  const auto t0 = std::chrono::steady_clock::now();
  // The Offline that Open reported (or an earlier cycle's states) is not this Online's end.
  forget_states(name);
  auto r = session_->request({{"type", "online"}, {"resource", name}}, pending_wait());
  if (!r)
    return fail("Online of '" + name + "': " + r.error());
  if (!r->value("ok", false))
    return fail("Online of '" + name + "' failed: " + error_text(*r));
  if (pending != nullptr)
    *pending = r->value("status", 0u) == ERROR_IO_PENDING;
  if (auto st = reach(name, "Online", pending_wait()); !st)
    return st;
  if (elapsed_ms != nullptr)
    *elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return {};
}

status check_context::offline(const std::string& name) {
  // The Offline that Open reported must not be taken for the end of this Offline.
  forget_states(name);
  auto r = session_->request({{"type", "offline"}, {"resource", name}}, pending_wait());
  if (!r)
    return fail("Offline of '" + name + "': " + r.error());
  if (!r->value("ok", false))
    return fail("Offline of '" + name + "' failed: " + error_text(*r));
  if (r->value("state", "") == "Offline")
    return {};
  return reach(name, "Offline", pending_wait());
}

status check_context::apply_fail_parameters(const std::string& name) {
  auto r = session_->request({{"type", "resource_control"},
                              {"resource", name},
                              {"code", CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES},
                              {"in", to_hex(property_list_of(fail_parameters_))},
                              {"out_size", 0}});
  if (!r)
    return fail("SET_PRIVATE_PROPERTIES on '" + name + "': " + r.error());
  const auto code = r->value("status", 1u);
  if (code == ERROR_SUCCESS || code == ERROR_RESOURCE_PROPERTIES_STORED)
    return {};
  // The plugin does not take them as properties: change its Parameters key instead.
  json merged = parameters_;
  for (const auto& [k, v] : fail_parameters_.items())
    merged[k] = v;
  auto s =
      session_->request({{"type", "set_properties"}, {"resource", name}, {"parameters", merged}});
  if (!s)
    return fail("set_properties on '" + name + "': " + s.error());
  if (!s->value("ok", false))
    return fail("cannot set the --fail-param values: " + error_text(*s));
  return {};
}

status check_context::terminate(const std::string& name, double& elapsed_ms) {
  const auto t0 = std::chrono::steady_clock::now();
  auto r = session_->request({{"type", "terminate"}, {"resource", name}}, 30s);
  elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!r)
    return fail("Terminate of '" + name + "': " + r.error());
  if (!r->value("ok", false))
    return fail("Terminate of '" + name + "' failed: " + error_text(*r));
  return {};
}

status check_context::close(const std::string& name) {
  auto r = session_->request({{"type", "close"}, {"resource", name}}, 30s);
  std::erase(opened_, name);
  if (!r)
    return fail("Close of '" + name + "': " + r.error());
  if (!r->value("ok", false))
    return fail("Close of '" + name + "' failed: " + error_text(*r));
  return {};
}

void check_context::close_opened() {
  if (!session_ || !session_->alive()) {
    opened_.clear();
    return;
  }
  for (const auto& name : std::vector<std::string>(opened_))
    session_->send({{"type", "close"}, {"resource", name}});
  opened_.clear();
  // Wait until the monitor has nothing open, then forget what it said meanwhile.
  for (int i = 0; i < 100 && session_->alive(); ++i) {
    auto r = session_->request({{"type", "status"}}, 10s);
    if (!r || r->value("resources", json::array()).empty())
      break;
    session_->drain(50ms);
  }
  session_->drain();
}

// ---------------------------------------------------------------------------------------------
// The battery

namespace {

struct check_entry {
  const char* name;
  check_result (*run)(check_context&);
  bool needs_monitor;
};

const check_entry battery[] = {
    {"startup-versions", check_startup_versions, false},
    {"function-table", check_function_table, false},
    {"open-close", check_open_close, true},
    {"online", check_online, true},
    {"looks-alive-fast", check_looks_alive, true},
    {"is-alive-detects-failure", check_is_alive, true},
    {"offline-idempotent", check_offline_idempotent, true},
    {"terminate-any-state", check_terminate, true},
    {"concurrent-resources", check_concurrent_resources, true},
    {"parallel-calls", check_parallel_calls, true},
    {"property-validation", check_property_validation, true},
    {"no-leaks", check_no_leaks, true},
};

}  // namespace

const std::vector<std::string>& check_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& c : battery)
      v.emplace_back(c.name);
    return v;
  }();
  return names;
}

bool check_report::passed() const {
  for (const auto& r : results) {
    if (r.verdict == check_verdict::fail)
      return false;
  }
  return !results.empty();
}

std::string default_type_for(const fs::path& plugin) {
  std::string stem = plugin.stem().string();
  for (const char* prefix : {"wp_", "lib"}) {
    if (stem.rfind(prefix, 0) == 0 && stem.size() > std::string_view(prefix).size()) {
      stem = stem.substr(std::string_view(prefix).size());
      break;
    }
  }
  // Types are usually capitalised ("Dummy"); wp_dummy.so serves "Dummy".
  if (!stem.empty())
    stem[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(stem[0])));
  return stem;
}

check_report run_checks(const check_options& options) {
  check_report report;
  std::error_code ec;
  fs::path plugin = fs::absolute(options.plugin, ec);
  report.plugin = plugin.string();
  report.type = options.type.empty() ? default_type_for(plugin) : options.type;

  json parameters = json::object(), fail_parameters = json::object();
  for (const auto& [list, into] : {std::pair{&options.params, &parameters},
                                   std::pair{&options.fail_params, &fail_parameters}}) {
    for (const auto& text : *list) {
      if (auto p = parse_param_value(text))
        (*into)[p->first] = p->second;
    }
  }
  fs::path resrcmon = options.resrcmon;
  if (resrcmon.empty()) {
    if (auto found = platform::find_sibling_binary("resrcmon"))
      resrcmon = *found;
  }
  // Usage problems are caught by run_check_plugin; here they only fail every check.
  check_context ctx(options, resrcmon, plugin, report.type, parameters, fail_parameters);
  for (const auto& entry : battery) {
    check_result r;
    if (entry.needs_monitor) {
      if (auto st = ctx.ensure_monitor(); !st) {
        r.name = entry.name;
        r.verdict = ctx.type_loaded() || ctx.load_error().empty() ? check_verdict::fail
                                                                  : check_verdict::skip;
        r.reason = st.error();
        report.results.push_back(std::move(r));
        continue;
      }
    }
    r = entry.run(ctx);
    r.name = entry.name;
    if (entry.needs_monitor)
      ctx.close_opened();
    report.results.push_back(std::move(r));
  }
  return report;
}

}  // namespace wolfpack::tool
