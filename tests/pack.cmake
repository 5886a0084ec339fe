# pack.cmake -- the bundled Failed Back Syndrome pack (label `packs`):
# `intake check --strict` is clean on it (no errors, no warnings), every test case
# in rules/failed-back-syndrome.tests.json passes with nothing unreached
# (`intake test --coverage`), `intake test` does fail when a case expects
# the wrong outcome, `--coverage` does fail when cases leave something
# unreached, and `intake explore` finds no broken invariant. Every
# patient-facing text of every bundled pack (the example packs too) reads
# at Flesch-Kincaid grade 8 or below (tests/packs/readability.py).
#
# Included by tests/CMakeLists.txt to register the tests; the same file
# run with `cmake -DEXE=intake -DCHECK=clean|mutant|gap ... -P pack.cmake`
# performs the checks that need more than an exit code.

if(CMAKE_SCRIPT_MODE_FILE)
  if(CHECK STREQUAL "clean")
    # intake check --strict PACK: exit 0 and nothing on stderr (no
    # warnings, the strict-only ones included).
    execute_process(COMMAND ${EXE} check --strict ${PACK}
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR NOT err STREQUAL "")
      message(FATAL_ERROR "intake check ${PACK}: exit ${rc}\n${err}")
    endif()
    message(STATUS "${out}")
  elseif(CHECK STREQUAL "mutant")
    # Break the first case's expected disposition; intake test must say
    # so, per field, and exit 1.
    file(READ ${CASES} text)
    string(FIND "${text}" "\"disposition\": \"emergency\"" at)
    if(at LESS 0)
      message(FATAL_ERROR "${CASES}: no emergency case to break")
    endif()
    string(SUBSTRING "${text}" 0 ${at} head)
    math(EXPR tail_at "${at} + 26")
    string(SUBSTRING "${text}" ${tail_at} -1 tail)
    file(WRITE ${OUT} "${head}\"disposition\": \"self_care\"${tail}")
    execute_process(COMMAND ${EXE} test ${PACK} ${OUT}
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 1)
      message(FATAL_ERROR "expected exit 1, got ${rc}\n${out}${err}")
    endif()
    if(NOT out MATCHES "disposition: expected self_care, got emergency")
      message(FATAL_ERROR "the difference is not shown:\n${out}")
    endif()
    if(NOT out MATCHES "[0-9]+ passed, 1 failed\n$")
      message(FATAL_ERROR "no final 'N passed, 1 failed' line:\n${out}")
    endif()
    message(STATUS "${out}")
  elseif(CHECK STREQUAL "gap")
    # Keep only the first case: --coverage must list what is unreached and
    # fail although that case passes.
    file(READ ${CASES} text)
    string(JSON first GET "${text}" cases 0)
    file(WRITE ${OUT} "{\"pack\": \"failed-back-syndrome\", \"cases\": [${first}]}")
    execute_process(COMMAND ${EXE} test --coverage ${PACK} ${OUT}
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 1)
      message(FATAL_ERROR "expected exit 1, got ${rc}\n${out}${err}")
    endif()
    if(NOT out MATCHES "ladder rungs +0 of 3 reached; unreached: conservative, interventional, revision")
      message(FATAL_ERROR "unreached rungs are not listed:\n${out}")
    endif()
    if(NOT out MATCHES "1 passed, 0 failed\n$")
      message(FATAL_ERROR "no final '1 passed, 0 failed' line:\n${out}")
    endif()
    message(STATUS "${out}")
  else()
    message(FATAL_ERROR "pack.cmake: CHECK must be clean, mutant or gap")
  endif()
  return()
endif()

set(IK_FBS_PACK ${CMAKE_SOURCE_DIR}/rules/failed-back-syndrome.json)
set(IK_FBS_CASES ${CMAKE_SOURCE_DIR}/rules/failed-back-syndrome.tests.json)

add_test(NAME pack/fbs_check_clean
  COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:intake> -DCHECK=clean
          -DPACK=${IK_FBS_PACK} -P ${CMAKE_CURRENT_LIST_FILE})
add_test(NAME pack/fbs_cases_pass_with_full_coverage
  COMMAND intake test --coverage ${IK_FBS_PACK} ${IK_FBS_CASES})
add_test(NAME pack/fbs_wrong_expectation_fails
  COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:intake> -DCHECK=mutant
          -DPACK=${IK_FBS_PACK} -DCASES=${IK_FBS_CASES}
          -DOUT=${CMAKE_BINARY_DIR}/fbs-mutant.tests.json
          -P ${CMAKE_CURRENT_LIST_FILE})
add_test(NAME pack/fbs_coverage_gap_fails
  COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:intake> -DCHECK=gap
          -DPACK=${IK_FBS_PACK} -DCASES=${IK_FBS_CASES}
          -DOUT=${CMAKE_BINARY_DIR}/fbs-gap.tests.json
          -P ${CMAKE_CURRENT_LIST_FILE})
# The tutorial pack of docs/RULES.md passes what it teaches.
add_test(NAME pack/bicycle_cases_pass_with_full_coverage
  COMMAND intake test --coverage
          ${CMAKE_SOURCE_DIR}/rules/examples/bicycle-check.json)
add_test(NAME pack/fbs_invariants_hold
  COMMAND intake explore ${IK_FBS_PACK})
set_tests_properties(pack/fbs_check_clean pack/fbs_cases_pass_with_full_coverage
  pack/fbs_wrong_expectation_fails pack/fbs_coverage_gap_fails
  pack/fbs_invariants_hold pack/bicycle_cases_pass_with_full_coverage
  PROPERTIES LABELS packs)

# Readability: every patient-facing text of every bundled pack reads at
# Flesch-Kincaid grade 8 or below (tests/packs/readability.py says how it
# counts); the checker's syllable counter and grades hold on known words,
# and it does fail on a pack with a text above grade 8. python3 is a test
# prerequisite: without it the tests are still registered, and fail.
find_program(IK_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(IK_PYTHON3 python3)
set(IK_READABILITY ${CMAKE_CURRENT_LIST_DIR}/packs/readability.py)
set(IK_READABILITY_PY ${IK_PYTHON3})
if(NOT IK_READABILITY_PY)
  set(IK_READABILITY_PY python3-not-found)
endif()
# Every pack the repository ships (rules/*.json and rules/examples/*.json,
# not their test cases) is read, each in a test of its own.
file(GLOB IK_BUNDLED_PACKS CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/rules/*.json ${CMAKE_SOURCE_DIR}/rules/examples/*.json)
list(FILTER IK_BUNDLED_PACKS EXCLUDE REGEX "\\.tests\\.json$")
set(IK_READABILITY_TESTS)
foreach(pack ${IK_BUNDLED_PACKS})
  get_filename_component(name ${pack} NAME_WE)
  add_test(NAME pack/readability_grade_8:${name}
    COMMAND ${IK_READABILITY_PY} ${IK_READABILITY} ${pack})
  list(APPEND IK_READABILITY_TESTS pack/readability_grade_8:${name})
endforeach()
add_test(NAME pack/readability_self_test
  COMMAND ${IK_READABILITY_PY} ${IK_READABILITY} --self-test)
add_test(NAME pack/readability_fails_above_grade_8
  COMMAND ${IK_READABILITY_PY} ${IK_READABILITY}
          ${CMAKE_CURRENT_LIST_DIR}/packs/readability/too_hard.json)
set_tests_properties(${IK_READABILITY_TESTS} pack/readability_self_test
  pack/readability_fails_above_grade_8 PROPERTIES LABELS packs)
set_tests_properties(pack/readability_fails_above_grade_8 PROPERTIES
  PASS_REGULAR_EXPRESSION "/disclaimer: grade [0-9.]+, above 8:.*\n.*1 above grade 8\n")

# Interview length: over the bundled pack's test cases and over 20,000
# random interviews (half of them redrawing answers that would stop, as
# `intake explore --sample` does), the median of questions asked is at
# most 20, and every interview that runs to its end asked the whole
# red-flag screen. Prints the distributions.
add_executable(interview_length ${CMAKE_CURRENT_LIST_DIR}/packs/interview_length.c)
target_compile_definitions(interview_length PRIVATE ${IK_TEST_DEFS})
target_link_libraries(interview_length PRIVATE intake_core PkgConfig::CMOCKA
                      ik_warnings)
add_test(NAME pack/fbs_interview_length
  COMMAND interview_length ${IK_FBS_PACK} ${IK_FBS_CASES} --walks 20000
          --seed 1 --max-median 20
          --screen "cauda_equina_signs,leg_weakness,fever|fever_or_wound,cancer_history,night_pain_weight_loss,fall_injury,self_harm,strong_painkillers,pain_change")
set_tests_properties(pack/fbs_interview_length PROPERTIES LABELS packs)
