#include "resource_record.hpp"

namespace wolfpack::monitor {

std::string_view state_name(rstate s) {
  switch (s) {
    case rstate::opening:
      return "Initializing";
    case rstate::offline:
      return "Offline";
    case rstate::online_pending:
      return "OnlinePending";
    case rstate::online:
      return "Online";
    case rstate::offline_pending:
      return "OfflinePending";
    case rstate::failed:
      return "Failed";
    case rstate::closing:
      return "Closing";
  }
  return "Unknown";
}

CLUSTER_RESOURCE_STATE state_code(rstate s) {
  switch (s) {
    case rstate::opening:
      return ClusterResourceInitializing;
    case rstate::offline:
      return ClusterResourceOffline;
    case rstate::online_pending:
      return ClusterResourceOnlinePending;
    case rstate::online:
      return ClusterResourceOnline;
    case rstate::offline_pending:
      return ClusterResourceOfflinePending;
    case rstate::failed:
      return ClusterResourceFailed;
    case rstate::closing:
      return ClusterResourceOffline;
  }
  return ClusterResourceStateUnknown;
}

}  // namespace wolfpack::monitor
