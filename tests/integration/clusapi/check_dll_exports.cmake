# cmake -DOBJDUMP=x86_64-w64-mingw32-objdump -DLIB=libclusapi.dll -DEXPECTED=clusapi_exports.txt
#       -P check_dll_exports.cmake
# The Windows counterpart of check_exports.cmake: fails unless the DLL's export table names
# exactly the functions of EXPECTED (one a line), nothing missing and nothing extra.
execute_process(COMMAND ${OBJDUMP} -p ${LIB} OUTPUT_VARIABLE dump RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${OBJDUMP} -p ${LIB} failed (${rc})")
endif()
string(REPLACE "\n" ";" lines "${dump}")
set(actual)
set(in_table FALSE)
foreach(line IN LISTS lines)
  if(line MATCHES "\\[Ordinal/Name Pointer\\] Table")
    set(in_table TRUE)
  elseif(in_table)
    # "	[   0] AddClusterResourceDependency"; the table ends at the first other line.
    if(line MATCHES "^[ \t]*\\[ *[0-9]+\\] ([A-Za-z_0-9@]+)$")
      list(APPEND actual ${CMAKE_MATCH_1})
    else()
      break()
    endif()
  endif()
endforeach()
include(${CMAKE_CURRENT_LIST_DIR}/compare_exports.cmake)
wp_compare_exports("${actual}")
