/* Microsoft's <resapi.h> name for Wolfpack's Resource API header. */
#pragma once
#ifndef WOLFPACK_ROOT_RESAPI_H
#define WOLFPACK_ROOT_RESAPI_H
#include "wolfpack/resapi.h"
#endif
