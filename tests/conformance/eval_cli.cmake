# eval_cli.cmake -- `intake eval` end to end: results on stdout, malformed
# JSON as `logic:LINE:COL: error:` or `data:LINE:COL: error:` with exit 65,
# usage errors 64, and --lines going on after a bad line.
# Run with: cmake -DINTAKE=path/to/intake -P eval_cli.cmake
function(expect_run name want_rc want_out want_err)
  execute_process(COMMAND ${INTAKE} ${ARGN}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL want_rc)
    message(FATAL_ERROR "${name}: exit ${rc}, expected ${want_rc}\n${out}${err}")
  endif()
  if(NOT want_out STREQUAL "ANY" AND NOT out STREQUAL want_out)
    message(FATAL_ERROR "${name}: stdout [${out}], expected [${want_out}]")
  endif()
  if(want_err AND NOT err MATCHES "${want_err}")
    message(FATAL_ERROR "${name}: stderr [${err}] does not match [${want_err}]")
  endif()
endfunction()

expect_run(sum 0 "3\n" "" eval "{\"+\": [1, {\"var\": \"a\"}]}" "{\"a\": 2}")
expect_run(numbers 0 "[1,1e+21,1e-7,0,null]\n" ""
           eval "[1.0, 1e21, 0.0000001, -0, {\"/\": [1, 0]}]")
expect_run(undefined_prints_null 0 "null\n" "" eval "{\"and\": []}")
expect_run(no_data_is_null 0 "[\"a\"]\n" "" eval "{\"missing\": \"a\"}")
expect_run(bad_logic 65 "" "^logic:1:7: error: " eval "{\"+\": ")
expect_run(bad_data 65 "" "^data:2:1: error: " eval "1" "{\"a\":\n")
expect_run(unknown_op 65 "" "^logic:1:2: error: unknown operator 'x'"
           eval "{\"x\": 1}")
expect_run(usage 64 "" "intake eval: " eval)
expect_run(help 0 ANY "" eval --help)

file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/eval_lines.txt
     "[{\"var\": \"a\"}, {\"a\": 5}]\n[1\n[{\"cat\": [\"x\", 1]}]\n")
execute_process(COMMAND ${INTAKE} eval --lines
                INPUT_FILE ${CMAKE_CURRENT_BINARY_DIR}/eval_lines.txt
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^5\n{\"error\":\"1:[0-9]+: [^\"]+\"}\n\"x1\"\n$")
  message(FATAL_ERROR "lines: exit ${rc}, stdout [${out}]")
endif()
message(STATUS "intake eval behaves")
