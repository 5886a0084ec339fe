# explore_replay.cmake -- `intake explore` on a pack with a broken
# invariant exits 1 and prints counter-examples that replay: fed to
# `intake batch` (and `intake run --answers`), each gives an outcome that
# breaks the invariant (severe pain, not an emergency).
# cmake -DINTAKE=exe -DPACK=tiny_broken.json -DWORK=dir -P explore_replay.cmake
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${INTAKE} explore ${PACK} OUTPUT_VARIABLE out
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "explore exited ${rc}, not 1:\n${out}")
endif()
if(NOT out MATCHES "FAIL severe_is_emergency: broken on 16 of 16 paths")
  message(FATAL_ERROR "no failure reported:\n${out}")
endif()
if(NOT out MATCHES "\ninvariants: 1 passed, 1 failed\n")
  message(FATAL_ERROR "no closing count:\n${out}")
endif()
string(REGEX MATCHALL "\n{[^\n]*}" examples "${out}")
list(LENGTH examples n)
if(n LESS 1)
  message(FATAL_ERROR "no counter-example line:\n${out}")
endif()
foreach(ex ${examples})
  string(STRIP "${ex}" ex)
  file(WRITE ${WORK}/example.json "${ex}\n")
  execute_process(COMMAND ${INTAKE} batch --strict --rules ${PACK}
                  INPUT_FILE ${WORK}/example.json OUTPUT_VARIABLE o
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR o MATCHES "\"disposition\":\"emergency\"" OR
     NOT o MATCHES "\"severe\":true")
    message(FATAL_ERROR "counter-example ${ex} does not replay: ${o}")
  endif()
  execute_process(COMMAND ${INTAKE} run --rules ${PACK} --answers
                          ${WORK}/example.json
                  INPUT_FILE /dev/null OUTPUT_VARIABLE r RESULT_VARIABLE rc)
  if(rc EQUAL 0 AND NOT r STREQUAL o)
    message(FATAL_ERROR "run --answers gives ${r}, batch ${o}")
  endif()
endforeach()
message(STATUS "${n} counter-examples replay")
