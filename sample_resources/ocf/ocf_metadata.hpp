#pragma once

// The parameters an OCF agent describes in its meta-data XML. A small scanner, not an XML
// parser: it reads the <parameter name=".." required=".."> elements and their <content
// type=".." default=".."/>, which is all the property formats need.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wolfpack::samples::ocf {

struct parameter_info {
  std::string name;
  bool required = false;
  std::string type;  // "string", "integer", "boolean", ... ("" when not given)
  std::string default_value;
};

// nullopt when the text has no <resource-agent> element.
std::optional<std::vector<parameter_info>> parse_metadata(std::string_view xml);

}  // namespace wolfpack::samples::ocf
