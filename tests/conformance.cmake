# conformance.cmake -- the JsonLogic conformance data in
# tests/conformance/jsonlogic (test data only, copied unchanged with its
# licences; see its README.md) against the engine (label `conformance`).
# The data ships with the repository: a missing file fails the test.
add_executable(jsonlogic_conformance
  ${CMAKE_CURRENT_SOURCE_DIR}/conformance/jsonlogic_conformance.c)
target_compile_definitions(jsonlogic_conformance PRIVATE ${IK_TEST_DEFS})
target_link_libraries(jsonlogic_conformance PRIVATE intake_core ik_warnings)
add_test(NAME conformance COMMAND jsonlogic_conformance)
set_tests_properties(conformance PROPERTIES LABELS conformance)

# `intake eval` from the command line (label `unit`: no shared data needed).
add_test(NAME eval_cli
  COMMAND ${CMAKE_COMMAND} -DINTAKE=$<TARGET_FILE:intake>
          -P ${CMAKE_CURRENT_SOURCE_DIR}/conformance/eval_cli.cmake
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(eval_cli PROPERTIES LABELS unit)
