#include "dummy_callbacks.hpp"

#include <atomic>

#include "dummy_strings.hpp"

namespace wolfpack::dummy {

namespace {

std::atomic<PSET_RESOURCE_STATUS_ROUTINE> g_set_resource_status{nullptr};
std::atomic<PLOG_EVENT_ROUTINE> g_log_event{nullptr};

}  // namespace

void set_callbacks(PSET_RESOURCE_STATUS_ROUTINE set_resource_status, PLOG_EVENT_ROUTINE log_event) {
  g_set_resource_status.store(set_resource_status);
  g_log_event.store(log_event);
}

void log_event(RESOURCE_HANDLE handle, LOG_LEVEL level, std::string_view message_utf8) {
  const PLOG_EVENT_ROUTINE log = g_log_event.load();
  if (log == nullptr || handle == nullptr)
    return;
  std::string escaped;
  escaped.reserve(message_utf8.size() + 8);
  for (const char c : message_utf8) {
    escaped.push_back(c);
    if (c == '%')
      escaped.push_back('%');
  }
  const wide_string text = to_wide(escaped);
  log(handle, level, text.c_str());
}

DWORD report_status(RESOURCE_HANDLE handle, CLUSTER_RESOURCE_STATE state, DWORD check_point) {
  const PSET_RESOURCE_STATUS_ROUTINE set_status = g_set_resource_status.load();
  if (set_status == nullptr)
    return ResourceExitStateContinue;
  RESOURCE_STATUS status{};
  status.ResourceState = state;
  status.CheckPoint = check_point;
  status.WaitHint = 0;
  status.EventHandle = nullptr;
  return set_status(handle, &status);
}

}  // namespace wolfpack::dummy
