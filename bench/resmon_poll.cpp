// bench/resmon_poll: the cost of health polling. One resrcmon hosts N Dummy resources that are
// Online, polled with LooksAlive every L ms and IsAlive every I ms; over S seconds we read the
// monitor's CPU time and resident memory from /proc and print them as JSON.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "monitor_fixture.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using wolfpack::testing::monitor_fixture;

namespace {

struct proc_sample {
  double cpu_seconds = 0;
  double rss_mib = 0;
  double peak_rss_mib = 0;
  int threads = 0;
};

proc_sample sample(int pid) {
  proc_sample s;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may contain spaces.
  std::istringstream rest(content.substr(content.rfind(')') + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14)
      utime = std::stoull(field);
    if (i == 15)
      stime = std::stoull(field);
  }
  s.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    auto value_kb = [&] { return std::stod(line.substr(line.find(':') + 1)) / 1024.0; };
    if (line.rfind("VmRSS:", 0) == 0)
      s.rss_mib = value_kb();
    if (line.rfind("VmHWM:", 0) == 0)
      s.peak_rss_mib = value_kb();
    if (line.rfind("Threads:", 0) == 0)
      s.threads = std::stoi(line.substr(8));
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"resmon_poll: CPU and memory of one monitor polling many Dummy resources"};
  int resources = 10000;
  double seconds = 30;
  int looks_alive_ms = 1000;
  int is_alive_ms = 10000;
  app.add_option("--resources", resources)->check(CLI::Range(1, 1000000));
  app.add_option("--seconds", seconds)->check(CLI::Range(1.0, 3600.0));
  app.add_option("--looks-alive-ms", looks_alive_ms)->check(CLI::Range(10, 3600000));
  app.add_option("--is-alive-ms", is_alive_ms)->check(CLI::Range(10, 3600000));
  CLI11_PARSE(app, argc, argv);

  monitor_fixture mon;
  mon.load_dummy();
  const auto setup_start = std::chrono::steady_clock::now();
  const json timing = {{"looks_alive_ms", looks_alive_ms}, {"is_alive_ms", is_alive_ms}};
  auto name = [](int i) { return "R" + std::to_string(i); };
  for (int i = 0; i < resources; ++i) {
    mon.send(
        {{"type", "open"}, {"resource", name(i)}, {"resource_type", "Dummy"}, {"timing", timing}});
  }
  // Consume every event in arrival order: responses and state changes interleave.
  auto any = [](const json&) { return true; };
  for (int got = 0; got < resources;) {
    auto e = mon.wait_for(any, 60s);
    if (!e) {
      std::fprintf(stderr, "resmon_poll: the monitor stopped answering\n%s\n",
                   mon.log_text().c_str());
      return 1;
    }
    if (e->value("type", "") != "response")
      continue;
    if (!e->value("ok", false)) {
      std::fprintf(stderr, "resmon_poll: open failed: %s\n", e->dump().c_str());
      return 1;
    }
    ++got;
  }
  for (int i = 0; i < resources; ++i)
    mon.send({{"type", "online"}, {"resource", name(i)}});
  for (int online = 0; online < resources;) {
    auto e = mon.wait_for(any, 60s);
    if (!e) {
      std::fprintf(stderr, "resmon_poll: resources did not come online\n");
      return 1;
    }
    if (e->value("type", "") != "state")
      continue;
    if (e->value("state", "") == "Online")
      ++online;
    if (e->value("state", "") == "Failed") {
      std::fprintf(stderr, "resmon_poll: a resource failed: %s\n", e->dump().c_str());
      return 1;
    }
  }
  const double setup_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_start).count();

  const int pid = mon.process().pid();
  // Let the first round of polls spread out before measuring.
  std::this_thread::sleep_for(std::chrono::milliseconds(is_alive_ms));
  const auto t0 = std::chrono::steady_clock::now();
  const proc_sample before = sample(pid);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const proc_sample after = sample(pid);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto status = mon.request({{"type", "status"}});
  int still_online = 0;
  for (const auto& r : status["resources"])
    still_online += r.value("state", "") == "Online" ? 1 : 0;

  const double polls_per_s = resources * (1000.0 / looks_alive_ms + 1000.0 / is_alive_ms);
  json out = {
      {"benchmark", "resmon_poll"},
      {"figures",
       {{{"name", "monitor_cpu"},
         {"value", (after.cpu_seconds - before.cpu_seconds) / wall},
         {"unit", "cpu_seconds_per_second"},
         {"floor", "< 0.02"}},
        {{"name", "monitor_rss"}, {"value", after.rss_mib}, {"unit", "MiB"}, {"floor", "< 200"}},
        {{"name", "monitor_peak_rss"}, {"value", after.peak_rss_mib}, {"unit", "MiB"}},
        {{"name", "cpu_per_poll"},
         {"value", (after.cpu_seconds - before.cpu_seconds) / wall / polls_per_s * 1e6},
         {"unit", "us"}},
        {{"name", "setup_time"}, {"value", setup_s}, {"unit", "s"}}}},
      {"conditions",
       {{"resources", resources},
        {"looks_alive_ms", looks_alive_ms},
        {"is_alive_ms", is_alive_ms},
        {"measured_seconds", wall},
        {"polls_per_second", polls_per_s},
        {"monitor_threads", after.threads},
        {"still_online", still_online},
        {"cores", std::thread::hardware_concurrency()}}}};
  std::printf("%s\n", out.dump().c_str());
  return still_online == resources ? 0 : 1;
}
