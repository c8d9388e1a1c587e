// The host half of resutil_c_test.c: what a monitor provides a plugin (its registry key, a
// resource handle, the sink for resutils' refusals), and files and variables.
#include "resutil_c_host.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "wolfpack/registry_tree.hpp"
#include "wolfpack/resource_handles.hpp"
#include "wolfpack/resutils_log.hpp"
#include "wolfpack/wide_string.hpp"

namespace {

std::unique_ptr<wolfpack::registry_tree> tree;
int refusals = 0;
std::wstring scratch;

void count_refusal(const std::string&) {
  ++refusals;
}

void remove_scratch() {
  std::error_code ec;
  std::filesystem::remove_all(wolfpack::to_utf8(scratch), ec);
}

}  // namespace

extern "C" {

HKEY wp_test_new_resource_key(void) {
  wolfpack::set_resutils_log_sink(&count_refusal);
  tree = std::make_unique<wolfpack::registry_tree>();
  return tree->root();
}

HRESOURCE wp_test_resource_handle(LPCWSTR name, LPCWSTR type_name) {
  return wolfpack::open_resource_handle(name, type_name);
}

int wp_test_refusals(void) {
  return refusals;
}

void wp_test_set_env(const char* name, const char* value) {
  ::setenv(name, value, 1);
}

LPCWSTR wp_test_scratch_dir(void) {
  if (scratch.empty()) {
    char pattern[] = "/tmp/wp_resutil_c_XXXXXX";
    const char* made = ::mkdtemp(pattern);
    scratch = wolfpack::from_utf8(made != nullptr ? made : "/tmp/wp_resutil_c_fallback");
    std::atexit(remove_scratch);
  }
  return scratch.c_str();
}

BOOL wp_test_is_directory(LPCWSTR path) {
  std::error_code ec;
  return std::filesystem::is_directory(wolfpack::to_utf8(path), ec) ? TRUE : FALSE;
}

}  // extern "C"
