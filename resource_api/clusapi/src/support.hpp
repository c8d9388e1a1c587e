// What every exported function needs: string conversions, the Cluster API's buffer
// convention, API paths, and a guard that turns exceptions into Win32 codes (no C++
// exception may cross the C boundary).
#pragma once

#include <new>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "wolfpack/win_types.h"
#include "wolfpack/winerror.h"

namespace wolfpack::clusapi {

// A caller's string as UTF-8 (NULL gives "").
std::string utf8(LPCWSTR text);

// A JSON string as WCHARs; anything else (null, a number) gives "".
std::wstring wide(const nlohmann::json& value);
// obj[key] as WCHARs, "" when obj is not an object or has no such string.
std::wstring wide_field(const nlohmann::json& obj, const char* key);

// Copies `text` to a caller's buffer the way the Cluster API does. On input *lpcch is the
// buffer's capacity in characters, terminator included (a NULL buffer has none); on output
// it is the length of `text` without the terminator, whether it fitted or not. Too small:
// as much as fits (terminated) is copied and ERROR_MORE_DATA returned. lpcch NULL:
// ERROR_INVALID_PARAMETER.
DWORD copy_name(const std::wstring& text, LPWSTR buffer, LPDWORD lpcch);

// "/groups/" + the percent-encoded name.
std::string object_path(std::string_view collection, const std::string& name);

// Runs `f` (returning a Win32 code), mapping exceptions to codes.
template <typename F>
DWORD guarded(F&& f) noexcept {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return ERROR_NOT_ENOUGH_MEMORY;
  } catch (...) {
    return ERROR_GEN_FAILURE;
  }
}

}  // namespace wolfpack::clusapi
