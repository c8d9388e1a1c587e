#include "network_name.hpp"

#include <cstdint>
#include <variant>

#include <wolfpack/lab/lab_names.hpp>
#include <wolfpack/lab/lab_paths.hpp>
#include <wolfpack/wide_string.hpp>

// The Win32 code for "a duplicate name exists on the network"; not every winerror.h we build
// with defines it.
#ifndef ERROR_DUP_NAME
#define ERROR_DUP_NAME 52
#endif

namespace wolfpack::lab_types {

namespace {

const char* const name_registry = "names";

std::string name_problem(const network_name_params& p) {
  if (p.name.empty())
    return {};
  if (auto why = lab::check_netbios_name(to_utf8(p.name)); !why.empty())
    return "property Name: " + why;
  return {};
}

}  // namespace

DWORD network_name::resource_control(DWORD code, const void* in, DWORD in_size, void* out,
                                     DWORD out_size, DWORD* returned) {
  if (code != CLUSCTL_RESOURCE_GET_NETWORK_NAME)
    return plugin::resource<network_name_params>::resource_control(code, in, in_size, out, out_size,
                                                                   returned);
  network_name_params stored;
  (void)properties().read(key(), stored, false);  // the key now, not the last Online's
  if (stored.name.empty())
    return ERROR_FILE_NOT_FOUND;  // no Name yet
  const auto* chars = reinterpret_cast<const std::uint8_t*>(stored.name.c_str());
  return copy_out({chars, chars + (stored.name.size() + 1) * sizeof(WCHAR)}, out, out_size,
                  returned);
}

plugin::property_table<network_name_params> network_name::properties() {
  return plugin::property_table<network_name_params>()
      .sz(L"Name", &network_name_params::name)
      .required();
}

plugin::outcome network_name::validate_parameters(const network_name_params& merged) {
  if (auto why = name_problem(merged); !why.empty())
    return plugin::outcome::refused(ERROR_INVALID_PARAMETER, why);
  return {};
}

plugin::result network_name::online() {
  if (auto why = name_problem(params()); !why.empty())
    throw plugin::error(ERROR_INVALID_PARAMETER, why);
  const std::string key = lab::upper_ascii(to_utf8(params().name));
  drop_claim();
  const lab::holder me{lab::node_name(), to_utf8(name()), 0};
  auto taken = lab::claim::take(name_registry, key, me, "name=" + to_utf8(params().name) + "\n");
  if (auto* other = std::get_if<lab::holder>(&taken)) {
    log_error("property Name: " + key + " is already registered by " + other->describe());
    return plugin::result::failure(ERROR_DUP_NAME);
  }
  std::lock_guard lock(mutex_);
  claim_.emplace(std::move(std::get<lab::claim>(taken)));
  log_info("registered the name " + key + " for node " + me.node);
  return plugin::result::success();
}

plugin::result network_name::offline() {
  drop_claim();
  return plugin::result::success();
}

void network_name::terminate() {
  drop_claim();
}

bool network_name::looks_alive() {
  std::lock_guard lock(mutex_);
  return claim_.has_value();
}

bool network_name::is_alive() {
  std::lock_guard lock(mutex_);
  if (!claim_ || !claim_->still_ours()) {
    log_error("the registration of " + to_utf8(params().name) + " in the lab registry is gone");
    return false;
  }
  return true;
}

void network_name::drop_claim() {
  std::lock_guard lock(mutex_);
  if (claim_) {
    claim_->release();
    claim_.reset();
  }
}

}  // namespace wolfpack::lab_types
