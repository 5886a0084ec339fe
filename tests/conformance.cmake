# conformance.cmake -- the shared JsonLogic conformance data against the
# engine (label `conformance`; skipped, exit 77, when ../shared is absent).
add_executable(jsonlogic_conformance
  ${CMAKE_CURRENT_SOURCE_DIR}/conformance/jsonlogic_conformance.c)
target_compile_definitions(jsonlogic_conformance PRIVATE ${IK_TEST_DEFS})
target_link_libraries(jsonlogic_conformance PRIVATE intake_core ik_warnings)
# ctest's summary shows a skipped test by name only, so without the data
# the name says why: "conformance_skipped:_../shared/conformance_not_present".
# The program prints the same reason in the test log, and scripts/test.sh
# repeats every skipped test's reason after the summary. CI has the data.
if(EXISTS ${IK_SHARED_DIR}/conformance/jsonlogic/classification.json)
  set(IK_CONFORMANCE_TEST conformance)
else()
  set(IK_CONFORMANCE_TEST "conformance_skipped:_../shared/conformance_not_present")
endif()
add_test(NAME ${IK_CONFORMANCE_TEST} COMMAND jsonlogic_conformance)
set_tests_properties(${IK_CONFORMANCE_TEST} PROPERTIES LABELS conformance
                     SKIP_RETURN_CODE 77)

# `intake eval` from the command line (label `unit`: no shared data needed).
add_test(NAME eval_cli
  COMMAND ${CMAKE_COMMAND} -DINTAKE=$<TARGET_FILE:intake>
          -P ${CMAKE_CURRENT_SOURCE_DIR}/conformance/eval_cli.cmake
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(eval_cli PROPERTIES LABELS unit)
