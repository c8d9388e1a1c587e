# The Wolfpack package: what a resource type project outside this tree finds with
# find_package(Wolfpack). Two equivalent configs, both defining wolfpack::resapi,
# wolfpack::resutils, wolfpack::resrcmon and wolfpack_add_plugin():
#   - the install tree: `cmake --install build --prefix P` writes
#     P/lib/cmake/Wolfpack/{WolfpackConfig,WolfpackConfigVersion,WolfpackTargets}.cmake;
#   - the build tree: the same files under build/lib/cmake/Wolfpack, so
#     -DCMAKE_PREFIX_PATH=/path/to/build works without installing.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(WP_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Wolfpack)

# Exported names: wolfpack::resapi, wolfpack::resutils, wolfpack::resrcmon.
set_target_properties(wolfpack_resapi PROPERTIES EXPORT_NAME resapi)
set_target_properties(wolfpack_resutils PROPERTIES EXPORT_NAME resutils)
set_target_properties(resrcmon PROPERTIES EXPORT_NAME resrcmon)
target_include_directories(wolfpack_resapi INTERFACE
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
if(NOT WIN32)
  target_include_directories(wolfpack_resapi INTERFACE
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/wolfpack/compat>)
endif()

install(TARGETS wolfpack_resapi wolfpack_resutils resrcmon
  EXPORT WolfpackTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resource_api/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(NOT WIN32)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/resource_api/compat/
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wolfpack/compat)
endif()
install(EXPORT WolfpackTargets NAMESPACE wolfpack:: DESTINATION ${WP_PACKAGE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/scripts/cmake/package/WolfpackConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/WolfpackConfig.cmake
  INSTALL_DESTINATION ${WP_PACKAGE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/WolfpackConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/package/WolfpackConfig.cmake
  ${PROJECT_BINARY_DIR}/package/WolfpackConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/scripts/cmake/package/WolfpackPluginHelpers.cmake
  DESTINATION ${WP_PACKAGE_DIR})

# The build tree's copy: same config, targets pointing into the build and source trees.
set(WP_BUILD_PACKAGE_DIR ${PROJECT_BINARY_DIR}/${WP_PACKAGE_DIR})
export(EXPORT WolfpackTargets NAMESPACE wolfpack::
  FILE ${WP_BUILD_PACKAGE_DIR}/WolfpackTargets.cmake)
file(COPY ${PROJECT_BINARY_DIR}/package/WolfpackConfig.cmake
          ${PROJECT_BINARY_DIR}/package/WolfpackConfigVersion.cmake
          ${PROJECT_SOURCE_DIR}/scripts/cmake/package/WolfpackPluginHelpers.cmake
     DESTINATION ${WP_BUILD_PACKAGE_DIR})
