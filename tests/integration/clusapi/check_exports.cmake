# cmake -DNM=nm -DLIB=libclusapi.so -DEXPECTED=clusapi_exports.txt -P check_exports.cmake
# Fails unless the library's dynamic symbol table defines exactly the names of EXPECTED
# (one a line): nothing missing, nothing extra (no C++ symbol, no static library's).
execute_process(COMMAND ${NM} -D --defined-only ${LIB}
                OUTPUT_VARIABLE table RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -D ${LIB} failed (${rc})")
endif()
string(REPLACE "\n" ";" lines "${table}")
set(actual)
foreach(line IN LISTS lines)
  # "0000000000012345 T OpenCluster" (versioned names carry @VERSION; none expected).
  if(line MATCHES "^[0-9a-fA-F]* *[A-Za-z] ([^ ]+)$")
    set(name ${CMAKE_MATCH_1})
    # The version node the version script defines is no function.
    if(NOT name MATCHES "^_|^$")
      list(APPEND actual ${name})
    endif()
  endif()
endforeach()
include(${CMAKE_CURRENT_LIST_DIR}/compare_exports.cmake)
wp_compare_exports("${actual}")
