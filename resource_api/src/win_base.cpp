// The kernel32 and CRT basics of wolfpack/win_base.h, off Windows. Windows has its own;
// this file compiles to nothing there.
#include "wolfpack/win_base.h"
#include "wolfpack/winerror.h"

#if !defined(_WIN32)

#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <cwctype>
#include <thread>

#include <sys/syscall.h>

namespace {

wint_t fold(wchar_t c) {
  return std::towupper(static_cast<wint_t>(c));
}

int compare_folded(const wchar_t* a, const wchar_t* b, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    const wint_t x = fold(a[i]);
    const wint_t y = fold(b[i]);
    if (x != y)
      return x < y ? -1 : 1;
    if (a[i] == L'\0')
      return 0;
  }
  return 0;
}

}  // namespace

extern "C" {

VOID WINAPI Sleep(DWORD dwMilliseconds) {
  if (dwMilliseconds == INFINITE) {
    for (;;)
      std::this_thread::sleep_for(std::chrono::hours(24));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(dwMilliseconds));
}

DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable) {
  (void)bAlertable;  // no APCs off Windows: never WAIT_IO_COMPLETION
  Sleep(dwMilliseconds);
  return 0;
}

ULONGLONG WINAPI GetTickCount64(void) {
  const auto since = std::chrono::steady_clock::now().time_since_epoch();
  return static_cast<ULONGLONG>(
      std::chrono::duration_cast<std::chrono::milliseconds>(since).count());
}

DWORD WINAPI GetTickCount(void) {
  return static_cast<DWORD>(GetTickCount64());
}

DWORD WINAPI GetCurrentThreadId(void) {
#if defined(SYS_gettid)
  return static_cast<DWORD>(::syscall(SYS_gettid));
#else
  return static_cast<DWORD>(std::hash<std::thread::id>{}(std::this_thread::get_id()));
#endif
}

DWORD WINAPI GetCurrentProcessId(void) {
  return static_cast<DWORD>(::getpid());
}

HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes) {
  if ((uFlags & ~static_cast<UINT>(LMEM_ZEROINIT)) != LMEM_FIXED) {
    SetLastError(ERROR_INVALID_PARAMETER);  // LMEM_MOVEABLE and the rest: not supported
    return nullptr;
  }
  // Zero bytes still gives a distinct pointer, as on Windows.
  const std::size_t size = uBytes == 0 ? 1 : uBytes;
  void* p = (uFlags & LMEM_ZEROINIT) ? std::calloc(1, size) : std::malloc(size);
  if (p == nullptr)
    SetLastError(ERROR_NOT_ENOUGH_MEMORY);
  return p;
}

HLOCAL WINAPI LocalFree(HLOCAL hMem) {
  std::free(hMem);
  return nullptr;
}

int WINAPI lstrlenW(LPCWSTR lpString) {
  if (lpString == nullptr)
    return 0;
  const std::size_t n = std::wcslen(lpString);
  return n > INT_MAX ? INT_MAX : static_cast<int>(n);
}

LPWSTR WINAPI lstrcpyW(LPWSTR lpString1, LPCWSTR lpString2) {
  if (lpString1 == nullptr || lpString2 == nullptr)
    return nullptr;
  return std::wcscpy(lpString1, lpString2);
}

LPWSTR WINAPI lstrcpynW(LPWSTR lpString1, LPCWSTR lpString2, int iMaxLength) {
  // Copies at most iMaxLength - 1 characters and always terminates.
  if (lpString1 == nullptr || lpString2 == nullptr || iMaxLength <= 0)
    return nullptr;
  int i = 0;
  for (; i < iMaxLength - 1 && lpString2[i] != L'\0'; ++i)
    lpString1[i] = lpString2[i];
  lpString1[i] = L'\0';
  return lpString1;
}

LPWSTR WINAPI lstrcatW(LPWSTR lpString1, LPCWSTR lpString2) {
  if (lpString1 == nullptr || lpString2 == nullptr)
    return nullptr;
  return std::wcscat(lpString1, lpString2);
}

// NULL sorts before every string, as kernel32 does.
int WINAPI lstrcmpW(LPCWSTR lpString1, LPCWSTR lpString2) {
  if (lpString1 == nullptr || lpString2 == nullptr)
    return (lpString1 == nullptr ? 0 : 1) - (lpString2 == nullptr ? 0 : 1);
  const int r = std::wcscmp(lpString1, lpString2);
  return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

int WINAPI lstrcmpiW(LPCWSTR lpString1, LPCWSTR lpString2) {
  if (lpString1 == nullptr || lpString2 == nullptr)
    return (lpString1 == nullptr ? 0 : 1) - (lpString2 == nullptr ? 0 : 1);
  return compare_folded(lpString1, lpString2, static_cast<std::size_t>(-1));
}

int _wcsicmp(const wchar_t* string1, const wchar_t* string2) {
  return compare_folded(string1, string2, static_cast<std::size_t>(-1));
}

int _wcsnicmp(const wchar_t* string1, const wchar_t* string2, size_t count) {
  return compare_folded(string1, string2, count);
}

wchar_t* _wcsdup(const wchar_t* string) {
  if (string == nullptr)
    return nullptr;
  const std::size_t bytes = (std::wcslen(string) + 1) * sizeof(wchar_t);
  auto* copy = static_cast<wchar_t*>(std::malloc(bytes));
  if (copy != nullptr)
    std::memcpy(copy, string, bytes);
  return copy;
}

long _wtol(const wchar_t* string) {
  return string == nullptr ? 0 : std::wcstol(string, nullptr, 10);
}

int _wtoi(const wchar_t* string) {
  return static_cast<int>(_wtol(string));
}

BOOL WINAPI DisableThreadLibraryCalls(HMODULE hLibModule) {
  // resrcmon never sends DLL_THREAD_ATTACH/DETACH, so there is nothing to disable.
  if (hLibModule == nullptr) {
    SetLastError(ERROR_INVALID_HANDLE);
    return FALSE;
  }
  return TRUE;
}

}  // extern "C"

#endif
