# httusim_inner_build(TARGET ROOT CMAKE_ARGS...): builds the calling directory once more as an
# ExternalProject with another toolchain (firmware/: the AArch64 cross GCC; fuzz/: clang with
# libFuzzer), configured with CMAKE_ARGS, in ROOT/build with its stamps in ROOT/stamp. Nothing is
# installed; BUILD_ALWAYS, so that the inner make (which tracks the header and source
# dependencies) runs on every build of the outer project. Delete ROOT to start afresh.
include_guard(GLOBAL)
include(ExternalProject)

function(httusim_inner_build target root)
  ExternalProject_Add(${target}
    SOURCE_DIR ${CMAKE_CURRENT_SOURCE_DIR}
    PREFIX ${root}
    BINARY_DIR ${root}/build
    STAMP_DIR ${root}/stamp
    CMAKE_ARGS ${ARGN}
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON)
endfunction()
