// clussvc: the cluster service, one per node. Everything it does lives in
// wolfpack::cluster_runtime (runtime/driver) so that tests link it; this only hands over argv.

#include "wolfpack/cluster_runtime/clussvc_main.hpp"

int main(int argc, char** argv) {
  return wolfpack::runtime::run_clussvc(argc, argv);
}
