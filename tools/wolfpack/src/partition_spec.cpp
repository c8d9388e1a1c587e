// Partition specs: see partition_spec.hpp.

#include "wolfpack/tool/partition_spec.hpp"

#include <algorithm>
#include <set>

namespace wolfpack::tool {

namespace {

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const auto at = text.find(sep, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos)
      return parts;
    start = at + 1;
  }
}

std::string join(const std::vector<std::string>& names, std::string_view sep) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty())
      out += sep;
    out += n;
  }
  return out;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

result<partition_spec> parse_partition(std::string_view text,
                                       const std::vector<std::string>& known) {
  const std::string shown = "partition '" + std::string(text) + "'";
  if (text.find('/') == std::string_view::npos) {
    return fail(shown + " has one side only: separate the sides with '/', e.g. " +
                "node1,node2/node3");
  }
  partition_spec spec;
  std::set<std::string> seen;
  const auto sides = split(text, '/');
  for (std::size_t i = 0; i < sides.size(); ++i) {
    if (trimmed(sides[i]).empty()) {
      return fail(shown + ": side " + std::to_string(i + 1) +
                  " is empty; every side names at least one node");
    }
    std::vector<std::string> side;
    for (auto part : split(sides[i], ',')) {
      const std::string name = trimmed(part);
      if (name.empty())
        return fail(shown + ": side " + std::to_string(i + 1) + " has an empty node name");
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        return fail(shown + ": no node '" + name + "' in the lab (it has " + join(known, ", ") +
                    ")");
      }
      if (!seen.insert(name).second)
        return fail(shown + ": node '" + name + "' is named twice");
      side.push_back(name);
    }
    spec.sides.push_back(std::move(side));
  }
  return spec;
}

std::map<std::string, std::vector<std::string>> partition_blocks(const partition_spec& spec) {
  std::map<std::string, std::vector<std::string>> blocks;
  for (std::size_t i = 0; i < spec.sides.size(); ++i) {
    for (const auto& node : spec.sides[i]) {
      auto& list = blocks[node];
      for (std::size_t j = 0; j < spec.sides.size(); ++j) {
        if (j != i)
          list.insert(list.end(), spec.sides[j].begin(), spec.sides[j].end());
      }
    }
  }
  return blocks;
}

std::string describe(const partition_spec& spec) {
  std::string out;
  for (const auto& side : spec.sides) {
    if (!out.empty())
      out += " | ";
    out += join(side, ", ");
  }
  return out;
}

}  // namespace wolfpack::tool
