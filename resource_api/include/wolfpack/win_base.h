/*
 * The part of kernel32 (and of the C runtime's wide-string extras) that resource DLL
 * source calls besides the Resource API, for building that source off Windows.
 *
 * On Windows this header adds nothing: <windows.h>, <tchar.h> and the CRT provide it all.
 * Elsewhere the functions are implemented for real in wolfpack_resutils where they have a
 * meaning (memory, sleeping, wide strings); what does not exist off Windows (thread
 * notifications to DllMain, alertable waits) is documented in docs/porting.md.
 *
 * The names are Microsoft's, including the CRT's underscore names (_wcsicmp, _wcsdup),
 * because that is what the source being ported spells.
 */
#pragma once
#ifndef WOLFPACK_WIN_BASE_H
#define WOLFPACK_WIN_BASE_H

#include "wolfpack/win_types.h"

#if !defined(_WIN32)

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- structure and array helpers (winnt.h) ------------------------------------------ */
#ifndef FIELD_OFFSET
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#endif
#ifndef RTL_FIELD_SIZE
#define RTL_FIELD_SIZE(type, field) (sizeof(((type*)0)->field))
#endif
#ifndef RTL_NUMBER_OF
#define RTL_NUMBER_OF(a) (sizeof(a) / sizeof((a)[0]))
#endif
#ifndef ARRAYSIZE
#define ARRAYSIZE(a) RTL_NUMBER_OF(a)
#endif
#ifndef _countof
#define _countof(a) RTL_NUMBER_OF(a)
#endif

/* ---- waiting ------------------------------------------------------------------------- */
#define INFINITE 0xFFFFFFFFu
#define WAIT_OBJECT_0 0x00000000u
#define WAIT_ABANDONED 0x00000080u
#define WAIT_IO_COMPLETION 0x000000C0u
#define WAIT_FAILED 0xFFFFFFFFu

/* Suspends the calling thread for dwMilliseconds (INFINITE: forever). */
WP_RESUTILS_API VOID WINAPI Sleep(DWORD dwMilliseconds);
/* The same; there are no APCs off Windows, so it always returns 0 after the full time. */
WP_RESUTILS_API DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable);

/* Milliseconds since an arbitrary start (the monotonic clock); GetTickCount wraps at 2^32. */
WP_RESUTILS_API DWORD WINAPI GetTickCount(void);
WP_RESUTILS_API ULONGLONG WINAPI GetTickCount64(void);
WP_RESUTILS_API DWORD WINAPI GetCurrentThreadId(void);
WP_RESUTILS_API DWORD WINAPI GetCurrentProcessId(void);

/* ---- local memory: what ResUtil functions return is freed with LocalFree --------------- */
typedef HANDLE HLOCAL;
#define LMEM_FIXED 0x0000u
#define LMEM_MOVEABLE 0x0002u
#define LMEM_ZEROINIT 0x0040u
#define LPTR (LMEM_FIXED | LMEM_ZEROINIT)
#define NONZEROLPTR LMEM_FIXED

/* Allocates uBytes (LMEM_FIXED, optionally LMEM_ZEROINIT). LMEM_MOVEABLE memory is not
 * supported (NULL, ERROR_INVALID_PARAMETER). NULL with ERROR_NOT_ENOUGH_MEMORY when
 * memory runs out. */
WP_RESUTILS_API HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes);
/* Frees memory from LocalAlloc (or from a ResUtil function); NULL is allowed. Returns NULL. */
WP_RESUTILS_API HLOCAL WINAPI LocalFree(HLOCAL hMem);

/* ---- wide strings (kernel32's lstr* functions) ------------------------------------------ */
/* lstrlenW(NULL) is 0; lstrcmpiW compares case-insensitively (towupper). */
WP_RESUTILS_API int WINAPI lstrlenW(LPCWSTR lpString);
WP_RESUTILS_API LPWSTR WINAPI lstrcpyW(LPWSTR lpString1, LPCWSTR lpString2);
WP_RESUTILS_API LPWSTR WINAPI lstrcpynW(LPWSTR lpString1, LPCWSTR lpString2, int iMaxLength);
WP_RESUTILS_API LPWSTR WINAPI lstrcatW(LPWSTR lpString1, LPCWSTR lpString2);
WP_RESUTILS_API int WINAPI lstrcmpW(LPCWSTR lpString1, LPCWSTR lpString2);
WP_RESUTILS_API int WINAPI lstrcmpiW(LPCWSTR lpString1, LPCWSTR lpString2);

/* Resource DLLs are built with UNICODE: the generic names are the wide functions. */
#define lstrlen lstrlenW
#define lstrcpy lstrcpyW
#define lstrcpyn lstrcpynW
#define lstrcat lstrcatW
#define lstrcmp lstrcmpW
#define lstrcmpi lstrcmpiW

/* ---- the CRT's wide extras (not in ISO C) ----------------------------------------------- */
WP_RESUTILS_API int _wcsicmp(const wchar_t* string1, const wchar_t* string2);
WP_RESUTILS_API int _wcsnicmp(const wchar_t* string1, const wchar_t* string2, size_t count);
/* Freed with free(), as the CRT's is. */
WP_RESUTILS_API wchar_t* _wcsdup(const wchar_t* string);
WP_RESUTILS_API int _wtoi(const wchar_t* string);
WP_RESUTILS_API long _wtol(const wchar_t* string);

/* ---- TCHAR: always WCHAR, as in a UNICODE build ----------------------------------------- */
#ifndef _TCHAR_DEFINED
#define _TCHAR_DEFINED
typedef WCHAR TCHAR, *PTCHAR;
typedef WCHAR TBYTE, *PTBYTE;
#endif
typedef LPWSTR LPTSTR, PTSTR;
typedef LPCWSTR LPCTSTR, PCTSTR;
#ifndef __TEXT
#define __TEXT(quote) L##quote
#endif

/* ---- DLL entry point ----------------------------------------------------------------------- */
#define DLL_PROCESS_DETACH 0
#define DLL_PROCESS_ATTACH 1
#define DLL_THREAD_ATTACH 2
#define DLL_THREAD_DETACH 3

/* resrcmon calls a plugin's DllMain with DLL_PROCESS_ATTACH after loading it and with
 * DLL_PROCESS_DETACH before unloading it; it never sends thread notifications, so this
 * only checks its argument (FALSE and ERROR_INVALID_HANDLE for NULL). */
WP_RESUTILS_API BOOL WINAPI DisableThreadLibraryCalls(HMODULE hLibModule);

#if !defined(WOLFPACK_NO_ENTRY_POINT_DECLARATIONS)
/* Declared here, exported, so that a plugin's DllMain (an entry point on Windows, not an
 * export) stays visible to the monitor under -fvisibility=hidden. A plugin that does not
 * define one is fine. */
WP_EXPORT BOOL WINAPI DllMain(HINSTANCE hinstDLL, DWORD fdwReason, LPVOID lpvReserved);
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* !_WIN32 */

#endif /* WOLFPACK_WIN_BASE_H */
