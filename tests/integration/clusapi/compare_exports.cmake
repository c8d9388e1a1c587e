# Included by check_exports.cmake (ELF) and check_dll_exports.cmake (PE): fails unless the
# names in `actual` are exactly the lines of ${EXPECTED}, naming what is missing and extra.
function(wp_compare_exports actual)
  file(STRINGS ${EXPECTED} expected)
  list(SORT actual)
  list(SORT expected)
  set(missing ${expected})
  list(REMOVE_ITEM missing ${actual})
  set(extra ${actual})
  list(REMOVE_ITEM extra ${expected})
  list(LENGTH actual n)
  if(missing OR extra)
    message(FATAL_ERROR "exports of ${LIB} differ from ${EXPECTED}\n"
                        "  missing: ${missing}\n  extra: ${extra}")
  endif()
  message(STATUS "${LIB} exports exactly the ${n} expected names")
endfunction()
