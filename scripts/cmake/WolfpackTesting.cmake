# One Catch2 (v2) main for every unit test executable.
include(Catch)
# A test executable's own code is drivers, fixtures and Catch2's assertion macros; what it tests
# lives in the libraries and programs, which keep the tree's optimisation. Optimising the test
# code itself doubled the release tree's compile time of the tests (about half of `make test`'s
# build) and bought nothing a test measures (timings belong in bench/).
option(WP_TEST_OPTIMIZE "Compile test executables with the tree's optimisation flags" OFF)
add_library(wp_catch_main OBJECT ${PROJECT_SOURCE_DIR}/tests/catch_main.cpp)
target_link_libraries(wp_catch_main PUBLIC Catch2::Catch2 wp_options)
if(NOT WP_TEST_OPTIMIZE)
  target_compile_options(wp_catch_main PRIVATE $<$<NOT:$<CONFIG:Debug>>:-O0>)
endif()
if(WP_SANITIZE)
  # Catch2's runner is not under test, and instrumented it took twice the CPU to compile (24 s
  # instead of 12), the slowest file of the sanitizer tree. The tests' own code and everything
  # they call stay instrumented.
  set_target_properties(wp_catch_main PROPERTIES WP_NO_SANITIZE ON)
endif()

set(WP_TEST_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)

# Every test translation unit includes Catch2's single header and most include nlohmann/json;
# parsing them is most of a test file's compile time, so they are precompiled once per tree
# (below). A file that configures Catch2 with a CATCH_CONFIG_ macro before including it
# compiles without the precompiled header.
option(WP_TEST_PCH "Precompile catch.hpp and nlohmann/json.hpp for test executables" ON)
# One precompiled header for every test target compiled with the same flags (all but the
# OPTIMIZED ones): each target used to precompile its own, two dozen times per tree, about
# four seconds each. Every test target links Threads like the header's own target: where a
# toolchain's Threads adds -pthread, that defines a macro, and a precompiled header made
# without it would not match (-Winvalid-pch makes that a build error).
# GCC uses a precompiled header only with the -fpie/-fpic setting it was made with, and CMake
# gives executables -fPIE but libraries -fPIC: all test code is compiled -fPIE (it only ever
# goes into executables).
function(wp_test_position_independent name)
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
  target_compile_options(${name} PRIVATE -fPIE)
endfunction()

if(WP_TEST_PCH)
  add_library(wp_test_pch OBJECT ${PROJECT_SOURCE_DIR}/tests/test_pch.cpp)
  target_link_libraries(wp_test_pch PUBLIC Catch2::Catch2 nlohmann_json::nlohmann_json
                                           Threads::Threads wp_options)
  target_precompile_headers(wp_test_pch PRIVATE <catch2/catch.hpp> <nlohmann/json.hpp>)
  set_target_properties(wp_test_pch PROPERTIES WP_TEST_CODE ON)
  wp_test_position_independent(wp_test_pch)
  if(NOT WP_TEST_OPTIMIZE)
    target_compile_options(wp_test_pch PRIVATE $<$<NOT:$<CONFIG:Debug>>:-O0>)
  endif()
  if(WP_CCACHE)
    target_compile_options(wp_test_pch PRIVATE -fpch-preprocess)
  endif()
endif()

# Marks the sources of a test target that configure Catch2 with a CATCH_CONFIG_ macro before
# including it: compiled without the precompiled header and outside the unity batches, so that
# their configuration does not leak into other files.
function(wp_test_sources_alone_if_configuring)
  foreach(src IN LISTS ARGN)
    get_filename_component(path ${src} ABSOLUTE)
    file(STRINGS ${path} configures REGEX "#define CATCH_CONFIG_")
    if(configures)
      set_source_files_properties(${src} PROPERTIES SKIP_PRECOMPILE_HEADERS ON
                                                     SKIP_UNITY_BUILD_INCLUSION ON)
    endif()
  endforeach()
endfunction()

# Test code compiled like a test executable's own, with the flags of the shared precompiled
# header; OPTIMIZED as in wp_add_catch_test.
function(wp_test_code_flags name optimized)
  target_link_libraries(${name} PRIVATE wp_options Catch2::Catch2 Threads::Threads)
  set_target_properties(${name} PROPERTIES WP_TEST_CODE ON)
  if(NOT WP_TEST_OPTIMIZE AND NOT optimized)
    target_compile_options(${name} PRIVATE $<$<NOT:$<CONFIG:Debug>>:-O0>)
  endif()
  target_compile_definitions(${name} PRIVATE
    WP_BUILD_DIR="${PROJECT_BINARY_DIR}"
    WP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  wp_test_position_independent(${name})
  if(WP_TEST_PCH)
    if(WP_TEST_OPTIMIZE OR NOT optimized)
      target_precompile_headers(${name} REUSE_FROM wp_test_pch)
    else()
      target_precompile_headers(${name} PRIVATE <catch2/catch.hpp> <nlohmann/json.hpp>)
    endif()
    if(WP_CCACHE)
      target_compile_options(${name} PRIVATE -fpch-preprocess)
    endif()
  endif()
endfunction()

# wp_add_test_library(NAME SOURCES src... LIBS lib...)
# Fixtures that several test executables share, compiled once (a static library) instead of
# once per executable.
function(wp_add_test_library name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} STATIC ${T_SOURCES})
  wp_test_code_flags(${name} FALSE)
  target_link_libraries(${name} PUBLIC ${T_LIBS})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  wp_test_sources_alone_if_configuring(${T_SOURCES})
  if(WP_TEST_UNITY)
    set_target_properties(${name} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 12)
  endif()
endfunction()
# Test files share most of what they instantiate (Catch2's macros, json, the fixtures'
# headers); compiled in batches of a dozen (a unity build), each of those is compiled once
# per batch instead of once per file. The biggest cut in `make test`'s build time.
option(WP_TEST_UNITY "Compile each test executable's sources in unity batches" ON)

# wp_add_catch_test(NAME SOURCES src... LIBS lib... [LABELS l...] [ALONE src...]
#                   [SKIP_REGEX re] [OPTIMIZED])
# Builds build/tests/NAME and registers each TEST_CASE with ctest. ALONE: sources compiled
# outside the unity batches (their file-local helpers share names with another file's).
# SKIP_REGEX: a test whose output matches is reported as skipped (Catch2 v2 has no SKIP).
# OPTIMIZED: the executable keeps the tree's optimisation (see WP_TEST_OPTIMIZE) because its
# own code does the heavy work (the simulator's seeds: three times slower at -O0).
function(wp_add_catch_test name)
  cmake_parse_arguments(T "OPTIMIZED" "SKIP_REGEX" "SOURCES;LIBS;LABELS;ALONE" ${ARGN})
  add_executable(${name} ${T_SOURCES} $<TARGET_OBJECTS:wp_catch_main>)
  target_link_libraries(${name} PRIVATE ${T_LIBS})
  wp_test_code_flags(${name} "${T_OPTIMIZED}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${WP_TEST_OUTPUT_DIRECTORY})
  wp_test_sources_alone_if_configuring(${T_SOURCES})
  if(WP_TEST_UNITY)
    set_target_properties(${name} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 12)
    if(T_ALONE)
      set_source_files_properties(${T_ALONE} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
    endif()
  endif()
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  # --warn NoTests: a test whose name ctest cannot pass back whole (a ';' splits it) runs
  # nothing, and Catch2 would call that a success; it fails instead.
  if(T_SKIP_REGEX)
    catch_discover_tests(${name} TEST_PREFIX "${name}:" PROPERTIES LABELS "${T_LABELS}"
                         SKIP_REGULAR_EXPRESSION "${T_SKIP_REGEX}" EXTRA_ARGS --warn NoTests)
  else()
    catch_discover_tests(${name} TEST_PREFIX "${name}:" PROPERTIES LABELS "${T_LABELS}"
                         EXTRA_ARGS --warn NoTests)
  endif()
endfunction()
