// HCHANGE: a notification port. It subscribes to the node's event stream (GET /events) when it
// is tied to a cluster, and turns the events its registrations ask for into a queue that
// GetClusterNotify reads. Closing a registered object's handle queues HANDLE_CLOSE.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "connection.hpp"
#include "handles.hpp"
#include "wolfpack/http/event_stream.hpp"
#include "wolfpack/win_types.h"

namespace wolfpack::clusapi {

struct notification {
  DWORD_PTR key;
  DWORD filter;       // one CLUSTER_CHANGE_* bit
  std::wstring name;  // the object's name
};

class notify_port : public handle_object {
 public:
  notify_port() : handle_object(handle_kind::notify_port) {}

  // Ties the port to the cluster behind `conn`: the event stream starts now. A port follows
  // one node; another address is ERROR_INVALID_PARAMETER.
  DWORD attach(const std::shared_ptr<connection>& conn);

  // CreateClusterNotifyPort's filter and key: every object's events.
  void add_cluster_filter(DWORD filter, DWORD_PTR key);
  // RegisterClusterNotify: the events of the object behind one node, group, resource, network
  // or interface handle (`handle`, which handle_closed names again when it is closed).
  void add_object_filter(DWORD filter, DWORD_PTR key, const void* handle,
                         const std::shared_ptr<object_handle>& object);
  // RegisterClusterNotify with a cluster registry key (`path`, "" for the root): the
  // CLUSTER_CHANGE_REGISTRY_* changes of that key (values, subkeys made or deleted), and with
  // CLUSTER_CHANGE_REGISTRY_SUBTREE of every key below it, named relative to it.
  void add_registry_filter(DWORD filter, DWORD_PTR key, const void* handle, std::string path);

  // A handle was closed: HANDLE_CLOSE for the registrations on it (which end).
  void handle_closed(const void* handle, const std::string& name);

  // GetClusterNotify: the next notification into the caller's buffers, waiting up to
  // `timeout` (nullopt: forever). WAIT_TIMEOUT when none came; ERROR_MORE_DATA (the
  // notification stays first) when the name does not fit; ERROR_INVALID_HANDLE once closed.
  DWORD next(std::optional<std::chrono::milliseconds> timeout, DWORD_PTR* key, LPDWORD filter,
             LPWSTR name, LPDWORD cch);

  // CloseClusterNotifyPort: a waiting next() returns ERROR_INVALID_HANDLE.
  void close();

 private:
  struct registration {
    DWORD filter;
    DWORD_PTR key;
    const void* handle = nullptr;         // the object's handle; null for the whole cluster
    std::weak_ptr<object_handle> object;  // expires with the handle
    std::string word;                     // "node", "group", "resource": the event's "object" field
    std::optional<std::string> registry;  // a registry key's path (RegisterClusterNotify)
  };

  // The notification an event gives, if a registration asks for it (the first that does).
  std::optional<notification> match(const nlohmann::json& event) const;  // mutex_ held
  // Reads one event from the stream, waiting up to `slice`, and queues it if it matches;
  // whether one came. reader_ held.
  bool pump(std::chrono::milliseconds slice);

  mutable std::mutex mutex_;
  std::vector<registration> registrations_;  // guarded by mutex_
  std::deque<notification> queue_;           // guarded by mutex_
  bool closed_ = false;                      // guarded by mutex_
  std::string address_;                      // guarded by mutex_; "" until attached
  std::string cluster_name_;                 // guarded by mutex_

  std::timed_mutex reader_;                   // one reader of the stream at a time
  std::optional<http::event_stream> stream_;  // guarded by reader_
};

// Adds a new port to the ones notify_handle_closed tells.
void register_port(const std::shared_ptr<notify_port>& port);

// Every live port hears of a closed node, group or resource handle.
void notify_handle_closed(const void* handle, const std::string& name);

}  // namespace wolfpack::clusapi
