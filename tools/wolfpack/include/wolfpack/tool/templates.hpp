#pragma once

// The new-type project templates (tools/wolfpack/templates), embedded at build time, and
// the small renderer that fills them in.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <wolfpack/common/result.hpp>

namespace wolfpack::tool {

struct embedded_template {
  std::string_view path;  // relative to tools/wolfpack/templates, e.g. "c/resource.c.in"
  std::string_view text;
};

// Every template, in the order tools/wolfpack/CMakeLists.txt lists them (generated code).
const std::vector<embedded_template>& embedded_templates();
std::optional<std::string_view> find_template(std::string_view path);

using template_vars = std::map<std::string, std::string, std::less<>>;

// Replaces each {{NAME}} by vars[NAME]. A name not in `vars`, or a "{{" without its "}}",
// is an error naming it and the line, so a broken template fails loudly in the tests.
result<std::string> render_template(std::string_view text, const template_vars& vars);

}  // namespace wolfpack::tool
