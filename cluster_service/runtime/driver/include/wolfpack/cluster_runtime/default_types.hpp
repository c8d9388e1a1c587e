#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "wolfpack/cluster_core/node_core.hpp"

namespace wolfpack::runtime {

// The MSCS resource type name of a plugin file's stem: "wp_genapp" -> "Generic Application".
// Stems outside the table lose their "wp_" and get a capital first letter ("wp_foo" -> "Foo").
std::string resource_type_name_for_plugin(std::string_view stem);

// The resource types a new cluster registers: every `wp_*` plugin file (platform suffix:
// .so, .dll, .dylib) directly in `plugin_dir`, named by resource_type_name_for_plugin, with
// the absolute path as dll. Sorted by name; a missing directory gives none. When two files
// give the same name (case-insensitively, as MSCS compares names), the first by file name
// is kept.
std::vector<cluster::default_resource_type> scan_default_types(
    const std::filesystem::path& plugin_dir);

// Where the plugins of this installation live: <dir of the executable>/../plugins
// (build/bin/clussvc -> build/plugins).
std::filesystem::path default_plugin_dir();

}  // namespace wolfpack::runtime
