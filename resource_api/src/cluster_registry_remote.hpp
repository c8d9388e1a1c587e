// The ClusterReg* functions on a key of a remote_registry_key provider. The caller has
// checked the handle and the pointer arguments as for a local key.
#pragma once

#include "handle_table.hpp"

namespace wolfpack::detail {

LONG remote_open_key(remote_handle& h, LPCWSTR sub_key, bool create, PHKEY result,
                     LPDWORD disposition);
LONG remote_delete_key(remote_handle& h, LPCWSTR sub_key);
LONG remote_enum_key(remote_handle& h, DWORD index, LPWSTR name, LPDWORD cch, PFILETIME last_write);
LONG remote_set_value(remote_handle& h, LPCWSTR name, const reg_value& value);
LONG remote_delete_value(remote_handle& h, LPCWSTR name);
LONG remote_query_value(remote_handle& h, LPCWSTR name, LPDWORD type, LPBYTE data, LPDWORD cb);
LONG remote_enum_value(remote_handle& h, DWORD index, LPWSTR name, LPDWORD cch, LPDWORD type,
                       LPBYTE data, LPDWORD cb);
LONG remote_query_info(remote_handle& h, LPDWORD sub_keys, LPDWORD max_sub_key_len, LPDWORD values,
                       LPDWORD max_value_name_len, LPDWORD max_value_len,
                       LPDWORD security_descriptor, PFILETIME last_write);

}  // namespace wolfpack::detail
