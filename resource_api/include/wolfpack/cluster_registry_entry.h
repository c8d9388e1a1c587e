/*
 * The cluster registry functions under Wolfpack's own names, implemented once in
 * wolfpack_resutils. Plugins and clients call the Microsoft names (clusapi.h): both
 * wolfpack_resutils (for plugins) and libclusapi (for cluster-aware applications, as
 * clusapi.dll exports them on Windows) export those as forwarders to these, so that
 * GetProcAddress or an import library finds them in either. Not for direct use.
 */
#pragma once
#ifndef WOLFPACK_CLUSTER_REGISTRY_ENTRY_H
#define WOLFPACK_CLUSTER_REGISTRY_ENTRY_H

#include "wolfpack/clusapi.h"

#ifdef __cplusplus
extern "C" {
#endif

WP_RESUTILS_API LONG WINAPI WpClusterRegCreateKey(HKEY hKey, LPCWSTR lpszSubKey, DWORD dwOptions,
                                                  REGSAM samDesired,
                                                  LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                                  PHKEY phkResult, LPDWORD lpdwDisposition);
WP_RESUTILS_API LONG WINAPI WpClusterRegOpenKey(HKEY hKey, LPCWSTR lpszSubKey, REGSAM samDesired,
                                                PHKEY phkResult);
WP_RESUTILS_API LONG WINAPI WpClusterRegDeleteKey(HKEY hKey, LPCWSTR lpszSubKey);
WP_RESUTILS_API LONG WINAPI WpClusterRegCloseKey(HKEY hKey);
WP_RESUTILS_API LONG WINAPI WpClusterRegEnumKey(HKEY hKey, DWORD dwIndex, LPWSTR lpszName,
                                                LPDWORD lpcchName, PFILETIME lpftLastWriteTime);
WP_RESUTILS_API DWORD WINAPI WpClusterRegSetValue(HKEY hKey, LPCWSTR lpszValueName, DWORD dwType,
                                                  CONST BYTE* lpData, DWORD cbData);
WP_RESUTILS_API DWORD WINAPI WpClusterRegDeleteValue(HKEY hKey, LPCWSTR lpszValueName);
WP_RESUTILS_API LONG WINAPI WpClusterRegQueryValue(HKEY hKey, LPCWSTR lpszValueName,
                                                   LPDWORD lpdwValueType, LPBYTE lpData,
                                                   LPDWORD lpcbData);
WP_RESUTILS_API DWORD WINAPI WpClusterRegEnumValue(HKEY hKey, DWORD dwIndex, LPWSTR lpszValueName,
                                                   LPDWORD lpcchValueName, LPDWORD lpdwType,
                                                   LPBYTE lpData, LPDWORD lpcbData);
WP_RESUTILS_API LONG WINAPI WpClusterRegQueryInfoKey(HKEY hKey, LPDWORD lpcSubKeys,
                                                     LPDWORD lpcchMaxSubKeyLen, LPDWORD lpcValues,
                                                     LPDWORD lpcchMaxValueNameLen,
                                                     LPDWORD lpcbMaxValueLen,
                                                     LPDWORD lpcbSecurityDescriptor,
                                                     PFILETIME lpftLastWriteTime);

#ifdef __cplusplus
}
#endif

#endif
