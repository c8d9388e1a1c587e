// cluster.exe's text layout: a "Listing ..." heading, a blank line, column headers over dashed
// rules, fixed-width left-aligned columns; errors as "System error N has occurred (0x...)."
// followed by the message. Trailing blanks are not printed.
#pragma once

#include <ostream>

#include "wolfpack/cluster_cli/formatter.hpp"

namespace wolfpack::cluster_cli {

class text_output : public formatter {
 public:
  text_output(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}

  void announce(std::string_view line) override;
  void note(std::string_view line) override;
  void status(object_kind kind, const status_heading& heading,
              const nlohmann::json& objects) override;
  void resource_types(const std::optional<std::string>& name, const nlohmann::json& types) override;
  void properties(object_kind kind, bool private_properties, const std::optional<std::string>& name,
                  const nlohmann::json& objects) override;
  void owners(object_kind kind, std::string_view name, const std::vector<std::string>& nodes,
              const nlohmann::json& raw) override;
  void dependencies(std::string_view name, const nlohmann::json& resources,
                    const nlohmann::json& raw) override;
  void interfaces(object_kind owner, std::string_view name,
                  const nlohmann::json& interfaces) override;
  void network_priority(const std::vector<std::string>& networks, const nlohmann::json& raw,
                        bool heading) override;
  void quorum(const nlohmann::json& view) override;
  void version(const nlohmann::json& cluster) override;
  void clusters(const std::vector<std::string>& names) override;
  void action_result(const nlohmann::json& raw) override;
  void error(const cli_error& e) override;
  void help(std::string_view text) override;

 private:
  void line(std::string_view text);

  std::ostream& out_;
  std::ostream& err_;
};

// The word cluster.exe prints for a state: "Online", "Online Pending", "Partially Online",
// "Up", ... from the object's "state" (or its numeric "code" when there is no name).
std::string display_state(object_kind kind, const nlohmann::json& object);

}  // namespace wolfpack::cluster_cli
