#include "wolfpack/cluster_runtime/node_runtime.hpp"

#include <deque>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "wolfpack/api/server.hpp"
#include "wolfpack/cluster_core/core_io.hpp"
#include "wolfpack/cluster_runtime/clussvc_options.hpp"
#include "wolfpack/cluster_runtime/event_time.hpp"
#include "wolfpack/cluster_runtime/log_fields.hpp"
#include "wolfpack/cluster_store/sqlite_store.hpp"
#include "wolfpack/cluster_transport/api_key.hpp"
#include "wolfpack/cluster_transport/peer_transport.hpp"
#include "wolfpack/common/logging.hpp"
#include "wolfpack/common/platform/net_interfaces.hpp"
#include "wolfpack/common/platform/stop_signals.hpp"
#include "wolfpack/common/platform/system.hpp"
#include "wolfpack/monitor_host/monitor_host.hpp"

#include "store_writer.hpp"

namespace wolfpack::runtime {
namespace {

namespace fs = std::filesystem;
using steady_clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr std::string_view component = "runtime";

// Written beside the database so that tests and tools find a node started with port 0.
constexpr std::string_view endpoint_file_name = "api.endpoint";
constexpr std::string_view peer_endpoint_file_name = "peer.endpoint";
constexpr auto log_flush_interval = std::chrono::milliseconds(200);

status write_endpoint_file(const fs::path& dir, const endpoint& ep,
                           std::string_view name = endpoint_file_name) {
  // Written under another name and renamed, so a reader never sees half a line.
  const fs::path target = dir / name;
  const fs::path temp = dir / (std::string(name) + ".new");
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << host_port_text(ep) << '\n';
    out.flush();
    if (!out) {
      return fail("cannot write '" + temp.string() + "'");
    }
  }
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) {
    return fail("cannot rename '" + temp.string() + "' to '" + target.string() +
                "': " + ec.message());
  }
  return {};
}

// For trace lines, by cluster::input's index.
constexpr std::string_view input_names[] = {
    "in_start",        "in_api_request", "in_monitor_ready", "in_monitor_event",
    "in_monitor_exit", "in_timer",       "in_db_written",    "in_shutdown",
    "in_peer_frame",   "in_peer_link",   "in_heartbeat",     "in_wall_clock"};
static_assert(std::size(input_names) == std::variant_size_v<cluster::input>);

// Checked before building the text of a trace line, which log::trace would only discard.
bool tracing() {
  return current_log_level() <= log_level::trace;
}

log_level level_of(const std::string& text) {
  auto level = parse_log_level(text);
  return level.value_or(log_level::info);
}

}  // namespace

struct node_runtime::impl {
  explicit impl(node_runtime_options opts, cluster::sqlite_store&& db,
                std::unique_ptr<cluster::node_core> node_core)
      : options(std::move(opts)),
        origin(steady_clock::now()),
        writer(std::move(db),
               [this](const std::vector<std::uint64_t>& seqs, const status& st) {
                 // On the writer's thread: the core hears of it on its own.
                 boost::asio::post(io, [this, seqs, st] { written(seqs, st); });
               }),
        core(std::move(node_core)),
        host(io, make_host_options(options)),
        server(
            io,
            [this](api::request r, api::responder respond) {
              on_request(std::move(r), std::move(respond));
            },
            make_server_options(options)) {}

  // A node with the lab's secret serves only clients that hold the key derived from it; a
  // node without one (a single node for plugin work) serves anyone who reaches the port.
  static api::server_options make_server_options(const node_runtime_options& o) {
    api::server_options s;
    if (o.secret)
      s.api_key = cluster_transport::api_key_for(*o.secret);
    return s;
  }

  static host::monitor_host_options make_host_options(const node_runtime_options& o) {
    host::monitor_host_options h;
    h.resrcmon = o.resrcmon;
    h.run_dir = o.state_dir;
    h.node = o.node;
    h.leased_monitors = o.secret.has_value();
    h.stop_grace = o.monitor_stop_grace;
    return h;
  }

  status start();
  int run();
  // What a plugin's OpenCluster(NULL) needs to reach this node (docs/plugin-guide.md): its
  // API address (loopback for a wildcard listen) and, with a lab secret, the API key.
  std::vector<std::pair<std::string, std::string>> monitor_environment() const {
    if (api_bound.kind != endpoint_kind::tcp) {
      // libclusapi speaks TCP only.
      log::warn(component, "the API listens on {}: plugins cannot reach it with OpenCluster(NULL)",
                api_bound.to_string());
      return {};
    }
    endpoint reach = api_bound;
    if (reach.host == "0.0.0.0") {
      reach.host = "127.0.0.1";
    } else if (reach.host == "::") {
      reach.host = "::1";
    }
    std::vector<std::pair<std::string, std::string>> env{
        {"WOLFPACK_CLUSTER", host_port_text(reach)}};
    if (options.secret) {
      env.emplace_back("WOLFPACK_API_KEY", cluster_transport::api_key_for(*options.secret));
    }
    return env;
  }

  // ---- inputs ----
  cluster::time_ms now_ms() const {
    return static_cast<cluster::time_ms>(
        std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - origin)
            .count());
  }
  void feed(cluster::input in);
  void on_request(api::request r, api::responder respond);
  void on_stop_request(std::string_view request);
  // Feeds the local hour now and again at the start of every minute (failback windows).
  void tick_wall_clock();
  void flush_log_periodically();

  // ---- outputs ----
  void carry_out(cluster::output& out);
  void do_output(cluster::out_ensure_monitor& o) {
    if (o.leased)
      monitor_ids.insert(o.monitor_id);
    host.ensure(o.monitor_id, o.leased);
  }
  void do_output(cluster::out_stop_monitor& o) {
    monitor_ids.erase(o.monitor_id);
    host.stop(o.monitor_id);
  }
  // The lease still goes to it: the process that comes next is the same monitor.
  void do_output(cluster::out_restart_monitor& o) { host.restart(o.monitor_id, o.reason); }
  void do_output(cluster::out_send_monitor& o);
  void do_output(cluster::out_arm_timer& o);
  void do_output(cluster::out_cancel_timer& o) { timers.erase(o.timer_id); }
  void do_output(cluster::out_write_db& o);
  void do_output(cluster::out_respond& o);
  void do_output(cluster::out_event& o);
  void do_output(cluster::out_log& o);
  void do_output(cluster::out_exit& o);
  void drain_then_tear_down(std::chrono::steady_clock::time_point deadline);
  void do_output(cluster::out_peers& o);
  void do_output(cluster::out_send_peer& o);
  void do_output(cluster::out_heartbeat& o);
  void do_output(cluster::out_renew_lease& o);
  void do_output(cluster::out_keep_promise& o);
  // Consecutive writes of one batch of outputs go to the store in one transaction.
  void flush_writes();
  // The writer made these seqs durable (or failed to): tell the core.
  void written(const std::vector<std::uint64_t>& seqs, const status& st);
  status start_transport();
  // PUT/GET /lab/faults: the lab's network faults, handled here (they are the runtime's).
  bool lab_request(api::request& r, api::responder& respond);

  // Stops everything that runs on the io_context so that run() returns with `code`.
  void finish(int code, std::string reason);
  void tear_down();

  // ---- constant after construction ----
  node_runtime_options options;
  const steady_clock::time_point origin;  // time_ms 0 for the core
  endpoint api_bound;
  endpoint peer_bound;

  // ---- the event processor: everything below is touched only on its thread ----
  // Declared first among these so that it is destroyed last: the others hold its handlers.
  boost::asio::io_context io;
  store_writer writer;
  std::unique_ptr<cluster::node_core> core;
  host::monitor_host host;
  api::server server;
  std::optional<platform::stop_signals> signals;  // options.handle_signals only
  boost::asio::steady_timer wall_clock_timer{io};
  boost::asio::steady_timer drain_timer{io};  // a clean stop's last frames, before tear_down
  boost::asio::steady_timer log_flush_timer{io};

  struct armed_timer {
    explicit armed_timer(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    std::uint64_t generation = 0;
  };
  // One timer per core timer id. The generation tells a completion that was already queued
  // when the timer was re-armed or cancelled from the one that is due.
  std::map<std::uint64_t, std::unique_ptr<armed_timer>> timers;
  std::uint64_t timer_generation = 0;

  std::map<std::uint64_t, api::responder> responders;  // API request id -> its answer

  std::unique_ptr<cluster_transport::peer_transport> transport;
  std::map<std::uint32_t, std::string> peer_addresses;  // as the core last said
  std::uint32_t self_id = 0;
  std::set<std::string> monitor_ids;  // ensured and not stopped: the lease goes to these
  std::vector<cluster::db_update> write_batch;
  json faults = json{{"block", json::array()}, {"delay_ms", 0}};

  std::deque<cluster::input> pending;  // inputs waiting for the core
  bool handling = false;               // feed() is draining `pending`
  bool exiting = false;                // out_exit (or a second signal) came
  int exit_code = 0;
  std::string exit_reason;
  int signals_seen = 0;
};

status node_runtime::impl::start() {
  host.on_ready = [this](const std::string& monitor_id) {
    feed(cluster::in_monitor_ready{monitor_id, host.pid(monitor_id).value_or(0)});
  };
  host.on_event = [this](const std::string& monitor_id, json event) {
    if (tracing()) {
      log::trace(component, {{"monitor", monitor_id}}, "from monitor: {}", event.dump());
    }
    feed(cluster::in_monitor_event{monitor_id, std::move(event)});
  };
  host.on_exit = [this](const host::monitor_exit& e) {
    feed(cluster::in_monitor_exit{e.monitor_id, e.reason});
  };
  if (auto st = host.start(); !st) {
    return fail("cannot start the monitor host: " + st.error());
  }
  if (auto st = start_transport(); !st) {
    return st;
  }
  auto bound = server.listen(options.api_listen);
  if (!bound) {
    return fail("cannot listen for the API on " + host_port_text(options.api_listen) + ": " +
                bound.error());
  }
  api_bound = *bound;
  if (auto st = write_endpoint_file(options.state_dir, api_bound); !st) {
    return fail(st.error());
  }
  host.set_monitor_environment(monitor_environment());
  if (options.handle_signals) {
    signals.emplace(io, [this](std::string_view request) { on_stop_request(request); });
  }
  return {};
}

void node_runtime::impl::tick_wall_clock() {
  const auto local = platform::local_time_now();
  feed(cluster::in_wall_clock{local.hour});
  wall_clock_timer.expires_after(std::chrono::seconds(60 - local.second));
  wall_clock_timer.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !exiting) {
      tick_wall_clock();
    }
  });
}

// clussvc's log is not flushed per line: a write call per event line cost bench/gum about
// 5% of its throughput (flushing whenever the event loop had nothing ready was hardly
// better: under load that is after almost every message). Warnings and errors are flushed at
// once, the rest within this period.
void node_runtime::impl::flush_log_periodically() {
  flush_logging();
  log_flush_timer.expires_after(log_flush_interval);
  log_flush_timer.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !exiting) {
      flush_log_periodically();
    }
  });
}

int node_runtime::impl::run() {
  feed(cluster::in_start{});
  tick_wall_clock();
  flush_log_periodically();
  if (!exiting && options.on_ready) {
    options.on_ready(api_bound);
  }
  io.run();
  flush_logging();
  log::info(component, "event processor stopped; exit code {}", exit_code);
  return exit_code;
}

void node_runtime::impl::feed(cluster::input in) {
  if (exiting) {
    log::debug(component, "input {} after exit: dropped", in.index());
    return;
  }
  pending.push_back(std::move(in));
  if (handling) {
    return;  // the loop below, further up the stack, takes it next
  }
  handling = true;
  struct reset_flag {
    bool& flag;
    ~reset_flag() { flag = false; }
  } reset{handling};
  while (!pending.empty() && !exiting) {
    cluster::input next = std::move(pending.front());
    pending.pop_front();
    const std::size_t kind = next.index();
    auto outputs = core->handle(now_ms(), std::move(next));
    log::trace(component, "{} -> {} output(s)", input_names[kind], outputs.size());
    for (auto& out : outputs) {
      if (exiting) {
        break;  // the process is going; nothing else may start
      }
      if (auto* w = std::get_if<cluster::out_write_db>(&out); w != nullptr && !w->replace) {
        write_batch.push_back(std::move(w->update));
        continue;
      }
      // Nothing the core says waits for a write to be durable (it hears of that through
      // in_db_written), so the batch's writes go to disk together at its end; only a
      // replacement of the whole database and the exit must come after them.
      if (std::holds_alternative<cluster::out_write_db>(out) ||
          std::holds_alternative<cluster::out_exit>(out)) {
        flush_writes();
      }
      carry_out(out);
    }
    flush_writes();
  }
  pending.clear();
}

void node_runtime::impl::on_request(api::request r, api::responder respond) {
  if (exiting) {
    return;  // the responder answers 500 as it goes; the server is closing anyway
  }
  if (lab_request(r, respond)) {
    return;
  }
  const std::uint64_t id = r.id;
  if (!responders.emplace(id, std::move(respond)).second) {
    // The server numbers requests uniquely; a repeat would be its bug.
    log::error(component, "API request id {} is already waiting for an answer", id);
    return;
  }
  cluster::in_api_request in;
  in.id = id;
  in.method = std::move(r.method);
  in.path = std::move(r.path);
  in.query = std::move(r.query);
  in.body = std::move(r.body);
  feed(std::move(in));
}

void node_runtime::impl::on_stop_request(std::string_view request) {
  if (exiting) {
    return;
  }
  ++signals_seen;
  if (signals_seen == 1) {
    log::info(component, "{}: shutting down (taking groups offline)", request);
    feed(cluster::in_shutdown{});
    return;
  }
  // An impatient operator: the monitors still end their resources, but nothing waits for
  // the groups to go offline in order.
  log::warn(component, "{} again: stopping the monitors and exiting now", request);
  finish(platform::forced_exit_code(request), std::string(request) + " during shutdown");
}

void node_runtime::impl::carry_out(cluster::output& out) {
  std::visit([this](auto& o) { do_output(o); }, out);
}

void node_runtime::impl::do_output(cluster::out_send_monitor& o) {
  if (tracing()) {
    log::trace(component, {{"monitor", o.monitor_id}}, "to monitor: {}", o.command.dump());
  }
  if (!host.send(o.monitor_id, o.command)) {
    // The core hears about the monitor through in_monitor_exit / in_monitor_ready.
    log::debug(component, {{"monitor", o.monitor_id}}, "monitor not ready: command dropped: {}",
               o.command.dump());
  }
}

void node_runtime::impl::do_output(cluster::out_arm_timer& o) {
  auto& slot = timers[o.timer_id];
  if (!slot) {
    slot = std::make_unique<armed_timer>(io);
  }
  const std::uint64_t generation = ++timer_generation;
  slot->generation = generation;
  slot->timer.expires_at(origin + std::chrono::milliseconds(o.at));
  slot->timer.async_wait([this, id = o.timer_id, generation](const boost::system::error_code& ec) {
    if (ec) {
      return;
    }
    auto it = timers.find(id);
    if (it == timers.end() || it->second->generation != generation) {
      return;  // cancelled or re-armed after this completion was queued
    }
    timers.erase(it);
    feed(cluster::in_timer{id});
  });
}

void node_runtime::impl::do_output(cluster::out_write_db& o) {
  if (o.replace) {
    writer.replace(std::move(*o.replace), o.update.seq);
  } else {
    std::vector<cluster::db_update> one;
    one.push_back(std::move(o.update));
    writer.commit(std::move(one));
  }
}

void node_runtime::impl::flush_writes() {
  if (write_batch.empty()) {
    return;
  }
  auto batch = std::move(write_batch);
  write_batch.clear();
  // One transaction (one fsync) for every update of the batch, and for those of the batches
  // that come while the writer is busy: GUM's throughput under load.
  writer.commit(std::move(batch));
}

void node_runtime::impl::written(const std::vector<std::uint64_t>& seqs, const status& st) {
  if (!st && !seqs.empty()) {
    log::error(component, {{"seq", std::to_string(seqs.front())}}, "database write failed: {}",
               st.error());
  }
  for (const auto seq : seqs) {
    cluster::in_db_written w;
    w.seq = seq;
    w.ok = st.ok();
    if (!st) {
      w.error = st.error();
    }
    feed(std::move(w));
  }
}

status node_runtime::impl::start_transport() {
  if (!options.secret) {
    return {};
  }
  cluster_transport::transport_config tc;
  tc.cluster_name = options.cluster_name;
  tc.node_id = cluster::temp_node_id_base;  // the core says who this node is (out_peers)
  tc.secret = *options.secret;
  tc.listen_host = options.peer_listen.host;
  tc.listen_port = options.peer_listen.port;
  tc.heartbeat_ms = options.heartbeat_ms;
  tc.threshold = options.threshold;
  cluster_transport::transport_handlers th;
  th.on_frame = [this](std::uint32_t from, json frame) {
    feed(cluster::in_peer_frame{from, std::make_shared<const json>(std::move(frame))});
  };
  th.on_link = [this](std::uint32_t node, bool up, std::string reason) {
    feed(cluster::in_peer_link{node, up, std::move(reason)});
  };
  th.on_heartbeat = [this](std::uint32_t from, json body) {
    feed(cluster::in_heartbeat{from, std::make_shared<const json>(std::move(body))});
  };
  th.on_log = [](std::string level, std::string message, std::map<std::string, std::string> f) {
    write_log_line(level_of(level), "transport", message, f);
  };
  transport = std::make_unique<cluster_transport::peer_transport>(io, std::move(tc), std::move(th));
  if (auto st = transport->start(); !st) {
    return fail("cannot listen for other nodes: " + st.error());
  }
  peer_bound = endpoint::tcp(options.peer_listen.host, transport->port());
  return write_endpoint_file(options.state_dir, peer_bound, peer_endpoint_file_name);
}

void node_runtime::impl::do_output(cluster::out_peers& o) {
  if (!transport) {
    return;
  }
  if (o.self != self_id) {
    self_id = o.self;
    transport->set_node_id(o.self);
  }
  if (!o.cluster.empty()) {
    transport->set_cluster_names(std::move(o.cluster), std::move(o.earlier));
  }
  for (const auto& [id, address] : peer_addresses) {
    if (!o.addresses.contains(id)) {
      transport->remove_peer(id);
    }
  }
  for (const auto& [id, address] : o.addresses) {
    if (peer_addresses[id] == address) {
      continue;
    }
    auto ep = parse_host_port("peer", address);
    if (!ep || ep->kind != endpoint_kind::tcp) {
      log::warn(component, {{"peer", std::to_string(id)}}, "unusable peer address '{}'", address);
      continue;
    }
    transport->set_peer(id, ep->host, ep->port);
  }
  peer_addresses = std::move(o.addresses);
}

void node_runtime::impl::do_output(cluster::out_send_peer& o) {
  if (transport) {
    transport->send(o.node, *o.frame);
  }
}

void node_runtime::impl::do_output(cluster::out_heartbeat& o) {
  if (!transport) {
    return;
  }
  for (const auto& [id, address] : peer_addresses) {
    transport->send_heartbeat(id, o.body);
  }
}

void node_runtime::impl::do_output(cluster::out_renew_lease& o) {
  // The monitors share this clock (steady_clock is CLOCK_MONOTONIC): they get the end itself.
  const auto until = origin + std::chrono::milliseconds(o.until);
  const json command{
      {"type", "renew_lease"},
      {"ms", o.ms},
      {"until_ns",
       std::chrono::duration_cast<std::chrono::nanoseconds>(until.time_since_epoch()).count()}};
  for (const auto& id : monitor_ids) {
    host.send(id, command);
  }
}

void node_runtime::impl::do_output(cluster::out_keep_promise& o) {
  // Synchronous: the answer that carries the promise is among the outputs after this one.
  const auto epoch = o.epoch;
  if (auto st = writer.run_now([epoch](cluster::sqlite_store& s) { return s.keep_promise(epoch); });
      !st) {
    log::error(component, {{"epoch", std::to_string(o.epoch)}},
               "keeping a regroup promise failed: {}", st.error());
  }
}

bool node_runtime::impl::lab_request(api::request& r, api::responder& respond) {
  if (r.path.empty() || r.path[0] != "lab") {
    return false;
  }
  auto error = [&respond](int status, std::uint32_t code, const std::string& name,
                          const std::string& message) {
    respond(
        api::response{status, {{"error", {{"code", code}, {"name", name}, {"message", message}}}}});
  };
  if (r.path.size() != 2 || r.path[1] != "faults") {
    error(404, 1168, "ERROR_NOT_FOUND",
          "no such API path: /lab/" + (r.path.size() > 1 ? r.path[1] : ""));
    return true;
  }
  if (r.method == "GET") {
    respond(api::response{200, faults});
    return true;
  }
  if (r.method != "PUT") {
    error(405, 1, "ERROR_INVALID_FUNCTION", r.method + " is not allowed on /lab/faults");
    return true;
  }
  if (!transport) {
    error(409, 5072, "ERROR_CLUSTER_NODE_NOT_READY",
          "node '" + options.node +
              "' runs alone (no --secret-file): it has no peer traffic to fault");
    return true;
  }
  const json& body = r.body;
  if (!body.is_object()) {
    error(400, 87, "ERROR_INVALID_PARAMETER",
          "the body must be {\"block\":[NODE...],\"delay_ms\":N}");
    return true;
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "block" && key != "delay_ms") {
      error(400, 87, "ERROR_INVALID_PARAMETER", "unknown field '" + key + "' (block, delay_ms)");
      return true;
    }
  }
  std::set<std::uint32_t> blocked;
  json names = json::array();
  if (body.contains("block")) {
    if (!body["block"].is_array()) {
      error(400, 87, "ERROR_INVALID_PARAMETER", "field 'block' must be an array of node names");
      return true;
    }
    const auto nodes = core->nodes();
    for (const auto& n : body["block"]) {
      const auto* found = static_cast<const cluster::node_view*>(nullptr);
      if (n.is_string()) {
        for (const auto& v : nodes) {
          if (v.name == n.get<std::string>()) {
            found = &v;
          }
        }
      }
      if (found == nullptr) {
        error(400, 5042, "ERROR_CLUSTER_NODE_NOT_FOUND",
              "field 'block': " + n.dump() + " is not a node of cluster '" + options.cluster_name +
                  "'");
        return true;
      }
      blocked.insert(found->id);
      names.push_back(found->name);
    }
  }
  std::uint32_t delay = 0;
  if (body.contains("delay_ms")) {
    if (!body["delay_ms"].is_number_unsigned() || body["delay_ms"].get<std::uint64_t>() > 60000) {
      error(400, 87, "ERROR_INVALID_PARAMETER",
            "field 'delay_ms' must be a number from 0 to 60000");
      return true;
    }
    delay = body["delay_ms"].get<std::uint32_t>();
  }
  transport->set_faults(blocked, delay);
  faults = json{{"block", names}, {"delay_ms", delay}};
  log::warn(component, {{"faults", faults.dump()}}, "lab network faults set");
  respond(api::response{200, faults});
  return true;
}

void node_runtime::impl::do_output(cluster::out_respond& o) {
  auto it = responders.find(o.request_id);
  if (it == responders.end()) {
    log::warn(component, "answer to unknown API request {}: dropped", o.request_id);
    return;
  }
  api::responder respond = std::move(it->second);
  responders.erase(it);
  respond(api::response{o.status, std::move(o.body)});
}

void node_runtime::impl::do_output(cluster::out_event& o) {
  json& event = o.event;
  if (event.is_object()) {
    event["time"] = format_event_time(std::chrono::system_clock::now());
  }
  server.broadcast(event);
  std::string seq;
  std::string kind;
  if (auto s = event.find("seq"); s != event.end()) {
    seq = s->dump();
  }
  if (auto k = event.find("kind"); k != event.end() && k->is_string()) {
    kind = k->get<std::string>();
  }
  log::write_line(log_level::info, "event", {{"seq", seq}, {"kind", kind}},
                  event.dump(-1, ' ', false, json::error_handler_t::replace));
}

void node_runtime::impl::do_output(cluster::out_log& o) {
  write_log_line(level_of(o.level), o.component, o.message, o.fields);
  // Views installed, joins and leaves are rare and what a post-mortem of a killed node
  // needs most (the split-brain checks read them): not held back with the rest.
  // (Lines below the log level are not written: the core's debug lines, a few per peer
  // frame, must not flush the event lines they find in the buffer.)
  if (o.component == "membership" && level_of(o.level) >= current_log_level())
    flush_logging();
}

void node_runtime::impl::do_output(cluster::out_exit& o) {
  log::info(component, {{"code", std::to_string(o.code)}}, "exiting: {}", o.reason);
  finish(o.code, std::move(o.reason));
}

void node_runtime::impl::finish(int code, std::string reason) {
  if (exiting) {
    return;
  }
  exiting = true;
  exit_code = code;
  exit_reason = std::move(reason);
  pending.clear();
  drain_then_tear_down(std::chrono::steady_clock::now() + std::chrono::milliseconds(250));
}

void node_runtime::impl::drain_then_tear_down(std::chrono::steady_clock::time_point deadline) {
  // The frames the core sent last (a clean stop's leave, which spares the members the wait
  // for this node's lease) get up to `deadline` to reach the sockets; nothing feeds the core
  // any more meanwhile. Then torn down from a handler of its own: finish() may run inside a
  // callback of the monitor host or the server (an event that made the core exit), whose
  // objects must not be closed under their own feet.
  if (transport && transport->unsent_bytes() > 0 && std::chrono::steady_clock::now() < deadline) {
    drain_timer.expires_after(std::chrono::milliseconds(5));
    drain_timer.async_wait(
        [this, deadline](const boost::system::error_code&) { drain_then_tear_down(deadline); });
    return;
  }
  boost::asio::post(io, [this] { tear_down(); });
}

void node_runtime::impl::tear_down() {
  // What was queued reaches the disk before the process goes (nothing waits on it: the
  // core answered nobody for these yet, but a clean stop keeps all it has).
  writer.drain();
  // Blocks this thread up to the grace period; the monitors' exits it reports are dropped
  // by feed() now that `exiting` is set.
  host.stop_all(options.monitor_stop_grace);
  server.close();
  // Dropped before the io_context goes, as api::responder asks.
  responders.clear();
  timers.clear();
  wall_clock_timer.cancel();
  log_flush_timer.cancel();
  signals.reset();
  std::error_code remove_ec;
  fs::remove(options.state_dir / endpoint_file_name, remove_ec);
  fs::remove(options.state_dir / peer_endpoint_file_name, remove_ec);
  if (transport) {
    transport->close();
  }
  io.stop();
}

// ---------------------------------------------------------------------------------------------

node_runtime::node_runtime(std::unique_ptr<impl> state) : impl_(std::move(state)) {}
node_runtime::node_runtime(node_runtime&&) noexcept = default;
node_runtime& node_runtime::operator=(node_runtime&&) noexcept = default;
node_runtime::~node_runtime() = default;

result<node_runtime> node_runtime::open(node_runtime_options options) {
  std::error_code ec;
  fs::create_directories(options.state_dir, ec);
  if (ec) {
    return fail("cannot create state directory '" + options.state_dir.string() +
                "': " + ec.message());
  }
  // A file left by an earlier run would name a port nobody listens on any more.
  fs::remove(options.state_dir / endpoint_file_name, ec);
  fs::remove(options.state_dir / peer_endpoint_file_name, ec);

  const fs::path db_path = options.state_dir / "clusdb.sqlite";
  auto store = cluster::sqlite_store::open(db_path);
  if (!store) {
    return fail(store.error());
  }
  auto contents = store->load();
  if (!contents) {
    return fail(contents.error());
  }
  log::info(component,
            {{"database", db_path.string()}, {"seq", std::to_string(contents->last_seq)}},
            "cluster database loaded");

  cluster::core_config config;
  config.node_name = options.node;
  config.cluster_name = options.cluster_name;
  config.random_seed = options.random_seed;
  config.default_types = options.default_types;
  config.join = options.join;
  config.heartbeat_ms = options.heartbeat_ms;
  config.threshold = options.threshold;
  config.promised_epoch = contents->promised_epoch;

  auto state = std::make_unique<impl>(std::move(options), std::move(store).value(), nullptr);
  if (auto st = state->start(); !st) {
    return fail(st.error());
  }
  // The core learns the peer address actually bound (port 0 asks for any free one).
  if (state->transport) {
    config.peer_address = host_port_text(state->peer_bound);
    // Its adapter and subnet make the node's network interface (docs/api.md, "Networks").
    if (auto nic = platform::find_adapter(state->peer_bound.host)) {
      config.peer_nic = {nic->address, nic->network, nic->mask, nic->adapter};
    } else {
      log::info(component, {{"address", config.peer_address}},
                "no adapter holds the peer address; its network is derived from the address");
    }
  }
  state->core = std::make_unique<cluster::node_core>(std::move(config), std::move(contents->tree),
                                                     contents->last_seq);
  return node_runtime(std::move(state));
}

int node_runtime::run() {
  return impl_->run();
}

const std::string& node_runtime::exit_reason() const {
  return impl_->exit_reason;
}

const endpoint& node_runtime::api_endpoint() const {
  return impl_->api_bound;
}

const endpoint& node_runtime::peer_endpoint() const {
  return impl_->peer_bound;
}

void node_runtime::request_shutdown() {
  boost::asio::post(impl_->io, [state = impl_.get()] {
    if (!state->exiting) {
      state->feed(cluster::in_shutdown{});
    }
  });
}

}  // namespace wolfpack::runtime
