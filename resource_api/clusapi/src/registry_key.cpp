#include "registry_key.hpp"

#include <utility>

#include "wolfpack/http/percent_encoding.hpp"
#include "wolfpack/reg_codec/typed_reg_value.hpp"
#include "wolfpack/wide_string.hpp"

namespace wolfpack::clusapi {

namespace {

// A key that was there when its handle was made and is not now: as a deleted registry key.
DWORD gone_is_deleted(DWORD error) {
  return error == ERROR_FILE_NOT_FOUND ? ERROR_KEY_DELETED : error;
}

}  // namespace

registry_key::registry_key(std::shared_ptr<connection> conn, std::string path)
    : conn_(std::move(conn)), path_(std::move(path)) {}

std::string registry_key::below(std::wstring_view subkey) const {
  // Empty components ("A\\\\B", a trailing backslash) are skipped, as for a local key.
  std::string out = path_;
  std::string part;
  auto flush = [&] {
    if (part.empty())
      return;
    if (!out.empty())
      out += '\\';
    out += part;
    part.clear();
  };
  const std::string utf8 = to_utf8(subkey);
  for (char c : utf8) {
    if (c == '\\')
      flush();
    else
      part += c;
  }
  flush();
  return out;
}

std::string registry_key::query(std::string_view key) const {
  return "?key=" + http::encode_segment(key);
}

LONG registry_key::read(remote_key_listing& out) {
  const auto answer = conn_->request("GET", "/registry" + query(path_));
  if (!answer.ok())
    return static_cast<LONG>(gone_is_deleted(answer.error));
  out = {};
  try {
    for (const auto& name : answer.body.at("subkeys"))
      out.subkeys.push_back(from_utf8(name.get<std::string>()));
    for (const auto& entry : answer.body.at("values")) {
      auto value = parse_typed_value(
          nlohmann::json{{"type", entry.at("type")}, {"value", entry.at("value")}});
      if (!value)
        return ERROR_INVALID_DATA;
      out.values.emplace_back(from_utf8(entry.at("name").get<std::string>()), to_reg_value(*value));
    }
  } catch (const nlohmann::json::exception&) {
    return ERROR_INVALID_DATA;  // the node answered something that is not a key
  }
  return ERROR_SUCCESS;
}

LONG registry_key::open(std::wstring_view subkey, bool create,
                        std::shared_ptr<remote_registry_key>& out, bool* created) {
  const std::string path = below(subkey);
  if (create) {
    const nlohmann::json body{{"key", path}};
    const auto answer = conn_->request("POST", "/registry/keys", &body);
    if (!answer.ok())
      return static_cast<LONG>(answer.error);
    if (created)
      *created = answer.body.value("created", false);
  } else {
    const auto answer = conn_->request("GET", "/registry" + query(path));
    if (!answer.ok())
      return static_cast<LONG>(answer.error);
  }
  out = std::make_shared<registry_key>(conn_, path);
  return ERROR_SUCCESS;
}

LONG registry_key::delete_subkey(std::wstring_view subkey) {
  const auto answer = conn_->request("DELETE", "/registry/keys" + query(below(subkey)));
  return static_cast<LONG>(answer.error);
}

LONG registry_key::set_value(std::wstring_view name, const reg_value& value) {
  const nlohmann::json body{
      {"key", path_}, {"name", to_utf8(name)}, {"value", to_json(from_reg_value(value))}};
  const auto answer = conn_->request("PUT", "/registry/values", &body);
  return static_cast<LONG>(gone_is_deleted(answer.error));
}

LONG registry_key::delete_value(std::wstring_view name) {
  const auto answer = conn_->request(
      "DELETE", "/registry/values" + query(path_) + "&name=" + http::encode_segment(to_utf8(name)));
  return static_cast<LONG>(answer.error);
}

}  // namespace wolfpack::clusapi
