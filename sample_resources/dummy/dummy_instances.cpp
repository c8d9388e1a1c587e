#include "dummy_instances.hpp"

#include "dummy_resource.hpp"

namespace wolfpack::dummy {

dummy_instances& dummy_instances::get() {
  static dummy_instances instances;
  return instances;
}

void dummy_instances::add(dummy_resource* resource) {
  std::lock_guard lock(mutex_);
  resources_.insert(resource);
}

void dummy_instances::remove(dummy_resource* resource) {
  std::lock_guard lock(mutex_);
  resources_.erase(resource);
}

void dummy_instances::for_each(const std::function<void(const dummy_resource&)>& visit) const {
  std::lock_guard lock(mutex_);
  for (const dummy_resource* resource : resources_)
    visit(*resource);
}

}  // namespace wolfpack::dummy
