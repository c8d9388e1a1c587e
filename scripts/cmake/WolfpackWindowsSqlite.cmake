# SQLite for the Windows cross-build (docs/windows.md). Debian ships no mingw build of it, and
# its source is never committed here: the amalgamation (sqlite3.c and sqlite3.h) comes from the
# npm package better-sqlite3, which carries it unchanged in deps/sqlite3/. `npm pack`, the
# registry's own client, fetches the package once into the build tree at configure time; its
# SHA-256 is checked against the value pinned below before anything is extracted, so a changed
# or corrupted package stops the configure. Defines SQLite::SQLite3, the target find_package
# gives on Linux, when it succeeds; otherwise says why and leaves it undefined, and
# cluster_service/CMakeLists.txt leaves clussvc out.

# The npm package whose deps/sqlite3/ holds the amalgamation (SQLite 3.49.2), and the SHA-256
# of its tarball as the registry serves it. Not cache variables: a change here must reach every
# existing build tree. To move to another version, change both together.
set(WP_SQLITE_NPM_PACKAGE "better-sqlite3@11.10.0")
set(WP_SQLITE_NPM_SHA256 "71e2d66a44dafc35649ff82742cf4908557fc31841108d19703b74b7065c0293")

function(wp_windows_sqlite)
  set(dir ${PROJECT_BINARY_DIR}/wp-deps/sqlite)
  string(REPLACE "@" "-" tarball_name "${WP_SQLITE_NPM_PACKAGE}")
  set(tarball ${dir}/${tarball_name}.tgz)
  set(source ${dir}/package/deps/sqlite3)

  if(NOT EXISTS ${tarball})
    find_program(WP_NPM npm NO_CMAKE_FIND_ROOT_PATH)
    if(NOT WP_NPM)
      message(WARNING "SQLite for Windows: npm not found (scripts/install-deps.sh installs "
                      "it), so the SQLite amalgamation cannot be fetched")
      return()
    endif()
    file(MAKE_DIRECTORY ${dir})
    message(STATUS "SQLite for Windows: npm pack ${WP_SQLITE_NPM_PACKAGE}")
    execute_process(
      COMMAND ${WP_NPM} pack ${WP_SQLITE_NPM_PACKAGE} --pack-destination ${dir}
              --loglevel=error --no-fund --no-audit
      WORKING_DIRECTORY ${dir}
      RESULT_VARIABLE npm_result
      OUTPUT_VARIABLE npm_output
      ERROR_VARIABLE npm_output
      TIMEOUT 180)
    if(NOT npm_result EQUAL 0 OR NOT EXISTS ${tarball})
      file(REMOVE ${tarball})
      string(STRIP "${npm_output}" npm_output)
      message(WARNING "SQLite for Windows: `npm pack ${WP_SQLITE_NPM_PACKAGE}` failed "
                      "(${npm_result}); offline, or the registry is unreachable:\n"
                      "${npm_output}")
      return()
    endif()
  endif()
  # Checked at every configure, not only after the download: the tarball stays in the tree.
  file(SHA256 ${tarball} actual)
  if(NOT actual STREQUAL WP_SQLITE_NPM_SHA256)
    file(REMOVE ${tarball})
    message(FATAL_ERROR "SQLite for Windows: ${tarball_name}.tgz has SHA-256 ${actual}, "
                        "not the pinned ${WP_SQLITE_NPM_SHA256}; the file was removed. If "
                        "the package was changed on purpose, update WP_SQLITE_NPM_SHA256.")
  endif()
  if(NOT EXISTS ${source}/sqlite3.c)
    file(ARCHIVE_EXTRACT INPUT ${tarball} DESTINATION ${dir}
         PATTERNS package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h)
    if(NOT EXISTS ${source}/sqlite3.c OR NOT EXISTS ${source}/sqlite3.h)
      message(FATAL_ERROR "SQLite for Windows: ${tarball_name}.tgz has no "
                          "deps/sqlite3/sqlite3.c and sqlite3.h")
    endif()
  endif()

  add_library(wp_sqlite3 STATIC ${source}/sqlite3.c)
  # SQLite's own code is not held to our warnings; one translation unit, nothing to batch.
  # Its default -O2 costs a minute of `make test` on one core; -O1 halves that, and the store
  # writes little.
  set_target_properties(wp_sqlite3 PROPERTIES UNITY_BUILD OFF C_STANDARD 99)
  target_compile_options(wp_sqlite3 PRIVATE -O1 -w)
  # As Debian builds it: serialized threading; no loadable extensions, which we never use.
  target_compile_definitions(wp_sqlite3 PRIVATE SQLITE_OMIT_LOAD_EXTENSION
                             PUBLIC SQLITE_THREADSAFE=1)
  target_include_directories(wp_sqlite3 SYSTEM PUBLIC ${source})
  add_library(SQLite::SQLite3 ALIAS wp_sqlite3)
  message(STATUS "SQLite for Windows: the amalgamation of ${WP_SQLITE_NPM_PACKAGE}, "
                 "SHA-256 verified")
endfunction()
wp_windows_sqlite()
