#include "plugin_checks.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <wolfpack/clusapi.h>
#include <wolfpack/resapi.h>
#include <wolfpack/common/platform/child_process.hpp>
#include <wolfpack/common/platform/files.hpp>
#include <wolfpack/proplist.hpp>
#include <wolfpack/wide_string.hpp>
#include <wolfpack/win_error_names.hpp>

namespace wolfpack::tool {

using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

std::string ms_text(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ms < 10 ? "%.2f ms" : "%.0f ms", ms);
  return buf;
}

std::string code_text(std::uint32_t code) {
  return std::to_string(code) + " " + wolfpack::win32_error_name(code);
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%X", v);
  return buf;
}

check_result pass(std::string reason, std::optional<double> elapsed = std::nullopt) {
  return {"", check_verdict::pass, std::move(reason), elapsed};
}
check_result failed(std::string reason, std::optional<double> elapsed = std::nullopt) {
  return {"", check_verdict::fail, std::move(reason), elapsed};
}
check_result skipped(std::string reason) {
  return {"", check_verdict::skip, std::move(reason), std::nullopt};
}

std::vector<std::uint8_t> from_hex(const std::string& hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  return out;
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

// Runs `resrcmon --probe-startup MIN:MAX` and returns its JSON line.
result<json> probe(check_context& ctx, std::uint32_t min_version, std::uint32_t max_version) {
  auto made = platform::make_private_temp_dir("wolfpack-probe-");
  if (!made)
    return fail(made.error());
  const fs::path dir = *made;
  platform::spawn_options opts;
  opts.stdout_path = dir / "stdout";
  opts.stderr_path = dir / "stderr";
  auto child = platform::child_process::spawn(
      ctx.resrcmon(),
      {"--probe-startup", hex32(min_version) + ":" + hex32(max_version), "--plugin",
       ctx.plugin().string(), "--type", ctx.type()},
      opts);
  auto read = [&](const char* name) {
    std::ifstream in(dir / name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  result<json> out = fail("");
  if (!child) {
    out = fail("cannot start " + ctx.resrcmon().string() + ": " + child.error());
  } else {
    auto st = child->wait_for(30s);
    if (!st) {
      child->kill();
      out = fail("Startup did not return within 30 s");
    } else if (st->signaled()) {
      out = fail("Startup crashed (" + st->to_string() + "): " + read("stderr"));
    } else {
      try {
        out = json::parse(read("stdout"));
      } catch (const std::exception&) {
        out = fail("resrcmon --probe-startup " + st->to_string() + ": " + read("stderr"));
      }
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return out;
}

// A typed property value the plugin reported, reduced to its CLUSPROP format.
struct reported_property {
  std::wstring name;
  WORD format = 0;
};

std::optional<std::vector<std::uint8_t>> control_out(const json& r) {
  if (!r.value("ok", false) || r.value("status", 1u) != ERROR_SUCCESS)
    return std::nullopt;
  return from_hex(r.value("out", std::string()));
}

std::string format_name(WORD f) {
  switch (f) {
    case CLUSPROP_FORMAT_DWORD:
      return "DWORD";
    case CLUSPROP_FORMAT_LONG:
      return "LONG";
    case CLUSPROP_FORMAT_SZ:
      return "SZ";
    case CLUSPROP_FORMAT_EXPAND_SZ:
      return "EXPAND_SZ";
    case CLUSPROP_FORMAT_MULTI_SZ:
      return "MULTI_SZ";
    case CLUSPROP_FORMAT_BINARY:
      return "BINARY";
    case CLUSPROP_FORMAT_ULARGE_INTEGER:
      return "ULARGE_INTEGER";
    case CLUSPROP_FORMAT_LARGE_INTEGER:
      return "LARGE_INTEGER";
    default:
      return "format " + std::to_string(f);
  }
}

#ifdef __linux__
std::size_t count_entries(const fs::path& dir) {
  std::error_code ec;
  std::size_t n = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    ++n;
  return n;
}
#endif

}  // namespace

// ---------------------------------------------------------------------------------------------

check_result check_startup_versions(check_context& ctx) {
  if (ctx.resrcmon().empty())
    return failed("no resrcmon found next to wolfpack (use --resrcmon)");
  auto supported = probe(ctx, CLRES_VERSION_V1_00, CLRES_VERSION_V1_00);
  if (!supported)
    return failed(supported.error());
  if (!supported->value("loaded", false))
    return failed(supported->value("error", std::string("the plugin did not load")));
  const auto ok_code = supported->value("status", 1u);
  if (ok_code != ERROR_SUCCESS) {
    return failed("Startup(\"" + ctx.type() + "\") refused the supported version 1.0 with " +
                  code_text(ok_code) + " (wrong --type?), so the version refusals prove nothing");
  }
  std::string reason;
  const std::pair<std::uint32_t, std::uint32_t> ranges[] = {{0x200, 0x200}, {0x10, 0x80}};
  for (const auto& [lo, hi] : ranges) {
    auto r = probe(ctx, lo, hi);
    if (!r)
      return failed(r.error());
    const auto code = r->value("status", 0u);
    const std::string range = hex32(lo) + ".." + hex32(hi);
    if (code == ERROR_SUCCESS) {
      return failed("Startup accepted the unsupported version range " + range +
                    " (it must return ERROR_REVISION_MISMATCH unless MinVersionSupported <= "
                    "0x100 <= MaxVersionSupported)");
    }
    reason += (reason.empty() ? "" : "; ") + range + " refused with " + code_text(code);
  }
  return pass(reason + "; 0x100 accepted");
}

check_result check_function_table(check_context& ctx) {
  if (auto st = ctx.ensure_monitor(); !st)
    return failed(st.error());
  return pass(
      "loaded: version 1.0, TableSize right, Open, Close, Online, Offline, Terminate, "
      "LooksAlive and IsAlive present, Arbitrate/Release both or neither");
}

check_result check_open_close(check_context& ctx) {
  constexpr int cycles = 5;
  const std::string name = ctx.fresh_name("open-close");
  double slowest_open = 0, slowest_close = 0;
  for (int i = 0; i < cycles; ++i) {
    auto t0 = clock_type::now();
    if (auto st = ctx.open(name, ctx.timing()); !st)
      return failed("cycle " + std::to_string(i + 1) + ": " + st.error());
    slowest_open = std::max(slowest_open, ms_since(t0));
    t0 = clock_type::now();
    if (auto st = ctx.close(name); !st)
      return failed("cycle " + std::to_string(i + 1) + ": " + st.error());
    slowest_close = std::max(slowest_close, ms_since(t0));
  }
  return pass(std::to_string(cycles) + " Open/Close cycles of one resource; slowest Open " +
                  ms_text(slowest_open) + ", slowest Close " + ms_text(slowest_close),
              std::max(slowest_open, slowest_close));
}

check_result check_online(check_context& ctx) {
  const std::string name = ctx.fresh_name("online");
  if (auto st = ctx.open(name, ctx.timing()); !st)
    return failed(st.error());
  double elapsed = 0;
  bool pending = false;
  if (auto st = ctx.online(name, &elapsed, &pending); !st)
    return failed(st.error() + " (PendingTimeout " +
                  std::to_string(ctx.options().pending_timeout_ms) + " ms)");
  if (auto st = ctx.offline(name); !st)
    return failed("online fine, then " + st.error());
  return pass(
      std::string("Online in ") + ms_text(elapsed) +
          (pending ? " (ERROR_IO_PENDING, then SetResourceStatus)" : " (returned ERROR_SUCCESS)") +
          ", within PendingTimeout " + std::to_string(ctx.options().pending_timeout_ms) + " ms",
      elapsed);
}

check_result check_looks_alive(check_context& ctx) {
  const std::string name = ctx.fresh_name("looks-alive");
  auto& s = ctx.session();
  if (auto st = ctx.open(name, ctx.timing(50, 600000)); !st)
    return failed(st.error());
  if (auto st = ctx.online(name); !st)
    return failed(st.error());
  if (auto r = s.request({{"type", "set_trace"}, {"calls", true}}); !r)
    return failed(r.error());
  std::vector<json> calls;
  const auto deadline = clock_type::now() + 3s;
  while (calls.size() < 10 && clock_type::now() < deadline) {
    auto e = s.wait_for(
        [&](const json& ev) {
          return ev.value("type", "") == "call" && ev.value("resource", "") == name &&
                 ev.value("entry", "") == "LooksAlive";
        },
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()));
    if (!e)
      break;
    calls.push_back(*e);
  }
  s.request({{"type", "set_trace"}, {"calls", false}});
  if (calls.empty()) {
    return failed(s.alive() ? "no LooksAlive call completed within 3 s (poll interval 50 ms)"
                            : "the monitor died: " + s.death_note());
  }
  double slowest = 0;
  int false_answers = 0;
  for (const auto& c : calls) {
    slowest = std::max(slowest, c.value("elapsed_ms", 0.0));
    if (c.value("exec", "") != "completed" || c.value("result", 0) == 0)
      ++false_answers;
  }
  const std::string summary = std::to_string(calls.size()) + " calls, slowest " + ms_text(slowest) +
                              " (limit " + std::to_string(ctx.options().looks_alive_limit_ms) +
                              " ms)";
  if (false_answers > 0)
    return failed(summary + "; " + std::to_string(false_answers) +
                      " said FALSE for a resource that is online",
                  slowest);
  if (slowest > ctx.options().looks_alive_limit_ms)
    return failed(summary + ": too slow; LooksAlive must be a cheap check", slowest);
  return pass(summary, slowest);
}

check_result check_is_alive(check_context& ctx) {
  if (ctx.fail_parameters().empty()) {
    return skipped("no --fail-param given: the checker knows no way to make a '" + ctx.type() +
                   "' resource go away (e.g. --fail-param FailFile=/tmp/x for the Dummy)");
  }
  const std::string name = ctx.fresh_name("is-alive");
  if (auto st = ctx.open(name, ctx.timing(100, 200)); !st)
    return failed(st.error());
  if (auto st = ctx.online(name); !st)
    return failed(st.error());
  const auto t0 = clock_type::now();
  if (auto st = ctx.apply_fail_parameters(name); !st)
    return failed(st.error());
  if (auto st = ctx.reach(name, "Failed", 10s); !st) {
    return failed("after the --fail-param values were set, " + st.error() +
                  " (IsAlive every 200 ms, LooksAlive every 100 ms)");
  }
  const double detected = ms_since(t0);
  return pass("IsAlive reported the resource gone " + ms_text(detected) +
                  " after the --fail-param values were set; the monitor failed it",
              detected);
}

check_result check_offline_idempotent(check_context& ctx) {
  const std::string name = ctx.fresh_name("offline");
  auto& s = ctx.session();
  if (auto st = ctx.open(name, ctx.timing(100, 300)); !st)
    return failed(st.error());
  if (auto st = ctx.offline(name); !st)
    return failed("Offline of a resource that never went online: " + st.error());
  if (auto st = ctx.online(name); !st)
    return failed(st.error());
  if (auto st = ctx.offline(name); !st)
    return failed(st.error());
  if (auto st = ctx.offline(name); !st)
    return failed("second Offline: " + st.error());
  // Polls must have stopped and nothing may fail the resource afterwards.
  std::this_thread::sleep_for(400ms);
  for (const auto& e : s.take_unread()) {
    if (e.value("type", "") == "state" && e.value("resource", "") == name &&
        e.value("state", "") == "Failed") {
      return failed("'" + name + "' failed after going offline: " + e.value("reason", ""));
    }
  }
  if (auto st = ctx.online(name); !st)
    return failed("back online after two Offlines: " + st.error());
  if (auto st = ctx.offline(name); !st)
    return failed(st.error());
  return pass(
      "Offline before Online, Offline twice in a row, and Online again afterwards all "
      "work");
}

check_result check_terminate(check_context& ctx) {
  const std::string name = ctx.fresh_name("terminate");
  auto& s = ctx.session();
  const double limit = ctx.options().terminate_limit_ms;
  if (auto st = ctx.open(name, ctx.timing(100, 200)); !st)
    return failed(st.error());
  std::vector<std::pair<std::string, double>> times;
  std::string notes;
  auto term = [&](const std::string& state) -> status {
    double ms = 0;
    if (auto st = ctx.terminate(name, ms); !st)
      return fail("from " + state + ": " + st.error());
    times.emplace_back(state, ms);
    return {};
  };
  // Offline (just opened).
  if (auto st = term("Offline"); !st)
    return failed(st.error());
  // Online.
  if (auto st = ctx.online(name); !st)
    return failed(st.error());
  if (auto st = term("Online"); !st)
    return failed(st.error());
  s.drain();
  // OnlinePending: Terminate right behind Online, while the monitor is in the call.
  auto online_id = s.send({{"type", "online"}, {"resource", name}});
  if (auto st = term("OnlinePending"); !st)
    return failed(st.error());
  if (online_id)
    s.response(*online_id, ctx.pending_wait());
  s.drain(100ms);
  // OfflinePending: the same behind Offline.
  if (auto st = ctx.online(name); !st)
    return failed("online after the OnlinePending Terminate: " + st.error());
  auto offline_id = s.send({{"type", "offline"}, {"resource", name}});
  if (auto st = term("OfflinePending"); !st)
    return failed(st.error());
  if (offline_id)
    s.response(*offline_id, ctx.pending_wait());
  s.drain(100ms);
  // Failed, when the type can be made to fail.
  if (!ctx.fail_parameters().empty()) {
    if (auto st = ctx.online(name); !st)
      return failed(st.error());
    if (auto st = ctx.apply_fail_parameters(name); !st)
      return failed(st.error());
    if (auto st = ctx.reach(name, "Failed", 10s); !st)
      return failed(st.error());
    if (auto st = term("Failed"); !st)
      return failed(st.error());
  } else {
    notes = "; Failed not tried (no --fail-param)";
  }
  if (auto st = ctx.close(name); !st)
    return failed("after the Terminates, " + st.error());
  double slowest = 0;
  std::string list;
  for (const auto& [state, ms] : times) {
    slowest = std::max(slowest, ms);
    list += (list.empty() ? "" : ", ") + state + " " + ms_text(ms);
  }
  if (slowest > limit) {
    return failed("Terminate took too long (limit " + ms_text(limit) + "): " + list + notes,
                  slowest);
  }
  return pass("Terminate from " + list + notes, slowest);
}

check_result check_concurrent_resources(check_context& ctx) {
  auto& s = ctx.session();
  std::vector<std::string> names;
  for (int i = 0; i < 4; ++i)
    names.push_back(ctx.fresh_name("concurrent"));
  // Open all four at once.
  std::vector<std::int64_t> ids;
  for (const auto& n : names) {
    auto id = s.send({{"type", "open"},
                      {"resource", n},
                      {"resource_type", ctx.type()},
                      {"parameters", ctx.parameters()},
                      {"timing", ctx.timing(100, 300)}});
    if (!id)
      return failed("the monitor is gone: " + s.death_note());
    ids.push_back(*id);
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto r = s.response(ids[i], 30s);
    if (!r || !r->value("ok", false))
      return failed("Open of '" + names[i] + "' among 4 at once: " + (r ? r->dump() : r.error()));
  }
  for (const auto& n : names)
    ctx.adopt(n);  // closed by close_opened()
  for (const auto& n : names) {
    if (auto st = ctx.online(n); !st)
      return failed(st.error());
  }
  // Change one and the others must not notice.
  if (auto st = ctx.offline(names[1]); !st)
    return failed(st.error());
  double ms = 0;
  if (auto st = ctx.terminate(names[2], ms); !st)
    return failed(st.error());
  std::this_thread::sleep_for(600ms);  // a few LooksAlive and IsAlive polls
  auto r = s.request({{"type", "status"}});
  if (!r)
    return failed(r.error());
  std::map<std::string, std::string> states;
  for (const auto& res : r->value("resources", json::array()))
    states[res.value("resource", "")] = res.value("state", "");
  const std::map<std::string, std::string> expected = {
      {names[0], "Online"}, {names[1], "Offline"}, {names[2], "Offline"}, {names[3], "Online"}};
  for (const auto& [n, want] : expected) {
    if (states[n] != want) {
      return failed("after taking '" + names[1] + "' offline and terminating '" + names[2] +
                    "', '" + n + "' is " + (states[n].empty() ? "missing" : states[n]) +
                    " instead of " + want);
    }
  }
  return pass(
      "4 resources opened at once; Offline of one and Terminate of another left the "
      "other two Online through their polls");
}

check_result check_parallel_calls(check_context& ctx) {
  auto& s = ctx.session();
  constexpr int count = 8;
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    names.push_back(ctx.fresh_name("parallel"));
    if (auto st = ctx.open(names.back(), ctx.timing(50, 200)); !st)
      return failed(st.error());
  }
  const auto t0 = clock_type::now();
  // Every Online sent before any answer: the monitor runs them on its pool in parallel.
  auto all = [&](const char* type, const char* want) -> status {
    std::vector<std::int64_t> ids;
    for (const auto& n : names) {
      auto id = s.send({{"type", type}, {"resource", n}});
      if (!id)
        return fail("the monitor is gone: " + s.death_note());
      ids.push_back(*id);
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
      auto r = s.response(ids[i], ctx.pending_wait());
      if (!r)
        return fail(std::string(type) + " of '" + names[i] + "': " + r.error());
      if (!r->value("ok", false))
        return fail(std::string(type) + " of '" + names[i] + "' failed: " + r->dump());
    }
    if (want != nullptr) {
      for (const auto& n : names) {
        if (auto st = ctx.reach(n, want, ctx.pending_wait()); !st)
          return st;
      }
    }
    return {};
  };
  for (int round = 0; round < 2; ++round) {
    if (auto st = all("online", "Online"); !st)
      return failed("parallel Online: " + st.error());
    std::this_thread::sleep_for(300ms);  // polls on every resource at once
    if (auto st = all(round == 0 ? "offline" : "terminate", round == 0 ? "Offline" : nullptr);
        !st) {
      return failed(std::string("parallel ") + (round == 0 ? "Offline: " : "Terminate: ") +
                    st.error());
    }
    s.drain();
  }
  if (!s.alive())
    return failed("the monitor died: " + s.death_note());
  return pass(std::to_string(count) +
                  " resources brought online, polled, taken offline and terminated by calls "
                  "on parallel threads",
              ms_since(t0));
}

check_result check_property_validation(check_context& ctx) {
  auto& s = ctx.session();
  std::vector<reported_property> props;
  auto add = [&](const std::wstring& name, WORD format) {
    for (const auto& p : props) {
      if (p.name == name)
        return;
    }
    props.push_back({name, format});
  };
  // The type's formats, then the values of an open resource.
  if (auto r = s.request({{"type", "resource_type_control"},
                          {"resource_type", ctx.type()},
                          {"code", CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS},
                          {"in", ""},
                          {"out_size", 65536}});
      r) {
    if (auto out = control_out(*r)) {
      auto list = wolfpack::parse_property_list(out->data(), out->size());
      for (const auto& p : list.properties) {
        if (auto w = p.value().as_word())
          add(p.name, *w);
      }
    }
  }
  const std::string name = ctx.fresh_name("properties");
  if (auto st = ctx.open(name, ctx.timing()); !st)
    return failed(st.error());
  if (auto r = s.request({{"type", "resource_control"},
                          {"resource", name},
                          {"code", CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES},
                          {"in", ""},
                          {"out_size", 65536}});
      r) {
    if (auto out = control_out(*r)) {
      auto list = wolfpack::parse_property_list(out->data(), out->size());
      for (const auto& p : list.properties)
        add(p.name, p.format());
    }
  }
  if (props.empty()) {
    return skipped(
        "the plugin reports no private properties (GET_PRIVATE_PROPERTY_FMTS and "
        "GET_PRIVATE_PROPERTIES are empty)");
  }
  std::vector<std::string> refused, accepted;
  for (const auto& p : props) {
    wolfpack::property_list_builder b;
    std::string given;
    switch (p.format) {
      case CLUSPROP_FORMAT_SZ:
      case CLUSPROP_FORMAT_EXPAND_SZ:
      case CLUSPROP_FORMAT_MULTI_SZ:
      case CLUSPROP_FORMAT_BINARY:
        b.add_dword(p.name, 12345);
        given = "DWORD";
        break;
      default:
        b.add_sz(p.name, L"not-a-number");
        given = "SZ";
        break;
    }
    auto r = s.request({{"type", "resource_control"},
                        {"resource", name},
                        {"code", CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES},
                        {"in", to_hex(b.bytes())},
                        {"out_size", 0}});
    if (!r)
      return failed("VALIDATE_PRIVATE_PROPERTIES: " + r.error());
    const std::string label =
        wolfpack::to_utf8(p.name) + " (" + format_name(p.format) + ", given " + given + ")";
    const auto code = r->value("status", 0u);
    if (code == ERROR_SUCCESS)
      accepted.push_back(label);
    else
      refused.push_back(label + ": " + wolfpack::win32_error_name(code));
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v)
      out += (out.empty() ? "" : "; ") + x;
    return out;
  };
  if (!accepted.empty())
    return failed("VALIDATE_PRIVATE_PROPERTIES accepted a wrong type for " + join(accepted));
  return pass("wrong types refused for " + std::to_string(refused.size()) +
              " properties: " + join(refused));
}

check_result check_no_leaks(check_context& ctx) {
#ifndef __linux__
  (void)ctx;
  return skipped("thread and handle counts are only read on Linux (/proc)");
#else
  auto& s = ctx.session();
  const fs::path proc = "/proc/" + std::to_string(s.pid());
  auto cycle = [&]() -> status {
    std::vector<std::string> names;
    for (int i = 0; i < 4; ++i) {
      names.push_back(ctx.fresh_name("leak"));
      if (auto st = ctx.open(names.back(), ctx.timing(50, 100)); !st)
        return st;
    }
    for (const auto& n : names) {
      if (auto st = ctx.online(n); !st)
        return st;
    }
    std::this_thread::sleep_for(200ms);
    for (const auto& n : names) {
      if (auto st = ctx.offline(n); !st)
        return st;
      if (auto st = ctx.close(n); !st)
        return st;
    }
    return {};
  };
  // One cycle first, so that the monitor's own pool and the plugin's type-wide state exist.
  if (auto st = cycle(); !st)
    return failed("warm-up: " + st.error());
  s.drain(200ms);
  const std::size_t threads0 = count_entries(proc / "task");
  const std::size_t fds0 = count_entries(proc / "fd");
  constexpr int cycles = 3;
  for (int i = 0; i < cycles; ++i) {
    if (auto st = cycle(); !st)
      return failed(st.error());
  }
  // Threads a plugin ends in Close may take a moment to go.
  std::size_t threads1 = 0, fds1 = 0;
  for (int i = 0; i < 30; ++i) {
    threads1 = count_entries(proc / "task");
    fds1 = count_entries(proc / "fd");
    if (threads1 <= threads0 && fds1 <= fds0)
      break;
    std::this_thread::sleep_for(100ms);
  }
  const std::string counts = "threads " + std::to_string(threads0) + " -> " +
                             std::to_string(threads1) + ", handles (fds) " + std::to_string(fds0) +
                             " -> " + std::to_string(fds1) + " across " + std::to_string(cycles) +
                             " Open/Online/Offline/Close cycles of 4 resources";
  if (threads1 > threads0 || fds1 > fds0)
    return failed("the monitor holds more after Close: " + counts);
  return pass(counts);
#endif
}

}  // namespace wolfpack::tool
