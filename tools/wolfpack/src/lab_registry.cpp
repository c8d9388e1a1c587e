// Lab registrations: see lab_registry.hpp.

#include "lab_registry.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>
#include <wolfpack/cluster_cli/cluster_address.hpp>
#include <wolfpack/common/platform/files.hpp>

#include "lab_api.hpp"

namespace wolfpack::tool {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> real_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v == nullptr ? std::nullopt : std::optional<std::string>(v);
}

}  // namespace

fs::path registration_file(const std::string& name) {
  return cluster_cli::wolfpack_home(real_env) / "clusters" / (name + ".json");
}

std::optional<fs::path> registered_lab_dir(const std::string& name) {
  std::ifstream in(registration_file(name), std::ios::binary);
  if (!in)
    return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  const auto j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("lab_dir") || !j["lab_dir"].is_string())
    return std::nullopt;
  return fs::path(j["lab_dir"].get<std::string>());
}

status register_lab(const lab_state& lab) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& n : lab.nodes) {
    if (!n.api.empty())
      nodes.push_back({{"name", n.name}, {"api", n.api}});
  }
  nlohmann::json reg = {{"name", lab.name}, {"lab_dir", lab.dir.string()}, {"nodes", nodes}};
  // `cluster /cluster:NAME` and OpenCluster(NAME) find the key here.
  if (!current_api_key().empty())
    reg["api_key"] = current_api_key();
  const fs::path file = registration_file(lab.name);
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec)
    return fail("cannot create " + file.parent_path().string() + ": " + ec.message());
  const fs::path temp = file.string() + ".new";
  // The key opens the cluster's API: readable by this user only, from the start. A temp file
  // left by an interrupted registration is replaced.
  fs::remove(temp, ec);
  if (auto st = platform::create_private_file(temp, reg.dump(2) + "\n"); !st)
    return fail(st.error());
  fs::rename(temp, file, ec);
  if (ec)
    return fail("cannot rename " + temp.string() + " to " + file.string() + ": " + ec.message());
  return {};
}

std::vector<std::string> unregister_other_names(const lab_state& lab) {
  std::vector<std::string> removed;
  const auto current = registration_file(lab.name);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(current.parent_path(), ec)) {
    const auto& path = entry.path();
    if (path.extension() != ".json" || path.filename() == current.filename())
      continue;
    const auto name = path.stem().string();
    const auto dir = registered_lab_dir(name);
    // On a file system that ignores case, NAME.json and name.json are one file.
    std::error_code same_ec;
    if (!dir || *dir != lab.dir || fs::equivalent(path, current, same_ec))
      continue;
    std::error_code rm_ec;
    if (fs::remove(path, rm_ec))
      removed.push_back(name);
  }
  return removed;
}

bool unregister_lab(const lab_state& lab) {
  const auto dir = registered_lab_dir(lab.name);
  if (!dir || *dir != lab.dir)
    return false;
  std::error_code ec;
  return fs::remove(registration_file(lab.name), ec);
}

}  // namespace wolfpack::tool
