// Building request targets and reading list answers of docs/api.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_cli/command.hpp"

namespace wolfpack::cluster_cli {

// Percent-encodes one path segment ("File Server" → "File%20Server"); unreserved characters
// (RFC 3986) stay as they are.
std::string encode_segment(std::string_view text);

// "/nodes", "/groups", "/resources", "/resourcetypes", "/networks", "/netinterfaces" (the
// cluster has no collection: "/cluster").
std::string_view collection_path(object_kind kind);

// "/groups/File%20Server" etc.; for the cluster itself "/cluster".
std::string object_path(object_kind kind, std::string_view name);

// "/netinterfaces", narrowed by "?node=N&network=NET" for those given.
std::string interfaces_path(const std::optional<std::string>& node,
                            const std::optional<std::string>& network);

// A list answer as an array: the body itself when it is one, else the array under the
// collection's key ({"resources":[...]}) or under "items". Anything else gives [].
nlohmann::json as_list(const nlohmann::json& body, object_kind kind);

// ASCII case-insensitive equality (names are case-insensitive in MSCS).
bool same_name(std::string_view a, std::string_view b);

}  // namespace wolfpack::cluster_cli
