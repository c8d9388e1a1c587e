// wolfpack: the Wolfpack developer tool. All logic is in wolfpack_tool (see cli.hpp).

#include <iostream>
#include <string>
#include <vector>

#include "wolfpack/tool/cli.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return wolfpack::tool::run(args, std::cout, std::cerr);
}
