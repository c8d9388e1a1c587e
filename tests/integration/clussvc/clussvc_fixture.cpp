// Catch2's listener interface (TestEventListenerBase) is only declared with this.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include "clussvc_fixture.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <wolfpack/cluster_transport/api_key.hpp>
#include <wolfpack/common/endpoint.hpp>

namespace wolfpack::itest {

namespace fs = std::filesystem;
using clock = std::chrono::steady_clock;

// ---- paths and files ----------------------------------------------------------------------

fs::path build_dir() {
  return fs::path(WP_BUILD_DIR);
}
fs::path clussvc_path() {
  return build_dir() / "bin" / "clussvc";
}
fs::path cluster_cli_path() {
  return build_dir() / "bin" / "cluster";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

// The last `max_lines` lines of a file, for failure messages.
std::string tail_of(const fs::path& path, std::size_t max_lines = 400) {
  const std::string text = read_file(path);
  std::size_t pos = text.size();
  std::size_t lines = 0;
  while (pos > 0) {
    const auto nl = text.rfind('\n', pos - 1);
    if (nl == std::string::npos) {
      pos = 0;
      break;
    }
    if (nl + 1 < text.size() && ++lines > max_lines) {
      return "[... " + std::to_string(nl + 1) + " bytes left out ...]\n" + text.substr(nl + 1);
    }
    pos = nl;
  }
  return text;
}

// The live fixtures, so that the listener can mark them failed.
std::set<clussvc_fixture*>& live_fixtures() {
  static std::set<clussvc_fixture*> fixtures;
  return fixtures;
}

// Marks every live fixture failed when an assertion fails, so that its destructor prints the
// node's logs (a failed CHECK does not unwind the stack, so the destructor cannot tell).
struct failure_listener : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  bool assertionEnded(const Catch::AssertionStats& stats) override {
    if (!stats.assertionResult.isOk()) {
      for (auto* f : live_fixtures()) {
        f->mark_failed();
      }
    }
    return true;
  }
};

bool process_alive(int pid) {
  // A zombie (reparented to an init that has not reaped it yet) counts as ended.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) {
    return false;
  }
  const auto close = text.rfind(')');
  if (close == std::string::npos || close + 2 >= text.size()) {
    return false;
  }
  return text[close + 2] != 'Z' && text[close + 2] != 'X';
}

}  // namespace

CATCH_REGISTER_LISTENER(failure_listener)

temp_dir::temp_dir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path p = fs::temp_directory_path() / ("wp-clussvc-" + std::to_string(rd() % 100000000));
    std::error_code ec;
    if (fs::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

temp_dir::~temp_dir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  for (;;) {
    if (pred()) {
      return true;
    }
    if (clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(20ms);
  }
}

std::string cli_result::describe() const {
  return "exit code " + std::to_string(exit_code) + "\n--- stdout ---\n" + out +
         "--- stderr ---\n" + err;
}

std::string system_error_line(unsigned code) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "System error %u has occurred (0x%08x).", code, code);
  return buf;
}

int cli_exit_code(unsigned code) {
  return code > 255 ? 255 : static_cast<int>(code);
}

std::vector<json> read_call_log(const fs::path& path) {
  return read_json_lines(path);
}

std::vector<json> read_json_lines(const fs::path& path) {
  std::vector<json> lines;
  const std::string text = read_file(path);
  std::size_t start = 0;
  for (;;) {
    const auto nl = text.find('\n', start);
    if (nl == std::string::npos) {
      break;  // a line still being written
    }
    const std::string line = text.substr(start, nl - start);
    start = nl + 1;
    if (line.empty()) {
      continue;
    }
    auto j = json::parse(line, nullptr, false);
    if (!j.is_discarded()) {
      lines.push_back(std::move(j));
    }
  }
  return lines;
}

std::vector<std::string> calls_of(const std::vector<json>& lines, const std::string& entry) {
  std::vector<std::string> names;
  for (const auto& l : lines) {
    if (l.value("entry", "") == entry) {
      names.push_back(l.value("resource", ""));
    }
  }
  return names;
}

// ---- events -------------------------------------------------------------------------------

bool event_recorder::read_one(std::chrono::milliseconds timeout) {
  if (!stream_.is_open()) {
    return false;
  }
  auto e = stream_.next(timeout);
  if (!e) {
    return false;
  }
  all_.push_back(std::move(*e));
  return true;
}

std::optional<json> event_recorder::wait_for(const std::function<bool(const json&)>& pred,
                                             std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  for (;;) {
    for (; cursor_ < all_.size(); ++cursor_) {
      if (pred(all_[cursor_])) {
        return all_[cursor_++];
      }
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0 || !stream_.is_open()) {
      return std::nullopt;
    }
    read_one(left);
  }
}

void event_recorder::drain(std::chrono::milliseconds quiet) {
  while (read_one(quiet)) {
  }
}

bool event_recorder::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  while (stream_.is_open()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0) {
      return false;
    }
    read_one(left);
  }
  return true;
}

std::string event_recorder::dump() const {
  std::string s;
  for (const auto& e : all_) {
    s += e.dump() + "\n";
  }
  if (!stream_.is_open()) {
    s += "(stream closed: " + stream_.close_reason() + ")\n";
  }
  return s;
}

std::function<bool(const json&)> resource_state_is(const std::string& resource,
                                                   const std::string& state) {
  return [resource, state](const json& e) {
    return e.value("kind", "") == "RESOURCE_STATE" && e.value("name", "") == resource &&
           e.value("state", "") == state;
  };
}

std::function<bool(const json&)> group_state_is(const std::string& group,
                                                const std::string& state) {
  return [group, state](const json& e) {
    return e.value("kind", "") == "GROUP_STATE" && e.value("name", "") == group &&
           e.value("state", "") == state;
  };
}

std::optional<std::size_t> find_event(const std::vector<json>& events,
                                      const std::function<bool(const json&)>& pred,
                                      std::size_t from) {
  for (std::size_t i = from; i < events.size(); ++i) {
    if (pred(events[i])) {
      return i;
    }
  }
  return std::nullopt;
}

std::size_t count_events(const std::vector<json>& events,
                         const std::function<bool(const json&)>& pred, std::size_t from) {
  std::size_t n = 0;
  for (std::size_t i = from; i < events.size(); ++i) {
    n += pred(events[i]) ? 1 : 0;
  }
  return n;
}

std::vector<json> logged_events(const fs::path& log) {
  std::vector<json> events;
  for (const auto& line : read_json_lines(log)) {
    if (line.value("component", "") != "event" || !line.contains("msg") ||
        !line["msg"].is_string()) {
      continue;
    }
    auto e = json::parse(line["msg"].get<std::string>(), nullptr, false);
    if (!e.is_discarded()) {
      events.push_back(std::move(e));
    }
  }
  return events;
}

std::string dump_events(const std::vector<json>& events) {
  std::string s;
  for (const auto& e : events) {
    s += e.dump() + "\n";
  }
  return s;
}

void create_dummy_chain(clussvc_node& node, const std::string& group,
                        const std::vector<std::string>& names,
                        const std::vector<std::string>& priv) {
  if (node.api("GET", "/groups/" + http::encode_segment(group)).status == 404) {
    node.cli_ok({"group", group, "/create"});
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    node.cli_ok({"res", names[i], "/create", "/group:" + group, "/type:Dummy"});
    if (i > 0) {
      node.cli_ok({"res", names[i], "/adddep:" + names[i - 1]});
    }
    if (!priv.empty()) {
      node.set_private(names[i], priv);
    }
  }
}

// ---- the node -----------------------------------------------------------------------------

clussvc_node::clussvc_node(fs::path state_dir, std::string node_name, std::string cluster_name)
    : state_dir_(std::move(state_dir)),
      node_name_(std::move(node_name)),
      cluster_name_(std::move(cluster_name)) {}

clussvc_node::~clussvc_node() {
  try {
    if (running()) {
      stop(10s);  // kills the node and its monitors when SIGTERM is not enough
    }
  } catch (...) {
    // A destructor must not throw; the processes were killed anyway.
  }
}

void clussvc_node::start(std::chrono::milliseconds timeout) {
  if (process_.valid() && process_.is_running()) {
    throw std::logic_error("clussvc_node::start: the node is running");
  }
  client_.reset();
  address_.clear();
  stop_requested_ = false;
  const fs::path stdout_path = state_dir_.parent_path() / (node_name_ + ".stdout");
  const fs::path stderr_path = state_dir_.parent_path() / (node_name_ + ".stderr");
  std::error_code ec;
  // A stale api.endpoint from the previous run must not be taken for this one's.
  fs::remove(state_dir_ / "api.endpoint", ec);
  const auto stdout_offset = fs::exists(stdout_path) ? fs::file_size(stdout_path) : 0;

  platform::spawn_options opts;
  opts.stdout_path = stdout_path;
  opts.stderr_path = stderr_path;
  // The node leads a process group that its monitors join, so kill() ends them all.
  opts.new_process_group = true;
  std::vector<std::string> args = {"--state-dir", state_dir_.string(), "--node", node_name_,
                                   "--cluster-name", cluster_name_, "--listen", listen_,
                                   "--api-listen", "127.0.0.1:0",
                                   // A crash of the test (an ASan abort) must not leave the
                                   // node running: it stops with the test process.
                                   "--stop-with-parent"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  api_key_.clear();
  for (std::size_t i = 0; i + 1 < extra_args_.size(); ++i) {
    if (extra_args_[i] == "--secret-file") {
      auto secret = cluster_transport::read_secret_file(extra_args_[i + 1]);
      if (!secret)
        throw std::runtime_error(secret.error());
      api_key_ = cluster_transport::api_key_for(*secret);
    }
  }
  auto p = platform::child_process::spawn(clussvc_path(), args, opts);
  if (!p) {
    throw std::runtime_error("cannot start clussvc: " + p.error());
  }
  process_ = std::move(p).value();

  const std::string marker = "ready; api http://";
  std::string ready_address;
  const bool ready = wait_until(
      [&] {
        const std::string out = read_file(stdout_path).substr(stdout_offset);
        const auto at = out.find(marker);
        if (at != std::string::npos) {
          const auto nl = out.find('\n', at);
          if (nl != std::string::npos) {
            ready_address = out.substr(at + marker.size(), nl - at - marker.size());
            return fs::exists(state_dir_ / "api.endpoint");
          }
        }
        return !process_.is_running();
      },
      timeout);
  if (!ready || ready_address.empty()) {
    const std::string why = process_.is_running() ? "did not get ready within " +
                                                        std::to_string(timeout.count()) + " ms"
                                                  : "ended: " + process_.status()->to_string();
    if (process_.is_running()) {
      kill();
    }
    throw std::runtime_error("clussvc " + why + "\n" + logs());
  }
  std::string file_address = read_file(state_dir_ / "api.endpoint");
  while (!file_address.empty() && (file_address.back() == '\n' || file_address.back() == '\r')) {
    file_address.pop_back();
  }
  if (file_address != ready_address) {
    kill();
    throw std::runtime_error("api.endpoint holds '" + file_address + "' but the ready line says '" +
                             ready_address + "'");
  }
  address_ = ready_address;
  auto ep = parse_endpoint("tcp:" + address_);
  if (!ep) {
    kill();
    throw std::runtime_error("bad API address '" + address_ + "': " + ep.error());
  }
  auto c = http::client::connect(*ep);
  if (!c) {
    kill();
    throw std::runtime_error("cannot connect to the API: " + c.error() + "\n" + logs());
  }
  client_.emplace(std::move(c).value());
  client_->set_api_key(api_key_);
}

platform::exit_status clussvc_node::stop(std::chrono::milliseconds timeout) {
  if (!process_.valid()) {
    throw std::logic_error("clussvc_node::stop: never started");
  }
  if (!stop_requested_) {
    request_stop();
  }
  stop_requested_ = false;
  const auto monitors = std::move(stopping_monitors_);
  stopping_monitors_.clear();
  auto st = process_.wait_for(timeout);
  if (!st) {
    kill();
    throw std::runtime_error("clussvc did not exit within " + std::to_string(timeout.count()) +
                             " ms of SIGTERM\n" + logs());
  }
  leftover_monitors_ = reap_monitors(monitors);
  return *st;
}

void clussvc_node::request_stop() {
  client_.reset();
  stopping_monitors_ = monitor_pids();
  if (process_.is_running()) {
    // To the node only: it stops its monitors itself, after taking the groups offline.
    ::kill(process_.pid(), SIGTERM);
  }
  stop_requested_ = true;
}

void clussvc_node::kill() {
  client_.reset();
  const auto monitors = monitor_pids();
  if (process_.valid()) {
    process_.kill();  // SIGKILL to the whole group: the node and its monitors
    process_.wait_for(10s);
  }
  reap_monitors(monitors);
}

std::vector<int> clussvc_node::kill_service() {
  client_.reset();
  auto monitors = monitor_pids();
  if (process_.valid() && process_.is_running()) {
    ::kill(process_.pid(), SIGKILL);
    process_.wait_for(10s);
  }
  return monitors;
}

bool clussvc_node::signal_group(int sig) {
  if (!running()) {
    return false;
  }
  return ::killpg(process_.pid(), sig) == 0;
}

std::string clussvc_node::peer_address() const {
  std::string text = read_file(state_dir_ / "peer.endpoint");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

std::vector<int> clussvc_node::reap_monitors(const std::vector<int>& pids) {
  // The node's monitors end when it does; those that have not within a few seconds are
  // killed (only these pids: processes this node started).
  wait_until(
      [&] {
        return std::none_of(pids.begin(), pids.end(), [](int p) { return process_alive(p); });
      },
      5s);
  std::vector<int> killed;
  for (int p : pids) {
    if (process_alive(p)) {
      ::kill(p, SIGKILL);
      killed.push_back(p);
    }
  }
  return killed;
}

bool clussvc_node::running() {
  return process_.valid() && process_.is_running();
}

std::vector<int> clussvc_node::monitor_pids(const std::string& monitor_id) {
  std::vector<int> pids;
  if (!process_.valid()) {
    return pids;
  }
  const int parent = process_.pid();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) {
      continue;
    }
    const std::string stat = read_file(entry.path() / "stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) {
      continue;
    }
    std::istringstream rest(stat.substr(close + 1));
    std::string state;
    int ppid = 0;
    rest >> state >> ppid;
    if (ppid != parent || state == "Z") {
      continue;
    }
    const std::string cmdline = read_file(entry.path() / "cmdline");
    std::vector<std::string> argv;
    std::size_t start = 0;
    while (start < cmdline.size()) {
      const auto end = cmdline.find('\0', start);
      argv.push_back(cmdline.substr(start, end == std::string::npos ? end : end - start));
      if (end == std::string::npos) {
        break;
      }
      start = end + 1;
    }
    if (argv.empty() || fs::path(argv[0]).filename() != "resrcmon") {
      continue;
    }
    const auto id = std::find(argv.begin(), argv.end(), "--monitor-id");
    if (!monitor_id.empty() &&
        (id == argv.end() || id + 1 == argv.end() || *(id + 1) != monitor_id)) {
      continue;
    }
    pids.push_back(std::stoi(name));
  }
  std::sort(pids.begin(), pids.end());
  return pids;
}

http::http_response clussvc_node::api(const std::string& method, const std::string& path,
                                      const json& body, std::chrono::milliseconds timeout) {
  if (!client_) {
    throw std::runtime_error("api " + method + " " + path + ": the node is not running");
  }
  auto r = client_->request(method, path, body.is_null() ? nullptr : &body, timeout);
  if (!r) {
    throw std::runtime_error("api " + method + " " + path + ": " + r.error());
  }
  return std::move(r).value();
}

json clussvc_node::get(const std::string& path) {
  auto r = api("GET", path);
  if (r.status != 200) {
    throw std::runtime_error("GET " + path + " answered " + std::to_string(r.status) + ": " +
                             r.body.dump());
  }
  return r.body;
}

std::uint64_t clussvc_node::db_seq() {
  return get("/cluster").at("db_seq").get<std::uint64_t>();
}

std::string clussvc_node::resource_state(const std::string& name) {
  auto r = api("GET", "/resources/" + http::encode_segment(name));
  return r.status == 200 ? r.body.value("state", "") : "";
}

std::string clussvc_node::group_state(const std::string& name) {
  auto r = api("GET", "/groups/" + http::encode_segment(name));
  return r.status == 200 ? r.body.value("state", "") : "";
}

bool clussvc_node::wait_resource_state(const std::string& name, const std::string& state,
                                       std::chrono::milliseconds timeout) {
  return wait_until([&] { return resource_state(name) == state; }, timeout);
}

bool clussvc_node::wait_group_state(const std::string& name, const std::string& state,
                                    std::chrono::milliseconds timeout) {
  return wait_until([&] { return group_state(name) == state; }, timeout);
}

cli_result clussvc_node::cli(const std::vector<std::string>& args,
                             std::chrono::milliseconds timeout) {
  static int counter = 0;
  ++counter;
  const fs::path base = state_dir_.parent_path() / ("cli-" + std::to_string(counter));
  const fs::path out_path = base.string() + ".out";
  const fs::path err_path = base.string() + ".err";
  std::vector<std::string> argv = {"/cluster:" + address_};
  argv.insert(argv.end(), args.begin(), args.end());
  platform::spawn_options opts;
  opts.stdout_path = out_path;
  opts.stderr_path = err_path;
  // No registered clusters of the user's can interfere.
  opts.env = {{"WOLFPACK_HOME", (state_dir_.parent_path() / "wolfpack-home").string()}};
  if (!api_key_.empty())
    opts.env.emplace_back("WOLFPACK_API_KEY", api_key_);
  auto p = platform::child_process::spawn(cluster_cli_path(), argv, opts);
  if (!p) {
    throw std::runtime_error("cannot start cluster: " + p.error());
  }
  cli_result r;
  auto st = p->wait_for(timeout);
  if (!st) {
    p->kill();
    p->wait_for(5s);
  } else if (st->exited()) {
    r.exit_code = st->code;
  }
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  std::error_code ec;
  fs::remove(out_path, ec);
  fs::remove(err_path, ec);
  if (!st) {
    r.err += "\n[cluster did not end within " + std::to_string(timeout.count()) + " ms]";
  }
  return r;
}

cli_result clussvc_node::cli_ok(const std::vector<std::string>& args,
                                std::chrono::milliseconds timeout) {
  auto r = cli(args, timeout);
  if (r.exit_code != 0) {
    std::string cmd = "cluster";
    for (const auto& a : args) {
      cmd += " " + a;
    }
    throw std::runtime_error(cmd + " failed: " + r.describe());
  }
  return r;
}

cli_result clussvc_node::set_private(const std::string& resource,
                                     const std::vector<std::string>& settings,
                                     std::chrono::milliseconds timeout) {
  std::vector<std::string> args = {"res", resource, "/priv"};
  args.insert(args.end(), settings.begin(), settings.end());
  return cli_ok(args, timeout);
}

event_recorder clussvc_node::events(std::optional<std::uint64_t> since) {
  auto ep = parse_endpoint("tcp:" + address_);
  if (!ep) {
    throw std::runtime_error("bad API address '" + address_ + "'");
  }
  auto s = http::event_stream::open(*ep, since, 5s, api_key_);
  if (!s) {
    throw std::runtime_error("cannot subscribe to the events: " + s.error());
  }
  return event_recorder(std::move(s).value());
}

std::string clussvc_node::logs() const {
  std::string s;
  auto add = [&s](const fs::path& p) {
    std::error_code ec;
    if (fs::exists(p, ec)) {
      s += "===== " + p.string() + " =====\n" + tail_of(p) + "\n";
    }
  };
  add(state_dir_.parent_path() / (node_name_ + ".stdout"));
  add(state_dir_.parent_path() / (node_name_ + ".stderr"));
  add(state_dir_ / "clussvc.log");
  std::error_code ec;
  std::vector<fs::path> monitor_files;
  for (const auto& e : fs::directory_iterator(state_dir_ / "monitors", ec)) {
    monitor_files.push_back(e.path());
  }
  std::sort(monitor_files.begin(), monitor_files.end());
  for (const auto& p : monitor_files) {
    add(p);
  }
  return s;
}

// ---- the fixture --------------------------------------------------------------------------

clussvc_fixture::clussvc_fixture() {
  live_fixtures().insert(this);
  node_.emplace(dir_.path() / "node1", "node1", "itest");
  try {
    node_->start();
  } catch (...) {
    live_fixtures().erase(this);
    throw;
  }
}

clussvc_fixture::~clussvc_fixture() {
  live_fixtures().erase(this);
  std::string stop_error;
  try {
    if (node_->running()) {
      node_->stop(10s);
    }
  } catch (const std::exception& e) {
    stop_error = e.what();  // stop() killed the node
  }
  if (failed_ || std::uncaught_exceptions() > 0 || !stop_error.empty()) {
    std::cerr << "\n########## logs of " << node_->state_dir().string() << " ##########\n";
    if (!stop_error.empty()) {
      std::cerr << "teardown: " << stop_error.substr(0, stop_error.find('\n')) << "\n";
    }
    std::cerr << node_->logs() << "########## end of logs ##########\n";
  }
  node_.reset();
}

}  // namespace wolfpack::itest
