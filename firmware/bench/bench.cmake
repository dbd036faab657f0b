# The benchmark firmware of scripts/bench.sh (docs/bench.md): build/firmware/bench/bench.elf.
# Included (OPTIONAL) at the end of firmware/CMakeLists.txt, on the cross side.
#
# BENCH_ITERS: iterations when the command line gives no `iters=N` (each iteration visits the
# 8192 pages of the window once). Set it on the cross build:
#   cmake -DBENCH_ITERS=100 build/firmware/cross/build
set(BENCH_ITERS 40 CACHE STRING "bench.elf: default number of iterations")
fw_program(bench ${HTTUSIM_FW_OUTPUT_DIR}/bench fwrt-O2-v81
           ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench.c)
target_compile_definitions(bench PRIVATE BENCH_ITERS=${BENCH_ITERS})
