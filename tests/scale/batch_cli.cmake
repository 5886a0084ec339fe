# batch_cli.cmake -- `intake batch` on the command line: one output line
# per input line in order, bad lines as {"line": N, "error": ...} without
# stopping, --strict stopping at the first with exit 65, --diff lines and
# a closing summary.
# cmake -DINTAKE=exe -DPACK=pack.json -DOLD=older.json -DWORK=dir
#       -P batch_cli.cmake
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/in.jsonl
  "{\"surgery\": false, \"bladder\": false}\n"
  "{\"surgery\": \"maybe\"}\n"
  "not json\n"
  "{\"surgery\": true, \"bladder\": false, \"pain\": 8, \"tried\": []}\r\n"
  "{\"surgery\": true, \"bladder\": true}")
execute_process(COMMAND ${INTAKE} batch --rules ${PACK}
                INPUT_FILE ${WORK}/in.jsonl OUTPUT_VARIABLE out
                RESULT_VARIABLE rc)
string(REGEX MATCHALL "[^\n]+" lines "${out}")
list(LENGTH lines n)
if(NOT rc EQUAL 0 OR NOT n EQUAL 5)
  message(FATAL_ERROR "batch: exit ${rc}, ${n} lines:\n${out}")
endif()
list(GET lines 0 l0)
list(GET lines 1 l1)
list(GET lines 2 l2)
list(GET lines 3 l3)
list(GET lines 4 l4)
if(NOT l0 MATCHES "\"disposition\":\"self_care\"" OR
   NOT l1 MATCHES "^{\"line\":2,\"error\":\"column 2: " OR
   NOT l2 MATCHES "^{\"line\":3,\"error\":" OR
   NOT l3 MATCHES "\"disposition\":\"soon\"" OR
   NOT l4 MATCHES "\"red_flags\":\\[\"cauda\"\\]")
  message(FATAL_ERROR "batch output out of order or wrong:\n${out}")
endif()
execute_process(COMMAND ${INTAKE} batch --strict --rules ${PACK}
                INPUT_FILE ${WORK}/in.jsonl OUTPUT_VARIABLE out
                ERROR_VARIABLE err RESULT_VARIABLE rc)
string(REGEX MATCHALL "[^\n]+" lines "${out}")
list(LENGTH lines n)
if(NOT rc EQUAL 65 OR NOT n EQUAL 2 OR NOT err MATCHES "line 2: ")
  message(FATAL_ERROR "--strict: exit ${rc}, ${n} lines, ${err}")
endif()
execute_process(COMMAND ${INTAKE} batch --rules ${PACK} --diff ${OLD}
                INPUT_FILE ${WORK}/in.jsonl OUTPUT_VARIABLE out
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR
   NOT out MATCHES "{\"line\":1,\"changed\":\\[\\]}\n" OR
   NOT out MATCHES "\n{\"summary\":{\"records\":5,\"changed\":0,\"errors\":2,")
  message(FATAL_ERROR "--diff: exit ${rc}:\n${out}")
endif()
message(STATUS "batch streams, refuses, stops and diffs as documented")
