#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "wolfpack/common/result.hpp"

namespace wolfpack::platform {

// A loaded shared library (dlopen / LoadLibraryW). Closed when the object is destroyed;
// movable, not copyable. Symbols obtained from it must not be used after it is closed.
class shared_library {
 public:
  // Loads `path` with all symbols resolved now (RTLD_NOW | RTLD_LOCAL), so a library with a
  // missing dependency fails here, not at its first call. The error carries the OS text
  // (dlerror / FormatMessage of GetLastError).
  static result<shared_library> open(const std::filesystem::path& path);
  // The library `file_name` (a soname such as "libclusapi.so.0", or a DLL's name) when this
  // process has loaded it already, without loading it: dlopen with RTLD_NOLOAD,
  // GetModuleHandleExW. The object holds a reference of its own, so the library stays
  // loaded while it lives. An error when it is not loaded.
  static result<shared_library> open_loaded(const std::string& file_name);

  shared_library() = default;
  shared_library(shared_library&& other) noexcept;
  shared_library& operator=(shared_library&& other) noexcept;
  shared_library(const shared_library&) = delete;
  shared_library& operator=(const shared_library&) = delete;
  ~shared_library();

  // Address of an exported symbol, or nullptr if the library does not export it.
  void* symbol(const std::string& name) const;

  // Same, cast to a function pointer type: lib.function<PSTARTUP_ROUTINE_T>("Startup").
  template <typename FunctionPointer>
  FunctionPointer function(const std::string& name) const {
    return reinterpret_cast<FunctionPointer>(symbol(name));
  }

  bool is_open() const { return handle_ != nullptr; }
  const std::filesystem::path& path() const { return path_; }

  // Unloads now (idempotent).
  void close();

 private:
  shared_library(void* handle, std::filesystem::path path);

  void* handle_ = nullptr;
  std::filesystem::path path_;
};

// The directory of the executable or shared library that contains `address` (a function or
// object of it): dladdr, GetModuleHandleExW(FROM_ADDRESS). Empty when it cannot be told.
std::filesystem::path module_directory(const void* address);

// File name suffix of loadable plugins on this platform: ".so", ".dll" or ".dylib".
std::string_view plugin_suffix();

}  // namespace wolfpack::platform
