// Processes of a lab node, the parts every platform shares: see process_tree.hpp. The rest
// is in process_tree_posix.cpp and process_tree_windows.cpp.

#include "wolfpack/common/platform/process_tree.hpp"

#include <charconv>
#include <map>
#include <set>

#include "wolfpack/common/platform/child_process.hpp"

namespace wolfpack::platform {

namespace {

template <typename T>
bool parse_number(std::string_view text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::optional<proc_stat> parse_proc_stat(std::string_view line) {
  const auto open = line.find('(');
  const auto close = line.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return std::nullopt;
  proc_stat p;
  std::string_view pid_text = line.substr(0, open);
  while (!pid_text.empty() && pid_text.back() == ' ')
    pid_text.remove_suffix(1);
  if (!parse_number(pid_text, p.pid))
    return std::nullopt;
  // After ") ": field 3 state, 4 ppid, 5 pgrp, 6 session, ..., 22 starttime.
  std::vector<std::string_view> fields;
  std::string_view rest = line.substr(close + 1);
  std::size_t at = 0;
  while (at < rest.size()) {
    while (at < rest.size() && (rest[at] == ' ' || rest[at] == '\n'))
      ++at;
    const auto start = at;
    while (at < rest.size() && rest[at] != ' ' && rest[at] != '\n')
      ++at;
    if (at > start)
      fields.push_back(rest.substr(start, at - start));
  }
  constexpr std::size_t starttime = 22 - 3;  // index in `fields`, which starts at field 3
  if (fields.size() <= starttime || fields[0].size() != 1)
    return std::nullopt;
  p.state = fields[0][0];
  if (!parse_number(fields[1], p.ppid) || !parse_number(fields[2], p.pgid) ||
      !parse_number(fields[3], p.sid) || !parse_number(fields[starttime], p.start_ticks))
    return std::nullopt;
  return p;
}

std::vector<proc_stat> process_tree(int root) {
  if (root <= 0)
    return {};
  const auto all = list_processes();
  std::multimap<int, const proc_stat*> children;
  for (const auto& p : all)
    children.emplace(p.ppid, &p);
  std::set<int> in_tree;
  std::vector<proc_stat> tree;
  auto add = [&](const proc_stat& p) {
    if (!p.zombie() && in_tree.insert(p.pid).second)
      tree.push_back(p);
  };
  std::vector<int> queue = {root};
  for (const auto& p : all) {
    if (p.pid == root)
      add(p);
  }
  while (!queue.empty()) {
    const int parent = queue.back();
    queue.pop_back();
    auto [first, last] = children.equal_range(parent);
    for (auto it = first; it != last; ++it) {
      if (!in_tree.contains(it->second->pid)) {
        add(*it->second);
        queue.push_back(it->second->pid);
      }
    }
  }
  for (const auto& p : all) {
    if (p.sid == root || p.pgid == root)
      add(p);
  }
  return tree;
}

result<int> spawn_in_session(const std::filesystem::path& exe, const std::vector<std::string>& args,
                             const std::filesystem::path& output) {
  spawn_options options;
  options.stdout_path = output;
  options.stderr_path = output;
  options.new_session = true;
  auto child = child_process::spawn(exe, args, options);
  if (!child)
    return fail(child.error());
  const int pid = child->pid();
  // The node outlives the launcher (on Windows its job has no kill-on-close limit); the
  // launcher learns how it ended through child_exit.
  child->detach();
  return pid;
}

}  // namespace wolfpack::platform
