// `wolfpack new-type`: see new_type.hpp.

#include <CLI/CLI.hpp>

#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/new_type.hpp"

namespace wolfpack::tool {

CLI::App* add_new_type_command(CLI::App& app, new_type_options& options) {
  auto* sub =
      app.add_subcommand("new-type",
                         "Write a buildable plugin project (CMake, source, README, test) for a new "
                         "resource type");
  sub->add_option("name", options.name, "Resource type name, as Startup will compare it")
      ->required();
  sub->add_option("--dir", options.dir,
                  "Project directory (default: from the name); must be "
                  "absent or empty");
  sub->add_option("--lang", options.lang, "Plugin language: c or cpp")->default_str("c");
  return sub;
}

int run_new_type(const new_type_options& options, std::ostream& out, std::ostream& err) {
  auto dir = write_project(options);
  if (!dir) {
    err << "wolfpack new-type: " << dir.error() << "\n";
    return exit_usage;
  }
  const std::string d = dir->string();
  out << "Wrote resource type '" << options.name << "' (" << options.lang << ") to " << d << "\n\n"
      << "  cmake -S " << d << " -B " << d << "/build -DCMAKE_PREFIX_PATH=<wolfpack build or "
      << "install prefix>\n"
      << "  cmake --build " << d << "/build\n"
      << "  ctest --test-dir " << d << "/build --output-on-failure\n";
  return exit_ok;
}

}  // namespace wolfpack::tool
