# run_answers.cmake -- `intake run --answers FILE --session S` writes the
# session only when the answers are accepted (a shell script drives the
# real program). Label `e2e`. Adds tests only; builds nothing.
add_test(NAME e2e_run_answers_rejected_leave_no_session
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/run_answers/rejected_answers_leave_no_session.sh
          $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR}/rules/failed-back-syndrome.json)
set_tests_properties(e2e_run_answers_rejected_leave_no_session PROPERTIES
  LABELS e2e TIMEOUT 60 ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1")
