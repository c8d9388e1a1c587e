#include "wolfpack/cluster_cli/json_output.hpp"

namespace wolfpack::cluster_cli {

void json_output::print(const nlohmann::json& document) {
  out_ << document.dump(2) << '\n';
}

void json_output::announce(std::string_view line) {
  (void)line;
}

void json_output::note(std::string_view line) {
  (void)line;
}

void json_output::status(object_kind kind, const status_heading& heading,
                         const nlohmann::json& objects) {
  (void)kind;
  // One object asked for (or acted on): that object, as GET /x/{name} gives it.
  const bool single =
      heading.which == status_heading::scope::one || heading.which == status_heading::scope::none;
  if (single && objects.is_array() && objects.size() == 1) {
    print(objects.front());
  } else {
    print(objects);
  }
}

void json_output::resource_types(const std::optional<std::string>& name,
                                 const nlohmann::json& types) {
  if (name && types.is_array() && types.size() == 1) {
    print(types.front());
  } else {
    print(types);
  }
}

void json_output::properties(object_kind kind, bool private_properties,
                             const std::optional<std::string>& name,
                             const nlohmann::json& objects) {
  (void)kind;
  (void)private_properties;
  if (name && objects.is_array() && objects.size() == 1) {
    print(objects.front());
  } else {
    print(objects);
  }
}

void json_output::owners(object_kind kind, std::string_view name,
                         const std::vector<std::string>& nodes, const nlohmann::json& raw) {
  (void)kind;
  (void)name;
  print(raw.is_null() ? nlohmann::json{{"nodes", nodes}} : raw);
}

void json_output::dependencies(std::string_view name, const nlohmann::json& resources,
                               const nlohmann::json& raw) {
  (void)name;
  (void)resources;
  print(raw);
}

void json_output::interfaces(object_kind owner, std::string_view name,
                             const nlohmann::json& interfaces) {
  (void)owner;
  (void)name;
  print(interfaces);
}

void json_output::network_priority(const std::vector<std::string>& networks,
                                   const nlohmann::json& raw, bool heading) {
  (void)heading;
  print(raw.is_object() ? raw : nlohmann::json{{"networks", networks}});
}

void json_output::quorum(const nlohmann::json& view) {
  print(view);
}

void json_output::version(const nlohmann::json& cluster) {
  print(nlohmann::json{{"name", cluster.value("name", "")},
                       {"version", cluster.value("version", nlohmann::json::object())},
                       {"vendor", "Wolfpack"}});
}

void json_output::clusters(const std::vector<std::string>& names) {
  print(nlohmann::json{{"clusters", names}});
}

void json_output::action_result(const nlohmann::json& raw) {
  if (!raw.is_null())
    print(raw);
}

void json_output::error(const cli_error& e) {
  err_ << e.to_json().dump(2) << '\n';
}

void json_output::help(std::string_view text) {
  out_ << text;
}

}  // namespace wolfpack::cluster_cli
