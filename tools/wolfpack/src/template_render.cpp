#include <algorithm>
#include <string>

#include "wolfpack/tool/templates.hpp"

namespace wolfpack::tool {

std::optional<std::string_view> find_template(std::string_view path) {
  const auto& all = embedded_templates();
  auto it = std::find_if(all.begin(), all.end(),
                         [path](const embedded_template& t) { return t.path == path; });
  if (it == all.end())
    return std::nullopt;
  return it->text;
}

result<std::string> render_template(std::string_view text, const template_vars& vars) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (;;) {
    const auto open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(text.substr(pos));
      return out;
    }
    out.append(text.substr(pos, open - pos));
    const auto line = 1 + std::count(text.begin(), text.begin() + open, '\n');
    const auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos)
      return fail("line " + std::to_string(line) + ": '{{' without '}}'");
    const std::string_view name = text.substr(open + 2, close - open - 2);
    auto it = vars.find(name);
    if (it == vars.end()) {
      return fail("line " + std::to_string(line) + ": unknown template variable '" +
                  std::string(name) + "'");
    }
    out.append(it->second);
    pos = close + 2;
  }
}

}  // namespace wolfpack::tool
