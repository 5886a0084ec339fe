# graph_renders.cmake -- `intake graph` output for a pack: Graphviz
# accepts the dot and renders SVG naming every question; the Mermaid text
# opens as a flowchart with balanced subgraphs.
# cmake -DINTAKE=exe -DPACK=pack.json -DDOT=/usr/bin/dot|"" -DWORK=dir
#       -P graph_renders.cmake
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${INTAKE} graph --rules ${PACK} --format mermaid
                OUTPUT_VARIABLE mm RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT mm MATCHES "^flowchart LR\n")
  message(FATAL_ERROR "mermaid: exit ${rc}:\n${mm}")
endif()
string(REGEX MATCHALL "\n  subgraph " opened "${mm}")
string(REGEX MATCHALL "\n  end\n" closed "${mm}")
list(LENGTH opened no)
list(LENGTH closed nc)
if(NOT no EQUAL nc OR no LESS 4)
  message(FATAL_ERROR "mermaid: ${no} subgraphs, ${nc} ends")
endif()
execute_process(COMMAND ${INTAKE} graph --rules ${PACK} --format dot
                OUTPUT_FILE ${WORK}/flow.dot RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dot: exit ${rc}")
endif()
execute_process(COMMAND ${INTAKE} graph --rules ${PACK} --format svg
                OUTPUT_QUIET ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 64)
  message(FATAL_ERROR "an unknown format should be a usage error, got ${rc}")
endif()
if(NOT DOT)
  message(FATAL_ERROR "Graphviz (dot) is missing: the test dependencies "
                      "include it (scripts/deps.sh test)")
endif()
execute_process(COMMAND ${DOT} -Tsvg ${WORK}/flow.dot -o ${WORK}/flow.svg
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Graphviz refused the graph: ${err}")
endif()
file(READ ${WORK}/flow.svg svg)
file(READ ${PACK} pack)
string(JSON nq LENGTH "${pack}" questions)
math(EXPR last "${nq} - 1")
foreach(i RANGE ${last})
  string(JSON qid GET "${pack}" questions ${i} id)
  if(NOT svg MATCHES "${qid}")
    message(FATAL_ERROR "flow.svg does not show question ${qid}")
  endif()
endforeach()
message(STATUS "dot renders ${nq} questions; mermaid has ${no} subgraphs")
