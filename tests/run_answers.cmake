# run_answers.cmake -- `intake run --answers FILE --session S` writes the
# session only when the answers are accepted (a shell script drives the
# real program). Label `e2e`. Adds tests only; builds nothing.
add_test(NAME e2e_run_answers_rejected_leave_no_session
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/run_answers/rejected_answers_leave_no_session.sh
          $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR}/rules/failed-back-syndrome.json)
set_tests_properties(e2e_run_answers_rejected_leave_no_session PROPERTIES
  LABELS e2e TIMEOUT 60 ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1")

# One number formatter: an answer reads the same in the session (answers
# and history), the outcome and the FHIR export (10, not 1e+01; -0 as 0).
add_test(NAME e2e_run_answers_numbers_written_alike
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/run_answers/numbers_written_alike.sh
          $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR}/tests/packs/good/probe_named_reads.json)
set_tests_properties(e2e_run_answers_numbers_written_alike PROPERTIES
  LABELS e2e TIMEOUT 60)
