// resrcmon: the resource monitor. Loads resource type plugins and calls their entry points for
// its parent (clussvc), or runs one resource standalone for a plugin author (--standalone).

#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <wolfpack/common/endpoint.hpp>
#include <wolfpack/common/logging.hpp>
#include <wolfpack/common/platform/system.hpp>

#include "crash_report.hpp"
#include "harness.hpp"
#include "library_loader.hpp"
#include "monitor_runtime.hpp"
#include "options.hpp"
#include "resource_monitor/protocol.hpp"

using namespace wolfpack::monitor;

namespace {

// resrcmon --probe-startup MIN:MAX --plugin FILE --type NAME: exit 0 with the answer on stdout
// when Startup ran, 1 when the plugin could not be loaded, 2 for usage errors.
int probe_startup_main(const std::string& plugin, const std::string& type,
                       const std::string& versions) {
  const auto colon = versions.find(':');
  std::uint32_t min_version = 0, max_version = 0;
  try {
    if (colon == std::string::npos)
      throw std::invalid_argument("no colon");
    std::size_t used = 0;
    const std::string lo = versions.substr(0, colon), hi = versions.substr(colon + 1);
    min_version = static_cast<std::uint32_t>(std::stoul(lo, &used, 0));
    if (used != lo.size())
      throw std::invalid_argument(lo);
    max_version = static_cast<std::uint32_t>(std::stoul(hi, &used, 0));
    if (used != hi.size())
      throw std::invalid_argument(hi);
  } catch (const std::exception&) {
    std::fprintf(stderr, "resrcmon: --probe-startup wants MIN:MAX, e.g. 0x200:0x200, not '%s'\n",
                 versions.c_str());
    return exit_usage;
  }
  if (plugin.empty() || type.empty()) {
    std::fprintf(stderr, "resrcmon: --probe-startup needs --plugin and --type\n");
    return exit_usage;
  }
  const startup_probe p = probe_startup(plugin, type, min_version, max_version);
  nlohmann::json out = {{"type", "startup_probe"},    {"plugin", plugin},
                        {"resource_type", type},      {"min_version", min_version},
                        {"max_version", max_version}, {"loaded", p.loaded}};
  if (p.loaded) {
    out["status"] = p.status;
    out["table"] = p.table_returned;
    if (p.table_returned)
      out["table_version"] = p.table_version;
  } else {
    out["error"] = p.error;
  }
  std::cout << out.dump() << std::endl;
  return p.loaded ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"resrcmon: the Wolfpack resource monitor"};
  bool standalone = false, leased = false;
  std::string connect, plugin, type, name, log_file, node, monitor_id, log_level = "info";
  std::string probe_versions;
  std::vector<std::string> params;
  double hold = 5.0;
  std::uint32_t looks_alive_ms = 5000, is_alive_ms = 60000, pending_timeout_ms = 180000,
                deadlock_timeout_ms = 300000, lease_ms = 0;
  std::size_t workers = 8;

  app.add_flag("--standalone", standalone,
               "Run one resource without a cluster service (plugin harness)");
  app.add_option("--probe-startup", probe_versions,
                 "Call Startup of --plugin for --type with versions MIN:MAX (hex or decimal), "
                 "print its answer as one JSON line and exit (a plugin checker's probe)");
  app.add_option("--connect", connect, "Parent endpoint: unix:/path or tcp:HOST:PORT");
  app.add_option("--plugin", plugin, "Plugin file (standalone)");
  app.add_option("--type", type, "Resource type name passed to Startup (standalone)");
  app.add_option("--name", name, "Resource name (standalone)");
  app.add_option("--param", params,
                 "Private property NAME=VALUE or NAME:TYPE=VALUE (standalone; repeatable)");
  app.add_option("--hold", hold, "Seconds to keep the resource online and polled (standalone)")
      ->check(CLI::Range(0.0, 86400.0));
  app.add_option("--looks-alive-ms", looks_alive_ms, "LooksAlivePollInterval in ms")
      ->check(CLI::Range(1u, 0xFFFFFFFEu));
  app.add_option("--is-alive-ms", is_alive_ms, "IsAlivePollInterval in ms")
      ->check(CLI::Range(1u, 0xFFFFFFFEu));
  app.add_option("--pending-timeout-ms", pending_timeout_ms, "PendingTimeout in ms")
      ->check(CLI::Range(10u, 0xFFFFFFFEu));
  app.add_option("--deadlock-timeout-ms", deadlock_timeout_ms, "DeadlockTimeout in ms")
      ->check(CLI::Range(1000u, 0xFFFFFFFEu));
  app.add_option("--lease-ms", lease_ms,
                 "Start with a lease of this length that the parent must renew");
  app.add_flag("--leased", leased,
               "Start without a lease: refuse every call but terminate, offline and close "
               "until the parent's first renew_lease (what clussvc uses)");
  app.add_option("--workers", workers, "Threads calling plugins")->check(CLI::Range(1, 256));
  app.add_option("--node", node, "Node name (logs; WOLFPACK_NODE for plugins)");
  app.add_option("--monitor-id", monitor_id, "Name of this monitor for the parent");
  app.add_option("--log-file", log_file, "JSON-lines log file (default: stderr)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : exit_usage;
  }

  // The harness prints everything on stdout; its own log only needs warnings unless asked.
  if (standalone && log_file.empty() && !app.get_option("--log-level")->count())
    log_level = "warn";
  auto level = wolfpack::parse_log_level(log_level);
  if (!level) {
    std::fprintf(stderr,
                 "resrcmon: --log-level '%s' is not one of trace, debug, info, warn, error\n",
                 log_level.c_str());
    return exit_usage;
  }
  if (auto st = wolfpack::init_logging({"resrcmon", node, log_file, *level, true}); !st) {
    std::fprintf(stderr, "resrcmon: cannot open log: %s\n", st.error().c_str());
    return exit_usage;
  }
  if (!node.empty() && !wolfpack::platform::set_environment("WOLFPACK_NODE", node)) {
    std::fprintf(stderr, "resrcmon: cannot set WOLFPACK_NODE for the plugins\n");
    return exit_usage;
  }

  if (!probe_versions.empty())
    return probe_startup_main(plugin, type, probe_versions);

  runtime_options ro;
  ro.workers = workers;
  ro.node = node;
  ro.monitor_id = monitor_id;
  if (lease_ms > 0 && leased) {
    std::fprintf(stderr, "resrcmon: --lease-ms and --leased exclude each other\n");
    return exit_usage;
  }
  if (lease_ms > 0)
    ro.initial_lease_ms = lease_ms;
  ro.start_unleased = leased;

  if (standalone) {
    if (!connect.empty()) {
      std::fprintf(stderr, "resrcmon: --standalone and --connect exclude each other\n");
      return harness_exit_usage;
    }
    std::string missing;
    if (plugin.empty())
      missing += " --plugin";
    if (type.empty())
      missing += " --type";
    if (name.empty())
      missing += " --name";
    if (!missing.empty()) {
      std::fprintf(stderr, "resrcmon: --standalone needs%s\n", missing.c_str());
      return harness_exit_usage;
    }
    harness_options ho;
    ho.plugin = plugin;
    ho.type = type;
    ho.name = name;
    ho.hold_seconds = hold;
    ho.timing = {looks_alive_ms, is_alive_ms, pending_timeout_ms, deadlock_timeout_ms};
    for (const auto& p : params) {
      std::string pname, error;
      nlohmann::json value;
      if (!parse_param(p, pname, value, error)) {
        std::fprintf(stderr, "resrcmon: %s\n", error.c_str());
        return harness_exit_usage;
      }
      ho.parameters[pname] = value;
    }
    install_crash_handler(crash_mode::harness);
    harness_driver driver(ho);
    monitor_runtime runtime(ro);
    return runtime.run_harness(driver);
  }

  if (connect.empty()) {
    std::fprintf(stderr,
                 "resrcmon: give --connect ENDPOINT (monitor mode) or --standalone (harness)\n");
    return exit_usage;
  }
  auto ep = wolfpack::parse_endpoint(connect);
  if (!ep) {
    std::fprintf(stderr, "resrcmon: --connect: %s\n", ep.error().c_str());
    return exit_usage;
  }
  install_crash_handler(crash_mode::monitor);
  monitor_runtime runtime(ro);
  return runtime.run_monitor(*ep);
}
