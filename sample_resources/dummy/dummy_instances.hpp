#pragma once

// The open instances of this process. Only ResourceTypeControl needs it: a type-level call
// has no RESID, so it honours the CallLog, HangIn and CrashIn of every open instance.

#include <functional>
#include <mutex>
#include <unordered_set>

namespace wolfpack::dummy {

class dummy_resource;

class dummy_instances {
 public:
  static dummy_instances& get();

  void add(dummy_resource* resource);
  void remove(dummy_resource* resource);
  // Calls visit for each open instance, under the list's lock (keep visit short).
  void for_each(const std::function<void(const dummy_resource&)>& visit) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_set<dummy_resource*> resources_;  // protected by mutex_
};

}  // namespace wolfpack::dummy
