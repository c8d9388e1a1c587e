/*
 * A do-nothing resource shared by the deliberately broken test plugins: each of them is
 * correct except for the one fault it exists to show, so that the monitor's refusal can only
 * be about that fault.
 */
#ifndef WOLFPACK_TESTS_TRIVIAL_RESOURCE_H
#define WOLFPACK_TESTS_TRIVIAL_RESOURCE_H

#include <clusapi.h>
#include <resapi.h>
#include <windows.h>

#ifndef WP_EXPORT
#define WP_EXPORT
#endif

/* Synchronous entry points: Online and Offline succeed at once; LooksAlive and IsAlive
 * report the online flag. */
RESID WINAPI TrivialOpen(LPCWSTR ResourceName, HKEY ResourceKey, RESOURCE_HANDLE ResourceHandle);
VOID WINAPI TrivialClose(RESID Resource);
DWORD WINAPI TrivialOnline(RESID Resource, LPHANDLE EventHandle);
DWORD WINAPI TrivialOffline(RESID Resource);
VOID WINAPI TrivialTerminate(RESID Resource);
BOOL WINAPI TrivialLooksAlive(RESID Resource);
BOOL WINAPI TrivialIsAlive(RESID Resource);

/* A correct version 1.0 table of the Trivial* entry points (no Arbitrate/Release, no
 * control entry points); a broken plugin then spoils exactly one field. */
void TrivialFillTable(PCLRES_FUNCTION_TABLE Table);

#endif
