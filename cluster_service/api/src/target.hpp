#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "wolfpack/common/result.hpp"

namespace wolfpack::api::detail {

struct parsed_target {
  std::vector<std::string> path;
  std::map<std::string, std::string> query;
};

// Splits an origin-form request target ("/groups/File%20Server?since=4") into segments and
// query parameters and percent-decodes each. Segments are split before decoding, so %2F
// stays inside its segment. A trailing slash adds no empty segment ("/groups/" is "/groups");
// '+' is a space in the query only. Fails on a bad escape ("%4", "%zz") or an escaped NUL,
// which no name may contain.
[[nodiscard]] result<parsed_target> parse_target(std::string_view target);

}  // namespace wolfpack::api::detail
