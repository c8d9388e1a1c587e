/* Microsoft's <clusapi.h> name for Wolfpack's cluster API subset. */
#pragma once
#ifndef WOLFPACK_ROOT_CLUSAPI_H
#define WOLFPACK_ROOT_CLUSAPI_H
#include "wolfpack/clusapi.h"
#endif
