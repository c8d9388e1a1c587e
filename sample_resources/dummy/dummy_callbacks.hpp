#pragma once

// The two monitor callbacks handed to Startup, kept for every instance of the type.

#include <string_view>

#include <wolfpack/resapi.h>

namespace wolfpack::dummy {

// Stores the callbacks given to Startup (a later Startup replaces them).
void set_callbacks(PSET_RESOURCE_STATUS_ROUTINE set_resource_status, PLOG_EVENT_ROUTINE log_event);

// LogEvent with an already composed UTF-8 message. The text is passed as the format string
// with every '%' doubled, so that no part of it (a path, a resource name) can be taken for
// a FormatMessage or printf insert. Does nothing without a handle or a LogEvent callback.
void log_event(RESOURCE_HANDLE handle, LOG_LEVEL level, std::string_view message_utf8);

// SetResourceStatus for a pending operation; returns the RESOURCE_EXIT_STATE the monitor
// answered (ResourceExitStateContinue when there is no callback).
DWORD report_status(RESOURCE_HANDLE handle, CLUSTER_RESOURCE_STATE state, DWORD check_point);

}  // namespace wolfpack::dummy
