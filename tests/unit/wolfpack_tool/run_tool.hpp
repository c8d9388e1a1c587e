// Runs the wolfpack tool's entry point in-process, as the shell would, capturing its output.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "wolfpack/tool/cli.hpp"

namespace wolfpack::tool::testing {

struct run_output {
  int code;
  std::string out;
  std::string err;
};

inline run_output run_args(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = run(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace wolfpack::tool::testing
