// What the tool's command-line tests share: parsing one subcommand's options on their own,
// and looking for words in what the tool printed.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace wolfpack::tool::testing {

// Parses `args` with only the given subcommand registered.
template <typename Options, typename Add>
Options parse_with(Add add, std::vector<std::string> args) {
  CLI::App app;
  Options options;
  add(app, options);
  // CLI11's vector overload takes the arguments last to first.
  std::reverse(args.begin(), args.end());
  app.parse(args);
  return options;
}

inline bool mentions(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

}  // namespace wolfpack::tool::testing
