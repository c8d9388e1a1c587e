#pragma once

namespace wolfpack::runtime {

// All of clussvc's main(): parses the options (clussvc_options.hpp), sets up the log at
// <state-dir>/clussvc.log, finds resrcmon and the plugins beside the executable, runs the
// node and returns the exit code:
//   0  shut down in order (SIGTERM / Ctrl-C), or --help
//   2  bad command line or configuration file (message on stderr)
//   1  the node could not start (e.g. a refused database; message on stderr) or failed
//   otherwise the code the core exits with, or 128 + signal after a second signal
// On success it prints one line to stdout once the API serves:
//   clussvc: node NAME of cluster CNAME ready; api http://HOST:PORT
int run_clussvc(int argc, const char* const* argv);

}  // namespace wolfpack::runtime
