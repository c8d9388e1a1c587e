#include "connection.hpp"

#include <chrono>
#include <cstdlib>
#include <utility>
#include <variant>

#include "wolfpack/cluster_cli/cluster_address.hpp"
#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::clusapi {
namespace {

using namespace std::chrono_literals;

std::optional<std::string> real_getenv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr)
    return std::nullopt;
  return std::string(value);
}

}  // namespace

result<endpoint> to_endpoint(const std::string& address) {
  if (address.rfind("tcp:", 0) == 0)
    return parse_endpoint(address);
  return parse_endpoint("tcp:" + address);
}

DWORD error_from_answer(int status, const nlohmann::json& body) {
  if (body.is_object()) {
    const auto error = body.find("error");
    if (error != body.end() && error->is_object()) {
      const auto code = error->find("code");
      if (code != error->end() && code->is_number_unsigned() && code->get<std::uint64_t>() != 0 &&
          code->get<std::uint64_t>() <= 0xFFFFFFFFu) {
        return static_cast<DWORD>(code->get<std::uint64_t>());
      }
    }
  }
  switch (status) {
    case 400:
      return ERROR_INVALID_PARAMETER;
    case 403:
      return ERROR_ACCESS_DENIED;
    case 404:
      return ERROR_NOT_FOUND;
    case 409:
      return ERROR_INVALID_STATE;
    case 503:
      return ERROR_CLUSTER_NODE_NOT_READY;
    default:
      return ERROR_GEN_FAILURE;
  }
}

connection::opened connection::open(const std::optional<std::string>& name) {
  auto target = cluster_cli::resolve_cluster(name, real_getenv);
  if (auto* problem = std::get_if<cluster_cli::cli_error>(&target)) {
    // A malformed registration is bad data; a name that leads nowhere (none given, not
    // registered) is, as for a Windows client whose cluster name does not resolve, an
    // unavailable server.
    if (problem->code == ERROR_INVALID_DATA)
      return {nullptr, ERROR_INVALID_DATA};
    return {nullptr, RPC_S_SERVER_UNAVAILABLE};
  }
  const auto& resolved = std::get<cluster_cli::cluster_target>(target);
  bool refused = false;
  for (const auto& address : resolved.addresses) {
    auto ep = to_endpoint(address);
    if (!ep)
      continue;
    auto client = http::client::connect(*ep, 5s);
    if (!client)
      continue;
    client->set_api_key(resolved.api_key);
    auto probe = client->request("GET", "/cluster", nullptr, 10s);
    // A node that wants a key this client lacks is there but closed to it, as a Windows
    // cluster is to a caller without the right: access denied, not an absent server.
    if (probe && probe->status == 401)
      refused = true;
    if (!probe || probe->status != 200)
      continue;
    return {std::make_shared<connection>(std::move(client).value(), address, resolved.api_key),
            ERROR_SUCCESS};
  }
  return {nullptr, refused ? static_cast<DWORD>(ERROR_ACCESS_DENIED) : RPC_S_SERVER_UNAVAILABLE};
}

connection::connection(http::client client, std::string address, std::string api_key)
    : client_(std::move(client)), address_(std::move(address)), api_key_(std::move(api_key)) {}

api_answer connection::request(std::string_view method, const std::string& target,
                               const nlohmann::json* body) {
  std::lock_guard lock(mutex_);
  auto response = client_.request(method, target, body);
  if (!response)
    return {RPC_S_SERVER_UNAVAILABLE, 0, nullptr};
  api_answer answer{ERROR_SUCCESS, response->status, std::move(response->body)};
  if (answer.status < 200 || answer.status > 299)
    answer.error = error_from_answer(answer.status, answer.body);
  return answer;
}

}  // namespace wolfpack::clusapi
