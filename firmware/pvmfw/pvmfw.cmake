# pvmfw: the protected-VM firmware of the dirty-tracking / MMIO-guard / memory-sharing study
# (issue 5, docs/pvmfw.md). Included at the end of the cross part of firmware/CMakeLists.txt.
#
# Output: ${HTTUSIM_FW_OUTPUT_DIR}/pvmfw.elf (build/firmware/pvmfw.elf) and pvmfw.lst, built at
# -O2 for armv8.1-a (LSE atomics: the descriptor updates are CAS) with the runtime fwrt-O2-v81.
# It has its own linker script (pvmfw.ld): the firmware image is laid out in page-aligned
# sections so that code, read-only data and read-write data get their own stage-1 attributes.

set(PVMFW_DIR ${CMAKE_CURRENT_LIST_DIR})
set(PVMFW_LINKER_SCRIPT ${PVMFW_DIR}/pvmfw.ld)
set(PVMFW_SOURCES
  ${PVMFW_DIR}/boot.S
  ${PVMFW_DIR}/main.c
  ${PVMFW_DIR}/selftest.c
  ${PVMFW_DIR}/options.c
  ${PVMFW_DIR}/pt.c
  ${PVMFW_DIR}/hyp.c
  ${PVMFW_DIR}/fault.c
  ${PVMFW_DIR}/heap.c
  ${PVMFW_DIR}/fdt.c
  ${PVMFW_DIR}/work.c)

add_executable(pvmfw ${PVMFW_SOURCES})
target_include_directories(pvmfw PRIVATE ${PVMFW_DIR})
target_compile_options(pvmfw PRIVATE -Wshadow -Wstrict-prototypes -Wmissing-prototypes)
target_link_libraries(pvmfw PRIVATE fwrt-O2-v81 gcc)
# FW_LINK_FLAGS of firmware/CMakeLists.txt, with pvmfw's own linker script.
target_link_options(pvmfw PRIVATE
  -nostdlib -static -no-pie -T ${PVMFW_LINKER_SCRIPT} -Wl,--build-id=none -Wl,--gc-sections
  -Wl,--no-warn-rwx-segments)
set_target_properties(pvmfw PROPERTIES
  SUFFIX ".elf"
  RUNTIME_OUTPUT_DIRECTORY ${HTTUSIM_FW_OUTPUT_DIR}
  LINK_DEPENDS ${PVMFW_LINKER_SCRIPT})
if(CMAKE_OBJDUMP)
  add_custom_command(TARGET pvmfw POST_BUILD
    COMMAND sh -c "\"$0\" -d \"$1\" > \"$2\"" ${CMAKE_OBJDUMP} $<TARGET_FILE:pvmfw>
            ${HTTUSIM_FW_OUTPUT_DIR}/pvmfw.lst
    VERBATIM)
endif()
