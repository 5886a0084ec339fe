# conformance.cmake -- the shared JsonLogic conformance data against the
# engine (label `conformance`; skipped, exit 77, when ../shared is absent).
add_executable(jsonlogic_conformance
  ${CMAKE_CURRENT_SOURCE_DIR}/conformance/jsonlogic_conformance.c)
target_compile_definitions(jsonlogic_conformance PRIVATE ${IK_TEST_DEFS})
target_link_libraries(jsonlogic_conformance PRIVATE intake_core ik_warnings)
add_test(NAME conformance COMMAND jsonlogic_conformance)
set_tests_properties(conformance PROPERTIES LABELS conformance
                     SKIP_RETURN_CODE 77)

# `intake eval` from the command line (label `unit`: no shared data needed).
add_test(NAME eval_cli
  COMMAND ${CMAKE_COMMAND} -DINTAKE=$<TARGET_FILE:intake>
          -P ${CMAKE_CURRENT_SOURCE_DIR}/conformance/eval_cli.cmake
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(eval_cli PROPERTIES LABELS unit)
