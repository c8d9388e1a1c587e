# Warnings, standard and sanitizers reach every target through this INTERFACE target,
# never through global CMAKE_CXX_FLAGS edits.
add_library(wp_options INTERFACE)
target_compile_features(wp_options INTERFACE cxx_std_20)
target_compile_options(wp_options INTERFACE
  $<$<OR:$<CXX_COMPILER_ID:GNU>,$<CXX_COMPILER_ID:Clang>>:-Wall -Wextra -Werror>
  $<$<OR:$<C_COMPILER_ID:GNU>,$<C_COMPILER_ID:Clang>>:-Wall -Wextra -Werror>)
if(WP_SANITIZE)
  target_compile_options(wp_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(wp_options INTERFACE -fsanitize=address,undefined)
  target_compile_definitions(wp_options INTERFACE WP_SANITIZE=1)
endif()
