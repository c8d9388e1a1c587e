#include "wolfpack/cluster_runtime/clussvc_main.hpp"

#include <cstdio>
#include <exception>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

#include "wolfpack/cluster_runtime/clussvc_options.hpp"
#include "wolfpack/cluster_runtime/default_types.hpp"
#include "wolfpack/cluster_runtime/node_runtime.hpp"
#include "wolfpack/common/logging.hpp"
#include "wolfpack/common/platform/paths.hpp"
#include "wolfpack/common/platform/system.hpp"

namespace wolfpack::runtime {
namespace {

namespace fs = std::filesystem;

constexpr int exit_cannot_start = 1;
constexpr std::string_view main_component = "clussvc";

std::uint64_t random_seed() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ static_cast<std::uint64_t>(rd());
}

fs::path find_resrcmon() {
  if (auto found = platform::find_sibling_binary("resrcmon")) {
    return *found;
  }
  // Spawning it fails later and the core hears of it as a monitor that could not start.
  const fs::path expected = platform::executable_dir() / platform::executable_file_name("resrcmon");
  log::error(main_component, "resrcmon not found beside clussvc (expected '{}')",
             expected.string());
  return expected;
}

std::string api_url(const endpoint& ep) {
  if (ep.kind == endpoint_kind::unix_socket) {
    return ep.to_string();
  }
  return "http://" + host_port_text(ep);
}

int cannot_start(const std::string& message) {
  log::critical(main_component, "cannot start: {}", message);
  flush_logging();
  std::fprintf(stderr, "clussvc: %s\n", message.c_str());
  return exit_cannot_start;
}

}  // namespace

int run_clussvc(int argc, const char* const* argv) {
  auto parsed = parse_clussvc_options(argc, argv);
  if (!parsed) {
    std::fprintf(stderr, "clussvc: %s\nRun 'clussvc --help' for the options.\n",
                 parsed.error().c_str());
    return clussvc_exit_usage;
  }
  const clussvc_options& options = *parsed;
  if (options.help) {
    std::fputs(options.help_text.c_str(), stdout);
    return 0;
  }

  std::error_code ec;
  fs::create_directories(options.state_dir, ec);
  if (ec) {
    std::fprintf(stderr, "clussvc: cannot create state directory '%s': %s\n",
                 options.state_dir.string().c_str(), ec.message().c_str());
    return exit_cannot_start;
  }
  const fs::path log_file = options.state_dir / "clussvc.log";
  if (auto st = init_logging({"clussvc", options.node, log_file.string(), options.level, false});
      !st) {
    std::fprintf(stderr, "clussvc: %s\n", st.error().c_str());
    return exit_cannot_start;
  }
  log::info(main_component,
            {{"cluster", options.cluster_name},
             {"state_dir", options.state_dir.string()},
             {"listen", host_port_text(options.listen)},
             {"api_listen", host_port_text(options.api_listen)}},
            "clussvc starting");
  if (options.config_file) {
    log::info(main_component, "configuration read from '{}'", options.config_file->string());
  }
  if (options.stop_with_parent) {
    switch (platform::stop_with_parent()) {
      case platform::parent_watch::armed:
        log::info(main_component, "--stop-with-parent: a clean stop when the parent ends");
        break;
      case platform::parent_watch::parent_gone:
        log::warn(main_component, "--stop-with-parent: the parent has already ended; exiting");
        return 0;
      case platform::parent_watch::unsupported:
        log::warn(main_component, "--stop-with-parent: not available on this system; ignored");
        break;
    }
  }
  if (!options.secret) {
    log::info(main_component, {{"listen", host_port_text(options.listen)}},
              "no --secret-file: the node runs alone and does not listen for other nodes; its "
              "API asks clients for no key");
  } else {
    log::info(main_component,
              "the API serves only clients with the key derived from the secret "
              "(`wolfpack api-key --secret-file FILE` prints it)");
  }

  node_runtime_options ro;
  ro.state_dir = options.state_dir;
  ro.node = options.node;
  ro.cluster_name = options.cluster_name;
  ro.api_listen = options.api_listen;
  ro.resrcmon = find_resrcmon();
  const fs::path plugins = default_plugin_dir();
  ro.default_types = scan_default_types(plugins);
  for (const auto& t : ro.default_types) {
    log::debug(main_component, {{"type", t.name}, {"dll", t.dll}}, "default resource type");
  }
  log::info(main_component, "{} default resource type(s) in '{}'", ro.default_types.size(),
            plugins.string());
  ro.random_seed = random_seed();
  ro.secret = options.secret;
  ro.peer_listen = options.listen;
  for (const auto& peer : options.join)
    ro.join.push_back(host_port_text(peer));
  ro.heartbeat_ms = options.heartbeat_ms;
  ro.threshold = options.threshold;
  ro.on_ready = [&options](const endpoint& api) {
    log::info(main_component, {{"api", host_port_text(api)}}, "node ready");
    std::printf("clussvc: node %s of cluster %s ready; api %s\n", options.node.c_str(),
                options.cluster_name.c_str(), api_url(api).c_str());
    std::fflush(stdout);
  };

  try {
    auto runtime = node_runtime::open(std::move(ro));
    if (!runtime) {
      return cannot_start(runtime.error());
    }
    const int code = runtime->run();
    log::info(main_component, "clussvc exits with code {}", code);
    flush_logging();
    if (code != 0) {
      // The log has it too, but whoever started the node looks here first.
      std::fprintf(stderr, "clussvc: %s (exit code %d)\n", runtime->exit_reason().c_str(), code);
    }
    return code;
  } catch (const std::exception& e) {
    // A broken invariant in the core or the runtime: name it, then let the node go (the
    // runtime's destructor still kills the monitors).
    log::critical(main_component, "internal error: {}", e.what());
    flush_logging();
    std::fprintf(stderr, "clussvc: internal error: %s\n", e.what());
    return exit_cannot_start;
  }
}

}  // namespace wolfpack::runtime
