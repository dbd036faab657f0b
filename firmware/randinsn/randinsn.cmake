# The random-instruction harness (docs/randinsn.md): the firmware runtime, harness.c and entry.S in
# one static library, build/firmware/randinsn/librandinsn.a, that tests/randinsn/randinsn.py
# links with each generated block. Included from firmware/CMakeLists.txt (cross side).
set(RI_DIR ${CMAKE_CURRENT_LIST_DIR})
add_library(randinsn STATIC ${FW_LIB_SOURCES} ${RI_DIR}/harness.c ${RI_DIR}/entry.S)
target_compile_options(randinsn PRIVATE -O2 ${FW_ARCH_v81} ${FW_COMMON_FLAGS})
target_include_directories(randinsn PRIVATE ${FW_LIB} ${RI_DIR})
set_target_properties(randinsn PROPERTIES ARCHIVE_OUTPUT_DIRECTORY ${HTTUSIM_FW_OUTPUT_DIR}/randinsn)
# The linker script and the header the blocks include, next to the library.
configure_file(${FW_LINKER_SCRIPT} ${HTTUSIM_FW_OUTPUT_DIR}/randinsn/link.ld COPYONLY)
configure_file(${RI_DIR}/randinsn.h ${HTTUSIM_FW_OUTPUT_DIR}/randinsn/randinsn.h COPYONLY)
