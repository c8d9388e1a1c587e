#include "dummy_control.hpp"

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include <wolfpack/clusapi.h>
#include <wolfpack/proplist.hpp>

#include "dummy_call_log.hpp"
#include "dummy_entry_point.hpp"
#include "dummy_instances.hpp"
#include "dummy_properties.hpp"
#include "dummy_resource.hpp"

namespace wolfpack::dummy {

namespace {

// Every answer goes out through wolfpack::copy_out: the size needed always goes to
// *bytes_returned; a buffer too small (or absent) gets ERROR_MORE_DATA and no bytes.
template <typename T>
DWORD copy_out_value(const T& value, void* out, DWORD out_size, DWORD* returned) {
  std::vector<BYTE> bytes(sizeof value);
  std::memcpy(bytes.data(), &value, sizeof value);
  return copy_out(bytes, out, out_size, returned);
}

DWORD copy_out_dword(DWORD value, void* out, DWORD out_size, DWORD* returned) {
  return copy_out_value(value, out, out_size, returned);
}

DWORD copy_out_class_info(void* out, DWORD out_size, DWORD* returned) {
  CLUS_RESOURCE_CLASS_INFO info{};
  info.rc = CLUS_RESCLASS_UNKNOWN;
  info.SubClass = 0;
  return copy_out_value(info, out, out_size, returned);
}

// Parses and validates a property list; on refusal logs (when there is a resource to log
// for) and returns the error.
DWORD validate(dummy_resource* resource, std::string_view operation, const void* in, DWORD in_size,
               dummy_properties& properties) {
  property_problem problem;
  const DWORD status = dummy_properties::parse(in, in_size, properties, problem);
  if (status != ERROR_SUCCESS && resource != nullptr) {
    resource->log(LOG_ERROR, std::string(operation) + ": refused, " + problem.message + " (error " +
                                 std::to_string(status) + ")");
  }
  return status;
}

// Honours CallLog, CrashIn and HangIn of every open instance for a type-level call.
void enter_type_control() {
  std::set<std::string> call_logs;
  bool crash = false;
  bool hang = false;
  dummy_instances::get().for_each([&](const dummy_resource& resource) {
    const auto faults = resource.faults();
    if (!faults.call_log.empty())
      call_logs.insert(faults.call_log);
    crash = crash || faults.crash_in == entry_point::resource_type_control;
    hang = hang || faults.hang_in == entry_point::resource_type_control;
  });
  for (const auto& path : call_logs) {
    append_call_log(path, "", entry_point::resource_type_control);
  }
  if (crash)
    crash_now();
  if (hang)
    hang_forever();
}

}  // namespace

DWORD resource_control(dummy_resource& resource, DWORD control_code, const void* in_buffer,
                       DWORD in_buffer_size, void* out_buffer, DWORD out_buffer_size,
                       DWORD* bytes_returned) {
  resource.enter(entry_point::resource_control);
  if (bytes_returned != nullptr)
    *bytes_returned = 0;

  switch (control_code) {
    case CLUSCTL_RESOURCE_GET_CHARACTERISTICS:
      return copy_out_dword(CLUS_CHAR_UNKNOWN, out_buffer, out_buffer_size, bytes_returned);
    case CLUSCTL_RESOURCE_GET_FLAGS:
      return copy_out_dword(0, out_buffer, out_buffer_size, bytes_returned);
    case CLUSCTL_RESOURCE_GET_CLASS_INFO:
      return copy_out_class_info(out_buffer, out_buffer_size, bytes_returned);
    case CLUSCTL_RESOURCE_GET_REQUIRED_DEPENDENCIES:
      return copy_out(value_list_builder().add_endmark().bytes(), out_buffer, out_buffer_size,
                      bytes_returned);
    case CLUSCTL_RESOURCE_ENUM_PRIVATE_PROPERTIES:
      return copy_out(property_name_list(), out_buffer, out_buffer_size, bytes_returned);
    case CLUSCTL_RESOURCE_GET_RO_PRIVATE_PROPERTIES:
      return copy_out(property_list_builder().bytes(), out_buffer, out_buffer_size, bytes_returned);
    case CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES: {
      std::vector<property_problem> ignored;  // Online reports them; GET shows defaults
      const auto properties = dummy_properties::read(resource.resource_key(), ignored);
      return copy_out(properties.to_property_list(), out_buffer, out_buffer_size, bytes_returned);
    }
    case CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES: {
      dummy_properties properties;
      return validate(&resource, "VALIDATE_PRIVATE_PROPERTIES", in_buffer, in_buffer_size,
                      properties);
    }
    case CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES: {
      dummy_properties properties;
      DWORD status =
          validate(&resource, "SET_PRIVATE_PROPERTIES", in_buffer, in_buffer_size, properties);
      if (status != ERROR_SUCCESS)
        return status;
      property_problem problem;
      status = properties.write(resource.resource_key(), problem);
      if (status != ERROR_SUCCESS) {
        resource.log(LOG_ERROR, "SET_PRIVATE_PROPERTIES: " + problem.message);
        return status;
      }
      // The fault-injection knobs act at once; the rest waits for the next Online/Offline.
      std::vector<property_problem> ignored;
      resource.apply_fault_settings(
          dummy_properties::read(resource.resource_key(), ignored).settings());
      return ERROR_SUCCESS;
    }
    default:
      return ERROR_INVALID_FUNCTION;
  }
}

DWORD resource_type_control(DWORD control_code, const void* in_buffer, DWORD in_buffer_size,
                            void* out_buffer, DWORD out_buffer_size, DWORD* bytes_returned) {
  enter_type_control();
  if (bytes_returned != nullptr)
    *bytes_returned = 0;

  switch (control_code) {
    case CLUSCTL_RESOURCE_TYPE_GET_CHARACTERISTICS:
      return copy_out_dword(CLUS_CHAR_UNKNOWN, out_buffer, out_buffer_size, bytes_returned);
    case CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO:
      return copy_out_class_info(out_buffer, out_buffer_size, bytes_returned);
    case CLUSCTL_RESOURCE_TYPE_GET_REQUIRED_DEPENDENCIES:
      return copy_out(value_list_builder().add_endmark().bytes(), out_buffer, out_buffer_size,
                      bytes_returned);
    case CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS:
      return copy_out(property_format_list(), out_buffer, out_buffer_size, bytes_returned);
    case CLUSCTL_RESOURCE_TYPE_VALIDATE_PRIVATE_PROPERTIES: {
      // No resource handle here, so nothing to LogEvent with; the error code still says why.
      dummy_properties properties;
      return validate(nullptr, "VALIDATE_PRIVATE_PROPERTIES", in_buffer, in_buffer_size,
                      properties);
    }
    default:
      return ERROR_INVALID_FUNCTION;
  }
}

}  // namespace wolfpack::dummy
