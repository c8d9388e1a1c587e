#include "wolfpack/common/platform/shared_library.hpp"

#include <system_error>
#include <utility>

#ifdef _WIN32
#include <windows.h>
#else
#include <dlfcn.h>
#endif

namespace wolfpack::platform {
namespace {

#ifdef _WIN32
std::string last_error_text(DWORD code) {
  wchar_t* text = nullptr;
  const DWORD n = ::FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
  std::string out;
  if (n != 0 && text != nullptr) {
    const int bytes =
        ::WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(n), nullptr, 0, nullptr, nullptr);
    out.resize(static_cast<std::size_t>(bytes));
    ::WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(n), out.data(), bytes, nullptr,
                          nullptr);
    ::LocalFree(text);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) {
      out.pop_back();
    }
  }
  return out + " (error " + std::to_string(code) + ")";
}
#endif

}  // namespace

result<shared_library> shared_library::open(const std::filesystem::path& path) {
#ifdef _WIN32
  // The DLLs a plugin depends on are looked for next to it, then next to the executable (where
  // libwolfpack_resutils.dll is) and in System32: what RPATH $ORIGIN gives on Linux, and never
  // the current directory or PATH. That search needs a full path.
  std::error_code ec;
  const std::filesystem::path full = std::filesystem::absolute(path, ec);
  if (ec) {
    return fail("cannot load '" + path.string() + "': " + ec.message());
  }
  // No "missing DLL" message box: a monitor has nobody to click it, and a headless run would
  // hang on it.
  DWORD previous_mode = 0;
  ::SetThreadErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX, &previous_mode);
  HMODULE handle =
      ::LoadLibraryExW(full.wstring().c_str(), nullptr,
                       LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_DEFAULT_DIRS);
  const DWORD error = ::GetLastError();
  ::SetThreadErrorMode(previous_mode, nullptr);
  if (handle == nullptr) {
    std::string text = "cannot load '" + path.string() + "': " + last_error_text(error);
    // Windows says "module not found" both for the file and for a DLL it needs.
    if (error == ERROR_MOD_NOT_FOUND && std::filesystem::exists(full, ec)) {
      text += "; the file exists, so a DLL it depends on is missing";
    }
    return fail(text);
  }
  return shared_library(reinterpret_cast<void*>(handle), path);
#else
  ::dlerror();  // clear any stale message
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    // dlerror's text usually starts with the path already; keep it whole, it is the detail
    // a plugin author needs (missing dependency, wrong ELF class, undefined symbol).
    return fail("cannot load '" + path.string() + "': " + (why ? why : "unknown dlopen error"));
  }
  return shared_library(handle, path);
#endif
}

result<shared_library> shared_library::open_loaded(const std::string& file_name) {
#ifdef _WIN32
  const std::filesystem::path name(file_name);
  HMODULE handle = nullptr;
  // Flag 0: the reference count goes up, and FreeLibrary in close() takes it down again.
  if (!::GetModuleHandleExW(0, name.wstring().c_str(), &handle) || handle == nullptr) {
    return fail(file_name + " is not loaded in this process");
  }
  return shared_library(reinterpret_cast<void*>(handle), name);
#else
  ::dlerror();
  void* handle = ::dlopen(file_name.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
  if (handle == nullptr) {
    return fail(file_name + " is not loaded in this process");
  }
  return shared_library(handle, file_name);
#endif
}

std::filesystem::path module_directory(const void* address) {
#ifdef _WIN32
  HMODULE module = nullptr;
  if (!::GetModuleHandleExW(
          GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
          static_cast<LPCWSTR>(address), &module)) {
    return {};
  }
  std::wstring path(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = ::GetModuleFileNameW(module, path.data(), static_cast<DWORD>(path.size()));
    if (n == 0) {
      return {};
    }
    if (n < path.size()) {
      path.resize(n);
      return std::filesystem::path(path).parent_path();
    }
    path.resize(path.size() * 2);
  }
#else
  Dl_info info{};
  if (::dladdr(address, &info) == 0 || info.dli_fname == nullptr) {
    return {};
  }
  std::error_code ec;
  const auto full = std::filesystem::weakly_canonical(info.dli_fname, ec);
  return ec ? std::filesystem::path(info.dli_fname).parent_path() : full.parent_path();
#endif
}

shared_library::shared_library(void* handle, std::filesystem::path path)
    : handle_(handle), path_(std::move(path)) {}

shared_library::shared_library(shared_library&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), path_(std::move(other.path_)) {}

shared_library& shared_library::operator=(shared_library&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = std::exchange(other.handle_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

shared_library::~shared_library() {
  close();
}

void* shared_library::symbol(const std::string& name) const {
  if (handle_ == nullptr) {
    return nullptr;
  }
#ifdef _WIN32
  return reinterpret_cast<void*>(::GetProcAddress(static_cast<HMODULE>(handle_), name.c_str()));
#else
  return ::dlsym(handle_, name.c_str());
#endif
}

void shared_library::close() {
  if (handle_ == nullptr) {
    return;
  }
#ifdef _WIN32
  ::FreeLibrary(static_cast<HMODULE>(handle_));
#else
  ::dlclose(handle_);
#endif
  handle_ = nullptr;
}

std::string_view plugin_suffix() {
#if defined(_WIN32)
  return ".dll";
#elif defined(__APPLE__)
  return ".dylib";
#else
  return ".so";
#endif
}

}  // namespace wolfpack::platform
