# Long input lines cost bounded memory (not under the sanitizers, whose
# shadow memory cannot live within an address-space limit).
if(NOT IK_SANITIZE)
  add_test(NAME cli/bounded_lines
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/lines/bounded_lines.sh
            $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR})
  set_tests_properties(cli/bounded_lines PROPERTIES LABELS e2e
                       SKIP_RETURN_CODE 77)
endif()
