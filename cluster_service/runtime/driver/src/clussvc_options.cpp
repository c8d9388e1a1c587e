#include "wolfpack/cluster_runtime/clussvc_options.hpp"

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include <CLI/CLI.hpp>

#include "wolfpack/cluster_transport/api_key.hpp"

namespace wolfpack::runtime {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The config file's keys in their canonical (underscore) spelling.
constexpr std::string_view config_keys[] = {
    "state_dir", "node",        "cluster_name", "listen",    "api_listen", "join",
    "log_level", "secret_file", "heartbeat_ms", "threshold", "quorum"};

result<std::uint32_t> parse_number(std::string_view option, const std::string& text,
                                   std::uint32_t low, std::uint32_t high) {
  std::uint64_t v = 0;
  if (text.empty() || text.size() > 9)
    return fail(std::string(option) + " '" + text + "': expected a number from " +
                std::to_string(low) + " to " + std::to_string(high));
  for (char c : text) {
    if (c < '0' || c > '9')
      return fail(std::string(option) + " '" + text + "': expected a number from " +
                  std::to_string(low) + " to " + std::to_string(high));
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v < low || v > high)
    return fail(std::string(option) + " " + text + " is out of range (" + std::to_string(low) +
                " to " + std::to_string(high) + ")");
  return static_cast<std::uint32_t>(v);
}

std::string canonical_key(std::string_view key) {
  std::string out(key);
  for (char& c : out) {
    if (c == '-') {
      c = '_';
    }
  }
  return out;
}

bool known_key(std::string_view key) {
  for (auto k : config_keys) {
    if (k == key) {
      return true;
    }
  }
  return false;
}

// Names are shown in logs, passed to resrcmon on its command line and used in the database;
// control characters would garble all three.
status check_name(std::string_view option, const std::string& value) {
  if (value.empty()) {
    return fail(std::string(option) + " must not be empty");
  }
  for (unsigned char c : value) {
    if (std::iscntrl(c)) {
      return fail(std::string(option) + " '" + value + "' contains a control character");
    }
  }
  return {};
}

result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      return fail("--config '" + path.string() + "': no such file");
    }
    return fail("--config '" + path.string() + "': cannot be read");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return fail("--config '" + path.string() + "': read error");
  }
  return text.str();
}

result<std::string> string_value(const std::string& key, const json& value) {
  if (!value.is_string()) {
    return fail("key '" + key + "' must be a string, not " + std::string(value.type_name()));
  }
  return value.get<std::string>();
}

}  // namespace

result<endpoint> parse_host_port(std::string_view option, std::string_view text) {
  const std::string shown = std::string(option) + " '" + std::string(text) + "'";
  std::string candidate;
  if (text.starts_with("tcp:") || text.starts_with("unix:")) {
    candidate = std::string(text);
  } else {
    if (text.find(':') == std::string_view::npos) {
      return fail(shown + ": expected HOST:PORT, e.g. 127.0.0.1:5000");
    }
    candidate = "tcp:" + std::string(text);
  }
  auto ep = parse_endpoint(candidate);
  if (!ep) {
    // parse_endpoint names the text it was given ("endpoint 'tcp:...': "); the user wrote
    // `text`, so name that instead.
    std::string problem = ep.error();
    const std::string prefix = "endpoint '" + candidate + "': ";
    if (problem.starts_with(prefix)) {
      problem.erase(0, prefix.size());
    }
    return fail(shown + ": " + problem);
  }
  return ep;
}

std::string host_port_text(const endpoint& ep) {
  if (ep.kind == endpoint_kind::unix_socket) {
    return ep.to_string();
  }
  const bool v6 = ep.host.find(':') != std::string::npos;
  return (v6 ? "[" + ep.host + "]" : ep.host) + ":" + std::to_string(ep.port);
}

result<clussvc_config_values> parse_clussvc_config(const json& config, const fs::path& base_dir) {
  if (!config.is_object()) {
    return fail("the configuration must be a JSON object, not " + std::string(config.type_name()));
  }
  clussvc_config_values values;
  std::map<std::string, std::string> seen;  // canonical key -> key as written
  for (const auto& [key, value] : config.items()) {
    const std::string canonical = canonical_key(key);
    if (!known_key(canonical)) {
      return fail("unknown key '" + key +
                  "' (known: state_dir, node, cluster_name, listen, api_listen, join, "
                  "log_level, secret_file, heartbeat_ms, threshold, quorum)");
    }
    if (auto [it, inserted] = seen.emplace(canonical, key); !inserted) {
      return fail("key '" + key + "' is given twice (also as '" + it->second + "')");
    }
    if ((canonical == "heartbeat_ms" || canonical == "threshold") && value.is_number_unsigned()) {
      (canonical == "heartbeat_ms" ? values.heartbeat_ms : values.threshold) =
          std::to_string(value.get<std::uint64_t>());
      continue;
    }
    if (canonical == "join") {
      if (!value.is_array()) {
        return fail("key '" + key + "' must be an array of strings, not " +
                    std::string(value.type_name()));
      }
      std::vector<std::string> joins;
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string()) {
          return fail("key '" + key + "' item " + std::to_string(i) + " must be a string, not " +
                      std::string(value[i].type_name()));
        }
        joins.push_back(value[i].get<std::string>());
      }
      values.join = std::move(joins);
      continue;
    }
    auto text = string_value(key, value);
    if (!text) {
      return fail(text.error());
    }
    if (canonical == "state_dir") {
      fs::path dir(*text);
      // A configuration file describes a node wherever it is started from.
      values.state_dir = dir.is_relative() && !text->empty() ? base_dir / dir : dir;
    } else if (canonical == "node") {
      values.node = *text;
    } else if (canonical == "cluster_name") {
      values.cluster_name = *text;
    } else if (canonical == "listen") {
      values.listen = *text;
    } else if (canonical == "api_listen") {
      values.api_listen = *text;
    } else if (canonical == "log_level") {
      values.log_level = *text;
    } else if (canonical == "secret_file") {
      fs::path file(*text);
      values.secret_file = file.is_relative() && !text->empty() ? base_dir / file : file;
    } else if (canonical == "heartbeat_ms") {
      values.heartbeat_ms = *text;
    } else if (canonical == "threshold") {
      values.threshold = *text;
    } else if (canonical == "quorum") {
      values.quorum = *text;
    }
  }
  return values;
}

result<clussvc_options> parse_clussvc_options(int argc, const char* const* argv) {
  CLI::App app{"clussvc: the Wolfpack cluster service (one per node)", "clussvc"};
  std::string state_dir, node, cluster_name, listen, api_listen, config, log_level;
  std::vector<std::string> join;
  auto* o_state = app.add_option("--state-dir", state_dir,
                                 "Directory for the node's database, logs and monitor sockets "
                                 "(created if missing)");
  auto* o_node = app.add_option("--node", node, "This node's name");
  auto* o_cluster = app.add_option("--cluster-name", cluster_name, "The cluster's name");
  auto* o_listen =
      app.add_option("--listen", listen, "HOST:PORT for other nodes (join, GUM, heartbeats)");
  auto* o_api = app.add_option("--api-listen", api_listen,
                               "HOST:PORT of the HTTP/WebSocket API (port 0: any)");
  auto* o_join = app.add_option("--join", join, "HOST:PORT of a member to join (repeatable)");
  auto* o_config = app.add_option(
      "--config", config,
      "JSON file with the same options as keys (state_dir, node, cluster_name, listen, "
      "api_listen, join, log_level); the command line overrides it");
  auto* o_level = app.add_option("--log-level", log_level,
                                 "trace, debug, info (default), warn, error, critical, off");
  std::string secret_file, heartbeat_ms, threshold, quorum;
  auto* o_secret = app.add_option("--secret-file", secret_file,
                                  "File with the lab's shared secret (hex); without it the node "
                                  "runs alone");
  auto* o_heartbeat =
      app.add_option("--heartbeat-ms", heartbeat_ms, "Heartbeat interval (SameSubnetDelay)");
  auto* o_threshold = app.add_option("--threshold", threshold,
                                     "Missed heartbeats before a node is suspected "
                                     "(SameSubnetThreshold)");
  auto* o_quorum = app.add_option("--quorum", quorum, "Quorum model: majority");
  bool stop_with_parent = false;
  app.add_flag("--stop-with-parent", stop_with_parent,
               "Stop cleanly when the process that started this one ends (Linux only; for "
               "tests and benchmarks)");

  clussvc_options out;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help
      out.help = true;
      out.help_text = app.help();
      return out;
    }
    return fail(e.what());
  }

  clussvc_config_values file;
  if (o_config->count() > 0) {
    const fs::path path = fs::absolute(config).lexically_normal();
    auto text = read_file(path);
    if (!text) {
      return fail(text.error());
    }
    json parsed;
    try {
      parsed = json::parse(*text);
    } catch (const json::parse_error& e) {
      return fail("--config '" + path.string() + "': not valid JSON: " + e.what());
    }
    auto values = parse_clussvc_config(parsed, path.parent_path());
    if (!values) {
      return fail("--config '" + path.string() + "': " + values.error());
    }
    file = std::move(values).value();
    out.config_file = path;
  }

  // The command line wins over the file, option by option.
  auto pick = [](CLI::Option* option, const std::string& given,
                 const std::optional<std::string>& from_file) -> std::optional<std::string> {
    if (option->count() > 0) {
      return given;
    }
    return from_file;
  };
  std::optional<std::string> state_text =
      pick(o_state, state_dir,
           file.state_dir ? std::optional<std::string>(file.state_dir->string()) : std::nullopt);
  const auto node_text = pick(o_node, node, file.node);
  const auto cluster_text = pick(o_cluster, cluster_name, file.cluster_name);
  const auto listen_text = pick(o_listen, listen, file.listen);
  const auto api_text = pick(o_api, api_listen, file.api_listen);
  const auto level_text = pick(o_level, log_level, file.log_level);
  const std::vector<std::string> join_texts =
      o_join->count() > 0 ? join : file.join.value_or(std::vector<std::string>{});

  std::string missing;
  auto require = [&missing](const std::optional<std::string>& v, std::string_view name) {
    if (!v) {
      missing += missing.empty() ? "" : ", ";
      missing += name;
    }
  };
  require(state_text, "--state-dir");
  require(node_text, "--node");
  require(cluster_text, "--cluster-name");
  require(listen_text, "--listen");
  require(api_text, "--api-listen");
  if (!missing.empty()) {
    return fail("missing required option(s): " + missing +
                " (give them on the command line or in --config)");
  }

  if (state_text->empty()) {
    return fail("--state-dir must not be empty");
  }
  out.state_dir = fs::absolute(*state_text).lexically_normal();
  if (auto st = check_name("--node", *node_text); !st) {
    return fail(st.error());
  }
  out.node = *node_text;
  if (auto st = check_name("--cluster-name", *cluster_text); !st) {
    return fail(st.error());
  }
  out.cluster_name = *cluster_text;

  auto ep = parse_host_port("--listen", *listen_text);
  if (!ep) {
    return fail(ep.error());
  }
  if (ep->kind != endpoint_kind::tcp) {
    return fail("--listen '" + *listen_text + "': nodes talk over TCP and UDP; give HOST:PORT");
  }
  out.listen = *ep;

  auto api = parse_host_port("--api-listen", *api_text);
  if (!api) {
    return fail(api.error());
  }
  out.api_listen = *api;

  for (const auto& j : join_texts) {
    auto peer = parse_host_port("--join", j);
    if (!peer) {
      return fail(peer.error());
    }
    if (peer->kind != endpoint_kind::tcp) {
      return fail("--join '" + j + "': nodes talk over TCP; give HOST:PORT");
    }
    out.join.push_back(*peer);
  }

  const auto heartbeat_text = pick(o_heartbeat, heartbeat_ms, file.heartbeat_ms);
  const auto threshold_text = pick(o_threshold, threshold, file.threshold);
  const auto quorum_text = pick(o_quorum, quorum, file.quorum);
  const auto secret_text = pick(
      o_secret, secret_file,
      file.secret_file ? std::optional<std::string>(file.secret_file->string()) : std::nullopt);
  if (heartbeat_text) {
    auto v = parse_number("--heartbeat-ms", *heartbeat_text, 10, 10000);
    if (!v)
      return fail(v.error());
    out.heartbeat_ms = *v;
  }
  if (threshold_text) {
    auto v = parse_number("--threshold", *threshold_text, 2, 120);
    if (!v)
      return fail(v.error());
    out.threshold = *v;
  }
  if (quorum_text) {
    if (*quorum_text == "disk" || *quorum_text == "share") {
      return fail("--quorum " + *quorum_text +
                  ": a witness is configured in the cluster database, not on the command line: "
                  "make a quorum-capable resource the witness with 'cluster /quorum:NAME' (or "
                  "'wolfpack up --quorum " +
                  *quorum_text + "')");
    }
    if (*quorum_text != "majority")
      return fail("--quorum '" + *quorum_text + "' is not one of majority, disk, share");
    out.quorum = *quorum_text;
  }
  if (secret_text) {
    const fs::path path = fs::absolute(*secret_text).lexically_normal();
    auto secret = cluster_transport::read_secret_file(path, "--secret-file");
    if (!secret)
      return fail(secret.error());
    out.secret = std::move(*secret);
    out.secret_file = path;
  } else if (!out.join.empty()) {
    return fail(
        "--join needs --secret-file: nodes of a cluster authenticate each other with "
        "the lab's secret");
  }

  if (level_text) {
    auto level = parse_log_level(*level_text);
    if (!level) {
      return fail("--log-level '" + *level_text +
                  "' is not one of trace, debug, info, warn, error, critical, off");
    }
    out.level = *level;
  }
  out.stop_with_parent = stop_with_parent;
  return out;
}

}  // namespace wolfpack::runtime
