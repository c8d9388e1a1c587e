// Catch2's listener interface (TestEventListenerBase) is only declared with this.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include "multinode_fixture.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include <wolfpack/http/http_client.hpp>

namespace wolfpack::itest {

namespace fs = std::filesystem;

namespace {

// The live clusters, so that the listener can mark them failed.
std::set<multinode_cluster*>& live_clusters() {
  static std::set<multinode_cluster*> clusters;
  return clusters;
}

// Marks every live cluster failed when an assertion fails, so that its destructor prints the
// nodes' logs (a failed CHECK does not unwind the stack, so the destructor cannot tell).
struct multinode_failure_listener : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  bool assertionEnded(const Catch::AssertionStats& stats) override {
    if (!stats.assertionResult.isOk()) {
      for (auto* c : live_clusters()) {
        c->mark_failed();
      }
    }
    return true;
  }
};

// 32 random bytes in hex, as `wolfpack up` writes the lab's secret.
void write_secret(const fs::path& path) {
  std::random_device rd;
  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  for (int i = 0; i < 32; ++i) {
    const auto byte = rd() & 0xff;
    text += hex[byte >> 4];
    text += hex[byte & 0xf];
  }
  std::ofstream(path) << text << "\n";
  ::chmod(path.c_str(), 0600);
}

std::string process_state(int pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) {
    return "";
  }
  return std::string(1, stat[close + 2]);
}

}  // namespace

CATCH_REGISTER_LISTENER(multinode_failure_listener)

// ---- the cluster --------------------------------------------------------------------------

multinode_cluster::multinode_cluster(std::size_t nodes) : secret_(dir_.path() / "secret") {
  live_clusters().insert(this);
  write_secret(secret_);
  for (std::size_t i = 1; i <= nodes; ++i) {
    const std::string name = "node" + std::to_string(i);
    names_.push_back(name);
    nodes_.emplace(name, std::make_unique<clussvc_node>(dir_.path() / name, name, "mntest"));
  }
  try {
    start(names_.front(), std::nullopt);
    std::string sponsor;
    if (!wait_until(
            [&] {
              sponsor = node(names_.front()).peer_address();
              return !sponsor.empty();
            },
            10s)) {
      throw std::runtime_error(names_.front() + " wrote no peer.endpoint");
    }
    for (std::size_t i = 1; i < names_.size(); ++i) {
      start(names_[i], sponsor);
    }
    if (!wait_one_view(names_, 60s)) {
      throw std::runtime_error("the nodes did not form one cluster within 60 s:\n" +
                               describe_views());
    }
  } catch (...) {
    failed_ = true;
    shut_down();
    live_clusters().erase(this);
    // The destructor does not run: the logs are printed here.
    std::cerr << "\n########## logs of the cluster in " << dir_.path().string() << " ##########\n"
              << teardown_errors_;
    for (auto& [name, n] : nodes_) {
      std::cerr << n->logs();
    }
    throw;
  }
}

multinode_cluster::~multinode_cluster() {
  live_clusters().erase(this);
  shut_down();
  if (failed_ || std::uncaught_exceptions() > 0 || !teardown_errors_.empty()) {
    std::cerr << "\n########## logs of the cluster in " << dir_.path().string() << " ##########\n";
    if (!teardown_errors_.empty()) {
      std::cerr << "teardown:\n" << teardown_errors_;
    }
    for (auto& [name, n] : nodes_) {
      std::cerr << n->logs();
    }
    std::cerr << "########## end of logs ##########\n";
  }
}

std::string multinode_cluster::shut_down() {
  // Thawed first: a stopped process does not act on SIGTERM.
  for (auto& [name, n] : nodes_) {
    n->signal_group(SIGCONT);
  }
  // Every node is told at once, then each is waited for (stop() kills what does not end).
  std::vector<clussvc_node*> stopping;
  for (auto& [name, n] : nodes_) {
    if (n->running()) {
      n->request_stop();
      stopping.push_back(n.get());
    }
  }
  std::string errors;
  wait_killed_monitors_gone(5s);
  for (auto* n : stopping) {
    try {
      const auto st = n->stop(20s);
      if (!st.success()) {
        errors += n->name() + " " + st.to_string() + "\n";
      }
      for (int p : n->leftover_monitors()) {
        errors += n->name() + ": monitor " + std::to_string(p) + " outlived its node\n";
      }
    } catch (const std::exception& e) {
      errors += n->name() + ": " + std::string(e.what()).substr(0, 200) + "\n";
    }
  }
  for (int p : orphaned_monitors_) {
    errors += "monitor " + std::to_string(p) + " outlived its killed node\n";
  }
  orphaned_monitors_.clear();
  // Anything still mentioning the directory is killed and reported.
  std::vector<int> left;
  wait_until([&] { return (left = processes_of_dir()).empty(); }, 5s);
  for (int pid : left) {
    ::kill(pid, SIGKILL);
    errors += "left running: pid " + std::to_string(pid) + "\n";
  }
  teardown_errors_ += errors;
  return errors;
}

clussvc_node& multinode_cluster::node(const std::string& name) {
  const auto it = nodes_.find(name);
  if (it == nodes_.end()) {
    throw std::logic_error("no node " + name);
  }
  return *it->second;
}

std::vector<std::string> multinode_cluster::names() const {
  return names_;
}

void multinode_cluster::start(const std::string& name, const std::optional<std::string>& join,
                              const std::string& listen) {
  auto& n = node(name);
  std::vector<std::string> args = {
      "--secret-file", secret_.string(),          "--heartbeat-ms", std::to_string(heartbeat_ms),
      "--threshold",   std::to_string(threshold), "--log-level",    "info"};
  if (join) {
    args.push_back("--join");
    args.push_back(*join);
  }
  n.set_listen(listen);
  n.set_extra_args(std::move(args));
  n.start();
}

std::optional<cluster_view> multinode_cluster::view(const std::string& observer,
                                                    std::chrono::milliseconds timeout) {
  try {
    auto& n = node(observer);
    if (!n.running()) {
      return std::nullopt;
    }
    const auto nodes = n.api("GET", "/nodes", nullptr, timeout);
    const auto cluster = n.api("GET", "/cluster", nullptr, timeout);
    if (nodes.status != 200 || cluster.status != 200) {
      return std::nullopt;
    }
    cluster_view v;
    for (const auto& e : nodes.body.at("nodes")) {
      v.node_states[e.at("name").get<std::string>()] = e.at("state").get<std::string>();
    }
    v.db_hash = cluster.body.at("db_hash").is_string()
                    ? cluster.body.at("db_hash").get<std::string>()
                    : cluster.body.at("db_hash").dump();
    v.db_seq = cluster.body.at("db_seq").get<std::uint64_t>();
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<group_view> multinode_cluster::group(const std::string& observer,
                                                   const std::string& group,
                                                   std::chrono::milliseconds timeout) {
  try {
    auto& n = node(observer);
    if (!n.running()) {
      return std::nullopt;
    }
    const auto r = n.api("GET", "/groups/" + http::encode_segment(group), nullptr, timeout);
    if (r.status != 200) {
      return std::nullopt;
    }
    return group_view{r.body.value("owner", ""), r.body.value("state", "")};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool multinode_cluster::one_view(const std::vector<std::string>& members) {
  std::optional<cluster_view> first;
  for (const auto& m : members) {
    auto v = view(m);
    if (!v) {
      return false;
    }
    for (const auto& name : names_) {
      const bool member = std::find(members.begin(), members.end(), name) != members.end();
      const auto it = v->node_states.find(name);
      const std::string state = it == v->node_states.end() ? "" : it->second;
      if (member != (state == "Up")) {
        return false;
      }
    }
    if (!first) {
      first = std::move(v);
    } else if (v->db_hash != first->db_hash || v->db_seq != first->db_seq) {
      return false;
    }
  }
  return true;
}

bool multinode_cluster::wait_one_view(const std::vector<std::string>& members,
                                      std::chrono::milliseconds timeout) {
  return wait_until([&] { return one_view(members); }, timeout);
}

std::string multinode_cluster::describe_views() {
  std::string s;
  for (const auto& name : names_) {
    s += name + ": ";
    auto& n = node(name);
    if (!n.running()) {
      s += "not running\n";
      continue;
    }
    if (process_state(n.pid()) == "T") {
      s += "frozen\n";
      continue;
    }
    auto v = view(name);
    if (!v) {
      s += "no answer\n";
      continue;
    }
    for (const auto& [peer, state] : v->node_states) {
      s += peer + "=" + state + " ";
    }
    s += "db_seq=" + std::to_string(v->db_seq) + " db_hash=" + v->db_hash + "\n";
  }
  return s;
}

std::string multinode_cluster::conflicting_epochs() const {
  static const std::string prefix = "membership epoch ";
  // epoch -> members -> the nodes that installed it
  std::map<std::string, std::map<std::string, std::set<std::string>>> installed;
  for (const auto& name : names_) {
    for (const auto& line : read_json_lines(dir_.path() / name / "clussvc.log")) {
      const std::string msg = line.value("msg", "");
      if (line.value("component", "") != "membership" || msg.rfind(prefix, 0) != 0) {
        continue;
      }
      const auto colon = msg.find(": nodes ");
      if (colon == std::string::npos) {
        continue;
      }
      installed[msg.substr(prefix.size(), colon - prefix.size())][msg.substr(colon + 8)].insert(
          name);
    }
  }
  std::string s;
  for (const auto& [epoch, sets] : installed) {
    if (sets.size() < 2) {
      continue;
    }
    s += "epoch " + epoch + ":";
    for (const auto& [members, by] : sets) {
      s += " nodes " + members + " (installed by";
      for (const auto& n : by) {
        s += " " + n;
      }
      s += ")";
    }
    s += "\n";
  }
  return s;
}

std::string multinode_cluster::describe_group(const std::string& group) {
  std::string s;
  for (const auto& name : names_) {
    s += name + " says " + group + ": ";
    auto& n = node(name);
    if (!n.running() || process_state(n.pid()) == "T") {
      s += "(not running or frozen)\n";
      continue;
    }
    try {
      const auto g = n.api("GET", "/groups/" + http::encode_segment(group), nullptr, 2s);
      s += std::to_string(g.status) + " " + g.body.value("state", "?") + " on " +
           g.body.value("owner", "?");
      if (g.status == 200 && g.body.contains("resources")) {
        for (const auto& r : g.body.at("resources")) {
          const std::string rname = r.is_string() ? r.get<std::string>() : r.value("name", "");
          const auto rr = n.api("GET", "/resources/" + http::encode_segment(rname), nullptr, 2s);
          s += "; " + rname + " " + rr.body.value("state", "?") + " on " +
               rr.body.value("owner", "?");
        }
      }
    } catch (const std::exception& e) {
      s += e.what();
    }
    s += "\n";
  }
  return s;
}

std::string multinode_cluster::wait_group_online(const std::string& group,
                                                 const std::vector<std::string>& observers,
                                                 const std::vector<std::string>& not_on,
                                                 std::chrono::milliseconds timeout) {
  std::string owner;
  const bool ok = wait_until(
      [&] {
        owner.clear();
        for (const auto& o : observers) {
          auto g = this->group(o, group);
          if (!g || g->state != "Online" || g->owner.empty() ||
              std::find(not_on.begin(), not_on.end(), g->owner) != not_on.end()) {
            return false;
          }
          if (!owner.empty() && owner != g->owner) {
            return false;
          }
          owner = g->owner;
        }
        return true;
      },
      timeout);
  return ok ? owner : "";
}

void multinode_cluster::freeze(const std::string& name) {
  auto& n = node(name);
  if (!n.signal_group(SIGSTOP)) {
    throw std::runtime_error("cannot freeze " + name + ": not running");
  }
  // Every process of the group is stopped before this returns.
  const auto monitors = n.monitor_pids();
  wait_until(
      [&] {
        if (process_state(n.pid()) != "T") {
          return false;
        }
        return std::all_of(monitors.begin(), monitors.end(),
                           [](int p) { return process_state(p) == "T"; });
      },
      5s);
}

void multinode_cluster::thaw(const std::string& name) {
  if (!node(name).signal_group(SIGCONT)) {
    throw std::runtime_error("cannot thaw " + name + ": not running");
  }
}

void multinode_cluster::kill(const std::string& name) {
  const auto monitors = node(name).kill_service();
  killed_monitors_.insert(killed_monitors_.end(), monitors.begin(), monitors.end());
}

bool multinode_cluster::wait_killed_monitors_gone(std::chrono::milliseconds timeout) {
  auto alive = [&] {
    std::vector<int> left;
    for (int p : killed_monitors_) {
      const auto st = process_state(p);
      if (!st.empty() && st != "Z" && st != "X") {
        left.push_back(p);
      }
    }
    return left;
  };
  const bool gone = wait_until([&] { return alive().empty(); }, timeout);
  for (int p : alive()) {
    ::kill(p, SIGKILL);
    orphaned_monitors_.push_back(p);
  }
  killed_monitors_.clear();
  return gone;
}

void multinode_cluster::set_faults(const std::string& name, const std::vector<std::string>& block,
                                   int delay_ms) {
  api_ok(node(name), "PUT", "/lab/faults", json{{"block", block}, {"delay_ms", delay_ms}});
}

std::vector<int> multinode_cluster::processes_of_dir() const {
  std::vector<int> pids;
  const std::string needle = dir_.path().string() + "/";
  const int self = static_cast<int>(::getpid());
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) {
      continue;
    }
    const int pid = std::stoi(name);
    if (pid == self) {
      continue;
    }
    std::string cmdline = read_file(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(needle) == std::string::npos) {
      continue;
    }
    const auto st = process_state(pid);
    if (!st.empty() && st != "Z" && st != "X") {
      pids.push_back(pid);
    }
  }
  std::sort(pids.begin(), pids.end());
  return pids;
}

// ---- API helpers --------------------------------------------------------------------------

json api_ok(clussvc_node& node, const std::string& method, const std::string& path,
            const json& body) {
  const auto r = node.api(method, path, body);
  if (r.status / 100 != 2) {
    throw std::runtime_error(node.name() + ": " + method + " " + path + " answered " +
                             std::to_string(r.status) + ": " + r.body.dump());
  }
  return r.body;
}

void create_dummy_group(clussvc_node& node, const std::string& group,
                        const std::vector<std::string>& names, const fs::path& call_log,
                        int poll_ms) {
  api_ok(node, "POST", "/groups", json{{"name", group}});
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string path = "/resources/" + http::encode_segment(names[i]);
    api_ok(node, "POST", "/resources",
           json{{"name", names[i]}, {"group", group}, {"type", "Dummy"}});
    if (i > 0) {
      api_ok(node, "POST", path + "/dependencies", json{{"provider", names[i - 1]}});
    }
    api_ok(node, "PUT", path + "/properties",
           json{{"properties",
                 {{"LooksAlivePollInterval", poll_ms}, {"IsAlivePollInterval", 3 * poll_ms}}}});
    if (!call_log.empty()) {
      api_ok(node, "PUT", path + "/private",
             json{{"properties", {{"CallLog", call_log.string()}}}});
    }
  }
}

// ---- the shared call log ------------------------------------------------------------------

std::optional<json> first_call(const std::vector<json>& log, const std::string& node,
                               const std::string& resource, const std::string& entry,
                               std::int64_t after) {
  for (const auto& l : log) {
    if (l.value("node", "") == node && l.value("resource", "") == resource &&
        (entry.empty() || l.value("entry", "") == entry) &&
        l.value("mono_ns", std::int64_t{0}) >= after) {
      return l;
    }
  }
  return std::nullopt;
}

std::vector<json> calls_after_loss(const std::vector<json>& log, const std::string& node,
                                   const std::string& resource, std::int64_t after) {
  static const std::set<std::string> allowed = {"Terminate", "Offline", "Close"};
  std::vector<json> bad;
  for (const auto& l : log) {
    if (l.value("node", "") == node && l.value("resource", "") == resource &&
        l.value("mono_ns", std::int64_t{0}) > after && !allowed.contains(l.value("entry", ""))) {
      bad.push_back(l);
    }
  }
  return bad;
}

std::string dump_calls(const std::vector<json>& log, bool polls) {
  std::string s;
  std::size_t left_out = 0;
  for (const auto& l : log) {
    const std::string entry = l.value("entry", "");
    if (!polls && (entry == "LooksAlive" || entry == "IsAlive")) {
      ++left_out;
      continue;
    }
    s += l.dump() + "\n";
  }
  if (left_out > 0) {
    s += "(" + std::to_string(left_out) + " LooksAlive/IsAlive calls left out)\n";
  }
  return s;
}

std::int64_t mono_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

long long ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace wolfpack::itest
