// The cluster registry functions under Microsoft's names, forwarding to the one
// implementation in wolfpack_resutils (cluster_registry_entry.h). Compiled into both
// wolfpack_resutils and libclusapi, each of which exports them.
#include "wolfpack/cluster_registry_entry.h"

extern "C" {

LONG WINAPI ClusterRegCreateKey(HKEY hKey, LPCWSTR lpszSubKey, DWORD dwOptions, REGSAM samDesired,
                                LPSECURITY_ATTRIBUTES lpSecurityAttributes, PHKEY phkResult,
                                LPDWORD lpdwDisposition) {
  return WpClusterRegCreateKey(hKey, lpszSubKey, dwOptions, samDesired, lpSecurityAttributes,
                               phkResult, lpdwDisposition);
}

LONG WINAPI ClusterRegOpenKey(HKEY hKey, LPCWSTR lpszSubKey, REGSAM samDesired, PHKEY phkResult) {
  return WpClusterRegOpenKey(hKey, lpszSubKey, samDesired, phkResult);
}

LONG WINAPI ClusterRegDeleteKey(HKEY hKey, LPCWSTR lpszSubKey) {
  return WpClusterRegDeleteKey(hKey, lpszSubKey);
}

LONG WINAPI ClusterRegCloseKey(HKEY hKey) {
  return WpClusterRegCloseKey(hKey);
}

LONG WINAPI ClusterRegEnumKey(HKEY hKey, DWORD dwIndex, LPWSTR lpszName, LPDWORD lpcchName,
                              PFILETIME lpftLastWriteTime) {
  return WpClusterRegEnumKey(hKey, dwIndex, lpszName, lpcchName, lpftLastWriteTime);
}

DWORD WINAPI ClusterRegSetValue(HKEY hKey, LPCWSTR lpszValueName, DWORD dwType, CONST BYTE* lpData,
                                DWORD cbData) {
  return WpClusterRegSetValue(hKey, lpszValueName, dwType, lpData, cbData);
}

DWORD WINAPI ClusterRegDeleteValue(HKEY hKey, LPCWSTR lpszValueName) {
  return WpClusterRegDeleteValue(hKey, lpszValueName);
}

LONG WINAPI ClusterRegQueryValue(HKEY hKey, LPCWSTR lpszValueName, LPDWORD lpdwValueType,
                                 LPBYTE lpData, LPDWORD lpcbData) {
  return WpClusterRegQueryValue(hKey, lpszValueName, lpdwValueType, lpData, lpcbData);
}

DWORD WINAPI ClusterRegEnumValue(HKEY hKey, DWORD dwIndex, LPWSTR lpszValueName,
                                 LPDWORD lpcchValueName, LPDWORD lpdwType, LPBYTE lpData,
                                 LPDWORD lpcbData) {
  return WpClusterRegEnumValue(hKey, dwIndex, lpszValueName, lpcchValueName, lpdwType, lpData,
                               lpcbData);
}

LONG WINAPI ClusterRegQueryInfoKey(HKEY hKey, LPDWORD lpcSubKeys, LPDWORD lpcchMaxSubKeyLen,
                                   LPDWORD lpcValues, LPDWORD lpcchMaxValueNameLen,
                                   LPDWORD lpcbMaxValueLen, LPDWORD lpcbSecurityDescriptor,
                                   PFILETIME lpftLastWriteTime) {
  return WpClusterRegQueryInfoKey(hKey, lpcSubKeys, lpcchMaxSubKeyLen, lpcValues,
                                  lpcchMaxValueNameLen, lpcbMaxValueLen, lpcbSecurityDescriptor,
                                  lpftLastWriteTime);
}

}  // extern "C"
