# Warnings, standard and sanitizers reach every target through this INTERFACE target,
# never through global CMAKE_CXX_FLAGS edits.
add_library(wp_options INTERFACE)
target_compile_features(wp_options INTERFACE cxx_std_20)
target_compile_options(wp_options INTERFACE
  $<$<OR:$<CXX_COMPILER_ID:GNU>,$<CXX_COMPILER_ID:Clang>>:-Wall -Wextra -Werror>
  $<$<OR:$<C_COMPILER_ID:GNU>,$<C_COMPILER_ID:Clang>>:-Wall -Wextra -Werror>)
if(WP_SANITIZE)
  # A target with the property WP_NO_SANITIZE compiles without instrumentation (it still links
  # the runtimes): code that is not under test, such as Catch2's runner. Test code (the property
  # WP_TEST_CODE: drivers, fixtures, Catch2's assertions) leaves out three of UBSan's checks,
  # those put on every pointer and reference it uses (null, alignment, vptr): at -O0 they made a
  # test file's compile 40% slower, and test code is half of this tree's build. ASan still
  # reports a null dereference there, and the code under test keeps every check.
  target_compile_options(wp_options INTERFACE
    $<$<NOT:$<BOOL:$<TARGET_PROPERTY:WP_NO_SANITIZE>>>:-fsanitize=address,undefined
    -fno-sanitize-recover=all>
    $<$<BOOL:$<TARGET_PROPERTY:WP_TEST_CODE>>:-fno-sanitize=null,alignment,vptr>
    -fno-omit-frame-pointer)
  target_link_options(wp_options INTERFACE -fsanitize=address,undefined)
  target_compile_definitions(wp_options INTERFACE WP_SANITIZE=1)
endif()
