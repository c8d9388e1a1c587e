/*
 * A small <windows.h> for building Windows-style resource DLL source off Windows: the
 * Win32 base types, the error codes, and the kernel32 basics resource DLLs call (local
 * memory, Sleep, lstr*, DllMain's constants). CMake puts resource_api/compat/ on the
 * include path only when the target is not Windows, so the real <windows.h> is used there.
 * docs/porting.md lists what is covered and what is not.
 */
#pragma once
#ifndef WOLFPACK_COMPAT_WINDOWS_H
#define WOLFPACK_COMPAT_WINDOWS_H
#include "wolfpack/win_base.h"
#include "wolfpack/win_types.h"
#include "wolfpack/winerror.h"
#endif
