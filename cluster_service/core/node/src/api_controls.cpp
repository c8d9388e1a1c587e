// ClusterResourceControl and ClusterResourceTypeControl for the codes a plugin answers
// (characteristics, class info, required dependencies, private property reads, its own user
// codes): the control goes to a monitor, which applies the default processing when the
// plugin declines (SPEC 2.7 item 7). Codes the service answers itself from the database
// (common properties, private property writes) have their own routes.
#include "api_handler.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster {

namespace {

constexpr std::uint64_t max_out_size = 1u << 20;

// What a client may not send through /control: another object's codes, the internal
// notifications only the service sends, and the writes that must go through the database.
bool refused_code(std::uint32_t code, std::uint32_t object) {
  if (((code >> CLUSCTL_OBJECT_SHIFT) & CLUSCTL_OBJECT_MASK) != object)
    return true;
  if ((code & CLCTL_INTERNAL_MASK) != 0 && (code & CLCTL_USER_MASK) == 0)
    return true;
  const std::uint32_t clctl = code & 0x00FFFFFFu;
  if (clctl == CLCTL_SET_COMMON_PROPERTIES || clctl == CLCTL_VALIDATE_COMMON_PROPERTIES)
    return true;
  return object == CLUS_OBJECT_RESOURCE &&
         (clctl == CLCTL_SET_PRIVATE_PROPERTIES || clctl == CLCTL_VALIDATE_PRIVATE_PROPERTIES);
}

}  // namespace

std::optional<api_handler::control_call> api_handler::parse_control(const request& req,
                                                                    std::uint32_t object) {
  if (!check_body(req, {{"code", true, nlohmann::json::value_t::number_unsigned},
                        {"in", false, nlohmann::json::value_t::string},
                        {"out_size", false, nlohmann::json::value_t::number_unsigned}})) {
    return std::nullopt;
  }
  const auto code = req.body["code"].get<std::uint64_t>();
  const auto out_size = req.body.value("out_size", std::uint64_t{0});
  if (code > 0xFFFFFFFFu || out_size > max_out_size) {
    error(req, ERROR_INVALID_PARAMETER,
          code > 0xFFFFFFFFu ? "field 'code' is not a 32-bit control code"
                             : "field 'out_size' is larger than 1 MiB");
    return std::nullopt;
  }
  if (refused_code(static_cast<std::uint32_t>(code), object)) {
    error(req, ERROR_INVALID_FUNCTION,
          "control code " + std::to_string(code) +
              " is not one a client may send here (common properties, and private properties "
              "of resources, are written with PUT .../properties and PUT .../private)");
    return std::nullopt;
  }
  return control_call{static_cast<std::uint32_t>(code), req.body.value("in", std::string()),
                      static_cast<std::uint32_t>(out_size)};
}

void api_handler::reply_control(const request& req, const nlohmann::json& response) {
  // The plugin (or the monitor's default) answered: its status is the control's result,
  // ERROR_MORE_DATA with the size it needs included.
  if (response.value("exec", std::string()) == "completed") {
    return reply(req, 200,
                 {{"status", response.value("status", std::uint32_t{0})},
                  {"bytes_returned", response.value("bytes_returned", 0u)},
                  {"out", response.value("out", std::string())}});
  }
  const auto status = response.value("status", std::uint32_t{ERROR_GEN_FAILURE});
  error(req, status == 0 ? ERROR_GEN_FAILURE : status,
        response.value("/error/message"_json_pointer, std::string("the control did not run")));
}

void api_handler::control_resource(const request& req, const resource_entry& r) {
  auto call = parse_control(req, CLUS_OBJECT_RESOURCE);
  if (!call)
    return;
  rm_.when_open(r.id, [this, req, id = r.id, call = *call](bool open) {
    const auto* e = index_.resource_by_id(id);
    if (e == nullptr)
      return error(req, ERROR_RESOURCE_NOT_FOUND, "the resource was deleted meanwhile");
    if (!open) {
      return error(req, ERROR_RESOURCE_NOT_AVAILABLE,
                   "resource '" + e->name + "' is not open in a resource monitor on node '" +
                       ctx_.node_name() + "'");
    }
    rm_.resource_control(
        id, call.code, call.in, call.out_size,
        [this, req](const nlohmann::json& response) { reply_control(req, response); });
  });
}

void api_handler::control_type(const request& req, const type_entry& t) {
  auto call = parse_control(req, CLUS_OBJECT_RESOURCE_TYPE);
  if (!call)
    return;
  rm_.type_control(t.id, call->code, call->in, call->out_size,
                   [this, req](const nlohmann::json& response) { reply_control(req, response); });
}

}  // namespace wolfpack::cluster
