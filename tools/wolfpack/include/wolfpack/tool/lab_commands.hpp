#pragma once

// The lab launcher's verbs: `up`, `status`, `down`,
// `node start|stop|kill|freeze|thaw|cleanup`, `partition`, `heal`, `delay`, `rename`. Each
// registers itself from src/<verb>_command.cpp; every one takes --dir DIR (default ./wolfpack-lab),
// where lab.json says what runs.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include <wolfpack/common/result.hpp>

#include "wolfpack/tool/lab.hpp"

namespace CLI {
class App;
}

namespace wolfpack::tool {

struct up_options {
  std::string dir = std::string(default_lab_dir);
  int nodes = 0;                   // 0: as many as the lab in DIR has
  std::string name;                // empty: the lab's, else "lab"
  bool demo = false;               // sample groups of Dummy resources, one per node
  std::uint16_t base_port = 0;     // 0: ephemeral ports
  std::uint32_t heartbeat_ms = 0;  // 0: the lab's, else 1000
  std::uint32_t threshold = 0;     // 0: the lab's, else 5
  std::string quorum;              // empty: the lab's, else clussvc's default
  bool foreground = false;         // live view; Ctrl-C takes the lab down
  unsigned timeout_s = 60;         // until every node is Up
  std::string clussvc;             // empty: the clussvc beside wolfpack
};

struct status_options {
  std::string dir = std::string(default_lab_dir);
  bool json = false;
};

struct down_options {
  std::string dir = std::string(default_lab_dir);
  unsigned timeout_s = 30;  // for each clussvc to exit after SIGTERM
};

struct node_options {
  std::string dir = std::string(default_lab_dir);
  std::string action;  // start, stop, kill, freeze, thaw, cleanup
  std::string node;
  unsigned timeout_s = 0;  // 0: 60 for start (until Up), 30 for stop
  std::string clussvc;     // start: empty means the one the lab was started with
};

struct partition_options {
  std::string dir = std::string(default_lab_dir);
  std::string spec;  // node1,node2/node3
};

struct heal_options {
  std::string dir = std::string(default_lab_dir);
};

struct rename_options {
  std::string dir = std::string(default_lab_dir);
  std::string name;
  bool check = false;  // only whether `name` can be the lab's name
  bool quiet = false;  // nothing on stdout on success (cluster /rename runs it)
};

struct api_key_options {
  std::string dir = std::string(default_lab_dir);
  std::string secret_file;  // instead of the lab's: for nodes started by hand
};

struct delay_options {
  std::string dir = std::string(default_lab_dir);
  std::string node;
  std::uint32_t delay_ms = 0;
};

// The lab `up` starts: the one in DIR (`existing`) with its nodes, databases, name and ports,
// grown to --nodes, or a new one. Refuses what would break the existing lab's databases: a
// different name or base port, fewer nodes. Faults and pids are cleared (nothing runs).
result<lab_state> plan_lab(const up_options& options, const std::optional<lab_state>& existing,
                           const std::filesystem::path& dir, const std::filesystem::path& clussvc);

// Lab names become file names ($WOLFPACK_HOME/clusters/NAME.json) and the cluster's name:
// letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64.
status check_lab_name(std::string_view name);

CLI::App* add_up_command(CLI::App& app, up_options& options);
int run_up(const up_options& options, std::ostream& out, std::ostream& err);

CLI::App* add_status_command(CLI::App& app, status_options& options);
int run_status(const status_options& options, std::ostream& out, std::ostream& err);

CLI::App* add_down_command(CLI::App& app, down_options& options);
int run_down(const down_options& options, std::ostream& out, std::ostream& err);

CLI::App* add_node_command(CLI::App& app, node_options& options);
int run_node(const node_options& options, std::ostream& out, std::ostream& err);

CLI::App* add_partition_command(CLI::App& app, partition_options& options);
int run_partition(const partition_options& options, std::ostream& out, std::ostream& err);

CLI::App* add_heal_command(CLI::App& app, heal_options& options);
int run_heal(const heal_options& options, std::ostream& out, std::ostream& err);

// `wolfpack rename NEW`: the lab's cluster is renamed (POST /cluster/rename on a running
// node, unless it has that name already), lab.json takes the name (nodes start with it) and
// the registration moves to NEW. Refuses a name that is not a lab name or that another lab
// or cluster registered. --check says only whether NEW would do.
CLI::App* add_rename_command(CLI::App& app, rename_options& options);
int run_rename(const rename_options& options, std::ostream& out, std::ostream& err);

CLI::App* add_api_key_command(CLI::App& app, api_key_options& options);
int run_api_key(const api_key_options& options, std::ostream& out, std::ostream& err);

CLI::App* add_delay_command(CLI::App& app, delay_options& options);
int run_delay(const delay_options& options, std::ostream& out, std::ostream& err);

}  // namespace wolfpack::tool
