# fuzz.cmake -- in every normal build, each fuzz target is linked with
# tests/fuzz/replay.c instead of libFuzzer, and one ctest (label `fuzz`)
# replays its seed corpus tests/fuzz/corpus/NAME/; a second (label
# `fuzz`, name fuzz_NAME_oom) replays it failing each allocation in turn.
# Crash inputs land in the corpus and so become regression tests here.
include(${CMAKE_SOURCE_DIR}/tests/fuzz/targets.cmake)
foreach(t ${IK_FUZZ_TARGETS})
  set(exe fuzz_${t}_replay)
  add_executable(${exe} ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_${t}.c
                        ${CMAKE_SOURCE_DIR}/tests/fuzz/replay.c)
  target_compile_definitions(${exe} PRIVATE ${IK_TEST_DEFS})
  target_link_libraries(${exe} PRIVATE intake_core ik_warnings)
  add_test(NAME fuzz_${t}
           COMMAND ${exe} ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${t})
  add_test(NAME fuzz_${t}_oom
           COMMAND ${exe} --oom ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${t})
  set_tests_properties(fuzz_${t} fuzz_${t}_oom PROPERTIES LABELS fuzz
                       TIMEOUT 600)
endforeach()
