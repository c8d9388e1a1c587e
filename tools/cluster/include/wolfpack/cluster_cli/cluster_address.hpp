// Which node(s) to talk to: `/cluster:HOST:PORT`, or a cluster name registered by the lab
// launcher in $WOLFPACK_HOME/clusters/NAME.json, or the same forms in $WOLFPACK_CLUSTER.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "wolfpack/cluster_cli/cli_error.hpp"

namespace wolfpack::cluster_cli {

// Reads an environment variable (a seam so tests do not touch the real environment).
using getenv_fn = std::function<std::optional<std::string>(const std::string&)>;

struct cluster_target {
  // The name as given (address or registered name), for messages.
  std::string name;
  // API endpoints "HOST:PORT", tried in order until one answers.
  std::vector<std::string> addresses;
  // Sent as Authorization: Bearer KEY; empty sends none. $WOLFPACK_API_KEY, else the
  // registration's "api_key" (for HOST:PORT: of a registered cluster with a node there).
  std::string api_key;
  // The lab's directory when `wolfpack up` registered it (its "lab_dir"): node /start goes
  // through the lab launcher there. Empty otherwise.
  std::string lab_dir;
};

// HOST:PORT (the part after the last ':' is a port number); IPv6 as [::1]:PORT.
bool looks_like_address(std::string_view text);

// $WOLFPACK_HOME, else $HOME/.wolfpack (%USERPROFILE%\.wolfpack on Windows).
std::filesystem::path wolfpack_home(const getenv_fn& env);

// `given` (from /cluster: or the bare name), else $WOLFPACK_CLUSTER; the key as said above.
// Errors: nothing given
// (ERROR_INVALID_PARAMETER), an unregistered name (ERROR_FILE_NOT_FOUND), an unreadable or
// malformed registration file (ERROR_INVALID_DATA).
std::variant<cluster_target, cli_error> resolve_cluster(const std::optional<std::string>& given,
                                                        const getenv_fn& env);

// Names of the registered clusters ($WOLFPACK_HOME/clusters/*.json), sorted.
std::vector<std::string> registered_clusters(const getenv_fn& env);

}  // namespace wolfpack::cluster_cli
