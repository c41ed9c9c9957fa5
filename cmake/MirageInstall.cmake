# Install rules and the CMake package of Mirage-MLIR (docs/Install.md).
#
# `cmake --install build --prefix P` puts
#   P/bin                   the tools (every executable under tools/)
#   P/lib                   the libraries (every library under lib/), the
#                           mlir-opt plugin MiragePlugin.so
#   P/include/Mirage        the public headers, the TableGen files (.td) and
#                           the headers generated from them (.h.inc, .cpp.inc)
#   P/lib/cmake/mirage      MirageConfig.cmake, MirageConfigVersion.cmake,
#                           MirageTargets.cmake: find_package(Mirage)
#   P/share/doc/mirage      README.md and docs/
# and, where the GPU runtime is built (runtime/), its mirage-run,
# libmirage_runtime.so and C API header.
#
# Included by the top-level CMakeLists.txt before any target is declared (the
# RPATH settings below apply to targets created after them);
# mirage_install_project() at its end installs what the subdirectories
# declared. Libraries and tools are found by walking lib/ and tools/, so a
# library or tool added there is installed and exported without a new rule.

include(CMakePackageConfigHelpers)

set(MIRAGE_INSTALL_BIN_DIR bin CACHE STRING
  "Where the tools go, relative to the install prefix")
set(MIRAGE_INSTALL_LIB_DIR lib CACHE STRING
  "Where the libraries and the mlir-opt plugin go, relative to the prefix")
set(MIRAGE_INSTALL_INCLUDE_DIR include CACHE STRING
  "Where include/Mirage goes, relative to the install prefix")
set(MIRAGE_INSTALL_PACKAGE_DIR ${MIRAGE_INSTALL_LIB_DIR}/cmake/mirage CACHE
  STRING "Where MirageConfig.cmake goes, relative to the install prefix")
set(MIRAGE_INSTALL_DOC_DIR share/doc/mirage CACHE STRING
  "Where the docs go, relative to the install prefix")

# Installed programs and the plugin keep the directories of the libraries
# they link from outside the project (libMLIR.so, libLLVM.so) in their
# RUNPATH; the build tree's directories are dropped.
set(CMAKE_INSTALL_RPATH_USE_LINK_PATH ON)

# Collects the targets of kind `type` (STATIC_LIBRARY, EXECUTABLE, ...)
# declared in `dir` and the directories below it.
function(mirage_collect_targets dir type out)
  set(found)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target ${targets})
    get_target_property(target_type ${target} TYPE)
    if(target_type STREQUAL type)
      list(APPEND found ${target})
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(subdir ${subdirs})
    mirage_collect_targets(${subdir} ${type} below)
    list(APPEND found ${below})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

function(mirage_install_project)
  mirage_collect_targets(${PROJECT_SOURCE_DIR}/lib STATIC_LIBRARY libraries)
  mirage_collect_targets(${PROJECT_SOURCE_DIR}/lib SHARED_LIBRARY shared)
  list(APPEND libraries ${shared})
  mirage_collect_targets(${PROJECT_SOURCE_DIR}/tools EXECUTABLE tools)
  mirage_collect_targets(${PROJECT_SOURCE_DIR}/tools MODULE_LIBRARY plugins)

  # What a user of the installed libraries needs besides their link lines:
  # C++17 and the LLVM and MLIR headers. The libraries of the build see those
  # through the top-level include_directories(); the installed package adds
  # the directories of the MLIR it finds (MirageConfig.cmake), so that no
  # path of this machine is written into MirageTargets.cmake.
  add_library(MirageLLVMInterface INTERFACE)
  target_compile_features(MirageLLVMInterface INTERFACE cxx_std_17)
  # Libraries built with sanitizers need their runtime in the program.
  if(MIRAGE_SANITIZERS)
    target_link_options(MirageLLVMInterface INTERFACE
      -fsanitize=${MIRAGE_SANITIZERS})
  endif()
  foreach(library ${libraries})
    target_include_directories(${library} INTERFACE
      $<INSTALL_INTERFACE:${MIRAGE_INSTALL_INCLUDE_DIR}>)
    target_link_libraries(${library} INTERFACE MirageLLVMInterface)
  endforeach()

  install(TARGETS ${libraries} ${tools} ${plugins} MirageLLVMInterface
    EXPORT MirageTargets
    ARCHIVE DESTINATION ${MIRAGE_INSTALL_LIB_DIR}
    LIBRARY DESTINATION ${MIRAGE_INSTALL_LIB_DIR}
    RUNTIME DESTINATION ${MIRAGE_INSTALL_BIN_DIR})
  install(EXPORT MirageTargets
    NAMESPACE Mirage::
    DESTINATION ${MIRAGE_INSTALL_PACKAGE_DIR})

  # Headers: the sources' .h, .def and .td files, and the headers mlir-tblgen
  # and llvm-tblgen generated into the build tree.
  foreach(include_root ${PROJECT_SOURCE_DIR}/include/Mirage
      ${PROJECT_BINARY_DIR}/include/Mirage)
    install(DIRECTORY ${include_root}
      DESTINATION ${MIRAGE_INSTALL_INCLUDE_DIR}
      FILES_MATCHING
        PATTERN "*.h" PATTERN "*.def" PATTERN "*.td" PATTERN "*.inc"
        PATTERN "CMakeFiles" EXCLUDE)
  endforeach()

  # The package: find_package(Mirage) finds MLIR (and LLVM) of the version
  # this build used, then imports the targets.
  set(MIRAGE_MLIR_VERSION
    "${LLVM_VERSION_MAJOR}.${LLVM_VERSION_MINOR}.${LLVM_VERSION_PATCH}")
  list(TRANSFORM libraries PREPEND "Mirage::" OUTPUT_VARIABLE
    MIRAGE_EXPORTED_LIBRARIES)
  list(TRANSFORM tools PREPEND "Mirage::" OUTPUT_VARIABLE
    MIRAGE_EXPORTED_TOOLS)
  configure_package_config_file(
    ${PROJECT_SOURCE_DIR}/cmake/MirageConfig.cmake.in
    ${PROJECT_BINARY_DIR}/cmake/MirageConfig.cmake
    INSTALL_DESTINATION ${MIRAGE_INSTALL_PACKAGE_DIR}
    PATH_VARS MIRAGE_INSTALL_INCLUDE_DIR MIRAGE_INSTALL_LIB_DIR
              MIRAGE_INSTALL_BIN_DIR)
  write_basic_package_version_file(
    ${PROJECT_BINARY_DIR}/cmake/MirageConfigVersion.cmake
    VERSION ${PROJECT_VERSION}
    COMPATIBILITY SameMinorVersion)
  install(FILES
    ${PROJECT_BINARY_DIR}/cmake/MirageConfig.cmake
    ${PROJECT_BINARY_DIR}/cmake/MirageConfigVersion.cmake
    DESTINATION ${MIRAGE_INSTALL_PACKAGE_DIR})

  install(FILES ${PROJECT_SOURCE_DIR}/README.md
    DESTINATION ${MIRAGE_INSTALL_DOC_DIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/
    DESTINATION ${MIRAGE_INSTALL_DOC_DIR}
    PATTERN "CMakeLists.txt" EXCLUDE)

  # Everything the install copies, as one target: the install test and
  # check-mirage depend on it, since `cmake --install` copies only what was
  # built.
  add_custom_target(mirage-installables)
  add_dependencies(mirage-installables ${libraries} ${tools} ${plugins})
  if(TARGET mirage-run)
    add_dependencies(mirage-installables mirage-run mirage_runtime)
  endif()
endfunction()
