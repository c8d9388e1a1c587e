#pragma once

// Everything a client of the cluster API needs: requests, the event stream and segment
// encoding. Beast stays out of these headers; it lives in the library's sources.
#include "wolfpack/http/client.hpp"
#include "wolfpack/http/event_stream.hpp"
#include "wolfpack/http/percent_encoding.hpp"
