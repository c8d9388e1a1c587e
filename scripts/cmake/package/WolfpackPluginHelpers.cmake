# wolfpack_add_plugin(NAME SOURCES...): a resource type plugin as resrcmon loads it: a module
# named NAME.so (.dll, .dylib) without the "lib" prefix, exporting only what is marked
# (Startup), linked with wolfpack::resapi and wolfpack::resutils. Part of the installed
# Wolfpack package; the Wolfpack tree itself uses wp_add_plugin.
function(wolfpack_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${name} PRIVATE wolfpack::resapi wolfpack::resutils)
  # Resource DLL source writes CLRES and property tables with brace elision (valid C).
  target_compile_options(${name} PRIVATE
    $<$<AND:$<COMPILE_LANGUAGE:C>,$<C_COMPILER_ID:GNU,Clang>>:-Wno-missing-braces>)
endfunction()
