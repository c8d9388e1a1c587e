#pragma once

// One-shot calls to a lab node's HTTP API (docs/api.md). A verb makes a handful of calls,
// so each opens its own connection; a frozen node answers nothing, hence the short timeouts.

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <wolfpack/common/result.hpp>

namespace wolfpack::tool {

inline constexpr std::chrono::milliseconds api_timeout{3000};

// The key every call (and event stream) of this process sends: a tool process works on one
// lab, whose secret gives the key. Empty sends none.
void use_api_key(std::string key);
const std::string& current_api_key();
// use_api_key with the key of the lab whose secret is in `file`; errors name the file.
status use_secret_file(const std::filesystem::path& file);

struct api_reply {
  int status = 0;
  nlohmann::json body;
};

// Any HTTP status is a reply; failures are transport problems ("node1 (127.0.0.1:7001):
// cannot connect ...").
result<api_reply> api_request(const std::string& host_port, std::string_view method,
                              std::string_view target, const nlohmann::json* body = nullptr,
                              std::chrono::milliseconds timeout = api_timeout);

// 2xx: the body. Otherwise a failure with the API's error name and message.
result<nlohmann::json> api_call(const std::string& host_port, std::string_view method,
                                std::string_view target, const nlohmann::json* body = nullptr,
                                std::chrono::milliseconds timeout = api_timeout);

// api_call for a verb that needs only success or the failure.
status api_do(const std::string& host_port, std::string_view method, std::string_view target,
              const nlohmann::json& body,
              std::chrono::milliseconds timeout = std::chrono::seconds(10));

// "ERROR_GROUP_NOT_FOUND: group 'X' does not exist (HTTP 404)".
std::string api_error_text(const api_reply& reply);

}  // namespace wolfpack::tool
