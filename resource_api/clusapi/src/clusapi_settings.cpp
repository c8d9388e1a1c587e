// What an administrator changes about groups and resources beside their state: names (of
// networks too),
// preferred owners, possible owners and which group a resource is in (clusapi.h).
#include <string>

#include "connection.hpp"
#include "handles.hpp"
#include "objects.hpp"
#include "support.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/http/percent_encoding.hpp"

using namespace wolfpack::clusapi;

namespace {

DWORD rename_object(const void* handle, handle_kind kind, LPCWSTR new_name) {
  return on_object(handle, kind, [&](object_handle& object) -> DWORD {
    if (new_name == nullptr)
      return ERROR_INVALID_PARAMETER;
    const nlohmann::json body = {{"name", utf8(new_name)}};
    const auto answer = object.conn->request("POST", object_route(object, "/rename"), &body);
    if (!answer.ok())
      return answer.error;
    object.rename(answer.body.is_object() && answer.body.contains("name")
                      ? answer.body["name"].get<std::string>()
                      : body["name"].get<std::string>());
    return ERROR_SUCCESS;
  });
}

}  // namespace

extern "C" {

DWORD WINAPI SetClusterGroupName(HGROUP hGroup, LPCWSTR lpszGroupName) {
  return rename_object(hGroup, handle_kind::group, lpszGroupName);
}

DWORD WINAPI SetClusterResourceName(HRESOURCE hResource, LPCWSTR lpszResourceName) {
  return rename_object(hResource, handle_kind::resource, lpszResourceName);
}

DWORD WINAPI SetClusterNetworkName(HNETWORK hNetwork, LPCWSTR lpszName) {
  return rename_object(hNetwork, handle_kind::network, lpszName);
}

DWORD WINAPI SetClusterGroupNodeList(HGROUP hGroup, DWORD NodeCount, HNODE NodeList[]) {
  return on_object(hGroup, handle_kind::group, [&](const object_handle& group) -> DWORD {
    if (NodeCount > 0 && NodeList == nullptr)
      return ERROR_INVALID_PARAMETER;
    nlohmann::json nodes = nlohmann::json::array();
    for (DWORD i = 0; i < NodeCount; ++i) {
      const auto node = find<object_handle>(NodeList[i], handle_kind::node);
      if (!node)
        return ERROR_INVALID_HANDLE;
      std::string name;
      if (const DWORD error = current_name(*node, name); error != ERROR_SUCCESS)
        return error;
      nodes.push_back(name);
    }
    const nlohmann::json body = {{"nodes", nodes}};
    return object_call(group, "PUT", "/owners", &body);
  });
}

DWORD WINAPI AddClusterResourceNode(HRESOURCE hResource, HNODE hNode) {
  return on_objects(hResource, handle_kind::resource, hNode, handle_kind::node,
                    [&](const object_handle& resource, const object_handle& node) {
                      std::string name;
                      if (const DWORD error = current_name(node, name); error != ERROR_SUCCESS)
                        return error;
                      const nlohmann::json body = {{"node", name}};
                      return object_call(resource, "POST", "/owners", &body);
                    });
}

DWORD WINAPI RemoveClusterResourceNode(HRESOURCE hResource, HNODE hNode) {
  return on_objects(hResource, handle_kind::resource, hNode, handle_kind::node,
                    [&](const object_handle& resource, const object_handle& node) {
                      std::string name;
                      if (const DWORD error = current_name(node, name); error != ERROR_SUCCESS)
                        return error;
                      return object_call(resource, "DELETE",
                                         "/owners/" + wolfpack::http::encode_segment(name));
                    });
}

DWORD WINAPI ChangeClusterResourceGroup(HRESOURCE hResource, HGROUP hGroup) {
  return on_objects(hResource, handle_kind::resource, hGroup, handle_kind::group,
                    [&](const object_handle& resource, const object_handle& group) {
                      std::string name;
                      if (const DWORD error = current_name(group, name); error != ERROR_SUCCESS)
                        return error;
                      const nlohmann::json body = {{"group", name}};
                      return object_call(resource, "POST", "/move", &body);
                    });
}

}  // extern "C"
