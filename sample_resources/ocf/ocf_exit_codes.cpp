#include "ocf_exit_codes.hpp"

#include <wolfpack/winerror.h>

namespace wolfpack::samples::ocf {

std::string exit_code_name(int code) {
  switch (code) {
    case success:
      return "OCF_SUCCESS";
    case err_generic:
      return "OCF_ERR_GENERIC";
    case err_args:
      return "OCF_ERR_ARGS";
    case err_unimplemented:
      return "OCF_ERR_UNIMPLEMENTED";
    case err_perm:
      return "OCF_ERR_PERM";
    case err_installed:
      return "OCF_ERR_INSTALLED";
    case err_configured:
      return "OCF_ERR_CONFIGURED";
    case not_running:
      return "OCF_NOT_RUNNING";
    case running_promoted:
      return "OCF_RUNNING_PROMOTED";
    case failed_promoted:
      return "OCF_FAILED_PROMOTED";
    default:
      return "exit code " + std::to_string(code);
  }
}

DWORD win32_error_for(int code) {
  switch (code) {
    case success:
    case running_promoted:
      return ERROR_SUCCESS;
    case err_args:
      return ERROR_INVALID_PARAMETER;
    case err_unimplemented:
      return ERROR_INVALID_FUNCTION;
    case err_perm:
      return ERROR_ACCESS_DENIED;
    case err_installed:
      return ERROR_FILE_NOT_FOUND;
    case err_configured:
      return ERROR_CLUSTER_RESOURCE_CONFIGURATION_ERROR;
    case not_running:
      return ERROR_RESOURCE_NOT_ONLINE;
    case err_generic:
    case failed_promoted:
    default:
      return ERROR_GEN_FAILURE;
  }
}

}  // namespace wolfpack::samples::ocf
