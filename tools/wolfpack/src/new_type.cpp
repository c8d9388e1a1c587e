#include "wolfpack/tool/new_type.hpp"

#include <cctype>
#include <fstream>
#include <system_error>

#include "wolfpack/tool/templates.hpp"

namespace wolfpack::tool {

namespace fs = std::filesystem;

namespace {

bool is_alpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// "My Disk-2.0" -> {"My", "Disk", "2", "0"}
std::vector<std::string> words_of(std::string_view name) {
  std::vector<std::string> words(1);
  for (char c : name) {
    if (is_alnum(c)) {
      words.back().push_back(c);
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty())
    words.pop_back();
  return words;
}

}  // namespace

result<plugin_language> parse_language(std::string_view text) {
  if (text == "c")
    return plugin_language::c;
  if (text == "cpp" || text == "c++")
    return plugin_language::cpp;
  return fail("--lang must be 'c' or 'cpp', not '" + std::string(text) + "'");
}

result<type_names> derive_names(std::string_view name) {
  if (name.empty())
    return fail("the type name is empty");
  for (char c : name) {
    if (c == '/' || c == '\\')
      return fail("the type name '" + std::string(name) + "' contains a path separator");
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      return fail("the type name contains a control character");
    if (!is_alnum(c) && c != ' ' && c != '-' && c != '_' && c != '.') {
      return fail("the type name '" + std::string(name) + "' contains '" + std::string(1, c) +
                  "'; use letters, digits, space, '-', '_' and '.'");
    }
  }
  if (!is_alpha(name.front()))
    return fail("the type name '" + std::string(name) + "' must start with a letter");
  if (name.size() > 64)
    return fail("the type name is longer than 64 characters");

  type_names n;
  n.type_name = std::string(name);
  std::string lower_joined;
  for (const auto& w : words_of(name)) {
    std::string cap = w;
    cap[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(cap[0])));
    n.symbol += cap;
    if (!n.macro.empty())
      n.macro += '_';
    if (!lower_joined.empty())
      lower_joined += '_';
    for (char c : w) {
      n.macro.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      lower_joined.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  n.target = "wp_" + lower_joined;
  n.directory = lower_joined;
  return n;
}

result<std::vector<generated_file>> render_project(const type_names& names,
                                                   plugin_language language) {
  const bool c = language == plugin_language::c;
  const std::string source = "src/" + names.directory + (c ? ".c" : ".cpp");
  const template_vars vars = {
      {"TYPE_NAME", names.type_name},
      {"SYMBOL", names.symbol},
      {"MACRO", names.macro},
      {"TARGET", names.target},
      {"PROJECT", names.symbol},
      {"SOURCE", source},
      {"LANGUAGE_NAME", c ? "C" : "C++"},
      {"WOLFPACK_VERSION", WP_TOOL_VERSION},
  };
  const std::pair<const char*, std::string> files[] = {
      {"common/CMakeLists.txt.in", "CMakeLists.txt"},
      {"common/tests_CMakeLists.txt.in", "tests/CMakeLists.txt"},
      {"common/README.md.in", "README.md"},
      {c ? "c/resource.c.in" : "cpp/resource.cpp.in", source},
  };
  std::vector<generated_file> out;
  for (const auto& [tpl, relative] : files) {
    auto text = find_template(tpl);
    if (!text)
      return fail(std::string("internal error: template ") + tpl + " is not embedded");
    auto rendered = render_template(*text, vars);
    if (!rendered)
      return fail(std::string("template ") + tpl + ": " + rendered.error());
    out.push_back({relative, std::move(rendered).value()});
  }
  return out;
}

result<fs::path> write_project(const new_type_options& options) {
  auto names = derive_names(options.name);
  if (!names)
    return fail(names.error());
  auto language = parse_language(options.lang);
  if (!language)
    return fail(language.error());
  const fs::path dir = options.dir.empty() ? fs::path(names->directory) : fs::path(options.dir);
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec))
      return fail("'" + dir.string() + "' exists and is not a directory");
    if (!fs::is_empty(dir, ec))
      return fail("'" + dir.string() + "' exists and is not empty; choose another --dir");
  }
  auto files = render_project(*names, *language);
  if (!files)
    return fail(files.error());
  for (const auto& f : *files) {
    const fs::path path = dir / f.relative;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
      return fail("cannot create '" + path.parent_path().string() + "': " + ec.message());
    std::ofstream stream(path, std::ios::binary);
    stream << f.text;
    if (!stream.flush())
      return fail("cannot write '" + path.string() + "'");
  }
  return dir;
}

}  // namespace wolfpack::tool
