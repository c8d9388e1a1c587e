// Real clussvc nodes for the multi-node benchmarks: see cluster_lab.hpp.

#include "cluster_lab.hpp"
#include <CLI/CLI.hpp>

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <sstream>

#include "wolfpack/cluster_transport/api_key.hpp"
#include "wolfpack/http/percent_encoding.hpp"

namespace wolfpack::bench {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// ---- process groups the signal handler kills -----------------------------------------------

// Lock-free slots (0 = free), readable from a signal handler.
std::array<std::atomic<int>, 512> live_groups{};

extern "C" void on_stop_signal(int sig) {
  for (auto& g : live_groups) {
    const int pgid = g.load();
    if (pgid > 0)
      ::kill(-pgid, SIGKILL);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_process_handling() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Orphaned monitors of a killed node come to us, not to init: kill_group() reaps them.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
      ::sigaction(sig, &sa, nullptr);
  });
}

void remember_group(int pgid) {
  for (auto& g : live_groups) {
    int expected = 0;
    if (g.compare_exchange_strong(expected, pgid))
      return;
  }
  std::fprintf(stderr, "cluster_lab: more than %zu process groups; %d is not covered by Ctrl-C\n",
               live_groups.size(), pgid);
}

void forget_group(int pgid) {
  for (auto& g : live_groups) {
    int expected = pgid;
    if (g.compare_exchange_strong(expected, 0))
      return;
  }
}

std::optional<std::string> read_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line) || line.empty())
    return std::nullopt;
  return line;
}

// The fields of /proc/PID/stat after the command name: [0] is field 3 (state), [k] field k+3.
std::optional<std::vector<std::string>> stat_fields(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!in || !std::getline(in, line))
    return std::nullopt;
  const auto close = line.rfind(')');
  if (close == std::string::npos)
    return std::nullopt;
  std::istringstream rest(line.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;)
    fields.push_back(f);
  if (fields.size() < 13)
    return std::nullopt;
  return fields;
}

}  // namespace

double ms_between(bench_clock::time_point from, bench_clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// ---- the lab -------------------------------------------------------------------------------

cluster_lab::cluster_lab(fs::path dir, lab_settings settings)
    : dir_(std::move(dir)), secret_file_(dir_ / "secret"), settings_(std::move(settings)) {}

result<std::unique_ptr<cluster_lab>> cluster_lab::create(const std::string& tag,
                                                         lab_settings settings) {
  install_process_handling();
  std::string pattern = (fs::temp_directory_path() / ("wp-bench-" + tag + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    return fail("cannot make a directory like " + pattern + ": " + std::strerror(errno));
  std::unique_ptr<cluster_lab> lab(new cluster_lab(pattern, std::move(settings)));
  if (!fs::exists(lab->settings_.build_dir / "bin" / "clussvc"))
    return fail("no clussvc in " + (lab->settings_.build_dir / "bin").string());
  // 32 random bytes in hex, as `wolfpack up` writes it.
  std::ifstream random("/dev/urandom", std::ios::binary);
  std::array<unsigned char, 32> bytes{};
  if (!random.read(reinterpret_cast<char*>(bytes.data()), bytes.size()))
    return fail("cannot read /dev/urandom");
  std::string hex;
  for (unsigned char b : bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    hex += digits[b >> 4];
    hex += digits[b & 0xf];
  }
  std::ofstream out(lab->secret_file_);
  out << hex << "\n";
  if (!out.flush())
    return fail("cannot write " + lab->secret_file_.string());
  fs::permissions(lab->secret_file_, fs::perms::owner_read | fs::perms::owner_write);
  auto secret = cluster_transport::read_secret_file(lab->secret_file_);
  if (!secret)
    return fail(secret.error());
  lab->api_key_ = cluster_transport::api_key_for(*secret);
  return lab;
}

cluster_lab::~cluster_lab() {
  kill_all();
  if (keep_ || settings_.keep) {
    std::fprintf(stderr, "cluster_lab: kept %s\n", dir_.c_str());
    return;
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

int cluster_lab::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].name == name)
      return static_cast<int>(i);
  }
  return -1;
}

status cluster_lab::launch(int index, std::string join) {
  while (nodes_.size() <= static_cast<std::size_t>(index)) {
    lab_node n;
    n.name = "node" + std::to_string(nodes_.size() + 1);
    n.state_dir = dir_ / n.name;
    nodes_.push_back(std::move(n));
  }
  lab_node& n = node(index);
  if (n.process.valid() && n.process.is_running())
    return fail(n.name + " runs already");
  kill_group(n);  // what a killed node left behind (its monitors)
  std::error_code ec;
  fs::create_directories(n.state_dir, ec);
  if (ec)
    return fail("cannot create " + n.state_dir.string() + ": " + ec.message());
  fs::remove(n.state_dir / "api.endpoint", ec);
  fs::remove(n.state_dir / "peer.endpoint", ec);
  n.api.reset();
  n.peer.clear();

  std::vector<std::string> args = {"--state-dir",
                                   n.state_dir.string(),
                                   "--node",
                                   n.name,
                                   "--cluster-name",
                                   "bench",
                                   "--listen",
                                   "127.0.0.1:" + std::to_string(n.peer_port),
                                   "--api-listen",
                                   "127.0.0.1:" + std::to_string(n.api_port),
                                   "--secret-file",
                                   secret_file_.string(),
                                   "--heartbeat-ms",
                                   std::to_string(settings_.heartbeat_ms),
                                   "--threshold",
                                   std::to_string(settings_.threshold),
                                   "--log-level",
                                   settings_.log_level,
                                   "--stop-with-parent"};  // a crashed benchmark leaves none
  if (!join.empty()) {
    args.push_back("--join");
    args.push_back(join);
  }
  platform::spawn_options options;
  options.stdout_path = n.state_dir / "clussvc.out";
  options.stderr_path = n.state_dir / "clussvc.out";
  options.new_process_group = true;
  auto child =
      platform::child_process::spawn(settings_.build_dir / "bin" / "clussvc", args, options);
  if (!child)
    return fail("cannot start " + n.name + ": " + child.error());
  n.process = std::move(*child);
  n.pgid = n.process.pid();
  remember_group(n.pgid);
  return {};
}

status cluster_lab::wait_ready(int index, bench_clock::time_point deadline) {
  lab_node& n = node(index);
  for (;;) {
    const auto api = read_line(n.state_dir / "api.endpoint");
    const auto peer = read_line(n.state_dir / "peer.endpoint");
    if (api && peer) {
      auto a = parse_endpoint("tcp:" + *api);
      auto p = parse_endpoint("tcp:" + *peer);
      if (a && p) {
        n.api = *a;
        n.api_port = a->port;
        n.peer = *peer;
        n.peer_port = p->port;
        return {};
      }
    }
    if (!n.process.is_running()) {
      keep_directory();
      return fail(n.name + " ended (" +
                  (n.process.status() ? n.process.status()->to_string() : "?") +
                  ") before it was ready; its output:\n" + output_tail(index));
    }
    if (bench_clock::now() >= deadline) {
      keep_directory();
      return fail(n.name + " wrote no api.endpoint and peer.endpoint in time; its output:\n" +
                  output_tail(index));
    }
    std::this_thread::sleep_for(5ms);
  }
}

status cluster_lab::launch_all(int count, bench_clock::time_point deadline) {
  if (auto st = launch(0); !st)
    return st;
  if (auto st = wait_ready(0, deadline); !st)
    return st;
  const std::string join = node(0).peer;
  for (int i = 1; i < count; ++i) {
    if (auto st = launch(i, join); !st)
      return st;
  }
  for (int i = 1; i < count; ++i) {
    if (auto st = wait_ready(i, deadline); !st)
      return st;
  }
  return {};
}

status cluster_lab::wait_all_up(int observer, bench_clock::time_point deadline) {
  auto c = client(observer);
  if (!c)
    return fail(c.error());
  std::string last;
  for (;;) {
    auto r = call(*c, "GET", "/nodes");
    if (r) {
      std::size_t up = 0;
      last.clear();
      for (const auto& n : (*r)["nodes"]) {
        const auto state = n.value("state", std::string());
        if (state == "Up")
          ++up;
        last += (last.empty() ? "" : ", ") + n.value("name", std::string()) + " " + state;
      }
      if (up == nodes_.size())
        return {};
    } else {
      last = r.error();
    }
    for (int i = 0; i < size(); ++i) {
      if (node(i).process.valid() && !node(i).process.is_running()) {
        keep_directory();
        return fail(node(i).name + " ended (" + node(i).process.status()->to_string() +
                    "); its output:\n" + output_tail(i));
      }
    }
    if (bench_clock::now() >= deadline) {
      keep_directory();
      return fail("not every node is Up in time; " + node(observer).name + " says: " + last);
    }
    std::this_thread::sleep_for(10ms);
  }
}

result<http::client> cluster_lab::client(int index) const {
  const auto& n = nodes_.at(static_cast<std::size_t>(index));
  if (!n.api)
    return fail(n.name + " is not ready (no api.endpoint yet)");
  auto c = http::client::connect(*n.api);
  if (c)
    c->set_api_key(api_key_);
  return c;
}

void cluster_lab::kill_node(int index) {
  lab_node& n = node(index);
  if (!n.process.valid() || n.process.status())
    return;
  ::kill(n.process.pid(), SIGKILL);
  n.process.wait_for(5s);
}

void cluster_lab::stop_node(int index) {
  lab_node& n = node(index);
  if (n.process.valid() && n.process.is_running())
    ::kill(n.process.pid(), SIGTERM);
}

bool cluster_lab::stop_all(std::chrono::milliseconds timeout) {
  for (auto& n : nodes_) {
    if (n.process.valid() && n.process.is_running())
      ::kill(n.process.pid(), SIGTERM);
  }
  const auto deadline = bench_clock::now() + timeout;
  bool clean = true;
  for (auto& n : nodes_) {
    if (!n.process.valid())
      continue;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::max(deadline - bench_clock::now(), bench_clock::duration::zero()));
    if (!n.process.wait_for(left))
      clean = false;
    kill_group(n);
  }
  return clean;
}

void cluster_lab::kill_all() {
  for (auto& n : nodes_) {
    if (n.pgid > 0)
      ::kill(-n.pgid, SIGKILL);
  }
  for (auto& n : nodes_)
    kill_group(n);
}

void cluster_lab::kill_group(lab_node& n) {
  if (n.pgid <= 0)
    return;
  ::kill(-n.pgid, SIGKILL);
  if (n.process.valid())
    n.process.wait_for(5s);
  // The rest of the group are the monitors: children of the clussvc, or ours once it died.
  const auto deadline = bench_clock::now() + 5s;
  for (;;) {
    while (::waitpid(-n.pgid, nullptr, WNOHANG) > 0) {
    }
    if (::kill(-n.pgid, 0) != 0 && errno == ESRCH)
      break;
    if (bench_clock::now() >= deadline) {
      std::fprintf(stderr, "cluster_lab: process group %d of %s still has processes\n", n.pgid,
                   n.name.c_str());
      break;
    }
    ::kill(-n.pgid, SIGKILL);
    std::this_thread::sleep_for(5ms);
  }
  forget_group(n.pgid);
  n.pgid = -1;
}

std::string cluster_lab::output_tail(int index, int lines) const {
  std::ifstream in(nodes_.at(static_cast<std::size_t>(index)).state_dir / "clussvc.out");
  std::deque<std::string> tail;
  for (std::string line; std::getline(in, line);) {
    tail.push_back(line);
    if (tail.size() > static_cast<std::size_t>(lines))
      tail.pop_front();
  }
  std::string text;
  for (const auto& l : tail)
    text += "  " + l + "\n";
  return text;
}

// ---- requests ------------------------------------------------------------------------------

result<json> call(http::client& c, std::string_view method, std::string_view target,
                  const json* body) {
  auto r = c.request(method, target, body);
  const std::string what = std::string(method) + " " + std::string(target);
  if (!r)
    return fail(what + ": " + r.error());
  if (r->status >= 300)
    return fail(what + ": " + std::to_string(r->status) + " " + r->body.dump());
  return std::move(r->body);
}

std::string group_name(int i) {
  char name[16];
  std::snprintf(name, sizeof name, "g%03d", i);
  return name;
}

status create_chain_group(http::client& c, const std::string& name) {
  const json group = {{"name", name}};
  if (auto r = call(c, "POST", "/groups", &group); !r)
    return fail(r.error());
  for (const char* suffix : {"-disk", "-ip", "-app"}) {
    const json resource = {{"name", name + suffix}, {"group", name}, {"type", "Dummy"}};
    if (auto r = call(c, "POST", "/resources", &resource); !r)
      return fail(r.error());
  }
  const std::pair<const char*, const char*> chain[] = {{"-ip", "-disk"}, {"-app", "-ip"}};
  for (const auto& [dependent, provider] : chain) {
    const json body = {{"provider", name + provider}};
    const auto target = "/resources/" + http::encode_segment(name + dependent) + "/dependencies";
    if (auto r = call(c, "POST", target, &body); !r)
      return fail(r.error());
  }
  return {};
}

status create_groups(cluster_lab& lab, int count) {
  const int nodes = lab.size();
  std::vector<status> results(static_cast<std::size_t>(nodes));
  std::vector<std::thread> workers;
  for (int k = 0; k < nodes; ++k) {
    workers.emplace_back([&lab, &results, k, nodes, count] {
      auto c = lab.client(k);
      if (!c) {
        results[static_cast<std::size_t>(k)] = fail(c.error());
        return;
      }
      for (int i = k; i < count; i += nodes) {
        const auto name = group_name(i);
        if (auto st = create_chain_group(*c, name); !st) {
          results[static_cast<std::size_t>(k)] = st;
          return;
        }
        const json body = {{"node", lab.node(k).name}};
        if (auto r = call(*c, "POST", "/groups/" + name + "/online", &body); !r) {
          results[static_cast<std::size_t>(k)] = fail(r.error());
          return;
        }
      }
    });
  }
  for (auto& w : workers)
    w.join();
  for (auto& st : results) {
    if (!st)
      return st;
  }
  return {};
}

result<json> wait_all_groups_online(cluster_lab& lab, int observer,
                                    bench_clock::time_point deadline,
                                    std::chrono::milliseconds every) {
  auto c = lab.client(observer);
  if (!c)
    return fail(c.error());
  std::string last;
  for (;;) {
    auto r = call(*c, "GET", "/groups");
    if (r) {
      std::size_t online = 0;
      const auto& groups = (*r)["groups"];
      for (const auto& g : groups) {
        if (g.value("state", std::string()) == "Online")
          ++online;
      }
      if (online == groups.size() && online > 0)
        return r;
      last = std::to_string(online) + " of " + std::to_string(groups.size()) + " groups Online";
    } else {
      last = r.error();
    }
    if (bench_clock::now() >= deadline)
      return fail("the groups are not all Online in time (" + last + ")");
    std::this_thread::sleep_for(every);
  }
}

// ---- the event stream ----------------------------------------------------------------------

result<std::unique_ptr<event_log>> event_log::open(const endpoint& ep, const std::string& api_key) {
  auto stream = http::event_stream::open(ep, std::nullopt, std::chrono::seconds(5), api_key);
  if (!stream)
    return fail("GET /events on " + ep.to_string() + ": " + stream.error());
  std::unique_ptr<event_log> log(new event_log());
  log->stream_ = std::make_unique<http::event_stream>(std::move(*stream));
  log->reader_ = std::thread([raw = log.get()] { raw->run(); });
  return log;
}

event_log::~event_log() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  if (reader_.joinable())
    reader_.join();
}

void event_log::run() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stop_)
        return;
    }
    auto e = stream_->next(50ms);
    const auto at = bench_clock::now();
    std::lock_guard lock(mutex_);
    if (e) {
      entries_.push_back({at, std::move(*e)});
      changed_.notify_all();
    } else if (!stream_->is_open()) {
      closed_reason_ = stream_->close_reason().empty() ? "closed" : stream_->close_reason();
      changed_.notify_all();
      return;
    }
  }
}

std::size_t event_log::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::optional<event_log::entry> event_log::wait_for(std::size_t from,
                                                    const std::function<bool(const json&)>& pred,
                                                    bench_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  for (;;) {
    for (; from < entries_.size(); ++from) {
      if (pred(entries_[from].event))
        return entries_[from];
    }
    if (!closed_reason_.empty())
      return std::nullopt;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout && from == entries_.size())
      return std::nullopt;
  }
}

std::vector<event_log::entry> event_log::entries_since(std::size_t& cursor) const {
  std::lock_guard lock(mutex_);
  std::vector<entry> fresh;
  for (; cursor < entries_.size(); ++cursor)
    fresh.push_back(entries_[cursor]);
  return fresh;
}

std::string event_log::closed_reason() const {
  std::lock_guard lock(mutex_);
  return closed_reason_;
}

// ---- /proc ---------------------------------------------------------------------------------

std::vector<int> processes_in_group(int pgid) {
  std::vector<int> pids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit))
      continue;
    const int pid = std::stoi(name);
    auto f = stat_fields(pid);
    if (!f || (*f)[0] == "Z" || (*f)[0] == "X")
      continue;
    if (std::stoi((*f)[2]) == pgid)
      pids.push_back(pid);
  }
  std::sort(pids.begin(), pids.end());
  return pids;
}

std::optional<std::uint64_t> cpu_ticks(int pid) {
  auto f = stat_fields(pid);
  if (!f)
    return std::nullopt;
  return std::stoull((*f)[11]) + std::stoull((*f)[12]);  // utime (14), stime (15)
}

std::optional<std::uint64_t> rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stoull(line.substr(6));
  }
  return std::nullopt;
}

// ---- figures -------------------------------------------------------------------------------

double quantile(std::vector<double> sample, double q) {
  if (sample.empty())
    return 0;
  std::sort(sample.begin(), sample.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sample.size())));
  return sample[std::clamp<std::size_t>(rank, 1, sample.size()) - 1];
}

json summarize_ms(std::vector<double> sample) {
  if (sample.empty())
    return json::object();
  auto round2 = [](double v) { return std::round(v * 100.0) / 100.0; };
  double sum = 0;
  for (double v : sample)
    sum += v;
  const auto [lo, hi] = std::minmax_element(sample.begin(), sample.end());
  return {{"p50", round2(quantile(sample, 0.50))},
          {"p99", round2(quantile(sample, 0.99))},
          {"mean", round2(sum / static_cast<double>(sample.size()))},
          {"min", round2(*lo)},
          {"max", round2(*hi)},
          {"n", sample.size()}};
}

void add_lab_options(CLI::App& app, lab_settings& settings) {
  app.add_option("--heartbeat-ms", settings.heartbeat_ms, "SameSubnetDelay")
      ->check(CLI::Range(10, 10000));
  app.add_option("--threshold", settings.threshold, "SameSubnetThreshold")
      ->check(CLI::Range(2, 100));
  app.add_option("--build-dir", settings.build_dir, "the build tree whose bin/clussvc runs");
  app.add_flag("--keep", settings.keep, "keep the directory (state, logs)");
}

}  // namespace wolfpack::bench
