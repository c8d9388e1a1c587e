#include "library_loader.hpp"

#include <filesystem>

#include <wolfpack/resapi.h>
#include <wolfpack/win_base.h>
#include <wolfpack/common/platform/shared_library.hpp>
#include <wolfpack/wide_string.hpp>
#include <wolfpack/win_error_names.hpp>

#include "callback_router.hpp"
#include "plugin_type.hpp"

namespace wolfpack::monitor {

namespace {

call_outcome refuse(std::uint32_t code, std::string message) {
  call_outcome o;
  o.status = code;
  o.message = std::move(message);
  return o;
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%X", v);
  return buf;
}

using dll_main_routine = BOOL(WINAPI*)(HINSTANCE, DWORD, LPVOID);

// A loaded plugin file. A plugin that defines DllMain hears DLL_PROCESS_ATTACH right after
// loading and DLL_PROCESS_DETACH right before unloading, as a Windows DLL does (no thread
// notifications). The HINSTANCE it gets is this object's address: an opaque token.
class plugin_library {
 public:
  explicit plugin_library(platform::shared_library library) : library_(std::move(library)) {
    dll_main_ = library_.function<dll_main_routine>("DllMain");
  }
  ~plugin_library() {
    if (attached_)
      dll_main_(instance(), DLL_PROCESS_DETACH, nullptr);
  }
  plugin_library(const plugin_library&) = delete;
  plugin_library& operator=(const plugin_library&) = delete;

  // false when DllMain refused DLL_PROCESS_ATTACH (it then also gets the DETACH, as on
  // Windows).
  bool attach() {
    if (dll_main_ == nullptr)
      return true;
    if (dll_main_(instance(), DLL_PROCESS_ATTACH, nullptr) == FALSE) {
      dll_main_(instance(), DLL_PROCESS_DETACH, nullptr);
      return false;
    }
    attached_ = true;
    return true;
  }
  const platform::shared_library& library() const { return library_; }

 private:
  HINSTANCE instance() { return reinterpret_cast<HINSTANCE>(this); }

  platform::shared_library library_;
  dll_main_routine dll_main_ = nullptr;
  bool attached_ = false;
};

// Codes a Startup returns for a type name it does not serve (Microsoft's samples use the
// first two).
bool unknown_type_code(DWORD rc) {
  return rc == ERROR_CLUSTER_RESNAME_NOT_FOUND || rc == ERROR_MOD_NOT_FOUND ||
         rc == ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND || rc == ERROR_RESOURCE_TYPE_NOT_FOUND;
}

}  // namespace

call_outcome library_loader::load(const std::string& path, const std::string& type_name) {
  std::shared_ptr<void> library;
  {
    std::lock_guard lock(mutex_);
    if (auto it = libraries_.find(path); it != libraries_.end()) {
      library = it->second;
    } else {
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) {
        return refuse(ERROR_MOD_NOT_FOUND, "plugin " + path + ": no such file");
      }
      auto opened = platform::shared_library::open(path);
      if (!opened) {
        return refuse(ERROR_MOD_NOT_FOUND,
                      "plugin " + path + ": not a loadable shared library: " + opened.error());
      }
      auto owned = std::make_shared<plugin_library>(std::move(opened).value());
      if (!owned->attach()) {
        return refuse(ERROR_DLL_INIT_FAILED,
                      "plugin " + path + ": DllMain(DLL_PROCESS_ATTACH) returned FALSE");
      }
      library = std::shared_ptr<void>(owned, owned.get());
      libraries_.emplace(path, library);
    }
  }
  const auto& lib = static_cast<plugin_library*>(library.get())->library();
  auto startup = lib.function<PSTARTUP_ROUTINE>(STARTUP_ROUTINE);
  if (startup == nullptr) {
    return refuse(ERROR_PROC_NOT_FOUND, "plugin " + path + ": does not export the entry point '" +
                                            std::string(STARTUP_ROUTINE) + "'");
  }
  const std::wstring wide_type = wolfpack::from_utf8(type_name);
  PCLRES_FUNCTION_TABLE table = nullptr;
  const DWORD rc =
      startup(wide_type.c_str(), CLRES_VERSION_V1_00, CLRES_VERSION_V1_00,
              &callback_router::set_resource_status, &callback_router::log_event, &table);
  if (rc != ERROR_SUCCESS && unknown_type_code(rc)) {
    // Not "no such file" even when the code is ERROR_MOD_NOT_FOUND: the file loaded and
    // answered; it serves other type names (compared exactly, whitespace included).
    return refuse(rc, "plugin " + path + " does not serve resource type \"" + type_name +
                          "\" (Startup returned " + std::to_string(rc) + " " +
                          win32_error_name(rc) + ")");
  }
  if (rc != ERROR_SUCCESS) {
    return refuse(rc, "plugin " + path + ": Startup(\"" + type_name + "\") failed with error " +
                          std::to_string(rc) + " (" + win32_error_name(rc) + ")");
  }
  if (table == nullptr) {
    return refuse(ERROR_INVALID_DATA, "plugin " + path + ": Startup(\"" + type_name +
                                          "\") succeeded but returned no function table");
  }
  if (table->Version != CLRES_VERSION_V1_00) {
    return refuse(ERROR_REVISION_MISMATCH,
                  "plugin " + path + ": function table version " + hex32(table->Version) +
                      " is outside the supported range " + hex32(CLRES_VERSION_V1_00) + ".." +
                      hex32(CLRES_VERSION_V1_00));
  }
  if (table->TableSize != CLRES_V1_FUNCTION_SIZE) {
    return refuse(ERROR_INVALID_DATA, "plugin " + path + ": function table size " +
                                          std::to_string(table->TableSize) +
                                          " does not match version 1.0 (" +
                                          std::to_string(CLRES_V1_FUNCTION_SIZE) + ")");
  }
  const CLRES_V1_FUNCTIONS& f = table->V1Functions;
  const std::pair<const void*, const char*> required[] = {
      {reinterpret_cast<const void*>(f.Open), "Open"},
      {reinterpret_cast<const void*>(f.Close), "Close"},
      {reinterpret_cast<const void*>(f.Online), "Online"},
      {reinterpret_cast<const void*>(f.Offline), "Offline"},
      {reinterpret_cast<const void*>(f.Terminate), "Terminate"},
      {reinterpret_cast<const void*>(f.LooksAlive), "LooksAlive"},
      {reinterpret_cast<const void*>(f.IsAlive), "IsAlive"},
  };
  for (const auto& [fn, name] : required) {
    if (fn == nullptr) {
      return refuse(ERROR_INVALID_DATA, "plugin " + path + ": the function table for '" +
                                            type_name + "' has a NULL " + name + " entry point");
    }
  }
  // Arbitrate and Release are optional, but only together: a quorum resource needs both.
  if ((f.Arbitrate == nullptr) != (f.Release == nullptr)) {
    return refuse(ERROR_INVALID_DATA,
                  "plugin " + path + ": the function table for '" + type_name + "' has " +
                      (f.Arbitrate ? "Arbitrate without Release" : "Release without Arbitrate"));
  }
  call_outcome o;
  o.loaded_type = std::make_shared<plugin_type>(type_name, path, f, library);
  return o;
}

startup_probe probe_startup(const std::string& path, const std::string& type_name,
                            std::uint32_t min_version, std::uint32_t max_version) {
  startup_probe probe;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    probe.error = "plugin " + path + ": no such file";
    return probe;
  }
  auto opened = platform::shared_library::open(path);
  if (!opened) {
    probe.error = "plugin " + path + ": not a loadable shared library: " + opened.error();
    return probe;
  }
  plugin_library library(std::move(opened).value());
  if (!library.attach()) {
    probe.error = "plugin " + path + ": DllMain(DLL_PROCESS_ATTACH) returned FALSE";
    return probe;
  }
  auto startup = library.library().function<PSTARTUP_ROUTINE>(STARTUP_ROUTINE);
  if (startup == nullptr) {
    probe.error = "plugin " + path + ": does not export the entry point '" +
                  std::string(STARTUP_ROUTINE) + "'";
    return probe;
  }
  probe.loaded = true;
  const std::wstring wide_type = wolfpack::from_utf8(type_name);
  PCLRES_FUNCTION_TABLE table = nullptr;
  probe.status =
      startup(wide_type.c_str(), min_version, max_version, &callback_router::set_resource_status,
              &callback_router::log_event, &table);
  if (table != nullptr) {
    probe.table_returned = true;
    probe.table_version = table->Version;
  }
  return probe;
}

}  // namespace wolfpack::monitor
