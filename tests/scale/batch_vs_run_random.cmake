# batch_vs_run_random.cmake -- on random answers objects for a pack (some
# answers left out, some null, some red flags), `intake batch` prints the
# same line as `intake run --answers`, or refuses the record when run
# refuses the answers. Records come from `batch-bench --emit`.
# cmake -DINTAKE=exe -DBENCH=batch-bench -DPACK=pack.json -DN=records
#       -DWORK=dir -P batch_vs_run_random.cmake
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${BENCH} ${PACK} --emit ${N} --seed 11 --yes 8
                        --drop 3
                OUTPUT_FILE ${WORK}/records.jsonl RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "batch-bench --emit exited ${rc}")
endif()
file(STRINGS ${WORK}/records.jsonl records) # answers hold no ';'
set(i 0)
set(refused 0)
foreach(rec ${records})
  math(EXPR i "${i} + 1")
  file(WRITE ${WORK}/one.json "${rec}\n")
  execute_process(COMMAND ${INTAKE} run --rules ${PACK} --answers
                          ${WORK}/one.json
                  INPUT_FILE /dev/null OUTPUT_VARIABLE by_run
                  ERROR_QUIET RESULT_VARIABLE rc_run)
  execute_process(COMMAND ${INTAKE} batch --rules ${PACK}
                  INPUT_FILE ${WORK}/one.json OUTPUT_VARIABLE by_batch
                  RESULT_VARIABLE rc_batch)
  if(NOT rc_batch EQUAL 0)
    message(FATAL_ERROR "record ${i}: batch exited ${rc_batch}")
  endif()
  if(NOT rc_run EQUAL 0)
    math(EXPR refused "${refused} + 1")
    if(NOT by_batch MATCHES "^{\"line\":1,\"error\":")
      message(FATAL_ERROR "record ${i}: run refused ${rec} but batch gave "
                          "${by_batch}")
    endif()
  elseif(NOT by_run STREQUAL by_batch)
    message(FATAL_ERROR "record ${i} ${rec}: outcomes differ\nrun:   "
                        "${by_run}\nbatch: ${by_batch}")
  endif()
endforeach()
message(STATUS "${i} random records agree (${refused} refused by both)")
