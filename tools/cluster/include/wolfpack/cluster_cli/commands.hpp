// Executes a parsed command against the API: which requests, in which order, and what is shown.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_cli/api_backend.hpp"
#include "wolfpack/cluster_cli/cli_error.hpp"
#include "wolfpack/cluster_cli/command.hpp"
#include "wolfpack/cluster_cli/formatter.hpp"
#include "wolfpack/cluster_cli/wait_clock.hpp"

namespace wolfpack::cluster_cli {

// Runs the lab launcher (`wolfpack`) with `args`: its exit code, or -1 with `error` saying
// why it could not run.
using launcher_fn = std::function<int(const std::vector<std::string>& args, std::string& error)>;

// Default limit of node /start when /wait gives none (`wolfpack node start`'s).
inline constexpr std::chrono::seconds default_start_wait{60};

// Default limit of group /move when /wait is not given (cluster.exe's 20 s).
inline constexpr std::chrono::seconds default_move_wait{20};

class command_runner {
 public:
  command_runner(api_backend& api, formatter& out, wait_clock& clock,
                 std::chrono::milliseconds poll_interval = std::chrono::milliseconds(250));

  // Runs one command (not help, not `cluster /list`: those need no node). Returns the Win32
  // code: 0 on success; otherwise the error has been shown through the formatter.
  std::uint32_t run(const command& cmd);

  // The lab this cluster is (registered by `wolfpack up` in `lab_dir`) and how to run its
  // launcher: node /start needs both.
  void set_lab(std::string lab_dir, launcher_fn launcher) {
    lab_dir_ = std::move(lab_dir);
    launcher_ = std::move(launcher);
  }

 private:
  // Requests. Each shows the error and returns nullopt when the call fails or the answer is
  // an error.
  std::optional<api_reply> send(std::string_view method, const std::string& target,
                                const nlohmann::json* body = nullptr);
  std::optional<nlohmann::json> get(const std::string& target);
  std::uint32_t report(const cli_error& e);

  // By verb.
  std::uint32_t status(const command& cmd);
  std::uint32_t list_types(const command& cmd);
  std::uint32_t create(const command& cmd);
  std::uint32_t remove(const command& cmd);
  std::uint32_t rename(const command& cmd);
  std::uint32_t rename_cluster(const command& cmd);  // cluster_rename.cpp
  std::uint32_t change_state(const command& cmd);    // /online, /offline, group /move
  std::uint32_t fail(const command& cmd);
  std::uint32_t maintenance(const command& cmd);
  std::uint32_t move_resource(const command& cmd);
  std::uint32_t properties(const command& cmd);
  std::uint32_t set_properties(const command& cmd, const std::string& target);
  std::uint32_t dependency(const command& cmd);
  std::uint32_t list_dependencies(const command& cmd);
  std::uint32_t list_owners(const command& cmd);
  std::uint32_t set_owners(const command& cmd);
  std::uint32_t change_owner(const command& cmd);
  std::uint32_t node_action(const command& cmd);
  std::uint32_t stop_node(const command& cmd);      // node_stop.cpp
  std::uint32_t start_node(const command& cmd);     // node_stop.cpp
  std::uint32_t force_cleanup(const command& cmd);  // node_cleanup.cpp
  std::uint32_t add_nodes(const command& cmd);      // node_cleanup.cpp
  // Runs the lab launcher (`wolfpack ARGS`); 0, or the error reported: ERROR_GEN_FAILURE
  // saying "The lab launcher could not DOING (wolfpack VERB exited N)" (node_stop.cpp).
  std::uint32_t run_launcher(const std::vector<std::string>& args, const std::string& doing);
  std::uint32_t quorum(const command& cmd);
  std::uint32_t version();

  // Networks and network interfaces (network_commands.cpp).
  std::uint32_t interface_status(const command& cmd);
  std::uint32_t interface_properties(const command& cmd);
  // Networks and interfaces have no private properties: an empty listing, once the objects
  // are known to exist.
  std::uint32_t no_private_properties(const command& cmd);
  std::uint32_t list_interfaces(const command& cmd);
  std::uint32_t network_priority(const command& cmd);

  // The one interface /node: and /network: name; nullopt after showing the error.
  std::optional<nlohmann::json> resolve_interface(const std::string& node,
                                                  const std::string& network);
  // The node a command without a node name acts on: cluster.exe's local node, ours the node
  // that answers. nullopt after showing the error.
  std::optional<std::string> answering_node();
  // The node the command names, or the answering one when it names none (cluster.exe's
  // "the local node"); nullopt once the error is reported.
  std::optional<std::string> named_or_answering_node(const command& cmd);

  // A resource type's name from its display name (or name); nullopt after showing the error.
  std::optional<std::string> resolve_type(const std::string& display_or_name,
                                          nlohmann::json* type_object = nullptr);
  // The object an action answered with, or a fresh GET when the answer has none.
  std::optional<nlohmann::json> object_after(object_kind kind, const std::string& name,
                                             const api_reply& reply);
  void show_row(object_kind kind, const nlohmann::json& object);

  api_backend& api_;
  formatter& out_;
  wait_clock& clock_;
  std::string lab_dir_;
  launcher_fn launcher_;
  std::chrono::milliseconds poll_interval_;
  std::uint32_t last_error_ = 0;
};

}  // namespace wolfpack::cluster_cli
