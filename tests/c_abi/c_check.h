/* CHECK for the C tests: counts checks and failures, runs in every build type (assert()
 * would vanish under NDEBUG). Each test defines g_checks and g_failures once. */
#ifndef WOLFPACK_TESTS_C_CHECK_H
#define WOLFPACK_TESTS_C_CHECK_H

#include <stdio.h>

extern int g_checks;
extern int g_failures;

#define CHECK(cond)                                                            \
  do {                                                                         \
    ++g_checks;                                                                \
    if (!(cond)) {                                                             \
      ++g_failures;                                                            \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#endif
