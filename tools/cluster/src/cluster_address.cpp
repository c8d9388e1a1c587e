#include "wolfpack/cluster_cli/cluster_address.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>
#include <wolfpack/common/platform/paths.hpp>

namespace wolfpack::cluster_cli {
namespace {

constexpr std::uint32_t error_invalid_data = 13;

std::variant<cluster_target, cli_error> read_registration(const std::string& name,
                                                          const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return cli_error::make(error_file_not_found,
                           "Cluster '" + name + "' is not registered: " + file.string() +
                               " does not exist. Give /cluster:HOST:PORT, or start the cluster "
                               "with the lab launcher.");
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    return cli_error::make(error_invalid_data, "Cannot read " + file.string() + ".");
  }
  const auto json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("nodes") || !json["nodes"].is_array()) {
    return cli_error::make(error_invalid_data,
                           file.string() +
                               " is not a cluster registration ({\"name\":..., "
                               "\"nodes\":[{\"name\":..., \"api\":\"HOST:PORT\"}]}).");
  }
  cluster_target target;
  target.name = name;
  for (const auto& node : json["nodes"]) {
    if (node.is_object() && node.contains("api") && node["api"].is_string()) {
      target.addresses.push_back(node["api"].get<std::string>());
    }
  }
  if (target.addresses.empty()) {
    return cli_error::make(error_invalid_data,
                           file.string() + " lists no node with an \"api\" address.");
  }
  if (const auto lab = json.find("lab_dir"); lab != json.end() && lab->is_string())
    target.lab_dir = lab->get<std::string>();
  if (const auto key = json.find("api_key"); key != json.end()) {
    if (!key->is_string())
      return cli_error::make(error_invalid_data, file.string() + ": \"api_key\" is not a string.");
    target.api_key = key->get<std::string>();
  }
  return target;
}

// An address given as such belongs to a registered cluster when one of its nodes serves there:
// its key goes with it, so that `/cluster:127.0.0.1:PORT` works on a lab as its name does.
std::string key_of_registered_address(const std::string& address, const getenv_fn& env) {
  for (const auto& name : registered_clusters(env)) {
    auto found = read_registration(name, wolfpack_home(env) / "clusters" / (name + ".json"));
    if (const auto* target = std::get_if<cluster_target>(&found)) {
      for (const auto& a : target->addresses)
        if (a == address)
          return target->api_key;
    }
  }
  return {};
}

}  // namespace

bool looks_like_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size())
    return false;
  const auto port = text.substr(colon + 1);
  return std::all_of(port.begin(), port.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::filesystem::path wolfpack_home(const getenv_fn& env) {
  if (auto home = env("WOLFPACK_HOME"); home && !home->empty())
    return *home;
  if (auto home = env(platform::home_variable()); home && !home->empty()) {
    return std::filesystem::path(*home) / ".wolfpack";
  }
  return ".wolfpack";
}

std::variant<cluster_target, cli_error> resolve_cluster(const std::optional<std::string>& given,
                                                        const getenv_fn& env) {
  std::optional<std::string> name = given;
  if (!name || name->empty())
    name = env("WOLFPACK_CLUSTER");
  if (!name || name->empty()) {
    return cli_error::make(error_invalid_parameter,
                           "No cluster given: use /cluster:NAME or /cluster:HOST:PORT, or set "
                           "WOLFPACK_CLUSTER.");
  }
  std::variant<cluster_target, cli_error> resolved =
      looks_like_address(*name)
          ? cluster_target{*name, {*name}, key_of_registered_address(*name, env), std::string()}
          : read_registration(*name, wolfpack_home(env) / "clusters" / (*name + ".json"));
  if (auto* target = std::get_if<cluster_target>(&resolved)) {
    if (auto key = env("WOLFPACK_API_KEY"); key && !key->empty())
      target->api_key = *key;
  }
  return resolved;
}

std::vector<std::string> registered_clusters(const getenv_fn& env) {
  std::vector<std::string> names;
  std::error_code ec;
  const auto dir = wolfpack_home(env) / "clusters";
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json")
      names.push_back(it->path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace wolfpack::cluster_cli
