// The objects behind clusapi's opaque handles, and the table of live handles that lets every
// function check a handle before it uses it: a handle that was never returned, was closed,
// or is of another kind (an HGROUP passed as an HRESOURCE) is ERROR_INVALID_HANDLE, never a
// crash. The table holds the only owning reference; a function at work keeps its own, so a
// handle closed by another thread meanwhile stays alive until that function returns.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "connection.hpp"
#include "wolfpack/win_types.h"

namespace wolfpack::clusapi {

enum class handle_kind {
  cluster,
  node,
  group,
  resource,
  network,
  netinterface,
  cluster_enum,
  group_enum,
  resource_enum,
  node_enum,
  restype_enum,
  network_enum,
  notify_port
};

struct handle_object {
  explicit handle_object(handle_kind k) : kind(k) {}
  virtual ~handle_object() = default;
  handle_object(const handle_object&) = delete;
  handle_object& operator=(const handle_object&) = delete;

  const handle_kind kind;
};

// HCLUSTER.
struct cluster_handle : handle_object {
  explicit cluster_handle(std::shared_ptr<connection> c)
      : handle_object(handle_kind::cluster), conn(std::move(c)) {}
  const std::shared_ptr<connection> conn;
};

// HNODE, HGROUP, HRESOURCE, HNETWORK, HNETINTERFACE: the object's id, which the API addresses it
// by (`?by=id`), so that a rename by another client does not orphan the handle, as on Windows;
// and its name as last seen, which current_name() (objects.hpp) refreshes.
struct object_handle : handle_object {
  object_handle(handle_kind k, std::shared_ptr<connection> c, std::string n, std::string i)
      : handle_object(k), conn(std::move(c)), id(std::move(i)), name_(std::move(n)) {}
  const std::shared_ptr<connection> conn;
  const std::string id;  // UTF-8; "" when the node did not say: the name addresses it then

  std::string name() const {  // UTF-8, as last seen
    std::lock_guard lock(mutex_);
    return name_;
  }
  void rename(std::string n) const {
    std::lock_guard lock(mutex_);
    name_ = std::move(n);
  }

 private:
  mutable std::mutex mutex_;
  mutable std::string name_;  // guarded by mutex_
};

// HCLUSENUM, HGROUPENUM, HRESENUM, HNODEENUM, HRESTYPEENUM, HNETWORKENUM: a snapshot taken when the
// enumeration was opened.
struct enum_handle : handle_object {
  struct entry {
    DWORD type;
    std::wstring name;
  };
  explicit enum_handle(handle_kind k) : handle_object(k) {}
  std::vector<entry> entries;
};

// Adds the object to the table under a new token (never an address, never given out again),
// which is the handle.
void* add_handle(std::shared_ptr<handle_object> object);

// The live object behind `handle` when it is of `kind`; null otherwise.
std::shared_ptr<handle_object> find_handle(const void* handle, handle_kind kind);

template <typename T>
std::shared_ptr<T> find(const void* handle, handle_kind kind) {
  return std::static_pointer_cast<T>(find_handle(handle, kind));
}

// Removes a live handle of `kind` from the table; false when there is none.
bool remove_handle(const void* handle, handle_kind kind);

}  // namespace wolfpack::clusapi
