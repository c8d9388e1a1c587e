#include "wolfpack/cluster_cli/cli_error.hpp"

#include <utility>

#include "wolfpack/common/platform/system.hpp"
#include "wolfpack/win_error_names.hpp"

namespace wolfpack::cluster_cli {

cli_error cli_error::make(std::uint32_t code, std::string detail) {
  cli_error e;
  e.code = code;
  e.detail = std::move(detail);
  return e;
}

cli_error cli_error::from_reply(const api_reply& reply) {
  cli_error e;
  const auto& body = reply.body;
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const auto& err = body["error"];
    if (err.contains("code") && err["code"].is_number_integer() &&
        err["code"].get<long long>() >= 0) {
      e.code = static_cast<std::uint32_t>(err["code"].get<long long>());
      if (err.contains("message") && err["message"].is_string()) {
        e.detail = err["message"].get<std::string>();
      }
      e.body = body;
      return e;
    }
  }
  switch (reply.status) {
    case 400:
      e.code = error_invalid_parameter;
      break;
    case 404:
      e.code = error_not_found;
      break;
    case 409:
      e.code = error_invalid_state;
      break;
    case 503:
      e.code = error_cluster_node_not_ready;
      break;
    default:
      e.code = error_gen_failure;
      break;
  }
  e.detail = "the node answered HTTP " + std::to_string(reply.status);
  if (body.is_string())
    e.detail += ": " + body.get<std::string>();
  return e;
}

cli_error cli_error::unreachable(std::string detail) {
  return make(error_connection_refused, std::move(detail));
}

nlohmann::json cli_error::to_json() const {
  if (!body.is_null())
    return body;
  nlohmann::json err = {{"code", code}, {"name", win32_error_name(code)}};
  err["message"] = detail.empty() ? std::string(win32_error_message(code)) : detail;
  return nlohmann::json{{"error", err}};
}

int exit_status(std::uint32_t code) {
  return platform::exit_code_for(code);
}

}  // namespace wolfpack::cluster_cli
