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

set(WP_TEST_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)

# Every test translation unit includes Catch2's single header and most include nlohmann/json;
# parsing them is most of a test file's compile time, so each test executable precompiles
# them once. A file that configures Catch2 with a CATCH_CONFIG_ macro before including it
# compiles without the precompiled header.
option(WP_TEST_PCH "Precompile catch.hpp and nlohmann/json.hpp for test executables" ON)
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
  target_link_libraries(${name} PRIVATE wp_options Catch2::Catch2 ${T_LIBS})
  if(NOT WP_TEST_OPTIMIZE AND NOT T_OPTIMIZED)
    target_compile_options(${name} PRIVATE $<$<NOT:$<CONFIG:Debug>>:-O0>)
  endif()
  target_compile_definitions(${name} PRIVATE
    WP_BUILD_DIR="${PROJECT_BINARY_DIR}"
    WP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${WP_TEST_OUTPUT_DIRECTORY})
  if(WP_TEST_PCH)
    list(LENGTH T_SOURCES count)
    if(count GREATER 1)
      target_precompile_headers(${name} PRIVATE <catch2/catch.hpp> <nlohmann/json.hpp>)
      if(WP_CCACHE)
        target_compile_options(${name} PRIVATE -fpch-preprocess)
      endif()
      foreach(src IN LISTS T_SOURCES)
        get_filename_component(path ${src} ABSOLUTE)
        file(STRINGS ${path} configures REGEX "#define CATCH_CONFIG_")
        if(configures)
          # Such a file is compiled alone: its configuration must not leak into a batch.
          set_source_files_properties(${src} PROPERTIES SKIP_PRECOMPILE_HEADERS ON
                                                         SKIP_UNITY_BUILD_INCLUSION ON)
        endif()
      endforeach()
    endif()
  endif()
  if(WP_TEST_UNITY)
    set_target_properties(${name} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 12)
    if(T_ALONE)
      set_source_files_properties(${T_ALONE} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
    endif()
  endif()
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if(T_SKIP_REGEX)
    catch_discover_tests(${name} TEST_PREFIX "${name}:" PROPERTIES LABELS "${T_LABELS}"
                         SKIP_REGULAR_EXPRESSION "${T_SKIP_REGEX}")
  else()
    catch_discover_tests(${name} TEST_PREFIX "${name}:" PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
