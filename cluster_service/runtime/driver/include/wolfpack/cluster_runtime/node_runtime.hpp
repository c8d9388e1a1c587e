#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wolfpack/cluster_core/node_core.hpp"
#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::runtime {

struct node_runtime_options {
  std::filesystem::path state_dir;  // created if missing; holds clusdb.sqlite, monitors/, ...
  std::string node;
  std::string cluster_name;
  endpoint api_listen;             // port 0: any free port (see api_endpoint())
  std::filesystem::path resrcmon;  // the resource monitor executable
  std::vector<cluster::default_resource_type> default_types;
  std::uint64_t random_seed = 0;
  // ---- many nodes: with a secret the node talks to its peers on peer_listen (TCP frames
  // and UDP heartbeats, HMAC-authenticated) and writes <state_dir>/peer.endpoint.
  std::optional<std::string> secret;
  endpoint peer_listen;
  std::vector<std::string> join;  // HOST:PORT of members to join through
  std::uint32_t heartbeat_ms = 1000;
  std::uint32_t threshold = 5;
  // How long monitors get to end their resources at exit before they are killed.
  std::chrono::milliseconds monitor_stop_grace{5000};
  // SIGINT/SIGTERM (Windows: the console events of platform::stop_signals): the first shuts
  // the node down in order (in_shutdown), a second one stops
  // the monitors and exits at once. Off for tests that run a node inside their own process.
  bool handle_signals = true;
  // Runs once on the event processor thread, after the core handled in_start, with the
  // bound API endpoint: the node serves from here on.
  std::function<void(const endpoint& api)> on_ready;
};

// The runtime half of clussvc (DESIGN.md section 2): the only place with clocks, sockets,
// files and processes. It owns the event processor (one io_context, run by the thread that
// calls run()), the SQLite store, the monitor host and the API server, turns everything
// they report into inputs of the deterministic node_core, and carries out the core's
// outputs in order.
//
// Inputs are handed to the core one at a time from a FIFO: an input that arises while
// outputs are being carried out (a database write finished, a monitor that could not be
// spawned) is queued behind the current one, never handled recursively.
class node_runtime {
 public:
  // Creates the state directory, opens and loads <state_dir>/clusdb.sqlite (a refused
  // database is an error naming the file and the problem; the file is left as it is), builds
  // the core, starts the monitor host's socket and listens on api_listen, then writes
  // <state_dir>/api.endpoint ("HOST:PORT"). Nothing is handled until run().
  [[nodiscard]] static result<node_runtime> open(node_runtime_options options);

  node_runtime(node_runtime&&) noexcept;
  node_runtime& operator=(node_runtime&&) noexcept;
  ~node_runtime();

  // Feeds in_start and runs the event processor on the calling thread until the core asks
  // to exit (out_exit) or a second signal comes; returns the process exit code: the
  // core's, or 128 + signal number after a second signal.
  int run();

  // Why run() returned: the core's out_exit reason ("shutdown complete", "the database in
  // the state directory belongs to cluster 'x', not 'y'"), or the second signal.
  const std::string& exit_reason() const;

  // The API endpoint actually bound (the port filled in when api_listen asked for 0).
  const endpoint& api_endpoint() const;
  // The bound peer endpoint (port 0 when the node runs alone).
  const endpoint& peer_endpoint() const;

  // As SIGTERM: feeds in_shutdown. Callable from any thread.
  void request_shutdown();

 private:
  struct impl;
  explicit node_runtime(std::unique_ptr<impl> state);

  std::unique_ptr<impl> impl_;
};

}  // namespace wolfpack::runtime
