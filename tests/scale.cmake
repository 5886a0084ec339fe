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

add_test(NAME batch_matches_run_answers_on_pack_cases
  COMMAND ${CMAKE_COMMAND} -DINTAKE=$<TARGET_FILE:intake> -DPACK=${IK_BUNDLED}
          -DCASES=${CMAKE_SOURCE_DIR}/rules/failed-back-syndrome.tests.json
          -DWORK=${IK_SCALE_WORK}/cases -P ${IK_SCALE_DIR}/batch_vs_run.cmake)
set_tests_properties(batch_matches_run_answers_on_pack_cases
  PROPERTIES LABELS packs)

# The bundled pack's invariants hold on every path explored (a seeded
# sample: the space is too large to walk whole).
add_test(NAME explore_bundled_pack_invariants_hold
  COMMAND intake explore ${IK_BUNDLED} --seed 1)
set_tests_properties(explore_bundled_pack_invariants_hold PROPERTIES
  LABELS packs FAIL_REGULAR_EXPRESSION "\nFAIL ")

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
