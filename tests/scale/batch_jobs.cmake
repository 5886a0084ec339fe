# batch_jobs.cmake -- `intake batch --jobs N` writes byte for byte what
# --jobs 1 writes: on random records for a pack (some answers left out,
# some null) with bad lines among them, with --strict stopping at a bad
# line in the middle of a later block (blocks are 256 lines), and with
# --diff against an older version of the pack (a section moved) and
# its summary. Compares the runs with each other, never with stored text.
# cmake -DINTAKE=exe -DBENCH=batch-bench -DPACK=pack.json -DWORK=dir
#       -P batch_jobs.cmake
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${BENCH} ${PACK} --emit 1500 --seed 3 --yes 10
                OUTPUT_FILE ${WORK}/good.jsonl RESULT_VARIABLE rc1)
execute_process(COMMAND ${BENCH} ${PACK} --emit 1500 --seed 4 --yes 10
                        --drop 3
                OUTPUT_FILE ${WORK}/dropped.jsonl RESULT_VARIABLE rc2)
if(NOT rc1 EQUAL 0 OR NOT rc2 EQUAL 0)
  message(FATAL_ERROR "batch-bench --emit exited ${rc1} ${rc2}")
endif()
file(READ ${WORK}/good.jsonl good)
file(READ ${WORK}/dropped.jsonl dropped)
# strict.jsonl: 1,000 good records, a bad one (line 1001, in the fourth
# block), then more; mixed.jsonl: bad lines scattered among all kinds.
string(REGEX MATCHALL "[^\n]+" glines "${good}")
list(SUBLIST glines 0 1000 head)
list(SUBLIST glines 1000 500 tail)
string(REPLACE ";" "\n" head "${head}")
string(REPLACE ";" "\n" tail "${tail}")
file(WRITE ${WORK}/strict.jsonl
  "${head}\n{\"no_such_question\": true}\n${tail}\nnot json\n")
file(WRITE ${WORK}/mixed.jsonl
  "not json\n${dropped}{\"had_spine_surgery\": \"maybe\"}\n\n"
  "${good}[1, 2]\n{\"a\": 1, \"a\": 2}\r\n${head}")
# the older pack: the overview section shown last, so the sections of
# most outcomes differ (and nothing else)
file(READ ${PACK} pack)
string(REPLACE "\"id\": \"overview\",\n      \"priority\": 10,"
               "\"id\": \"overview\",\n      \"priority\": 100," old "${pack}")
if(old STREQUAL pack)
  message(FATAL_ERROR "the overview priority to change is not in ${PACK}")
endif()
file(WRITE ${WORK}/old.json "${old}")

function(run_batch name input)
  foreach(jobs 1 2 4)
    execute_process(COMMAND ${INTAKE} batch --rules ${PACK} --jobs ${jobs}
                            ${ARGN}
                    INPUT_FILE ${WORK}/${input}
                    OUTPUT_FILE ${WORK}/${name}.${jobs}.out
                    ERROR_FILE ${WORK}/${name}.${jobs}.err
                    RESULT_VARIABLE rc)
    set(rc_${jobs} ${rc})
  endforeach()
  foreach(jobs 2 4)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
                            ${WORK}/${name}.1.out ${WORK}/${name}.${jobs}.out
                    RESULT_VARIABLE same_out)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
                            ${WORK}/${name}.1.err ${WORK}/${name}.${jobs}.err
                    RESULT_VARIABLE same_err)
    if(NOT same_out EQUAL 0 OR NOT same_err EQUAL 0 OR
       NOT rc_${jobs} EQUAL rc_1)
      message(FATAL_ERROR "${name}: --jobs ${jobs} differs from --jobs 1 "
                          "(exit ${rc_${jobs}} vs ${rc_1})")
    endif()
  endforeach()
  set(rc_1 ${rc_1} PARENT_SCOPE)
  file(READ ${WORK}/${name}.1.out out)
  set(out "${out}" PARENT_SCOPE)
endfunction()

run_batch(mixed mixed.jsonl)
string(REGEX MATCHALL "\n" nl "${out}")
list(LENGTH nl n)
if(NOT rc_1 EQUAL 0 OR NOT n EQUAL 4005 OR
   NOT out MATCHES "^{\"line\":1,\"error\":" OR
   NOT out MATCHES "\"disposition\":\"emergency\"")
  message(FATAL_ERROR "mixed: exit ${rc_1}, ${n} lines")
endif()

run_batch(strict strict.jsonl --strict)
string(REGEX MATCHALL "\n" nl "${out}")
list(LENGTH nl n)
if(NOT rc_1 EQUAL 65 OR NOT n EQUAL 1001 OR
   NOT out MATCHES "\n{\"line\":1001,\"error\":[^\n]*\n$")
  message(FATAL_ERROR "strict: exit ${rc_1}, ${n} lines")
endif()

run_batch(diff mixed.jsonl --diff ${WORK}/old.json)
if(NOT rc_1 EQUAL 0 OR
   NOT out MATCHES "\"changed\":\\[\"sections\"" OR
   NOT out MATCHES "\n{\"summary\":{\"records\":4005,\"changed\":[1-9]")
  message(FATAL_ERROR "diff: exit ${rc_1}:\n${out}")
endif()
message(STATUS "--jobs 2 and 4 write what --jobs 1 writes")
