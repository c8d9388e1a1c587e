/*
 * Symbol visibility for Wolfpack's shared libraries and plugins.
 *
 * WP_EXPORT marks a symbol a binary offers to others (a plugin's Startup, the helpers of
 * wolfpack_resutils); WP_IMPORT marks one taken from another binary. Everything else stays
 * hidden because the libraries are built with -fvisibility=hidden.
 * WP_RESUTILS_API is what the headers put on wolfpack_resutils functions: export while
 * building the library (WOLFPACK_RESUTILS_BUILD), import everywhere else.
 */
#pragma once
#ifndef WOLFPACK_EXPORT_H
#define WOLFPACK_EXPORT_H

#if defined(_WIN32) || defined(__CYGWIN__)
#define WP_EXPORT __declspec(dllexport)
#define WP_IMPORT __declspec(dllimport)
#elif defined(__GNUC__) || defined(__clang__)
#define WP_EXPORT __attribute__((visibility("default")))
#define WP_IMPORT __attribute__((visibility("default")))
#else
#define WP_EXPORT
#define WP_IMPORT
#endif

#if defined(WOLFPACK_RESUTILS_BUILD)
#define WP_RESUTILS_API WP_EXPORT
#else
#define WP_RESUTILS_API WP_IMPORT
#endif

/* WP_CLUSREG_API is on the ClusterReg* functions, which both libraries export (plugins take
 * them from wolfpack_resutils, cluster-aware applications from libclusapi, as from
 * clusapi.dll on Windows): export while building either, import elsewhere. */
#if defined(WOLFPACK_RESUTILS_BUILD) || defined(WOLFPACK_CLUSAPI_BUILD)
#define WP_CLUSREG_API WP_EXPORT
#else
#define WP_CLUSREG_API WP_IMPORT
#endif

/* WP_CLUSAPI_API is what clusapi.h puts on the functions of libclusapi, the client library
 * of the Cluster API: export while building it (WOLFPACK_CLUSAPI_BUILD), import elsewhere. */
#if defined(WOLFPACK_CLUSAPI_BUILD)
#define WP_CLUSAPI_API WP_EXPORT
#else
#define WP_CLUSAPI_API WP_IMPORT
#endif

/* Anonymous structs and unions inside unions/structs are how Microsoft's headers spell
 * LARGE_INTEGER, CLUSPROP_SYNTAX and friends. C99 and ISO C++ do not have them, so mark
 * each one as a compiler extension to keep -pedantic builds quiet. */
#if defined(__GNUC__) || defined(__clang__)
#define WP_ANONYMOUS __extension__
#else
#define WP_ANONYMOUS
#endif

#endif /* WOLFPACK_EXPORT_H */
