#include "wolfpack/cluster_cli/api_paths.hpp"

#include <cctype>

namespace wolfpack::cluster_cli {

std::string encode_segment(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0xF];
    }
  }
  return out;
}

std::string_view collection_path(object_kind kind) {
  switch (kind) {
    case object_kind::node:
      return "/nodes";
    case object_kind::group:
      return "/groups";
    case object_kind::resource:
      return "/resources";
    case object_kind::resource_type:
      return "/resourcetypes";
    case object_kind::network:
      return "/networks";
    case object_kind::netinterface:
      return "/netinterfaces";
    case object_kind::cluster:
      return "/cluster";
  }
  return "/";
}

std::string object_path(object_kind kind, std::string_view name) {
  if (kind == object_kind::cluster)
    return "/cluster";
  return std::string(collection_path(kind)) + "/" + encode_segment(name);
}

std::string interfaces_path(const std::optional<std::string>& node,
                            const std::optional<std::string>& network) {
  std::string target(collection_path(object_kind::netinterface));
  char separator = '?';
  if (node) {
    target += separator + std::string("node=") + encode_segment(*node);
    separator = '&';
  }
  if (network)
    target += separator + std::string("network=") + encode_segment(*network);
  return target;
}

nlohmann::json as_list(const nlohmann::json& body, object_kind kind) {
  if (body.is_array())
    return body;
  if (body.is_object()) {
    const std::string key(collection_path(kind).substr(1));
    if (body.contains(key) && body[key].is_array())
      return body[key];
    if (body.contains("items") && body["items"].is_array())
      return body["items"];
  }
  return nlohmann::json::array();
}

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace wolfpack::cluster_cli
