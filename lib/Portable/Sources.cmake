# The sources of the portable units (include/Mirage/Portable): standard
# C++17 only, no LLVM or MLIR. Listed once for the compiler's MiragePortable
# library (lib/Portable/CMakeLists.txt) and the GPU runtime, which builds
# with cuda.h alone and compiles them into its own library
# (runtime/CMakeLists.txt, also when configured on its own).
set(MIRAGE_PORTABLE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/Chips.cpp
  ${CMAKE_CURRENT_LIST_DIR}/Compare.cpp
  ${CMAKE_CURRENT_LIST_DIR}/DType.cpp
  ${CMAKE_CURRENT_LIST_DIR}/FloatFormats.cpp
  ${CMAKE_CURRENT_LIST_DIR}/Npy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/Random.cpp)
# Float semantics must not depend on whether the compiler fuses a multiply
# and an add (rounding, the comparison's bounds).
set(MIRAGE_PORTABLE_COMPILE_OPTIONS -ffp-contract=off)
