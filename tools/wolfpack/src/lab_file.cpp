// lab.json: see lab.hpp.

#include "wolfpack/tool/lab.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "lab_api.hpp"

namespace wolfpack::tool {

namespace fs = std::filesystem;
using nlohmann::json;

lab_node* lab_state::find_node(std::string_view n) {
  auto it =
      std::find_if(nodes.begin(), nodes.end(), [&](const lab_node& x) { return x.name == n; });
  return it == nodes.end() ? nullptr : &*it;
}

const lab_node* lab_state::find_node(std::string_view n) const {
  return const_cast<lab_state*>(this)->find_node(n);
}

std::vector<std::string> lab_state::node_names() const {
  std::vector<std::string> names;
  for (const auto& n : nodes)
    names.push_back(n.name);
  return names;
}

node_faults lab_state::faults_of(const std::string& node) const {
  auto it = faults.find(node);
  return it == faults.end() ? node_faults{} : it->second;
}

void lab_state::set_faults(const std::string& node, node_faults f) {
  // An empty, applied set is the same as none; dropping it keeps lab.json readable.
  if (f.empty() && f.applied)
    faults.erase(node);
  else
    faults[node] = std::move(f);
}

json to_json(const lab_state& lab) {
  json nodes = json::array();
  for (const auto& n : lab.nodes) {
    json node = {{"name", n.name},
                 {"pid", n.pid},
                 {"state_dir", n.state_dir.string()},
                 {"api", n.api},
                 {"peer", n.peer}};
    if (!n.stale_sessions.empty())
      node["stale_sessions"] = n.stale_sessions;
    nodes.push_back(std::move(node));
  }
  json faults = json::object();
  for (const auto& [node, f] : lab.faults) {
    faults[node] = {{"block", f.block}, {"delay_ms", f.delay_ms}, {"applied", f.applied}};
  }
  const auto& s = lab.settings;
  json settings = {{"clussvc", s.clussvc.string()},
                   {"heartbeat_ms", s.heartbeat_ms},
                   {"threshold", s.threshold},
                   {"base_port", s.base_port},
                   {"log_level", s.log_level}};
  if (!s.quorum.empty())
    settings["quorum"] = s.quorum;
  return {{"name", lab.name},
          {"secret_file", lab.secret_file.string()},
          {"settings", settings},
          {"nodes", nodes},
          {"faults", faults}};
}

namespace {

// A field that is missing or of the wrong type. Thrown only inside lab_from_json, which turns
// it into a failure naming the field, so a hand-edited lab.json fails clearly.
struct bad_field {
  std::string message;
};

template <typename T>
T field(const json& obj, const std::string& where, const std::string& key) {
  if (!obj.contains(key))
    throw bad_field{where + ": '" + key + "' is missing"};
  try {
    return obj.at(key).get<T>();
  } catch (const json::exception&) {
    throw bad_field{where + ": '" + key + "' has the wrong type (" +
                    std::string(obj.at(key).type_name()) + ")"};
  }
}

template <typename T>
T field_or(const json& obj, const std::string& where, const std::string& key, T fallback) {
  return obj.contains(key) ? field<T>(obj, where, key) : fallback;
}

const json& object_at(const json& j, const std::string& where) {
  if (!j.is_object())
    throw bad_field{where + " must be an object"};
  return j;
}

lab_settings settings_from_json(const json& j) {
  const std::string w = "settings";
  object_at(j, w);
  lab_settings s;
  s.clussvc = field_or<std::string>(j, w, "clussvc", "");
  s.heartbeat_ms = field_or<std::uint32_t>(j, w, "heartbeat_ms", s.heartbeat_ms);
  s.threshold = field_or<std::uint32_t>(j, w, "threshold", s.threshold);
  s.quorum = field_or<std::string>(j, w, "quorum", "");
  s.base_port = field_or<std::uint16_t>(j, w, "base_port", 0);
  s.log_level = field_or<std::string>(j, w, "log_level", s.log_level);
  return s;
}

lab_node node_from_json(const json& j, std::size_t index) {
  const std::string w = "nodes[" + std::to_string(index) + "]";
  object_at(j, w);
  lab_node n;
  n.name = field<std::string>(j, w, "name");
  n.pid = field_or<int>(j, w, "pid", 0);
  n.state_dir = field<std::string>(j, w, "state_dir");
  n.api = field_or<std::string>(j, w, "api", "");
  n.peer = field_or<std::string>(j, w, "peer", "");
  n.stale_sessions = field_or<std::vector<int>>(j, w, "stale_sessions", {});
  return n;
}

node_faults faults_from_json(const json& j, const std::string& node) {
  const std::string w = "faults." + node;
  object_at(j, w);
  node_faults f;
  f.block = field_or<std::vector<std::string>>(j, w, "block", {});
  f.delay_ms = field_or<std::uint32_t>(j, w, "delay_ms", 0);
  f.applied = field_or<bool>(j, w, "applied", true);
  return f;
}

}  // namespace

result<lab_state> lab_from_json(const json& j, const fs::path& dir) {
  try {
    object_at(j, "the lab file");
    lab_state lab;
    lab.dir = dir;
    lab.name = field<std::string>(j, "lab", "name");
    lab.secret_file = field<std::string>(j, "lab", "secret_file");
    if (j.contains("settings"))
      lab.settings = settings_from_json(j["settings"]);
    if (!j.contains("nodes") || !j["nodes"].is_array())
      return fail("'nodes' must be an array");
    for (std::size_t i = 0; i < j["nodes"].size(); ++i) {
      lab_node n = node_from_json(j["nodes"][i], i);
      if (lab.find_node(n.name) != nullptr)
        return fail("node '" + n.name + "' is listed twice");
      lab.nodes.push_back(std::move(n));
    }
    if (j.contains("faults")) {
      for (const auto& [node, f] : object_at(j["faults"], "faults").items()) {
        if (lab.find_node(node) == nullptr)
          return fail("faults name node '" + node + "', which is not in the lab");
        lab.faults[node] = faults_from_json(f, node);
      }
    }
    return lab;
  } catch (const bad_field& e) {
    return fail(e.message);
  }
}

result<std::optional<lab_state>> read_lab(const fs::path& dir) {
  const fs::path file = dir / lab_file_name;
  std::error_code ec;
  if (!fs::exists(file, ec))
    return std::optional<lab_state>();
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in)
    return fail("cannot read " + file.string());
  const json j = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return fail(file.string() + " is not valid JSON");
  auto lab = lab_from_json(j, dir);
  if (!lab)
    return fail(file.string() + ": " + lab.error());
  return std::optional<lab_state>(std::move(lab).value());
}

status write_lab(const lab_state& lab) {
  const fs::path file = lab.dir / lab_file_name;
  const fs::path temp = lab.dir / (std::string(lab_file_name) + ".new");
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << to_json(lab).dump(2) << '\n';
    out.flush();
    if (!out)
      return fail("cannot write " + temp.string());
  }
  std::error_code ec;
  fs::rename(temp, file, ec);
  if (ec)
    return fail("cannot rename " + temp.string() + " to " + file.string() + ": " + ec.message());
  return {};
}

result<lab_state> load_lab(const fs::path& dir) {
  auto lab = read_lab(dir);
  if (!lab)
    return fail(lab.error());
  if (!lab->has_value()) {
    return fail("no lab in " + dir.string() + " (no " + std::string(lab_file_name) +
                "); start one with 'wolfpack up --nodes N --dir " + dir.string() + "'");
  }
  // Without the secret the verbs that only signal processes (down, node kill) still work;
  // those that call the API are refused by the nodes, which say why.
  (void)use_secret_file((*lab)->secret_file);
  return std::move(**lab);
}

}  // namespace wolfpack::tool
