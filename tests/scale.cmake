# scale.cmake -- suites of issue 7 (batch, explore, graph) run through the
# program: batch against `run --answers` on every bundled test case,
# explore on the bundled pack (its invariants must hold) and on a pack
# with a broken one, graph output checked by Graphviz, batch's command
# line. Included by tests/CMakeLists.txt.
set(IK_SCALE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/scale)
set(IK_SCALE_WORK ${CMAKE_CURRENT_BINARY_DIR}/scale)
set(IK_BUNDLED ${CMAKE_SOURCE_DIR}/rules/failed-back-syndrome.json)
find_program(IK_DOT dot)
if(NOT IK_DOT)
  set(IK_DOT "")
endif()

# Every pack with test cases (PACK.tests.json beside PACK.json).
file(GLOB_RECURSE IK_SCALE_CASES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/rules/*.tests.json)
foreach(cases ${IK_SCALE_CASES})
  string(REGEX REPLACE "\\.tests\\.json$" ".json" pack ${cases})
  get_filename_component(name ${pack} NAME_WE)
  if(NOT EXISTS ${pack})
    continue()
  endif()
  add_test(NAME batch_matches_run_answers_on_${name}_cases
    COMMAND ${CMAKE_COMMAND} -DINTAKE=$<TARGET_FILE:intake> -DPACK=${pack}
            -DCASES=${cases} -DWORK=${IK_SCALE_WORK}/cases-${name}
            -P ${IK_SCALE_DIR}/batch_vs_run.cmake)
  set_tests_properties(batch_matches_run_answers_on_${name}_cases
    PROPERTIES LABELS packs)
endforeach()

# Random records too: left-out answers, nulls, red flags.
add_test(NAME batch_matches_run_answers_on_random_records
  COMMAND ${CMAKE_COMMAND} -DINTAKE=$<TARGET_FILE:intake>
          -DBENCH=$<TARGET_FILE:batch-bench> -DPACK=${IK_BUNDLED} -DN=80
          -DWORK=${IK_SCALE_WORK}/random -P ${IK_SCALE_DIR}/batch_vs_run_random.cmake)
set_tests_properties(batch_matches_run_answers_on_random_records
  PROPERTIES LABELS packs)

# The bundled pack's invariants hold on every path explored (a seeded
# sample: the space is too large to walk whole).
add_test(NAME explore_bundled_pack_invariants_hold
  COMMAND intake explore ${IK_BUNDLED} --seed 1)
set_tests_properties(explore_bundled_pack_invariants_hold PROPERTIES
  LABELS packs FAIL_REGULAR_EXPRESSION "\nFAIL ")

# Example packs are explored too (whole when small enough).
file(GLOB IK_SCALE_EXAMPLES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/rules/examples/*.json)
foreach(pack ${IK_SCALE_EXAMPLES})
  if(pack MATCHES "\\.tests\\.json$")
    continue()
  endif()
  get_filename_component(name ${pack} NAME_WE)
  add_test(NAME explore_${name}_invariants_hold COMMAND intake explore ${pack})
  set_tests_properties(explore_${name}_invariants_hold PROPERTIES
    LABELS packs FAIL_REGULAR_EXPRESSION "\nFAIL ")
endforeach()

add_test(NAME explore_counter_examples_replay
  COMMAND ${CMAKE_COMMAND} -DINTAKE=$<TARGET_FILE:intake>
          -DPACK=${IK_SCALE_DIR}/tiny_broken.json
          -DWORK=${IK_SCALE_WORK}/explore -P ${IK_SCALE_DIR}/explore_replay.cmake)
set_tests_properties(explore_counter_examples_replay PROPERTIES LABELS unit)

add_test(NAME graph_renders_bundled_pack
  COMMAND ${CMAKE_COMMAND} -DINTAKE=$<TARGET_FILE:intake> -DPACK=${IK_BUNDLED}
          -DDOT=${IK_DOT} -DWORK=${IK_SCALE_WORK}/graph
          -P ${IK_SCALE_DIR}/graph_renders.cmake)
set_tests_properties(graph_renders_bundled_pack PROPERTIES LABELS packs)

add_test(NAME batch_command_line
  COMMAND ${CMAKE_COMMAND} -DINTAKE=$<TARGET_FILE:intake>
          -DPACK=${IK_SCALE_DIR}/tiny_broken.json
          -DOLD=${IK_SCALE_DIR}/tiny_broken.json
          -DWORK=${IK_SCALE_WORK}/batch -P ${IK_SCALE_DIR}/batch_cli.cmake)
set_tests_properties(batch_command_line PROPERTIES LABELS unit)

add_test(NAME batch_jobs_write_what_one_thread_writes
  COMMAND ${CMAKE_COMMAND} -DINTAKE=$<TARGET_FILE:intake>
          -DBENCH=$<TARGET_FILE:batch-bench> -DPACK=${IK_BUNDLED}
          -DWORK=${IK_SCALE_WORK}/jobs -P ${IK_SCALE_DIR}/batch_jobs.cmake)
set_tests_properties(batch_jobs_write_what_one_thread_writes
                     PROPERTIES LABELS unit)

# Partitions in parallel processes, concatenated, equal one run
# (docs/SCALE.md: batch as a Hadoop Streaming mapper or Spark pipe stage).
add_test(NAME batch_partitions_equal_one_run
  COMMAND sh ${IK_SCALE_DIR}/partition.sh $<TARGET_FILE:intake>
          $<TARGET_FILE:batch-bench> ${IK_BUNDLED}
          ${CMAKE_SOURCE_DIR}/examples/answers.jsonl ${IK_SCALE_WORK}/partition)
set_tests_properties(batch_partitions_equal_one_run PROPERTIES
  LABELS packs TIMEOUT 300)
