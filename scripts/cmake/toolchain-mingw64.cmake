# Cross-compiles Wolfpack for 64-bit Windows with Debian's mingw-w64 (the POSIX-threads
# flavour: std::thread and std::mutex need it). `make windows` uses it; docs/windows.md.
#   cmake -S . -B build-windows -DCMAKE_TOOLCHAIN_FILE=scripts/cmake/toolchain-mingw64.cmake
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(WP_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${WP_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${WP_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${WP_MINGW_TRIPLE}-windres)

# Libraries and headers of the target come from the mingw sysroot only; programs (python3,
# the host's tools) from the host. Debian's header-only dependencies are brought in one by
# one by cmake/WolfpackWindowsDeps.cmake, never the whole of /usr/include, whose glibc
# headers would shadow mingw's.
set(CMAKE_FIND_ROOT_PATH /usr/${WP_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Static libgcc, libstdc++ and winpthread: the .exe and .dll files then need nothing but
# Windows' own DLLs (and ours), so they run under a bare Wine prefix and on a bare Windows.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static")
