# The dependencies of the Windows cross-build (scripts/cmake/toolchain-mingw64.cmake). Debian ships
# no mingw builds of them, but the ones the ported components need are header-only (Boost's
# Asio, nlohmann/json, CLI11, Catch2 for the unit tests cross-built) or can be (spdlog and
# fmt). Their Debian headers are offered to
# the cross-compiler through a directory of symlinks, one per library: adding /usr/include
# itself would put glibc's headers ahead of mingw's. The targets defined here carry the
# names find_package gives them on Linux, so the components' CMake files do not change.

set(WP_HOST_INCLUDE_DIR /usr/include CACHE PATH "Where Debian's header-only dependencies are")
set(wp_dep_headers ${PROJECT_BINARY_DIR}/wp-deps/include)
file(MAKE_DIRECTORY ${wp_dep_headers})

function(wp_link_host_headers)
  foreach(dir IN LISTS ARGN)
    set(source ${WP_HOST_INCLUDE_DIR}/${dir})
    if(NOT EXISTS ${source})
      message(FATAL_ERROR "The Windows cross-build needs ${source} (scripts/install-deps.sh "
                          "installs the package that has it)")
    endif()
    file(CREATE_LINK ${source} ${wp_dep_headers}/${dir} SYMBOLIC)
  endforeach()
endfunction()
wp_link_host_headers(boost nlohmann spdlog fmt CLI catch2)

function(wp_header_only_target name)
  cmake_parse_arguments(D "" "" "DEFINITIONS" ${ARGN})
  add_library(${name} INTERFACE IMPORTED GLOBAL)
  # An imported target's include directories are SYSTEM ones: the libraries' own warnings
  # are not ours to fix under -Werror.
  set_target_properties(${name} PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES ${wp_dep_headers}
    INTERFACE_COMPILE_DEFINITIONS "${D_DEFINITIONS}")
endfunction()

# Asio's Windows backend wants the target version before any Windows header: Windows 10.
wp_header_only_target(Boost::headers DEFINITIONS _WIN32_WINNT=0x0A00)
target_link_libraries(Boost::headers INTERFACE ws2_32 mswsock)
wp_header_only_target(nlohmann_json::nlohmann_json)
wp_header_only_target(CLI11::CLI11)
# Debian's spdlog is built against the external fmt (tweakme.h says so); both compile into
# each binary that logs.
wp_header_only_target(spdlog::spdlog
                      DEFINITIONS SPDLOG_HEADER_ONLY SPDLOG_FMT_EXTERNAL FMT_HEADER_ONLY)
# Catch2 v2's single header, for the unit tests that run under Wine (tests/windows/unit).
wp_header_only_target(wp_catch2)
