# batch_vs_run.cmake -- `intake batch` gives, for every test case of a
# pack that has an answers object, exactly the outcome line that
# `intake run --answers` prints for the same answers.
# cmake -DINTAKE=exe -DPACK=pack.json -DCASES=pack.tests.json -DWORK=dir
#       -P batch_vs_run.cmake
file(READ ${CASES} text)
string(JSON n LENGTH "${text}" cases)
math(EXPR last "${n} - 1")
file(MAKE_DIRECTORY ${WORK})
set(compared 0)
foreach(i RANGE ${last})
  string(JSON id GET "${text}" cases ${i} id)
  string(JSON answers ERROR_VARIABLE missing GET "${text}" cases ${i} answers)
  if(missing)
    continue() # step-by-step cases (going back) have no answers object
  endif()
  string(REPLACE "\n" "" answers "${answers}") # one JSON line
  file(WRITE ${WORK}/${id}.json "${answers}\n")
  execute_process(COMMAND ${INTAKE} run --rules ${PACK} --answers
                          ${WORK}/${id}.json
                  INPUT_FILE /dev/null OUTPUT_VARIABLE by_run
                  ERROR_VARIABLE err RESULT_VARIABLE rc_run)
  execute_process(COMMAND ${INTAKE} batch --rules ${PACK}
                  INPUT_FILE ${WORK}/${id}.json OUTPUT_VARIABLE by_batch
                  ERROR_VARIABLE err2 RESULT_VARIABLE rc_batch)
  if(rc_run EQUAL 69)
    message(STATUS "intake run --answers is not available: skipped")
    return()
  endif()
  if(NOT rc_batch EQUAL 0)
    message(FATAL_ERROR "case ${id}: batch exited ${rc_batch}: ${err2}")
  endif()
  if(NOT rc_run EQUAL 0)
    # run refuses the answers: batch must refuse the line too
    if(NOT by_batch MATCHES "^{\"line\":1,\"error\":")
      message(FATAL_ERROR "case ${id}: run refused (${err}) but batch "
                          "gave ${by_batch}")
    endif()
  elseif(NOT by_run STREQUAL by_batch)
    message(FATAL_ERROR "case ${id}: outcomes differ\nrun:   ${by_run}\n"
                        "batch: ${by_batch}")
  endif()
  math(EXPR compared "${compared} + 1")
endforeach()
if(compared LESS 1)
  message(FATAL_ERROR "no case with an answers object in ${CASES}")
endif()
message(STATUS "batch agrees with run --answers on ${compared} cases")
