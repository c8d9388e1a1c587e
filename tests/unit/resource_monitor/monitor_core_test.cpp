#include <catch2/catch.hpp>

#include <wolfpack/winerror.h>

#include "fake_core_env.hpp"

using namespace wolfpack::monitor;
using namespace wolfpack::monitor::testing;
using nlohmann::json;

TEST_CASE("load_type answers once Startup has returned a table", "[core]") {
  core_env env;
  const auto id =
      env.command({{"type", "load_type"}, {"resource_type", "Dummy"}, {"plugin", "/p.so"}});
  REQUIRE(env.has_call(entry_point::startup));
  REQUIRE_FALSE(env.response(id));
  call_outcome o;
  o.loaded_type = std::make_shared<plugin_type>("Dummy", "/p.so", CLRES_V1_FUNCTIONS{}, nullptr);
  env.complete(entry_point::startup, std::move(o));
  REQUIRE(env.response(id)->at("ok") == true);
}

TEST_CASE("a refused plugin gives its message and code to the caller", "[core]") {
  core_env env;
  const auto id =
      env.command({{"type", "load_type"}, {"resource_type", "Dummy"}, {"plugin", "/p.so"}});
  call_outcome o;
  o.exec = exec_status::refused;
  o.status = ERROR_PROC_NOT_FOUND;
  o.message = "plugin /p.so: does not export the entry point 'Startup'";
  env.complete(entry_point::startup, std::move(o));
  auto r = env.response(id);
  REQUIRE(r->at("ok") == false);
  REQUIRE(r->at("exec") == "refused");
  REQUIRE(r->at("error").at("code") == ERROR_PROC_NOT_FOUND);
  REQUIRE(r->at("error").at("message").get<std::string>().find("Startup") != std::string::npos);
}

TEST_CASE("online and offline without pending", "[core]") {
  core_env env;
  env.load_dummy();
  env.open("R");
  REQUIRE(env.core.TEST_state("R") == rstate::offline);
  const auto on = env.command({{"type", "online"}, {"resource", "R"}});
  REQUIRE(env.core.TEST_state("R") == rstate::online_pending);
  env.complete(entry_point::online, returns(ERROR_SUCCESS), "R");
  REQUIRE(env.response(on)->at("ok") == true);
  REQUIRE(env.core.TEST_state("R") == rstate::online);
  const auto off = env.command({{"type", "offline"}, {"resource", "R"}});
  env.complete(entry_point::offline, returns(ERROR_SUCCESS), "R");
  REQUIRE(env.response(off)->at("ok") == true);
  REQUIRE(env.states("R") == std::vector<std::string>{"Offline", "OnlinePending", "Online",
                                                      "OfflinePending", "Offline"});
}

TEST_CASE("pending online completes through SetResourceStatus", "[core][pending]") {
  core_env env;
  env.load_dummy();
  env.open("R", {{"pending_timeout_ms", 1000}});
  env.command({{"type", "online"}, {"resource", "R"}});
  env.complete(entry_point::online, returns(ERROR_IO_PENDING), "R");
  REQUIRE(env.core.TEST_state("R") == rstate::online_pending);
  env.advance_ms(500);
  env.core.handle_status(1, {ClusterResourceOnline, 1}, env.now);
  REQUIRE(env.core.TEST_state("R") == rstate::online);
  env.advance_ms(2000);  // the pending timer of the finished operation must not fire
  REQUIRE(env.core.TEST_state("R") == rstate::online);
}

TEST_CASE("a report that arrives before Online returns ERROR_IO_PENDING is kept",
          "[core][pending]") {
  core_env env;
  env.load_dummy();
  env.open("R");
  env.command({{"type", "online"}, {"resource", "R"}});
  env.core.handle_status(1, {ClusterResourceOnline, 1}, env.now);
  REQUIRE(env.core.TEST_state("R") == rstate::online_pending);
  env.complete(entry_point::online, returns(ERROR_IO_PENDING), "R");
  REQUIRE(env.core.TEST_state("R") == rstate::online);
}

TEST_CASE("PendingTimeout terminates and fails the resource", "[core][pending]") {
  core_env env;
  env.load_dummy();
  env.open("R", {{"pending_timeout_ms", 1000}});
  env.command({{"type", "online"}, {"resource", "R"}});
  env.complete(entry_point::online, returns(ERROR_IO_PENDING), "R");
  env.advance_ms(999);
  REQUIRE(env.core.TEST_state("R") == rstate::online_pending);
  env.advance_ms(1);
  REQUIRE(env.core.TEST_state("R") == rstate::failed);
  REQUIRE(env.has_call(entry_point::terminate, "R"));
  auto ev = std::find_if(env.sink.events.begin(), env.sink.events.end(),
                         [](const json& e) { return e.value("type", "") == "operation"; });
  REQUIRE(ev != env.sink.events.end());
  REQUIRE(ev->at("exec") == "timed_out");
}

TEST_CASE("progress reports re-arm PendingTimeout, the timeout is per gap", "[core][pending]") {
  core_env env;
  env.load_dummy();
  env.open("R", {{"pending_timeout_ms", 1000}});
  env.command({{"type", "online"}, {"resource", "R"}});
  env.complete(entry_point::online, returns(ERROR_IO_PENDING), "R");
  for (std::uint32_t cp = 1; cp <= 5; ++cp) {
    env.advance_ms(800);
    env.core.handle_status(1, {ClusterResourceOnlinePending, cp}, env.now);
  }
  REQUIRE(env.core.TEST_state("R") == rstate::online_pending);  // 4 s in, never a 1 s gap
  // The same checkpoint again is not progress.
  env.advance_ms(800);
  env.core.handle_status(1, {ClusterResourceOnlinePending, 5}, env.now);
  env.advance_ms(200);
  REQUIRE(env.core.TEST_state("R") == rstate::failed);
}

TEST_CASE("a synchronous error from Online fails the resource and calls Terminate", "[core]") {
  core_env env;
  env.load_dummy();
  env.open("R");
  const auto id = env.command({{"type", "online"}, {"resource", "R"}});
  env.complete(entry_point::online, returns(ERROR_ACCESS_DENIED), "R");
  REQUIRE(env.core.TEST_state("R") == rstate::failed);
  REQUIRE(env.has_call(entry_point::terminate, "R"));
  auto r = env.response(id);
  REQUIRE(r->at("exec") == "completed");            // the call ran ...
  REQUIRE(r->at("status") == ERROR_ACCESS_DENIED);  // ... and the resource said no
}

TEST_CASE("LooksAlive on its interval, IsAlive on its own", "[core][poll]") {
  core_settings s;
  s.poll_quantum_ms = 1;
  core_env env(s);
  env.load_dummy();
  env.open("R", {{"looks_alive_ms", 1000}, {"is_alive_ms", 5000}});
  env.bring_online("R");
  env.advance_ms(999);
  REQUIRE_FALSE(env.has_call(entry_point::looks_alive));
  env.advance_ms(1);
  REQUIRE(env.has_call(entry_point::looks_alive));
  env.complete(entry_point::looks_alive, returns(TRUE));
  for (int i = 0; i < 3; ++i) {
    env.advance_ms(1000);
    REQUIRE(env.complete(entry_point::looks_alive, returns(TRUE)));
  }
  env.advance_ms(1000);  // t = 5 s: both are due; the thorough check goes first
  REQUIRE(env.complete(entry_point::is_alive, returns(TRUE)));
  REQUIRE(env.core.TEST_state("R") == rstate::online);
}

TEST_CASE("a failed LooksAlive runs IsAlive at once, only IsAlive fails the resource",
          "[core][poll]") {
  core_settings s;
  s.poll_quantum_ms = 1;
  core_env env(s);
  env.load_dummy();
  env.open("R", {{"looks_alive_ms", 1000}, {"is_alive_ms", 60000}});
  env.bring_online("R");
  env.advance_ms(1000);
  env.complete(entry_point::looks_alive, returns(FALSE));
  REQUIRE(env.core.TEST_state("R") == rstate::online);  // a suspicion only
  REQUIRE(env.has_call(entry_point::is_alive));
  env.complete(entry_point::is_alive, returns(TRUE));
  REQUIRE(env.core.TEST_state("R") == rstate::online);
  env.advance_ms(1000);
  env.complete(entry_point::looks_alive, returns(FALSE));
  env.complete(entry_point::is_alive, returns(FALSE));
  REQUIRE(env.core.TEST_state("R") == rstate::failed);
  REQUIRE(env.has_call(entry_point::terminate, "R"));
  REQUIRE(env.count("poll_failed") == 3);
}

TEST_CASE("polls of many resources due in one quantum go out as one batch", "[core][poll]") {
  core_settings s;
  s.poll_quantum_ms = 10;
  core_env env(s);
  env.load_dummy();
  env.now += ms_to_ns(1);  // start just past a slot boundary: every deadline lands in one slot
  for (int i = 0; i < 50; ++i) {
    env.open("R" + std::to_string(i), {{"looks_alive_ms", 1000}});
    env.bring_online("R" + std::to_string(i));
    env.now += 100'000;  // 0.1 ms apart, 5 ms in all
  }
  env.advance_ms(1004);  // to the end of the slot the deadlines were rounded up to
  const auto n =
      std::count_if(env.executor.calls.begin(), env.executor.calls.end(),
                    [](const call_request& c) { return c.entry == entry_point::looks_alive; });
  REQUIRE(n == 50);
}

TEST_CASE("calls into one resource are serialised, a poll due meanwhile waits", "[core][serial]") {
  core_settings s;
  s.poll_quantum_ms = 1;
  core_env env(s);
  env.load_dummy();
  env.open("R", {{"looks_alive_ms", 1000}});
  env.bring_online("R");
  const auto ctl = env.command(
      {{"type", "resource_control"}, {"resource", "R"}, {"code", 0x01000005}, {"out_size", 4}});
  REQUIRE(env.has_call(entry_point::resource_control));
  env.advance_ms(1000);
  REQUIRE_FALSE(env.has_call(entry_point::looks_alive));  // held back behind the control call
  call_outcome o = returns(ERROR_SUCCESS);
  o.out = {0, 0, 0, 0};
  o.bytes_returned = 4;
  env.complete(entry_point::resource_control, std::move(o));
  REQUIRE(env.response(ctl)->at("out") == "00000000");
  REQUIRE(env.has_call(entry_point::looks_alive));
}

TEST_CASE("Terminate overtakes a hung Online, and the late Online result is ignored",
          "[core][terminate]") {
  core_env env;
  env.load_dummy();
  env.open("R");
  env.command({{"type", "online"}, {"resource", "R"}});
  const auto t = env.command({{"type", "terminate"}, {"resource", "R"}});
  REQUIRE(env.has_call(entry_point::terminate, "R"));
  REQUIRE(env.has_call(entry_point::online, "R"));
  env.complete(entry_point::terminate);
  REQUIRE(env.response(t)->at("ok") == true);
  REQUIRE(env.core.TEST_state("R") == rstate::offline);
  env.complete(entry_point::online, returns(ERROR_SUCCESS), "R");
  REQUIRE(env.core.TEST_state("R") == rstate::offline);
}

TEST_CASE("a call running past DeadlockTimeout is reported and the monitor exits",
          "[core][deadlock]") {
  core_env env;
  env.load_dummy();
  env.open("R", {{"deadlock_timeout_ms", 2000}});
  env.command({{"type", "online"}, {"resource", "R"}});
  REQUIRE(env.executor.calls.size() == 1);
  env.executor.running_calls.push_back({env.executor.calls[0].call_id, env.now});
  for (int i = 0; i < 7; ++i)
    env.advance_ms(250);
  REQUIRE_FALSE(env.sink.exit_code);
  env.advance_ms(500);
  REQUIRE(env.sink.exit_code == exit_deadlock);
  auto ev = std::find_if(env.sink.events.begin(), env.sink.events.end(),
                         [](const json& e) { return e.value("type", "") == "deadlock"; });
  REQUIRE(ev != env.sink.events.end());
  REQUIRE(ev->at("entry") == "Online");
  REQUIRE(ev->at("resource") == "R");
}

TEST_CASE("a lapsed lease terminates resources before any other call", "[core][lease]") {
  core_settings s;
  s.poll_quantum_ms = 1;
  core_env env(s);
  env.load_dummy();
  env.open("R", {{"looks_alive_ms", 100}});
  env.command({{"type", "renew_lease"}, {"ms", 1000}});
  REQUIRE(env.executor.lease == env.now + ms_to_ns(1000));
  env.bring_online("R");
  // The node freezes: nothing happens until well past the lease.
  env.now += ms_to_ns(5000);
  env.core.handle_tick(env.now);
  REQUIRE(env.core.TEST_fenced());
  REQUIRE(env.core.TEST_state("R") == rstate::failed);
  REQUIRE(env.has_call(entry_point::terminate, "R"));
  REQUIRE_FALSE(env.has_call(entry_point::looks_alive, "R"));
  const auto on = env.command({{"type", "online"}, {"resource", "R"}});
  REQUIRE(env.response(on)->at("ok") == false);
  REQUIRE(env.response(on)->at("exec") == "refused");
  env.complete(entry_point::terminate);
  env.command({{"type", "renew_lease"}, {"ms", 1000}});
  REQUIRE_FALSE(env.core.TEST_fenced());
  const auto on2 = env.command({{"type", "online"}, {"resource", "R"}});
  REQUIRE(env.has_call(entry_point::online, "R"));
  (void)on2;
}

TEST_CASE("an online whose provider the monitor stopped by itself is refused before the plugin",
          "[core][lease]") {
  core_settings s;
  s.poll_quantum_ms = 1;
  core_env env(s);
  env.load_dummy();
  env.open("P");
  env.open("D");
  env.command({{"type", "renew_lease"}, {"ms", 1000}});
  env.bring_online("P");
  // The lease runs out (P is terminated) and is renewed before the service hears of it: the
  // service still takes P for Online and sends D's online naming it.
  env.now += ms_to_ns(5000);
  env.core.handle_tick(env.now);
  env.complete(entry_point::terminate);
  env.command({{"type", "renew_lease"}, {"ms", 1000}});
  const auto on = env.command({{"type", "online"}, {"resource", "D"}, {"needs", {"P"}}});
  REQUIRE(env.response(on)->at("ok") == false);
  CHECK(env.response(on)->at("exec") == "refused");
  CHECK(env.response(on)->at("error").at("code") == ERROR_RESOURCE_NOT_ONLINE);
  CHECK_FALSE(env.has_call(entry_point::online, "D"));
  CHECK(env.core.TEST_state("D") == rstate::offline);
  // Once P is Online again, D starts; a malformed list changes nothing.
  env.bring_online("P");
  const auto bad = env.command({{"type", "online"}, {"resource", "D"}, {"needs", "P"}});
  CHECK(env.response(bad)->at("error").at("code") == ERROR_INVALID_PARAMETER);
  CHECK_FALSE(env.has_call(entry_point::online, "D"));
  env.command({{"type", "online"}, {"resource", "D"}, {"needs", {"P"}}});
  CHECK(env.has_call(entry_point::online, "D"));
}

TEST_CASE("a monitor started unleased calls nothing until the parent's first renewal",
          "[core][lease]") {
  core_env env;
  env.core.start_unleased(env.now);
  REQUIRE(env.core.TEST_fenced());
  // Nothing is announced: nothing ran, nothing was terminated.
  REQUIRE(env.sink.events.empty());
  const auto load =
      env.command({{"type", "load_type"}, {"resource_type", "Dummy"}, {"plugin", "wp_dummy"}});
  REQUIRE(env.response(load)->at("exec") == "refused");
  // The first renewal gives the lease; from then on it works as any leased monitor.
  env.command({{"type", "renew_lease"}, {"ms", 1000}});
  REQUIRE_FALSE(env.core.TEST_fenced());
  env.load_dummy();
  env.open("R");
  env.bring_online("R");
  REQUIRE(env.core.TEST_state("R") == rstate::online);
}

TEST_CASE("a renewal carries its end: one that arrives late lasts no longer", "[core][lease]") {
  core_env env;
  env.load_dummy();
  env.open("R");
  // The end given is earlier than `ms` from now: the end wins.
  env.command({{"type", "renew_lease"}, {"ms", 1000}, {"until_ns", env.now + ms_to_ns(300)}});
  REQUIRE(env.executor.lease == env.now + ms_to_ns(300));
  env.bring_online("R");
  // A renewal written before a stop that both processes shared arrives after its end: it
  // renews nothing, and the resource is terminated before anything else.
  const auto sent_end = env.now + ms_to_ns(500);
  env.now += ms_to_ns(2000);
  const auto late = env.command({{"type", "renew_lease"}, {"ms", 500}, {"until_ns", sent_end}});
  REQUIRE(env.response(late)->at("ok") == false);
  REQUIRE(env.core.TEST_fenced());
  REQUIRE(env.has_call(entry_point::terminate, "R"));
  const auto on = env.command({{"type", "online"}, {"resource", "R"}});
  REQUIRE(env.response(on)->at("exec") == "refused");
  // A bad end is refused and changes nothing.
  const auto bad = env.command({{"type", "renew_lease"}, {"ms", 500}, {"until_ns", "soon"}});
  REQUIRE(env.response(bad)->at("error").at("code") == ERROR_INVALID_PARAMETER);
  REQUIRE(env.core.TEST_fenced());
}

TEST_CASE("when the parent goes away every resource is terminated, then the monitor exits",
          "[core][parent]") {
  core_env env;
  env.load_dummy();
  env.open("A");
  env.open("B");
  env.bring_online("A");
  env.bring_online("B");
  env.core.handle_parent_lost(env.now);
  REQUIRE(env.has_call(entry_point::terminate, "A"));
  REQUIRE(env.has_call(entry_point::terminate, "B"));
  REQUIRE_FALSE(env.sink.exit_code);
  env.complete(entry_point::terminate, {}, "A");
  REQUIRE_FALSE(env.sink.exit_code);
  env.complete(entry_point::terminate, {}, "B");
  REQUIRE(env.sink.exit_code == exit_parent_lost);
}

TEST_CASE("status reports with unknown tokens or outside a pending operation change nothing",
          "[core]") {
  core_env env;
  env.load_dummy();
  env.open("R");
  env.core.handle_status(999, {ClusterResourceOnline, 1}, env.now);
  env.core.handle_status(1, {ClusterResourceOnline, 1}, env.now);
  REQUIRE(env.core.TEST_state("R") == rstate::offline);
}

TEST_CASE("bad commands name what is wrong and change nothing", "[core][errors]") {
  core_env env;
  env.load_dummy();
  env.open("R");
  const auto events_before = env.sink.events.size();
  auto code_of = [&](json c) {
    const auto id = env.command(std::move(c));
    return env.response(id)->at("error").at("code").get<int>();
  };
  REQUIRE(code_of({{"type", "online"}, {"resource", "nope"}}) == ERROR_RESOURCE_NOT_FOUND);
  REQUIRE(code_of({{"type", "online"}}) == ERROR_INVALID_PARAMETER);
  REQUIRE(code_of({{"type", "frobnicate"}}) == ERROR_INVALID_FUNCTION);
  REQUIRE(code_of({{"type", "open"}, {"resource", "R"}, {"resource_type", "Dummy"}}) ==
          ERROR_OBJECT_ALREADY_EXISTS);
  REQUIRE(code_of({{"type", "open"}, {"resource", "S"}, {"resource_type", "Nope"}}) ==
          ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND);
  REQUIRE(code_of({{"type", "open"},
                   {"resource", "S"},
                   {"resource_type", "Dummy"},
                   {"timing", {{"pending_timeout_ms", 1}}}}) == ERROR_INVALID_PARAMETER);
  REQUIRE(code_of({{"type", "open"},
                   {"resource", "S"},
                   {"resource_type", "Dummy"},
                   {"parameters", {{"X", {{"type", "DWORD"}, {"value", "five"}}}}}}) ==
          ERROR_INVALID_PARAMETER);
  REQUIRE(code_of({{"type", "resource_control"}, {"resource", "R"}, {"code", 1}, {"in", "zz"}}) ==
          ERROR_INVALID_PARAMETER);
  REQUIRE(code_of({{"type", "renew_lease"}, {"ms", -5}}) == ERROR_INVALID_PARAMETER);
  const auto arb = env.command({{"type", "arbitrate"}, {"resource", "R"}});  // Dummy has Arbitrate
  REQUIRE_FALSE(env.response(arb));         // in flight, not refused
  REQUIRE(env.executor.calls.size() == 1);  // only the Arbitrate went to the plugin
  for (std::size_t i = events_before; i < env.sink.events.size(); ++i) {
    REQUIRE(env.sink.events[i].value("type", "") != "state");
  }
  REQUIRE(env.core.resource_count() == 1);
}

TEST_CASE("close terminates a resource that is still online, then closes it", "[core]") {
  core_env env;
  env.load_dummy();
  env.open("R");
  env.bring_online("R");
  const auto id = env.command({{"type", "close"}, {"resource", "R"}});
  REQUIRE(env.has_call(entry_point::terminate, "R"));
  REQUIRE_FALSE(env.has_call(entry_point::close, "R"));
  env.complete(entry_point::terminate);
  REQUIRE(env.complete(entry_point::close));
  REQUIRE(env.response(id)->at("ok") == true);
  REQUIRE(env.core.resource_count() == 0);
  REQUIRE(env.handles.bound.empty());
}

TEST_CASE("log events raised during a control call come back with its response",
          "[core][control]") {
  core_env env;
  env.load_dummy();
  env.open("R");
  const auto id = env.command(
      {{"type", "resource_control"}, {"resource", "R"}, {"code", 0x01000089}, {"in", "00000000"}});
  env.core.handle_log(1, 2, "property 'OnlineDelayMs': out of range", env.now);
  env.complete(entry_point::resource_control, returns(ERROR_INVALID_PARAMETER));
  auto r = env.response(id);
  REQUIRE(r->at("ok") == false);
  REQUIRE(r->at("messages")[0] == "property 'OnlineDelayMs': out of range");
}

TEST_CASE("registry writes by the plugin are forwarded with the resource name",
          "[core][registry]") {
  core_env env;
  env.load_dummy();
  env.open("R");
  registry_write w;
  w.token = 1;
  w.key = "Parameters";
  w.name = "Counter";
  w.value = json{{"type", "DWORD"}, {"value", 7}};
  env.core.handle_registry_write(std::move(w), env.now);
  auto& e = env.sink.events.back();
  REQUIRE(e.at("type") == "registry");
  REQUIRE(e.at("resource") == "R");
  REQUIRE(e.at("value").at("value") == 7);
}

TEST_CASE("shutdown closes everything and exits cleanly", "[core]") {
  core_env env;
  env.load_dummy();
  env.open("R");
  env.bring_online("R");
  const auto id = env.command({{"type", "shutdown"}});
  env.complete(entry_point::terminate);
  env.complete(entry_point::close);
  REQUIRE(env.response(id)->at("ok") == true);
  REQUIRE(env.sink.exit_code == exit_clean);
}

TEST_CASE("a TRUE collected slots after it returned keeps the poll schedule", "[core][poll]") {
  core_settings s;
  s.poll_quantum_ms = 10;
  core_env env(s);
  env.load_dummy();
  env.open("R", {{"looks_alive_ms", 1000}, {"is_alive_ms", 60000}});
  env.bring_online("R");
  env.advance_ms(1000);
  REQUIRE(env.executor.calls.size() == 1);
  const call_request poll = env.executor.calls[0];
  env.executor.calls.clear();
  REQUIRE(poll.entry == entry_point::looks_alive);
  REQUIRE(poll.quiet);  // a TRUE may wait to be collected
  const mono_ns submitted = env.now;
  const mono_ns returned = submitted + ms_to_ns(1);
  env.now = submitted + ms_to_ns(30);  // collected three slots later
  env.core.handle_poll_successes({poll_success{poll.call_id, 1, submitted, returned}}, env.now);
  env.core.handle_tick(env.now);
  REQUIRE(env.core.TEST_state("R") == rstate::online);
  REQUIRE(env.executor.calls.empty());
  // The next LooksAlive is an interval after the poll returned, not after it was collected.
  env.advance_ms(979);
  REQUIRE_FALSE(env.has_call(entry_point::looks_alive));
  env.advance_ms(1);
  REQUIRE(env.has_call(entry_point::looks_alive));
  REQUIRE(env.count("poll_failed") == 0);
}

TEST_CASE("collected TRUE answers free the resource for what waited behind the poll",
          "[core][poll]") {
  core_settings s;
  s.poll_quantum_ms = 1;
  core_env env(s);
  env.load_dummy();
  env.open("R", {{"looks_alive_ms", 1000}, {"is_alive_ms", 1000}});
  env.bring_online("R");
  env.advance_ms(1000);  // both due: LooksAlive goes out, IsAlive waits for it
  REQUIRE(env.executor.calls.size() == 1);
  const call_request poll = env.executor.calls[0];
  env.executor.calls.clear();
  REQUIRE(poll.entry == entry_point::looks_alive);
  const auto ctl = env.command(
      {{"type", "resource_control"}, {"resource", "R"}, {"code", 0x01000005}, {"out_size", 4}});
  REQUIRE_FALSE(env.has_call(entry_point::resource_control));  // waits behind the poll
  env.core.handle_poll_successes({poll_success{poll.call_id, 1, env.now, env.now}}, env.now);
  env.core.handle_tick(env.now);  // submits what the results led to
  REQUIRE(env.has_call(entry_point::resource_control));
  REQUIRE_FALSE(env.has_call(entry_point::is_alive));  // still one call at a time
  call_outcome o = returns(ERROR_SUCCESS);
  o.out = {0, 0, 0, 0};
  o.bytes_returned = 4;
  env.complete(entry_point::resource_control, std::move(o));
  REQUIRE(env.response(ctl)->at("ok") == true);
  REQUIRE(env.has_call(entry_point::is_alive));
}

TEST_CASE("traced polls are reported as they return, never collected later", "[core][poll]") {
  core_settings s;
  s.poll_quantum_ms = 1;
  core_env env(s);
  env.load_dummy();
  env.open("R", {{"looks_alive_ms", 1000}});
  env.bring_online("R");
  env.command({{"type", "set_trace"}, {"calls", true}});
  env.advance_ms(1000);
  REQUIRE(env.executor.calls.size() == 1);
  REQUIRE_FALSE(env.executor.calls[0].quiet);
  REQUIRE(env.complete(entry_point::looks_alive, returns(TRUE)));
  REQUIRE(env.count("call") >= 1);
}
