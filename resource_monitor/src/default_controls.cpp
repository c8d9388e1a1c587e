#include "default_controls.hpp"

#include <wolfpack/resapi.h>
#include <wolfpack/proplist.hpp>
#include <wolfpack/wide_string.hpp>

namespace wolfpack::monitor {

namespace {

control_result answer(const std::vector<std::uint8_t>& data, const control_args& args) {
  control_result r;
  r.out.resize(args.out_size);
  DWORD returned = 0;
  r.status =
      wolfpack::copy_out(data, r.out.empty() ? nullptr : r.out.data(), args.out_size, &returned);
  r.bytes_returned = returned;
  return r;
}

control_result answer_dword(DWORD value, const control_args& args) {
  std::vector<std::uint8_t> data(sizeof value);
  std::memcpy(data.data(), &value, sizeof value);
  return answer(data, args);
}

control_result status_only(DWORD status) {
  control_result r;
  r.status = status;
  return r;
}

std::vector<std::uint8_t> class_info_unknown() {
  CLUS_RESOURCE_CLASS_INFO info{};
  info.rc = CLUS_RESCLASS_UNKNOWN;
  info.SubClass = 0;
  std::vector<std::uint8_t> data(sizeof info);
  std::memcpy(data.data(), &info, sizeof info);
  return data;
}

std::vector<std::uint8_t> end_mark_only() {
  return wolfpack::value_list_builder().add_endmark().bytes();
}

// A value from a property list, as the registry stores it; nullopt for formats a registry
// value cannot hold.
std::optional<wolfpack::reg_value> to_registry(const wolfpack::property_value& v) {
  if (auto d = v.as_dword())
    return wolfpack::make_dword(*d);
  if (auto l = v.as_long())
    return wolfpack::make_dword(static_cast<DWORD>(*l));
  if (auto q = v.as_ularge())
    return wolfpack::make_qword(*q);
  if (v.format() == CLUSPROP_FORMAT_EXPAND_SZ) {
    if (auto s = v.as_sz())
      return wolfpack::make_expand_sz(*s);
  }
  if (auto s = v.as_sz())
    return wolfpack::make_sz(*s);
  if (auto m = v.as_multi_sz())
    return wolfpack::make_multi_sz(*m);
  if (auto b = v.as_binary())
    return wolfpack::make_binary(*b);
  return std::nullopt;
}

std::vector<std::uint8_t> private_properties(const wolfpack::registry_tree& tree) {
  wolfpack::property_list_builder list;
  for (const auto& [name, value] : tree.values(L"Parameters")) {
    switch (value.type) {
      case REG_DWORD:
        if (auto d = wolfpack::as_dword(value))
          list.add_dword(name, *d);
        break;
      case REG_QWORD:
        if (auto q = wolfpack::as_qword(value))
          list.add_ularge(name, *q);
        break;
      case REG_SZ:
        if (auto s = wolfpack::as_sz(value))
          list.add_sz(name, *s);
        break;
      case REG_EXPAND_SZ:
        if (auto s = wolfpack::as_sz(value))
          list.add_expand_sz(name, *s);
        break;
      case REG_MULTI_SZ:
        if (auto m = wolfpack::as_multi_sz(value))
          list.add_multi_sz(name, *m);
        break;
      default:
        list.add_binary(name, value.data);
        break;
    }
  }
  return list.bytes();
}

}  // namespace

control_result default_resource_control(wolfpack::registry_tree& tree, std::uint64_t token,
                                        const control_args& args,
                                        std::vector<registry_write>& writes) {
  switch (args.code) {
    case CLUSCTL_RESOURCE_GET_CHARACTERISTICS:
    case CLUSCTL_RESOURCE_GET_FLAGS:
      return answer_dword(0, args);
    case CLUSCTL_RESOURCE_GET_CLASS_INFO:
      return answer(class_info_unknown(), args);
    case CLUSCTL_RESOURCE_GET_REQUIRED_DEPENDENCIES:
      return answer(end_mark_only(), args);
    case CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES:
      return answer(private_properties(tree), args);
    case CLUSCTL_RESOURCE_ENUM_PRIVATE_PROPERTIES: {
      // A MULTI_SZ of the names, as Microsoft documents the code's output.
      std::vector<std::wstring> names;
      for (const auto& [name, value] : tree.values(L"Parameters"))
        names.push_back(name);
      return answer(wolfpack::make_multi_sz(names).data, args);
    }
    case CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES:
    case CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES: {
      // Without a plugin that knows its properties, Parameters is an untyped bag: any
      // well-formed list is accepted.
      auto list = wolfpack::parse_property_list(args.in.data(), args.in.size());
      if (!list.ok)
        return status_only(ERROR_INVALID_DATA);
      std::vector<std::pair<std::wstring, wolfpack::reg_value>> values;
      for (const auto& p : list.properties) {
        auto v = to_registry(p.value());
        if (!v)
          return status_only(ERROR_INVALID_PARAMETER);
        values.emplace_back(p.name, std::move(*v));
      }
      if (args.code == CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES) {
        for (auto& [name, value] : values) {
          tree.set_value(L"Parameters", name, value);
          writes.push_back(make_registry_write(token, L"Parameters", name, &value));
        }
      }
      return status_only(ERROR_SUCCESS);
    }
    default:
      return status_only(ERROR_INVALID_FUNCTION);
  }
}

control_result default_type_control(const control_args& args) {
  switch (args.code) {
    case CLUSCTL_RESOURCE_TYPE_GET_CHARACTERISTICS:
    case CLUSCTL_RESOURCE_TYPE_GET_FLAGS:
      return answer_dword(0, args);
    case CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO:
      return answer(class_info_unknown(), args);
    case CLUSCTL_RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES:
      return answer(end_mark_only(), args);
    case CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS:
      return answer(wolfpack::property_format_list_builder().bytes(), args);
    case CLUSCTL_RESOURCE_TYPE_VALIDATE_PRIVATE_PROPERTIES: {
      auto list = wolfpack::parse_property_list(args.in.data(), args.in.size());
      return status_only(list.ok ? ERROR_SUCCESS : ERROR_INVALID_DATA);
    }
    default:
      return status_only(ERROR_INVALID_FUNCTION);
  }
}

}  // namespace wolfpack::monitor
