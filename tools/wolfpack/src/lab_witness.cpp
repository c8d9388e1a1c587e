// `up --quorum disk|share`: the lab's witness. See lab_verbs.hpp.

#include <filesystem>
#include <system_error>

#include <wolfpack/http/percent_encoding.hpp>

#include "lab_api.hpp"
#include "lab_nodes.hpp"
#include "lab_verbs.hpp"

namespace wolfpack::tool {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* witness_group = "Cluster Group";
constexpr const char* witness_name = "Witness";
// The disk the lab's witness lives on: storage/DISK-0000C1A5 in the lab's shared directory.
constexpr std::uint32_t witness_disk_signature = 0xC1A5;

status ensure_group(const std::string& api) {
  auto exists = api_request(api, "GET", "/groups/" + http::encode_segment(witness_group));
  if (!exists)
    return fail(exists.error());
  if (exists->status == 200)
    return {};
  return api_do(api, "POST", "/groups", {{"name", witness_group}});
}

}  // namespace

status configure_witness(const lab_state& lab, lab_deadline deadline, std::ostream& out) {
  const std::string api = responsive_api(lab, "node1");
  if (api.empty())
    return fail("no node answers");
  auto current = api_call(api, "GET", "/cluster/quorum");
  if (!current)
    return fail(current.error());
  if (current->value("type", "") == "NodeAndWitnessMajority") {
    out << "Quorum: node and witness majority, witness " << current->value("resource", "?")
        << " (kept)\n";
    return {};
  }
  const bool disk = lab.settings.quorum == "disk";
  json parameters;
  if (disk) {
    parameters = {{"Signature", witness_disk_signature}, {"DiskArbInterval", 1}};
  } else {
    const auto share = lab.dir / "shared" / "witness";
    std::error_code ec;
    std::filesystem::create_directories(share, ec);
    if (ec)
      return fail("cannot create the witness share " + share.string() + ": " + ec.message());
    parameters = {{"SharePath", share.string()}, {"ArbitrationDelay", 0}};
  }
  if (auto st = ensure_group(api); !st)
    return st;
  const std::string rpath = "/resources/" + http::encode_segment(witness_name);
  auto exists = api_request(api, "GET", rpath);
  if (!exists)
    return fail(exists.error());
  if (exists->status != 200) {
    if (auto st = api_do(api, "POST", "/resources",
                         {{"name", witness_name},
                          {"group", witness_group},
                          {"type", disk ? "Physical Disk" : "File Share Witness"}});
        !st)
      return st;
  }
  // The plugin validates the values, so the resource must be open on its group's owner: it
  // is shortly after it was created.
  status set = fail("no answer");
  wait_until(
      [&] {
        set = api_do(api, "PUT", rpath + "/private", {{"properties", parameters}});
        return static_cast<bool>(set);
      },
      deadline, 200ms);
  if (!set)
    return fail("resource " + std::string(witness_name) + ": " + set.error());
  if (auto st = api_do(api, "PUT", "/cluster/quorum", {{"resource", witness_name}}); !st)
    return st;
  out << "Quorum: node and witness majority, witness " << witness_name << " ("
      << (disk ? "Physical Disk" : "File Share Witness") << ")\n";
  return {};
}

}  // namespace wolfpack::tool
