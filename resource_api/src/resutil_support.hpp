// Shared plumbing of the ResUtil functions: whole-value registry reads and writes over
// ClusterReg*, LocalAlloc'd copies, environment expansion, and the exception guard every
// C entry point wears.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "wolfpack/clusapi.h"
#include "wolfpack/win_base.h"

#include "registry_state.hpp"  // names_equal

namespace wolfpack::detail {

// Runs fn, turning an escaping exception into a Win32 code: nothing may leave a C function.
template <typename Fn>
DWORD guarded_status(Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return ERROR_NOT_ENOUGH_MEMORY;
  } catch (...) {
    return ERROR_GEN_FAILURE;
  }
}

// The whole value: ERROR_SUCCESS with its type and bytes, or ClusterRegQueryValue's code.
DWORD query_value(HKEY key, LPCWSTR name, DWORD& type, std::vector<std::uint8_t>& data);
DWORD write_value(HKEY key, LPCWSTR name, DWORD type, const void* data, std::size_t size);

// LocalAlloc'd copies; nullptr (last error ERROR_NOT_ENOUGH_MEMORY) when memory runs out.
LPWSTR local_string(std::wstring_view text);
LPBYTE local_bytes(const void* data, std::size_t size);

// Wide characters of `data` up to the first terminator (all of them if there is none).
std::wstring string_from_bytes(const std::vector<std::uint8_t>& data);

// %NAME% replaced by the environment variable NAME; unknown names and a lone % stay.
std::wstring expand_environment(std::wstring_view text);

// Says why a call was refused (wolfpack/resutils_log.hpp), once per call.
void log_refusal(const std::string& message);

}  // namespace wolfpack::detail
