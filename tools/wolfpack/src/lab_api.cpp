// Calls to a lab node's API: see lab_api.hpp.

#include "lab_api.hpp"

#include <wolfpack/common/endpoint.hpp>
#include <wolfpack/http/client.hpp>

namespace wolfpack::tool {

result<api_reply> api_request(const std::string& host_port, std::string_view method,
                              std::string_view target, const nlohmann::json* body,
                              std::chrono::milliseconds timeout) {
  auto ep = parse_endpoint("tcp:" + host_port);
  if (!ep)
    return fail("bad API address '" + host_port + "': " + ep.error());
  auto client = http::client::connect(*ep, timeout);
  if (!client)
    return fail(client.error());
  auto reply = client->request(method, target, body, timeout);
  if (!reply)
    return fail(std::string(method) + " " + std::string(target) + " on " + host_port + ": " +
                reply.error());
  return api_reply{reply->status, std::move(reply->body)};
}

std::string api_error_text(const api_reply& reply) {
  const auto& e = reply.body.is_object() && reply.body.contains("error") ? reply.body["error"]
                                                                         : nlohmann::json();
  std::string text;
  if (e.is_object() && e.contains("name") && e["name"].is_string())
    text = e["name"].get<std::string>() + ": ";
  if (e.is_object() && e.contains("message") && e["message"].is_string())
    text += e["message"].get<std::string>();
  else
    text += "no error message";
  return text + " (HTTP " + std::to_string(reply.status) + ")";
}

result<nlohmann::json> api_call(const std::string& host_port, std::string_view method,
                                std::string_view target, const nlohmann::json* body,
                                std::chrono::milliseconds timeout) {
  auto reply = api_request(host_port, method, target, body, timeout);
  if (!reply)
    return fail(reply.error());
  if (reply->status < 200 || reply->status > 299)
    return fail(std::string(method) + " " + std::string(target) + ": " + api_error_text(*reply));
  return std::move(reply->body);
}

status api_do(const std::string& host_port, std::string_view method, std::string_view target,
              const nlohmann::json& body, std::chrono::milliseconds timeout) {
  auto reply = api_call(host_port, method, target, &body, timeout);
  return reply ? status{} : status(fail(reply.error()));
}

}  // namespace wolfpack::tool
