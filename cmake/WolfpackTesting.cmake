# One Catch2 (v2) main for every unit test executable.
include(Catch)
add_library(wp_catch_main OBJECT ${PROJECT_SOURCE_DIR}/tests/catch_main.cpp)
target_link_libraries(wp_catch_main PUBLIC Catch2::Catch2 wp_options)

set(WP_TEST_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)

# wp_add_catch_test(NAME SOURCES src... LIBS lib... [LABELS l...])
# Builds build/tests/NAME and registers each TEST_CASE with ctest.
function(wp_add_catch_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES} $<TARGET_OBJECTS:wp_catch_main>)
  target_link_libraries(${name} PRIVATE wp_options Catch2::Catch2 ${T_LIBS})
  target_compile_definitions(${name} PRIVATE
    WP_BUILD_DIR="${PROJECT_BINARY_DIR}"
    WP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${WP_TEST_OUTPUT_DIRECTORY})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  catch_discover_tests(${name} TEST_PREFIX "${name}:" PROPERTIES LABELS "${T_LABELS}")
endfunction()
