# The system-register encoding scan of tests/sysreg_scan (build/firmware/sysreg_scan/
# sysreg_scan.elf). Included (OPTIONAL) at the end of firmware/CMakeLists.txt, on the cross side.
fw_program(sysreg_scan ${HTTUSIM_FW_OUTPUT_DIR}/sysreg_scan fwrt-O2-v81
           ${CMAKE_CURRENT_SOURCE_DIR}/sysreg_scan/sysreg_scan.c
           ${CMAKE_CURRENT_SOURCE_DIR}/sysreg_scan/probes.S)
