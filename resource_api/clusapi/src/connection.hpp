// One open cluster: the API address it answered on and one kept-alive HTTP connection,
// shared by every handle opened through it (the cluster handle itself, node, group and
// resource handles), so they stay usable after CloseCluster as on Windows.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/result.hpp"
#include "wolfpack/http/client.hpp"
#include "wolfpack/win_types.h"
#include "wolfpack/winerror.h"

namespace wolfpack::clusapi {

// What one API request produced: ERROR_SUCCESS for a 2xx answer, otherwise the Win32 code
// of the error body (or one that follows the status), or RPC_S_SERVER_UNAVAILABLE when the
// node could not be reached.
struct api_answer {
  DWORD error = ERROR_SUCCESS;
  int status = 0;
  nlohmann::json body;

  bool ok() const { return error == ERROR_SUCCESS; }
};

// The Win32 code of a non-2xx answer: the body's error.code when it carries one, otherwise
// by status (400 → 87, 403 → 5, 404 → 1168, 409 → 5023, 503 → 5072, else 31).
DWORD error_from_answer(int status, const nlohmann::json& body);

// "HOST:PORT", or an endpoint with its "tcp:" prefix.
result<endpoint> to_endpoint(const std::string& address);

class connection {
 public:
  struct opened {
    std::shared_ptr<connection> conn;  // null on failure
    DWORD error = ERROR_SUCCESS;
  };

  // `name` as OpenCluster takes it: nullopt (or empty) for $WOLFPACK_CLUSTER, "HOST:PORT",
  // or a cluster registered by the lab launcher ($WOLFPACK_HOME/clusters/NAME.json, whose
  // nodes are tried in order). The first node whose GET /cluster answers is used.
  static opened open(const std::optional<std::string>& name);

  // One request; thread-safe (requests on one connection are serialized).
  api_answer request(std::string_view method, const std::string& target,
                     const nlohmann::json* body = nullptr);

  connection(http::client client, std::string address, std::string api_key);

  // Where the node's API is and the key it asks for, for a second channel to it (the event
  // stream).
  const std::string& address() const { return address_; }
  const std::string& api_key() const { return api_key_; }

 private:
  std::mutex mutex_;
  http::client client_;  // guarded by mutex_
  const std::string address_;
  const std::string api_key_;
};

}  // namespace wolfpack::clusapi
