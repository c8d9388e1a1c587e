/*
 * <tchar.h> off Windows, for a UNICODE build (the only kind: WCHAR is wchar_t and every
 * resource API string is wide). _T("x") is L"x", TCHAR is WCHAR, and each _tcs* / _t*
 * name is the wide C function it stands for on Windows. On the include path only when
 * the target is not Windows.
 */
#pragma once
#ifndef WOLFPACK_COMPAT_TCHAR_H
#define WOLFPACK_COMPAT_TCHAR_H

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "wolfpack/win_base.h"

#ifndef _T
#define _T(x) L##x
#endif
#ifndef _TEXT
#define _TEXT(x) L##x
#endif

typedef wchar_t _TCHAR;
typedef wint_t _TINT;
#define _TEOF WEOF

/* strings */
#define _tcslen wcslen
#define _tcscpy wcscpy
#define _tcsncpy wcsncpy
#define _tcscat wcscat
#define _tcsncat wcsncat
#define _tcscmp wcscmp
#define _tcsncmp wcsncmp
#define _tcsicmp _wcsicmp
#define _tcsnicmp _wcsnicmp
#define _tcschr wcschr
#define _tcsrchr wcsrchr
#define _tcsstr wcsstr
#define _tcsspn wcsspn
#define _tcscspn wcscspn
#define _tcspbrk wcspbrk
#define _tcstok wcstok
#define _tcsdup _wcsdup
#define _tcsftime wcsftime

/* conversions */
#define _tcstol wcstol
#define _tcstoul wcstoul
#define _tcstod wcstod
#define _ttoi _wtoi
#define _ttol _wtol
#define _tstoi _wtoi
#define _tstol _wtol

/* formatted output: the ISO wide functions, which take the buffer size */
#define _stprintf swprintf
#define _sntprintf swprintf
#define _stprintf_s swprintf
#define _vstprintf vswprintf
#define _vsntprintf vswprintf
#define _tprintf wprintf
#define _ftprintf fwprintf
#define _vtprintf vwprintf
#define _vftprintf vfwprintf
#define _stscanf swscanf

/* characters */
#define _istspace iswspace
#define _istdigit iswdigit
#define _istalpha iswalpha
#define _istalnum iswalnum
#define _istupper iswupper
#define _istlower iswlower
#define _totupper towupper
#define _totlower towlower

#include <wctype.h>

#endif /* WOLFPACK_COMPAT_TCHAR_H */
