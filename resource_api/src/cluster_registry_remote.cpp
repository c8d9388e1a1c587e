#include "cluster_registry_remote.hpp"

#include <algorithm>
#include <utility>

#include "registry_support.hpp"

namespace wolfpack {

HKEY add_remote_registry_key(std::shared_ptr<remote_registry_key> key) {
  auto remote = std::make_shared<detail::remote_handle>();
  remote->key = std::move(key);
  detail::key_handle entry;
  entry.remote = std::move(remote);
  return detail::handle_table::instance().add(std::move(entry));
}

std::shared_ptr<remote_registry_key> find_remote_registry_key(HKEY handle) {
  const auto entry = detail::handle_table::instance().find(handle);
  if (!entry || !entry->remote)
    return nullptr;
  return entry->remote->key;
}

}  // namespace wolfpack

namespace wolfpack::detail {

using namespace registry_support;

namespace {

// Index 0 reads the key afresh; the later indices walk what it read (or read it, when an
// enumeration starts elsewhere than 0).
LONG listing_for(remote_handle& h, DWORD index, std::shared_ptr<const remote_key_listing>& out) {
  std::lock_guard lock(h.mutex);
  if (index == 0 || !h.listing) {
    auto fresh = std::make_shared<remote_key_listing>();
    if (const LONG rc = h.key->read(*fresh); rc != ERROR_SUCCESS)
      return rc;
    h.listing = std::move(fresh);
  }
  out = h.listing;
  return ERROR_SUCCESS;
}

const std::pair<std::wstring, reg_value>* find_value(const remote_key_listing& listing,
                                                     std::wstring_view name) {
  for (const auto& entry : listing.values) {
    if (names_equal(entry.first, name))
      return &entry;
  }
  return nullptr;
}

}  // namespace

LONG remote_open_key(remote_handle& h, LPCWSTR sub_key, bool create, PHKEY result,
                     LPDWORD disposition) {
  std::shared_ptr<remote_registry_key> key;
  bool created = false;
  const auto sub = as_view(sub_key);
  if (split_path(sub).empty()) {
    // The key itself, through a new handle, as RegOpenKeyEx does; it must still exist.
    remote_key_listing ignored;
    if (const LONG rc = h.key->read(ignored); rc != ERROR_SUCCESS)
      return rc;
    key = h.key;
  } else if (const LONG rc = h.key->open(sub, create, key, &created); rc != ERROR_SUCCESS) {
    return rc;
  }
  *result = add_remote_registry_key(std::move(key));
  if (disposition)
    *disposition = created ? REG_CREATED_NEW_KEY : REG_OPENED_EXISTING_KEY;
  return ERROR_SUCCESS;
}

LONG remote_delete_key(remote_handle& h, LPCWSTR sub_key) {
  if (split_path(as_view(sub_key)).empty())
    return ERROR_INVALID_PARAMETER;  // a key cannot delete itself this way
  return h.key->delete_subkey(as_view(sub_key));
}

LONG remote_enum_key(remote_handle& h, DWORD index, LPWSTR name, LPDWORD cch,
                     PFILETIME last_write) {
  std::shared_ptr<const remote_key_listing> listing;
  if (const LONG rc = listing_for(h, index, listing); rc != ERROR_SUCCESS)
    return rc;
  if (index >= listing->subkeys.size())
    return ERROR_NO_MORE_ITEMS;
  const LONG rc = copy_name(listing->subkeys[index], name, cch);
  if (rc == ERROR_SUCCESS && last_write)
    *last_write = FILETIME{};  // the database keeps no write times
  return rc;
}

LONG remote_set_value(remote_handle& h, LPCWSTR name, const reg_value& value) {
  return h.key->set_value(as_view(name), value);
}

LONG remote_delete_value(remote_handle& h, LPCWSTR name) {
  return h.key->delete_value(as_view(name));
}

LONG remote_query_value(remote_handle& h, LPCWSTR name, LPDWORD type, LPBYTE data, LPDWORD cb) {
  remote_key_listing listing;
  if (const LONG rc = h.key->read(listing); rc != ERROR_SUCCESS)
    return rc;
  const auto* entry = find_value(listing, as_view(name));
  if (!entry)
    return ERROR_FILE_NOT_FOUND;
  if (type)
    *type = entry->second.type;
  return copy_data(entry->second, data, cb);
}

LONG remote_enum_value(remote_handle& h, DWORD index, LPWSTR name, LPDWORD cch, LPDWORD type,
                       LPBYTE data, LPDWORD cb) {
  std::shared_ptr<const remote_key_listing> listing;
  if (const LONG rc = listing_for(h, index, listing); rc != ERROR_SUCCESS)
    return rc;
  if (index >= listing->values.size())
    return ERROR_NO_MORE_ITEMS;
  const auto& [value_name, value] = listing->values[index];
  const LONG name_rc = copy_name(value_name, name, cch);
  if (type)
    *type = value.type;
  const LONG data_rc = copy_data(value, data, cb);
  return name_rc != ERROR_SUCCESS ? name_rc : data_rc;
}

LONG remote_query_info(remote_handle& h, LPDWORD sub_keys, LPDWORD max_sub_key_len, LPDWORD values,
                       LPDWORD max_value_name_len, LPDWORD max_value_len,
                       LPDWORD security_descriptor, PFILETIME last_write) {
  remote_key_listing listing;
  if (const LONG rc = h.key->read(listing); rc != ERROR_SUCCESS)
    return rc;
  std::size_t max_sub = 0, max_name = 0, max_data = 0;
  for (const auto& sub : listing.subkeys)
    max_sub = std::max(max_sub, sub.size());
  for (const auto& [name, value] : listing.values) {
    max_name = std::max(max_name, name.size());
    max_data = std::max(max_data, value.data.size());
  }
  report_key_info(sub_keys, max_sub_key_len, values, max_value_name_len, max_value_len,
                  security_descriptor, last_write, listing.subkeys.size(), max_sub,
                  listing.values.size(), max_name, max_data, FILETIME{});
  return ERROR_SUCCESS;
}

}  // namespace wolfpack::detail
