#include "wolfpack/cluster_runtime/default_types.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <system_error>

#include "wolfpack/common/logging.hpp"
#include "wolfpack/common/platform/paths.hpp"
#include "wolfpack/common/platform/shared_library.hpp"

namespace wolfpack::runtime {
namespace {

namespace fs = std::filesystem;

struct known_plugin {
  std::string_view stem;
  std::string_view type;
};

// The sample plugins and the MSCS resource types they implement.
constexpr known_plugin known_plugins[] = {
    {"wp_dummy", "Dummy"},
    {"wp_genapp", "Generic Application"},
    {"wp_genscript", "Generic Script"},
    {"wp_ipaddr", "IP Address"},
    {"wp_netname", "Network Name"},
    {"wp_disk", "Physical Disk"},
    {"wp_fileshare", "File Share"},
    {"wp_fsw", "File Share Witness"},
    {"wp_ocf", "OCF Agent"},
};

std::string fold(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::string resource_type_name_for_plugin(std::string_view stem) {
  for (const auto& k : known_plugins) {
    if (k.stem == stem) {
      return std::string(k.type);
    }
  }
  std::string name(stem.starts_with("wp_") ? stem.substr(3) : stem);
  if (!name.empty()) {
    name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  }
  return name;
}

std::vector<cluster::default_resource_type> scan_default_types(const fs::path& plugin_dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::directory_iterator it(plugin_dir, ec);
  if (ec) {
    log::warn("runtime", "no default resource types: cannot list plugin directory '{}': {}",
              plugin_dir.string(), ec.message());
    return {};
  }
  const std::string suffix(platform::plugin_suffix());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      log::warn("runtime", "listing plugin directory '{}' stopped: {}", plugin_dir.string(),
                ec.message());
      break;
    }
    const fs::path& p = it->path();
    const std::string file = p.filename().string();
    std::error_code type_ec;
    if (!file.starts_with("wp_") || p.extension().string() != suffix ||
        file.size() <= 3 + suffix.size() || !it->is_regular_file(type_ec)) {
      continue;
    }
    files.push_back(p);
  }
  // Directory order differs between file systems; the first of two clashing files must not.
  std::sort(files.begin(), files.end());

  std::vector<cluster::default_resource_type> types;
  std::set<std::string> names;
  for (const auto& p : files) {
    cluster::default_resource_type t;
    t.name = resource_type_name_for_plugin(p.stem().string());
    if (!names.insert(fold(t.name)).second) {
      log::warn("runtime", "plugin '{}' gives the resource type name '{}' again: skipped",
                p.string(), t.name);
      continue;
    }
    t.dll = fs::absolute(p).lexically_normal().string();
    t.display_name = t.name;
    types.push_back(std::move(t));
  }
  std::sort(types.begin(), types.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return types;
}

fs::path default_plugin_dir() {
  return (platform::executable_dir() / ".." / "plugins").lexically_normal();
}

}  // namespace wolfpack::runtime
