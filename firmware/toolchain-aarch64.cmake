# CMake toolchain file for the bare-metal AArch64 firmware (cross GCC from Debian's
# gcc-aarch64-linux-gnu). Used by firmware/CMakeLists.txt through ExternalProject; it can also be
# used by hand:  cmake -S firmware -B fwbuild -DCMAKE_TOOLCHAIN_FILE=firmware/toolchain-aarch64.cmake
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(HTTUSIM_CROSS_PREFIX "aarch64-linux-gnu-" CACHE STRING "Prefix of the AArch64 cross tools")
find_program(CMAKE_C_COMPILER NAMES ${HTTUSIM_CROSS_PREFIX}gcc REQUIRED)
set(CMAKE_ASM_COMPILER ${CMAKE_C_COMPILER})
find_program(CMAKE_OBJCOPY NAMES ${HTTUSIM_CROSS_PREFIX}objcopy)
find_program(CMAKE_OBJDUMP NAMES ${HTTUSIM_CROSS_PREFIX}objdump)

# No C library and no host-style executables: let the compiler checks build a static library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
