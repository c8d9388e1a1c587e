# wp_add_plugin(NAME SOURCES...): a resource type plugin, built as build/plugins/<NAME>.so
# (.dll / .dylib by platform) with only Startup exported.
function(wp_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY ${WP_PLUGIN_OUTPUT_DIRECTORY}
    RUNTIME_OUTPUT_DIRECTORY ${WP_PLUGIN_OUTPUT_DIRECTORY}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${name} PRIVATE wp_options wolfpack::resapi wolfpack::resutils)
  # Windows resource DLL source writes property tables and CLRES tables with brace elision
  # (valid C); GCC's -Wall would turn that into an error under -Werror.
  target_compile_options(${name} PRIVATE
    $<$<AND:$<COMPILE_LANGUAGE:C>,$<C_COMPILER_ID:GNU,Clang>>:-Wno-missing-braces>)
endfunction()
