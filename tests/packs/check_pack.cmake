# check_pack.cmake -- run `intake check` on one rule pack and compare.
# cmake -DEXE=intake -DDIR=dir -DPACK=name.json -DMODE=bad|good
#       [-DUPDATE=1] -P check_pack.cmake
# bad:  exit 65, nothing on stdout, stderr exactly as name.expected
#       (with UPDATE=1 the .expected file is rewritten instead: review it).
# good: exit 0 and nothing at all on stderr (no warnings either).
execute_process(COMMAND ${EXE} check ${PACK}
  WORKING_DIRECTORY ${DIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(MODE STREQUAL "good")
  if(NOT rc EQUAL 0 OR NOT err STREQUAL "")
    message(FATAL_ERROR "${PACK}: expected a clean check, got exit ${rc}:\n${err}")
  endif()
  message(STATUS "${out}")
  return()
endif()
string(REGEX REPLACE "\\.json$" ".expected" expected ${PACK})
if(UPDATE)
  file(WRITE ${DIR}/${expected} "${err}")
  message(STATUS "wrote ${DIR}/${expected} (exit ${rc})")
  return()
endif()
if(NOT EXISTS ${DIR}/${expected})
  message(FATAL_ERROR "${PACK}: no ${expected} next to it")
endif()
file(READ ${DIR}/${expected} want)
if(NOT rc EQUAL 65)
  message(FATAL_ERROR "${PACK}: expected exit 65, got ${rc}\n${err}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "${PACK}: expected nothing on stdout, got:\n${out}")
endif()
if(NOT err STREQUAL want)
  message(FATAL_ERROR "${PACK}: diagnostics differ.\n--- expected\n${want}--- got\n${err}")
endif()
