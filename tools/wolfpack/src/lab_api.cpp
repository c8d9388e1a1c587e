// Calls to a lab node's API: see lab_api.hpp.

#include "lab_api.hpp"

#include <utility>

#include <wolfpack/cluster_transport/api_key.hpp>
#include <wolfpack/common/endpoint.hpp>
#include <wolfpack/http/client.hpp>

namespace wolfpack::tool {
namespace {

std::string& api_key_slot() {
  static std::string key;
  return key;
}

}  // namespace

void use_api_key(std::string key) {
  api_key_slot() = std::move(key);
}

const std::string& current_api_key() {
  return api_key_slot();
}

status use_secret_file(const std::filesystem::path& file) {
  auto secret = cluster_transport::read_secret_file(file, "the lab's secret");
  if (!secret)
    return fail(secret.error());
  use_api_key(cluster_transport::api_key_for(*secret));
  return {};
}

result<api_reply> api_request(const std::string& host_port, std::string_view method,
                              std::string_view target, const nlohmann::json* body,
                              std::chrono::milliseconds timeout) {
  auto ep = parse_endpoint("tcp:" + host_port);
  if (!ep)
    return fail("bad API address '" + host_port + "': " + ep.error());
  auto client = http::client::connect(*ep, timeout);
  if (!client)
    return fail(client.error());
  client->set_api_key(current_api_key());
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
