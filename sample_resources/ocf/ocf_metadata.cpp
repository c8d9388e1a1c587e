#include "ocf_metadata.hpp"

namespace wolfpack::samples::ocf {
namespace {

// The value of attribute `name` in the tag text `tag` ("" when absent). Attribute values
// are quoted with " or '.
std::string attribute(std::string_view tag, std::string_view name) {
  std::size_t pos = 0;
  while ((pos = tag.find(name, pos)) != std::string_view::npos) {
    const bool starts = pos > 0 && (tag[pos - 1] == ' ' || tag[pos - 1] == '\t' ||
                                    tag[pos - 1] == '\n' || tag[pos - 1] == '\r');
    std::size_t i = pos + name.size();
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\t'))
      ++i;
    if (starts && i < tag.size() && tag[i] == '=') {
      ++i;
      while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\t'))
        ++i;
      if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
        const char quote = tag[i];
        const auto end = tag.find(quote, i + 1);
        if (end != std::string_view::npos)
          return std::string(tag.substr(i + 1, end - i - 1));
      }
      return {};
    }
    pos += name.size();
  }
  return {};
}

// The text of the tag opening at `open` (from '<' to '>'), or empty when unterminated.
std::string_view tag_at(std::string_view xml, std::size_t open) {
  const auto close = xml.find('>', open);
  return close == std::string_view::npos ? std::string_view{} : xml.substr(open, close - open + 1);
}

// The next "<element" at or after `from` followed by a blank, '/' or '>' (so that
// "<parameter" does not match "<parameters>").
std::size_t find_element(std::string_view xml, std::string_view element, std::size_t from) {
  const std::string open = "<" + std::string(element);
  while ((from = xml.find(open, from)) != std::string_view::npos) {
    const std::size_t after = from + open.size();
    if (after < xml.size() && (xml[after] == ' ' || xml[after] == '\t' || xml[after] == '\n' ||
                               xml[after] == '\r' || xml[after] == '>' || xml[after] == '/')) {
      return from;
    }
    from = after;
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<std::vector<parameter_info>> parse_metadata(std::string_view xml) {
  if (find_element(xml, "resource-agent", 0) == std::string_view::npos)
    return std::nullopt;
  std::vector<parameter_info> out;
  std::size_t pos = 0;
  while ((pos = find_element(xml, "parameter", pos)) != std::string_view::npos) {
    const std::string_view tag = tag_at(xml, pos);
    if (tag.empty())
      break;
    parameter_info p;
    p.name = attribute(tag, "name");
    p.required = attribute(tag, "required") == "1" || attribute(tag, "required") == "true";
    auto end = xml.find("</parameter>", pos);
    if (tag.ends_with("/>"))
      end = pos + tag.size();
    const auto content = find_element(xml, "content", pos);
    if (content != std::string_view::npos && content < end) {
      const std::string_view ctag = tag_at(xml, content);
      p.type = attribute(ctag, "type");
      p.default_value = attribute(ctag, "default");
    }
    if (!p.name.empty())
      out.push_back(std::move(p));
    pos += tag.size();
  }
  return out;
}

}  // namespace wolfpack::samples::ocf
