// `up --demo`: sample groups spread over the nodes. See lab_verbs.hpp.

#include "lab_verbs.hpp"

#include <map>

#include <wolfpack/http/percent_encoding.hpp>

#include "lab_api.hpp"
#include "wolfpack/common/platform/stop_flag.hpp"

namespace wolfpack::tool {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct demo_group {
  std::string name;
  std::string home;  // the node it is brought online on, first preferred owner
  std::vector<std::string> owners;
};

std::vector<demo_group> demo_groups(const lab_state& lab) {
  std::vector<demo_group> groups;
  const auto nodes = lab.node_names();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    demo_group g{"demo" + std::to_string(i + 1), nodes[i], {}};
    // Its own node first, then the next ones round the ring: failover spreads the groups
    // instead of piling them all onto node1.
    for (std::size_t k = 0; k < nodes.size(); ++k)
      g.owners.push_back(nodes[(i + k) % nodes.size()]);
    groups.push_back(std::move(g));
  }
  return groups;
}

status create_group(const std::string& api, const demo_group& g) {
  const std::string gpath = "/groups/" + http::encode_segment(g.name);
  auto exists = api_request(api, "GET", gpath);
  if (!exists)
    return fail(exists.error());
  if (exists->status == 200)
    return {};  // a lab started again keeps its groups; PersistentState brings them back
  if (auto st = api_do(api, "POST", "/groups", {{"name", g.name}}); !st)
    return st;
  const std::string disk = g.name + "-disk", ip = g.name + "-ip", app = g.name + "-app";
  for (const auto& r : {disk, ip, app}) {
    if (auto st =
            api_do(api, "POST", "/resources", {{"name", r}, {"group", g.name}, {"type", "Dummy"}});
        !st)
      return st;
  }
  for (const auto& provider : {disk, ip}) {
    if (auto st = api_do(api, "POST", "/resources/" + http::encode_segment(app) + "/dependencies",
                         {{"provider", provider}});
        !st)
      return st;
  }
  if (auto st = api_do(api, "PUT", gpath + "/owners", {{"nodes", g.owners}}); !st)
    return st;
  return api_do(api, "POST", gpath + "/online", {{"node", g.home}});
}

}  // namespace

status create_demo_groups(const lab_state& lab, lab_deadline deadline, std::ostream& out) {
  const std::string api = responsive_api(lab, "node1");
  if (api.empty())
    return fail("no node answers");
  const auto groups = demo_groups(lab);
  for (const auto& g : groups) {
    if (auto st = create_group(api, g); !st)
      return fail("group " + g.name + ": " + st.error());
  }
  std::map<std::string, std::string> states;
  const bool online = wait_until(
      [&] {
        if (platform::stop_flag::raised())
          return true;
        auto reply = api_call(api, "GET", "/groups", nullptr, 2s);
        if (!reply || !reply->contains("groups"))
          return false;
        states.clear();
        for (const auto& g : (*reply)["groups"])
          states[g.value("name", "")] = g.value("state", "?") + " on " + g.value("owner", "?");
        for (const auto& g : groups) {
          if (!states[g.name].starts_with("Online on "))
            return false;
        }
        return true;
      },
      deadline, 200ms);
  if (platform::stop_flag::raised())
    return fail("interrupted");
  if (!online) {
    std::string text = "not every demo group came online in time:";
    for (const auto& g : groups)
      text += " " + g.name + " (" + (states[g.name].empty() ? "?" : states[g.name]) + ")";
    return fail(text);
  }
  out << "Demo groups online:";
  for (const auto& g : groups)
    out << " " << g.name << " (" << states[g.name] << ")";
  out << "\n";
  return {};
}

}  // namespace wolfpack::tool
