# output.cmake -- a failed write to stdout is exit 74 with
# "intake COMMAND: stdout: REASON", in every command (label `e2e`).
add_test(NAME cli/stdout_errors
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/output/stdout_errors.sh
          $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli/stdout_errors PROPERTIES LABELS e2e TIMEOUT 120)

# Text from files (labels, file names) never drives the terminal.
add_test(NAME cli/escapes
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/output/escapes.sh
          $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli/escapes PROPERTIES LABELS e2e TIMEOUT 60)

# A FIFO or a directory where a file is read is refused, never waited on.
add_test(NAME cli/not_regular_files
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/output/not_regular_files.sh
          $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli/not_regular_files PROPERTIES LABELS e2e TIMEOUT 600)
