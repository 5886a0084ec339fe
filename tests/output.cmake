# output.cmake -- a failed write to stdout is exit 74 with
# "intake COMMAND: stdout: REASON", in every command (label `e2e`).
add_test(NAME cli/stdout_errors
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/output/stdout_errors.sh
          $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli/stdout_errors PROPERTIES LABELS e2e TIMEOUT 120)
